import { Injectable } from '@nestjs/common';
import { type Page, ValidationFailedError } from '@app/common';
import { LoaderFactory, RequestLoaders } from '../graphql/request-loaders';
import type { Viewer } from '../auth/viewer';
import { LessonSide, MyLessonsArgs } from './dto/lesson.inputs';
import type { Lesson } from './lesson.types';
import { LessonsRepository } from './lessons.repository';

@Injectable()
export class LessonQueriesService {
  constructor(
    private readonly lessons: LessonsRepository,
    private readonly loaders: LoaderFactory,
  ) {}

  /** A lesson by id for other features, which apply their own access rules (e.g. reviews). */
  find(id: string): Promise<Lesson | null> {
    return this.lessons.get(id);
  }

  /** A lesson through the request's loader (a page of lesson cards is one batch); null when missing. */
  load(loaders: RequestLoaders, id: string): Promise<Lesson | null> {
    return this.lessons.load(loaders.dynamoItems, id);
  }

  /** Whether the teacher has a lesson in any state with the student (who may message whom, in chat). */
  haveLessonTogether(teacherId: string, studentId: string): Promise<boolean> {
    return this.lessons.anyBetween(teacherId, studentId);
  }

  freshLoaders(): RequestLoaders {
    return this.loaders.create();
  }

  /** One Query on the viewer's index partition per page, filtered by status and time range. */
  async myLessons(viewer: Viewer, args: MyLessonsArgs, first: number): Promise<Page<Lesson>> {
    const side = args.as === LessonSide.AS_TEACHER ? 'teacher' : 'student';
    if (args.from && args.to && args.to <= args.from) throw ValidationFailedError.field('to', 'to must be after from');
    return this.lessons.pageFor(side, viewer.userId, {
      from: args.from?.toISOString(),
      // The sort key is `start#id`: stop before lessons starting at `to`.
      to: args.to ? new Date(args.to.getTime() - 1).toISOString() : undefined,
      statuses: args.statuses,
      limit: first,
      after: args.after,
    });
  }
}
