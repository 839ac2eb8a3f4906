import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeacher, hoursFromNow, REQUEST_LESSON, type TestAccount, type TestApp } from '@app/testing';
import { COMPLETE_UPLOAD, createUpload } from './media-support';

export const RECORDING_FIELDS = 'lessonId mediaId state retrying lastError failureReason language attachedAt expiresAt';
export const INSIGHTS_FIELDS = `lessonId durationSeconds summary
  shares { teacherTalk studentTalk playing silence }
  timeline { label start end }
  playing { start end tempoBpm tempoSpreadBpm tempoDriftBpm tempoStability key monophonic
    intonationMedianCents intonationSpreadCents notesMeasured notesOutOfTune { note at cents } }
  conversation { longestTeacherMonologueSeconds teacher { words speakingSeconds wordsPerMinute questions }
    student { words speakingSeconds wordsPerMinute questions } }
  assignments { text at targetBpm }
  transcript { speaker start end text }`;
export const CONSENT = `mutation C($lessonId: ID, $granted: Boolean!) {
  setRecordingConsent(lessonId: $lessonId, granted: $granted) { lessonId standing lesson } }`;
export const ATTACH = `mutation A($lessonId: ID!, $mediaId: ID!) {
  attachLessonRecording(lessonId: $lessonId, mediaId: $mediaId) { ${RECORDING_FIELDS} } }`;
export const RECORDING = `query R($lessonId: ID!) { lessonRecording(lessonId: $lessonId) { ${RECORDING_FIELDS} } }`;
export const INSIGHTS = `query I($lessonId: ID!) { lessonInsights(lessonId: $lessonId) { ${INSIGHTS_FIELDS} } }`;
export const DELETE_RECORDING = 'mutation D($lessonId: ID!) { deleteLessonRecording(lessonId: $lessonId) }';

let nextHour = 30;

/** A CONFIRMED lesson of `student` with a new teacher, starting on the next free hour ahead; returns its start. */
export async function confirmedLesson(
  t: TestApp,
  student: TestAccount,
  teacher?: TestAccount,
): Promise<{ teacher: TestAccount; lessonId: string; start: Date }> {
  teacher ??= await createTeacher(t, { profile: { languages: ['en'] } });
  const start = hoursFromNow(nextHour++);
  const input = { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 60, format: 'ONLINE' };
  const lesson = (await student.gql.ok(REQUEST_LESSON, { input })).requestLesson;
  await teacher.gql.ok('mutation C($id: ID!) { confirmLesson(id: $id) { id } }', { id: lesson.id });
  return { teacher, lessonId: lesson.id, start };
}

/** createUpload (multipart, as recordings are), the part PUTs and completeUpload; returns the READY media id. */
export async function uploadRecording(
  who: TestAccount,
  lessonId: string,
  bytes: Buffer,
  contentType = 'audio/wav',
): Promise<string> {
  const ticket = await createUpload(who.gql, {
    purpose: 'LESSON_RECORDING',
    contentType,
    byteSize: bytes.length,
    lessonId,
  });
  const size = ticket.multipart!.partSize;
  const parts: Array<{ partNumber: number; etag: string }> = [];
  for (const part of ticket.multipart!.parts) {
    const res = await fetch(part.url, {
      method: 'PUT',
      body: new Uint8Array(bytes.subarray((part.partNumber - 1) * size, part.partNumber * size)),
    });
    if (res.status !== 200) throw new Error(`part PUT answered ${res.status}`);
    parts.push({ partNumber: part.partNumber, etag: res.headers.get('etag')! });
  }
  const media = (await who.gql.ok(COMPLETE_UPLOAD, { id: ticket.media.id, parts })).completeUpload;
  if (media.status !== 'READY') throw new Error(`upload is ${media.status}: ${JSON.stringify(media.rejection)}`);
  return media.id;
}

/** `seconds` of digital silence as a 16-bit mono WAV (sox). */
export function silentWav(seconds: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'rec-silent-'));
  try {
    const out = join(dir, 'silence.wav');
    execFileSync('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', out, 'trim', '0', String(seconds)]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
