import { ulid } from 'ulid';
import { createAccount, startTestApp, type TestAccount, type TestApp } from '@app/testing';
import type { LessonAnalysis } from '../src/recordings/analysis/analysis.types';
import { RecordingState } from '../src/recordings/recording.types';
import { RecordingsRepository } from '../src/recordings/recordings.repository';

const PRACTICE = `query P($s: ID, $first: Int, $after: String) {
  practiceAssignments(studentId: $s, first: $first, after: $after) {
    edges { cursor node { lessonId index text } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const PROGRESS = `query P($s: ID!, $first: Int, $after: String) {
  studentProgress(studentId: $s, first: $first, after: $after) {
    edges { cursor node { lessonId playShare } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

const DAY_MS = 86_400_000;

/** What the analysis would have stored: only what the lists read is filled in. */
function insights(assignments: number, playShare: number): LessonAnalysis {
  const speaker = { words: 0, speakingSeconds: 0, wordsPerMinute: null, questions: 0 };
  return {
    durationSeconds: 60,
    timeline: [],
    shares: { teacherTalk: 0, studentTalk: 0, playing: playShare, silence: 1 - playShare },
    playing: [],
    conversation: { teacher: speaker, student: speaker, longestTeacherMonologueSeconds: 0 },
    assignments: Array.from({ length: assignments }, (_, i) => ({ text: `task ${i}`, at: i, targetBpm: null })),
    transcript: [],
    teacherSpeaker: null,
    summary: '',
  };
}

/**
 * practiceAssignments and studentProgress are Relay connections: pages of any size, walked with
 * their cursors, give every item exactly once in a stable order (ties on the recording time broken
 * by the lesson id), and a teacher's pages hold only their own lessons with the student.
 */
describe('recordings lists: pagination', () => {
  let t: TestApp;
  let student: TestAccount;
  let teacherA: TestAccount;
  let teacherB: TestAccount;
  /** The READY recordings, newest first as the API must list them. */
  let ready: Array<{ lessonId: string; teacherId: string; assignments: number; playShare: number }>;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false', AUTH_RATE_LIMIT_PER_IP: '1000' } });
    [student, teacherA, teacherB] = await Promise.all([
      createAccount(t, 'STUDENT'),
      createAccount(t, 'TEACHER'),
      createAccount(t, 'TEACHER'),
    ]);
    const now = t.clock.now().getTime();
    const tied = new Date(now - 2 * DAY_MS);
    const rows = [
      { daysAgo: 5, teacher: teacherA, assignments: 2, state: RecordingState.READY },
      { daysAgo: 4, teacher: teacherA, assignments: 0, state: RecordingState.READY },
      { daysAgo: 3, teacher: teacherB, assignments: 3, state: RecordingState.READY },
      { daysAgo: 2, teacher: teacherA, assignments: 1, state: RecordingState.READY },
      { daysAgo: 2, teacher: teacherA, assignments: 2, state: RecordingState.READY },
      { daysAgo: 1, teacher: teacherA, assignments: 4, state: RecordingState.ANALYSING },
    ].map((row, i) => ({
      ...row,
      lessonId: ulid(),
      attachedAt: row.daysAgo === 2 ? tied : new Date(now - row.daysAgo * DAY_MS),
      playShare: (i + 1) / 10,
    }));
    const repo = t.app.get(RecordingsRepository);
    await Promise.all(
      rows.map((row) =>
        repo.insert({
          lessonId: row.lessonId,
          mediaId: ulid(),
          teacherId: row.teacher.id,
          studentId: student.id,
          attachedBy: student.id,
          state: row.state,
          language: 'en',
          provider: 'speechmatics',
          jobId: null,
          retryingSince: null,
          lastError: null,
          failureReason: null,
          transcript: null,
          insights: row.state === RecordingState.READY ? insights(row.assignments, row.playShare) : null,
          assignmentsDone: [],
          attachedAt: row.attachedAt,
          updatedAt: row.attachedAt,
          expiresAt: new Date(now + 30 * DAY_MS),
        }),
      ),
    );
    ready = rows
      .filter((r) => r.state === RecordingState.READY)
      .sort((a, b) => b.attachedAt.getTime() - a.attachedAt.getTime() || (a.lessonId < b.lessonId ? 1 : -1))
      .map((r) => ({
        lessonId: r.lessonId,
        teacherId: r.teacher.id,
        assignments: r.assignments,
        playShare: r.playShare,
      }));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Walks a connection page by page (bounded), checking each page's size and pageInfo. */
  async function walk(
    who: TestAccount,
    query: string,
    field: 'practiceAssignments' | 'studentProgress',
    first: number,
    vars: Record<string, unknown>,
  ): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const conn: any = (await who.gql.ok(query, { ...vars, first, after }))[field];
      const keys = conn.edges.map((e: any) =>
        field === 'practiceAssignments' ? `${e.node.lessonId}#${e.node.index}` : e.node.lessonId,
      );
      seen.push(...keys);
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!conn.pageInfo.hasNextPage) {
        expect(conn.edges.length).toBeLessThanOrEqual(first);
        return seen;
      }
      expect(conn.edges.length).toBe(first);
      expect(conn.pageInfo.endCursor).toBe(conn.edges[conn.edges.length - 1].cursor);
      after = conn.pageInfo.endCursor;
    }
    throw new Error(`${field} did not end within 20 pages`);
  }

  const assignmentKeys = (rows: typeof ready) =>
    rows.flatMap((r) => Array.from({ length: r.assignments }, (_, i) => `${r.lessonId}#${i}`));

  it('pages through a student’s assignments, newest lesson first, each exactly once, for any page size', async () => {
    const all = assignmentKeys(ready);
    expect(all).toHaveLength(8);
    for (const first of [1, 2, 3, 8, 20]) {
      expect(await walk(student, PRACTICE, 'practiceAssignments', first, {})).toEqual(all);
    }
    // A teacher: only their own lessons with the student; an admin: all of them.
    const ofA = assignmentKeys(ready.filter((r) => r.teacherId === teacherA.id));
    expect(await walk(teacherA, PRACTICE, 'practiceAssignments', 2, { s: student.id })).toEqual(ofA);
    const admin = await createAccount(t, 'ADMIN');
    expect(await walk(admin, PRACTICE, 'practiceAssignments', 3, { s: student.id })).toEqual(all);
  });

  it('pages through a student’s progress, newest lesson first, each recorded lesson exactly once', async () => {
    const lessons = ready.map((r) => r.lessonId);
    expect(lessons).toHaveLength(5);
    for (const first of [1, 2, 5, 20]) {
      expect(await walk(student, PROGRESS, 'studentProgress', first, { s: student.id })).toEqual(lessons);
    }
    const ofB = ready.filter((r) => r.teacherId === teacherB.id).map((r) => r.lessonId);
    expect(await walk(teacherB, PROGRESS, 'studentProgress', 1, { s: student.id })).toEqual(ofB);
    const first = (await student.gql.ok(PROGRESS, { s: student.id, first: 1 })).studentProgress.edges[0].node;
    expect(first).toEqual({ lessonId: ready[0].lessonId, playShare: ready[0].playShare });
  });

  it('refuses a cursor that is not one of the list’s and a page larger than 100', async () => {
    const code = (res: { errors?: Array<{ extensions?: { code?: unknown } }> }) => res.errors?.[0].extensions?.code;
    const progressCursor = (await student.gql.ok(PROGRESS, { s: student.id, first: 1 })).studentProgress.pageInfo
      .endCursor;
    expect(code(await student.gql.request(PRACTICE, { first: 1, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
    // A progress cursor lacks the assignment's index.
    expect(code(await student.gql.request(PRACTICE, { first: 1, after: progressCursor }))).toBe('BAD_USER_INPUT');
    expect(code(await student.gql.request(PROGRESS, { s: student.id, first: 101 }))).toBe('BAD_USER_INPUT');
  });
});
