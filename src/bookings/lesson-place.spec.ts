import { LessonFormat } from '../teachers/teacher-scheduling';
import { lessonPlace, TeacherPlace } from './lesson-place';
import { Lesson, LessonStatus } from './lesson.types';

const TEACHER: TeacherPlace = {
  defaultMeetingUrl: 'https://meet.example.com/default',
  studioAddress: 'Kastanienallee 12, 10435 Berlin',
  location: { city: 'Berlin', country: 'DE', latitude: 52.538411, longitude: 13.409744 },
};
const base = {
  id: 'L',
  teacherId: 'T',
  studentId: 'S',
  start: '2030-01-01T10:00:00.000Z',
  end: '2030-01-01T11:00:00.000Z',
  durationMinutes: 60,
  priceMinor: 1,
  currency: 'EUR',
  locks: [],
  bufferMinutes: 0,
  teacherTimeZone: 'UTC',
  cancellationNoticeHours: 24,
  lateCancellationFeePercent: 0,
  history: [],
  version: 1,
  createdAt: '2029-12-01T00:00:00.000Z',
  updatedAt: '2029-12-01T00:00:00.000Z',
};
const lesson = (format: LessonFormat, status: LessonStatus, extra: Partial<Lesson> = {}): Lesson => ({
  ...base,
  format,
  status,
  ...extra,
});
const teacher = { userId: 'T', admin: false };
const student = { userId: 'S', admin: false };
const admin = { userId: 'A', admin: true };
const stranger = { userId: 'X', admin: false };

describe('where a lesson happens, and who sees it', () => {
  it('nobody but the participants and admins sees anything', () => {
    for (const format of Object.values(LessonFormat))
      for (const viewer of [stranger, null, undefined])
        expect(lessonPlace(lesson(format, LessonStatus.CONFIRMED), TEACHER, viewer)).toBeNull();
  });

  it("ONLINE: the lesson's own link wins over the teacher's default", () => {
    const online = lesson(LessonFormat.ONLINE, LessonStatus.CONFIRMED);
    expect(lessonPlace(online, TEACHER, student)?.meetingUrl).toBe('https://meet.example.com/default');
    const own = lesson(LessonFormat.ONLINE, LessonStatus.CONFIRMED, { meetingUrl: 'https://meet.example.com/own' });
    expect(lessonPlace(own, TEACHER, student)?.meetingUrl).toBe('https://meet.example.com/own');
    expect(lessonPlace(online, { ...TEACHER, defaultMeetingUrl: null }, teacher)?.meetingUrl).toBeNull();
  });

  it('TEACHER_STUDIO: the exact studio once accepted; each side keeps its own details afterwards', () => {
    const requested = lesson(LessonFormat.TEACHER_STUDIO, LessonStatus.PENDING);
    expect(lessonPlace(requested, TEACHER, student)).toMatchObject({ address: null, latitude: null });
    expect(lessonPlace(lesson(LessonFormat.ONLINE, LessonStatus.PENDING), TEACHER, student)?.meetingUrl).toBeNull();
    expect(lessonPlace(requested, TEACHER, teacher)?.address).toBe(TEACHER.studioAddress);
    for (const status of [LessonStatus.CONFIRMED, LessonStatus.COMPLETED])
      expect(lessonPlace(lesson(LessonFormat.TEACHER_STUDIO, status), TEACHER, student)).toEqual({
        format: LessonFormat.TEACHER_STUDIO,
        meetingUrl: null,
        address: 'Kastanienallee 12, 10435 Berlin',
        city: 'Berlin',
        country: 'DE',
        latitude: 52.538411,
        longitude: 13.409744,
      });
    for (const status of [LessonStatus.CANCELLED, LessonStatus.DECLINED, LessonStatus.EXPIRED, LessonStatus.NO_SHOW]) {
      const ended = lesson(LessonFormat.TEACHER_STUDIO, status);
      expect(lessonPlace(ended, TEACHER, student)).toMatchObject({ address: null, latitude: null, longitude: null });
      expect(lessonPlace(ended, TEACHER, teacher)?.address).toBe(TEACHER.studioAddress);
      expect(lessonPlace(ended, TEACHER, admin)?.latitude).toBe(52.538411);
    }
  });

  it("STUDENT_HOME: the student's address for the teacher while booked; the student always", () => {
    const home = (status: LessonStatus) =>
      lesson(LessonFormat.STUDENT_HOME, status, { studentAddress: 'Flat 3, 1 High St, Leeds' });
    expect(lessonPlace(home(LessonStatus.PENDING), null, teacher)?.address).toBe('Flat 3, 1 High St, Leeds');
    expect(lessonPlace(home(LessonStatus.CANCELLED), null, teacher)?.address).toBeNull();
    expect(lessonPlace(home(LessonStatus.CANCELLED), null, student)?.address).toBe('Flat 3, 1 High St, Leeds');
    expect(lessonPlace(home(LessonStatus.CANCELLED), null, admin)?.address).toBe('Flat 3, 1 High St, Leeds');
  });
});
