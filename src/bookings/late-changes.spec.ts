import { cancellationTerms, insideNotice, lateChangeAfterMove } from './late-changes';
import { LessonFormat } from '../teachers/teacher-scheduling';
import { Lesson, LessonStatus } from './lesson.types';

const HOUR = 3_600_000;
const START = new Date('2030-05-10T12:00:00.000Z');
const at = (hoursBefore: number) => new Date(START.getTime() - hoursBefore * HOUR);

function lesson(status: LessonStatus, extra: Partial<Lesson> = {}): Lesson {
  return {
    id: 'L',
    teacherId: 'T',
    studentId: 'S',
    start: START.toISOString(),
    end: new Date(START.getTime() + HOUR).toISOString(),
    durationMinutes: 60,
    format: LessonFormat.ONLINE,
    status,
    priceMinor: 5000,
    currency: 'EUR',
    locks: [],
    bufferMinutes: 0,
    teacherTimeZone: 'UTC',
    cancellationNoticeHours: 72,
    lateCancellationFeePercent: 50,
    history: [],
    version: 2,
    createdAt: at(500).toISOString(),
    updatedAt: at(400).toISOString(),
    ...extra,
  };
}

describe('late-fee rules', () => {
  it('the notice window is [start - notice, start)', () => {
    expect(insideNotice(lesson(LessonStatus.CONFIRMED), at(72))).toBe(false);
    expect(insideNotice(lesson(LessonStatus.CONFIRMED), at(71.99))).toBe(true);
  });

  it("only the student's move of a CONFIRMED lesson inside the notice creates a late change", () => {
    expect(lateChangeAfterMove(lesson(LessonStatus.CONFIRMED), 'STUDENT', 'S', at(41.8))).toEqual({
      by: 'S',
      at: at(41.8).toISOString(),
      previousStart: START.toISOString(),
      feePercent: 50,
    });
    expect(lateChangeAfterMove(lesson(LessonStatus.CONFIRMED), 'STUDENT', 'S', at(73))).toBeUndefined();
    expect(lateChangeAfterMove(lesson(LessonStatus.CONFIRMED), 'TEACHER', 'T', at(10))).toBeUndefined();
    expect(lateChangeAfterMove(lesson(LessonStatus.PENDING), 'STUDENT', 'S', at(10))).toBeUndefined();
  });

  it('a carried late change is kept as first recorded, whoever moves next', () => {
    const carried = { by: 'S', at: at(30).toISOString(), previousStart: at(-100).toISOString(), feePercent: 40 };
    for (const actor of ['STUDENT', 'TEACHER'] as const)
      expect(lateChangeAfterMove(lesson(LessonStatus.CONFIRMED, { lateChange: carried }), actor, 'X', at(5))).toBe(
        carried,
      );
  });

  it('cancellations: confirmed inside the notice is late; the fee is the student’s alone; a request is free', () => {
    const terms = (status: LessonStatus, actor: 'STUDENT' | 'TEACHER', hoursBefore: number, extra = {}) => {
      const { late, feePercent } = cancellationTerms(lesson(status, extra), actor, 'X', '', at(hoursBefore));
      return { late, feePercent };
    };
    expect(terms(LessonStatus.CONFIRMED, 'STUDENT', 10)).toEqual({ late: true, feePercent: 50 });
    expect(terms(LessonStatus.CONFIRMED, 'STUDENT', 80)).toEqual({ late: false, feePercent: 0 });
    expect(terms(LessonStatus.CONFIRMED, 'TEACHER', 10)).toEqual({ late: true, feePercent: 0 });
    expect(terms(LessonStatus.PENDING, 'STUDENT', 10)).toEqual({ late: false, feePercent: 0 });
    expect(terms(LessonStatus.PENDING, 'TEACHER', 10)).toEqual({ late: false, feePercent: 0 });
    const lateChange = { by: 'S', at: at(500).toISOString(), previousStart: at(480).toISOString(), feePercent: 30 };
    expect(terms(LessonStatus.PENDING, 'STUDENT', 400, { lateChange })).toEqual({ late: true, feePercent: 30 });
    expect(terms(LessonStatus.CONFIRMED, 'STUDENT', 10, { lateChange })).toEqual({ late: true, feePercent: 30 });
    expect(terms(LessonStatus.PENDING, 'TEACHER', 400, { lateChange })).toEqual({ late: false, feePercent: 0 });
  });
});
