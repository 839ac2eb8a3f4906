import { Injectable } from '@nestjs/common';
import { afterIsNotACursor, decodeAfter, encodeCursor, ValidationFailedError } from '@app/common';
import { InvalidStartKeyError } from '@app/dynamo';
import { LoaderFactory, RequestLoaders } from '../graphql/request-loaders';
import type { Viewer } from '../users/user.types';
import { LessonSide, MyLessonsArgs } from './dto/lesson.inputs';
import type { Lesson } from './lesson.types';
import { lessonKey, LessonsRepository } from './lessons.repository';

@Injectable()
export class LessonQueriesService {
  constructor(
    private readonly lessons: LessonsRepository,
    private readonly loaders: LoaderFactory,
  ) {}

  freshLoaders(): RequestLoaders {
    return this.loaders.create();
  }

  /** One Query on the viewer's index partition per page, filtered by status and time range. */
  async myLessons(viewer: Viewer, args: MyLessonsArgs, first: number) {
    const side = args.as === LessonSide.AS_TEACHER ? 'teacher' : 'student';
    if (args.from && args.to && args.to <= args.from) throw ValidationFailedError.field('to', 'to must be after from');
    const after = decodeAfter<{ k: Record<string, unknown> }>(args.after)?.k;
    const page = await this.lessons
      .pageFor(side, viewer.userId, {
        from: args.from?.toISOString(),
        // The sort key is `start#id`: stop before lessons starting at `to`.
        to: args.to ? new Date(args.to.getTime() - 1).toISOString() : undefined,
        statuses: args.statuses,
        limit: first,
        after,
      })
      .catch((err: Error) => {
        // A cursor of ours, but from another list (another partition).
        if (err instanceof InvalidStartKeyError) throw afterIsNotACursor();
        throw err;
      });
    const index = side === 'teacher' ? 'GSI1' : 'GSI2';
    const cursorOf = (l: Lesson) =>
      encodeCursor({
        k: {
          ...lessonKey(l.id),
          [`${index}PK`]: side === 'teacher' ? `TEACHER#${l.teacherId}` : `STUDENT#${l.studentId}`,
          [`${index}SK`]: `${l.start}#${l.id}`,
        },
      });
    return { lessons: page.lessons, hasNextPage: page.lastEvaluatedKey !== undefined, cursorOf };
  }
}
