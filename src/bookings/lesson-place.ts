import { LessonFormat } from '../teachers/teacher-scheduling';
import { Lesson, LessonStatus } from './lesson.types';

/** Who asks: a participant of the lesson, an admin, or anyone else (who learns nothing). */
export interface PlaceViewer {
  userId: string;
  admin: boolean;
}

/** The teacher's private details that lessons show (from the teacher's profile, read when asked). */
export interface TeacherPlace {
  defaultMeetingUrl: string | null;
  studioAddress: string | null;
  /** Exact position; the public profile rounds it. */
  location: { city: string; country: string; latitude: number; longitude: number } | null;
}

export interface LessonPlaceView {
  format: LessonFormat;
  meetingUrl: string | null;
  address: string | null;
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

/**
 * Each side sees what the other gave while the lesson is on. The teacher's meeting link and exact
 * studio reach the student once the teacher has accepted (confirmed or taken place): a request
 * alone, withdrawn for free, must not reveal where a teacher works. The student's home address
 * reaches the teacher with the request, which the teacher needs to decide on it. Afterwards
 * (declined, cancelled, expired, no-show) each side keeps seeing only its own details. Admins see
 * everything; anyone else nothing.
 */
export const TEACHER_PLACE_SHARED_WHILE: ReadonlySet<LessonStatus> = new Set([
  LessonStatus.CONFIRMED,
  LessonStatus.COMPLETED,
]);
export const STUDENT_PLACE_SHARED_WHILE: ReadonlySet<LessonStatus> = new Set([
  LessonStatus.PENDING,
  LessonStatus.CONFIRMED,
  LessonStatus.COMPLETED,
]);

export function isParticipantOrAdmin(lesson: Lesson, viewer: PlaceViewer | null | undefined): viewer is PlaceViewer {
  return !!viewer && (viewer.admin || viewer.userId === lesson.teacherId || viewer.userId === lesson.studentId);
}

/** Where the lesson happens, as `viewer` may see it; null for anyone but its participants and admins. */
export function lessonPlace(
  lesson: Lesson,
  teacher: TeacherPlace | null,
  viewer: PlaceViewer | null | undefined,
): LessonPlaceView | null {
  if (!isParticipantOrAdmin(lesson, viewer)) return null;
  const teachersSide =
    viewer.admin || viewer.userId === lesson.teacherId || TEACHER_PLACE_SHARED_WHILE.has(lesson.status);
  const studentsSide =
    viewer.admin || viewer.userId === lesson.studentId || STUDENT_PLACE_SHARED_WHILE.has(lesson.status);
  const place: LessonPlaceView = {
    format: lesson.format,
    meetingUrl: null,
    address: null,
    city: null,
    country: null,
    latitude: null,
    longitude: null,
  };
  if (lesson.format === LessonFormat.ONLINE && teachersSide) {
    place.meetingUrl = lesson.meetingUrl ?? teacher?.defaultMeetingUrl ?? null;
  } else if (lesson.format === LessonFormat.STUDENT_HOME && studentsSide) {
    place.address = lesson.studentAddress ?? null;
  } else if (lesson.format === LessonFormat.TEACHER_STUDIO && teachersSide && teacher) {
    place.address = teacher.studioAddress;
    if (teacher.location) {
      place.city = teacher.location.city;
      place.country = teacher.location.country;
      place.latitude = teacher.location.latitude;
      place.longitude = teacher.location.longitude;
    }
  }
  return place;
}
