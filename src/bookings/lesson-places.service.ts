import { Injectable } from '@nestjs/common';
import type { RequestLoaders } from '../graphql/request-loaders';
import { LessonFormat } from '../teachers/teacher-scheduling';
import { TeachersService } from '../teachers/teachers.service';
import { isParticipantOrAdmin, lessonPlace, LessonPlaceView, PlaceViewer } from './lesson-place';
import type { Lesson } from './lesson.types';

/** Where lessons happen (lesson-place.ts has the rules); the teacher's details come through the request's profile loader. */
@Injectable()
export class LessonPlaces {
  constructor(private readonly teachers: TeachersService) {}

  async of(
    loaders: RequestLoaders,
    lesson: Lesson,
    viewer: PlaceViewer | null | undefined,
  ): Promise<LessonPlaceView | null> {
    if (!isParticipantOrAdmin(lesson, viewer)) return null;
    if (lesson.format === LessonFormat.STUDENT_HOME) return lessonPlace(lesson, null, viewer);
    const profile = await this.teachers.find(loaders, lesson.teacherId);
    const teacher = profile && {
      defaultMeetingUrl: profile.defaultMeetingUrl ?? null,
      studioAddress: profile.studioAddress ?? null,
      location: profile.location,
    };
    return lessonPlace(lesson, teacher, viewer);
  }
}
