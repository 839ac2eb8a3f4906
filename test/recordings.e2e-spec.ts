import { readFileSync } from 'node:fs';
import { createAccount, startTestApp, subscribe, type TestAccount, type TestApp } from '@app/testing';
import { buildLesson, SHORT_LESSON } from '@app/testing/lesson-audio';
import { AppConfig } from '../src/config/app-config';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { callbackToken } from '../src/recordings/transcription/callback-signature';
import { MEDIA } from './media-support';
import {
  ATTACH,
  CONSENT,
  confirmedLesson,
  DELETE_RECORDING,
  INSIGHTS,
  RECORDING,
  silentWav,
  uploadRecording,
} from './recordings-support';

/**
 * Lesson recordings end to end, against the real stores and the local Speechmatics server: consent,
 * attaching, transcription (polling; the callback is checked on its own), our analysis, who sees
 * what, provider outages, revocation and retention.
 */
describe('lesson recordings', () => {
  let t: TestApp;
  let student: TestAccount;
  let stranger: TestAccount;
  let admin: TestAccount;
  const lesson = buildLesson('e2e', SHORT_LESSON);
  const wav = readFileSync(lesson.file);
  const speechmatics = process.env.SPEECHMATICS_URL!;
  const faults = (status: number, count: number) =>
    fetch(`${speechmatics}/_local/faults`, { method: 'POST', body: JSON.stringify({ status, count }) });

  beforeAll(async () => {
    t = await startTestApp({
      config: {
        JOBS_ENABLED: 'false',
        AUTH_RATE_LIMIT_PER_IP: '1000',
        // Callbacks go nowhere (a closed port): the poll must carry the flow; the callback has its own test.
        PUBLIC_BASE_URL: 'http://127.0.0.1:9',
        TRANSCRIPTION_POLL_SECONDS: '30',
        RECORDING_MAX_SECONDS: '100',
        RECORDING_RETENTION_DAYS: '30',
      },
    });
    student = await createAccount(t, 'STUDENT');
    stranger = await createAccount(t, 'STUDENT');
    admin = await createAccount(t, 'ADMIN');
  });
  afterAll(async () => {
    await faults(0, 0);
    await t?.close();
  });
  afterEach(() => t.clock.reset());

  const scheduler = () => t.app.get(JobScheduler);
  const stateOf = async (who: TestAccount, lessonId: string) =>
    (await who.gql.ok(RECORDING, { lessonId })).lessonRecording;
  /** Moves time past the lesson's start (recordings are of lessons that have started). */
  const startLesson = (start: Date) => t.clock.advance(start.getTime() + 60_000 - t.clock.now().getTime());

  /** Runs due jobs, moving the clock a poll period each round, until the recording leaves `from` (bounded). */
  async function runUntilNot(who: TestAccount, lessonId: string, from: string[]) {
    for (let round = 0; round < 80; round++) {
      await scheduler().runDueDelayed();
      const r = await stateOf(who, lessonId);
      if (!r || !from.includes(r.state)) return r;
      t.clock.advance(30_000);
      await new Promise((resolve) => setTimeout(resolve, 250)); // the local server works in real time
    }
    throw new Error(`recording of ${lessonId} still in ${from.join('/')}`);
  }

  it('needs both consents, then transcribes and analyses the lesson: both sides see the insights, nobody else', async () => {
    const { teacher, lessonId, start } = await confirmedLesson(t, student);
    startLesson(start);
    const mediaId = await uploadRecording(student, lessonId, wav);

    const none = await student.gql.request(ATTACH, { lessonId, mediaId });
    expect(none.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'RECORDING_CONSENT_MISSING',
      missing: ['TEACHER', 'STUDENT'],
    });
    expect((await teacher.gql.ok(CONSENT, { granted: true })).setRecordingConsent).toEqual({
      lessonId: null,
      standing: true,
      lesson: false,
    });
    const one = await student.gql.request(ATTACH, { lessonId, mediaId });
    expect(one.errors?.[0].extensions).toMatchObject({ reason: 'RECORDING_CONSENT_MISSING', missing: ['STUDENT'] });
    expect((await student.gql.ok(CONSENT, { lessonId, granted: true })).setRecordingConsent).toEqual({
      lessonId,
      standing: false,
      lesson: true,
    });

    // Both sides hear the recording move through its states; a stranger hears nothing of it.
    const UPDATES = 'subscription { lessonInsightsUpdated { lessonId state } }';
    const [teacherHears, strangerHears] = await Promise.all([
      subscribe<any>(t.baseUrl, UPDATES, teacher.accessToken),
      subscribe<any>(t.baseUrl, UPDATES, stranger.accessToken),
    ]);
    const attached = (await student.gql.ok(ATTACH, { lessonId, mediaId })).attachLessonRecording;
    expect(attached).toMatchObject({ lessonId, mediaId, state: 'TRANSCRIBING', retrying: false, language: 'en' });
    expect(Date.parse(attached.expiresAt) - Date.parse(attached.attachedAt)).toBe(30 * 86_400_000);
    const again = await student.gql.request(ATTACH, { lessonId, mediaId });
    expect(again.errors?.[0].extensions).toMatchObject({ reason: 'RECORDING_EXISTS' });

    const done = await runUntilNot(teacher, lessonId, ['TRANSCRIBING', 'ANALYSING']);
    expect(done).toMatchObject({ state: 'READY', failureReason: null });
    const heard = await teacherHears.waitFor(3);
    expect(heard.map((e) => e.lessonInsightsUpdated)).toEqual(
      ['TRANSCRIBING', 'ANALYSING', 'READY'].map((state) => ({ lessonId, state })),
    );
    expect(strangerHears.events).toEqual([]);
    await Promise.all([teacherHears.close(), strangerHears.close()]);

    const insights = (await teacher.gql.ok(INSIGHTS, { lessonId })).lessonInsights;
    expect((await student.gql.ok(INSIGHTS, { lessonId })).lessonInsights).toEqual(insights);
    expect((await admin.gql.ok(INSIGHTS, { lessonId })).lessonInsights).toEqual(insights);
    for (const op of [INSIGHTS, RECORDING]) {
      const res = await stranger.gql.request(op, { lessonId });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }

    // Against the fixture's ground truth.
    expect(insights.durationSeconds).toBeCloseTo(lesson.truth.durationSeconds, 0);
    expect(new Set(insights.timeline.map((s: any) => s.label))).toEqual(
      new Set(['TEACHER_SPEAKING', 'STUDENT_SPEAKING', 'PLAYING', 'SILENCE']),
    );
    const { teacherTalk, studentTalk, playing, silence } = insights.shares;
    expect(teacherTalk + studentTalk + playing + silence).toBeCloseTo(1, 2);
    expect(teacherTalk).toBeGreaterThan(studentTalk);
    expect(insights.playing).toHaveLength(lesson.truth.playing.length);
    const scale = insights.playing[0];
    expect(Math.abs(scale.tempoBpm - lesson.truth.playing[0].bpm!)).toBeLessThanOrEqual(2);
    const held = insights.playing[1];
    expect(held.monophonic).toBe(true);
    expect(Math.abs(held.intonationMedianCents - 10)).toBeLessThanOrEqual(3);
    expect(insights.playing[2].key).toBe('D major');
    expect(insights.playing[2].notesOutOfTune.map((n: any) => n.note)).toContain('C#4');
    expect(insights.assignments.map((a: any) => a.text)).toEqual(lesson.truth.assignments);
    expect(insights.assignments[0].targetBpm).toBe(100);
    expect(insights.conversation.teacher.questions).toBe(lesson.truth.questions.teacher);
    expect(insights.conversation.student.questions).toBe(lesson.truth.questions.student);
    expect(new Set(insights.transcript.map((u: any) => u.speaker))).toEqual(new Set(['TEACHER', 'STUDENT']));
    expect(insights.transcript[0]).toMatchObject({ speaker: 'TEACHER', text: expect.stringMatching(/^Hello Anna\./) });
    expect(insights.summary).toMatch(/\d+ %/);

    // The student ticks an assignment; the teacher sees the ticks in the student's list from their lessons.
    const PRACTICE =
      'query P($s: ID) { practiceAssignments(studentId: $s) { edges { node { lessonId index text targetBpm done } } } }';
    const practice = async (who: TestAccount, s?: string) =>
      (await who.gql.ok(PRACTICE, { s })).practiceAssignments.edges.map((e: any) => e.node);
    const TICK = `mutation T($l: ID!, $i: Int!, $d: Boolean!) {
      setPracticeAssignmentDone(lessonId: $l, index: $i, done: $d) { index done } }`;
    expect((await student.gql.ok(TICK, { l: lessonId, i: 0, d: true })).setPracticeAssignmentDone).toEqual({
      index: 0,
      done: true,
    });
    expect((await teacher.gql.request(TICK, { l: lessonId, i: 0, d: true })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await student.gql.request(TICK, { l: lessonId, i: 9, d: true })).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    const own = await practice(student);
    expect(own).toEqual([
      { lessonId, index: 0, text: lesson.truth.assignments[0], targetBpm: 100, done: true },
      { lessonId, index: 1, text: lesson.truth.assignments[1], targetBpm: null, done: false },
    ]);
    expect(await practice(teacher, student.id)).toEqual(own);
    expect(await practice(stranger, student.id)).toEqual([]);

    // The teacher's view of the student across lessons (one recorded lesson so far).
    const PROGRESS =
      'query P($s: ID!) { studentProgress(studentId: $s) { edges { node { lessonId playShare tempoStability intonationCents } } } }';
    const progressOf = async (who: TestAccount) =>
      (await who.gql.ok(PROGRESS, { s: student.id })).studentProgress.edges.map((e: any) => e.node);
    const stabilities = insights.playing.map((p: any) => p.tempoStability).filter((x: any) => x !== null);
    const progress = [
      {
        lessonId,
        playShare: insights.shares.playing,
        tempoStability:
          Math.round((stabilities.reduce((a: number, b: number) => a + b, 0) / stabilities.length) * 100) / 100,
        intonationCents: 0, // passages at 0, 10 and 0 cents: the median
      },
    ];
    expect(await progressOf(teacher)).toEqual(progress);
    expect(await progressOf(student)).toEqual(progress);
    expect(await progressOf(stranger)).toEqual([]);

    // Revoking the per-lesson consent deletes the audio, the transcript and the insights.
    expect((await student.gql.ok(CONSENT, { lessonId, granted: false })).setRecordingConsent.lesson).toBe(false);
    expect((await teacher.gql.ok(RECORDING, { lessonId })).lessonRecording).toBeNull();
    expect((await teacher.gql.ok(INSIGHTS, { lessonId })).lessonInsights).toBeNull();
    expect((await student.gql.ok(MEDIA, { id: mediaId })).media).toBeNull();
    expect(await practice(student)).toEqual([]);
  });

  it('takes the provider’s completion callback only with the token it was given', async () => {
    const secret = t.app.get(AppConfig).speechmaticsCallbackSecret;
    const post = (lesson: string, token: string) =>
      fetch(`${t.baseUrl}/recordings/transcription-callback?lesson=${lesson}&id=j1&status=success`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await post('01JLESSON0000000000000000A', callbackToken(secret, '01JLESSON0000000000000000A'))).status).toBe(
      204,
    );
    expect((await post('01JLESSON0000000000000000A', callbackToken(secret, 'another'))).status).toBe(401);
    expect((await post('01JLESSON0000000000000000A', 'forged')).status).toBe(401);
  });

  it('keeps retrying through a provider outage, visibly, and finishes afterwards', async () => {
    const { teacher, lessonId, start } = await confirmedLesson(t, student);
    await teacher.gql.ok(CONSENT, { lessonId, granted: true });
    await student.gql.ok(CONSENT, { lessonId, granted: true });
    startLesson(start);
    const mediaId = await uploadRecording(teacher, lessonId, wav);
    await faults(503, 1000);
    try {
      await teacher.gql.ok(ATTACH, { lessonId, mediaId });
      await scheduler().runDueDelayed();
      const retrying = await stateOf(student, lessonId);
      expect(retrying).toMatchObject({
        state: 'TRANSCRIBING',
        retrying: true,
        lastError: expect.stringMatching(/503/),
      });
      const job = await scheduler().find('recordings.transcribe', lessonId);
      expect(job).toMatchObject({ status: 'PENDING', attempts: 1 });
    } finally {
      await faults(0, 0);
    }
    t.clock.advance(10_000); // past the scheduler's first backoff
    const done = await runUntilNot(teacher, lessonId, ['TRANSCRIBING', 'ANALYSING']);
    expect(done).toMatchObject({ state: 'READY', retrying: false });
    // A participant deletes it; then it is gone for everyone.
    expect((await teacher.gql.ok(DELETE_RECORDING, { lessonId })).deleteLessonRecording).toBe(true);
    expect((await admin.gql.ok(RECORDING, { lessonId })).lessonRecording).toBeNull();
    expect((await teacher.gql.ok(DELETE_RECORDING, { lessonId })).deleteLessonRecording).toBe(false);
  });

  it('refuses what cannot be recorded and reports a silent recording; retention deletes it', async () => {
    await student.gql.ok(CONSENT, { granted: true });
    const { teacher, lessonId, start } = await confirmedLesson(t, student);
    await teacher.gql.ok(CONSENT, { granted: true });
    const silent = await uploadRecording(teacher, lessonId, silentWav(3));
    // Not started yet.
    expect((await teacher.gql.request(ATTACH, { lessonId, mediaId: silent })).errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'LESSON_NOT_STARTED',
    });
    startLesson(start);
    // Someone else's lesson; someone else's upload.
    expect((await stranger.gql.request(ATTACH, { lessonId, mediaId: silent })).errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await student.gql.request(ATTACH, { lessonId, mediaId: silent })).errors?.[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
    });
    // Longer than RECORDING_MAX_SECONDS (100 s here).
    const long = await uploadRecording(teacher, lessonId, silentWav(101));
    expect((await teacher.gql.request(ATTACH, { lessonId, mediaId: long })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
    });

    await teacher.gql.ok(ATTACH, { lessonId, mediaId: silent });
    const failed = await runUntilNot(student, lessonId, ['TRANSCRIBING', 'ANALYSING']);
    expect(failed).toMatchObject({ state: 'FAILED', failureReason: 'The recording is silent' });

    // Retention: 30 days after attaching, the periodic job deletes it with its audio.
    t.clock.advance(31 * 86_400_000);
    expect(await scheduler().runDuePeriodic()).toContain('recordings.retention');
    expect(await stateOf(teacher, lessonId)).toBeNull();
    expect((await teacher.gql.ok(MEDIA, { id: silent })).media).toBeNull();
  });
});
