/**
 * Lesson recordings: accuracy of our analysis against generated lessons with a known ground truth,
 * and its speed and memory on a 60-minute recording (issue 14).
 *
 * Accuracy: each fixture lesson (espeak-ng voices for teacher and student; sox tones for a scale at
 * a known tempo, a held A4 10 cents sharp and a melody in a known key; planted assignment
 * sentences) is transcribed by the local Speechmatics server (bench/run.js starts it; it hears the
 * audio itself, only the words come from the fixture's sidecar script), then analysed as the
 * `recordings.analyse` job does. Targets: segment labels agree on at least 90 % of the time, tempo
 * within ±2 BPM, the key right, intonation within ±3 cents, every planted assignment found. A miss
 * fails the benchmark (non-zero exit).
 *
 * Performance: a 60-minute AAC recording made by looping the first fixture (sox, then ffmpeg; kept
 * under .local/fixtures) with the matching transcript, analysed in a fresh child process
 * (bench/recordings-worker.ts): wall time, real-time factor (target at least 30×) and peak RSS of
 * the analysis process plus ffmpeg's own peak while decoding (target under 400 MiB together).
 * Transcription is excluded (it is the vendor's time). Reported, not failed: the machine is shared.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  buildLesson,
  FIXTURES_DIR,
  SHORT_LESSON,
  type LessonFixture,
  type LessonPart,
  type TruthLabel,
} from '../libs/testing/src/lesson-audio';
import type { LessonAnalysis, TimelineLabel, TranscriptInput } from '../src/recordings/analysis/analysis.types';
import { analyseLesson } from '../src/recordings/analysis/lesson-analysis';
import { SpeechmaticsProvider } from '../src/recordings/transcription/speechmatics.provider';
import type { BenchRow, BenchTables } from './lib';

export const timeoutMs = 20 * 60_000;

const TARGET = { labels: 0.9, bpm: 2, cents: 3, realTime: 30, rssMiB: 400 };
const HOUR_SECONDS = 3600;

/** A second lesson unlike the first: another tonic and tempo, a minor key, other assignment cues. */
const SECOND_LESSON: LessonPart[] = [
  { kind: 'say', who: 'teacher', text: 'Good evening Tom. Let us start with the F major scale, nice and slow.' },
  { kind: 'pause', seconds: 1 },
  { kind: 'scale', tonic: 'F3', bpm: 72 },
  { kind: 'pause', seconds: 1.5 },
  { kind: 'say', who: 'student', text: 'Was that too slow? I can play it faster.' },
  { kind: 'pause', seconds: 1 },
  { kind: 'say', who: 'teacher', text: 'No, that was fine. Hold an A for five seconds, please.' },
  { kind: 'pause', seconds: 1 },
  { kind: 'held', note: 'A4', cents: 10, seconds: 5 },
  { kind: 'pause', seconds: 1.5 },
  { kind: 'say', who: 'teacher', text: 'Well held. Now the little tune in A minor.' },
  { kind: 'pause', seconds: 1 },
  {
    kind: 'melody',
    key: 'A minor',
    bpm: 84,
    notes: [
      ['A3', 1], ['C4', 1], ['E4', 1], ['A4', 2], ['G#4', 1], ['A4', 1], ['E4', 1], ['C4', 1],
      ['D4', 1], ['F4', 1], ['E4', 1], ['D4', 1], ['C4', 1], ['B3', 1], ['G#3', 1], ['A3', 2],
    ],
  }, // prettier-ignore
  { kind: 'pause', seconds: 1.5 },
  {
    kind: 'say',
    who: 'teacher',
    text: 'For homework, play the F major scale at 80 BPM every day. I want you to learn the tune by heart.',
    assigns: ['For homework, play the F major scale at 80 BPM every day.', 'I want you to learn the tune by heart.'],
  },
  { kind: 'pause', seconds: 1 },
  { kind: 'say', who: 'student', text: 'I will. Goodbye!' },
];

const LABEL_OF: Record<TruthLabel, TimelineLabel> = {
  TEACHER: 'TEACHER_SPEAKING',
  STUDENT: 'STUDENT_SPEAKING',
  PLAYING: 'PLAYING',
  SILENCE: 'SILENCE',
};

export default async function recordingsBench(): Promise<BenchTables> {
  const files = new Map<string, string>();
  const server = await serveFiles(files);
  try {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new SpeechmaticsProvider({
      baseUrl: env('SPEECHMATICS_URL'),
      apiKey: env('SPEECHMATICS_API_KEY'),
    });
    const transcribe = async (file: string): Promise<TranscriptInput> => {
      const path = `/${createHash('sha256').update(file).digest('hex').slice(0, 16)}`;
      files.set(path, file);
      const { jobId } = await provider.submit({ audioUrl: `${origin}${path}`, language: 'en' });
      for (let poll = 0; poll < 1200; poll++) {
        const status = await provider.status(jobId);
        if (status.state === 'DONE') return provider.transcript(jobId);
        if (status.state === 'REJECTED') throw new Error(`the local server rejected ${file}: ${status.reason}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`transcription of ${file} did not finish within 2 minutes`);
    };

    const accuracy: BenchRow[] = [];
    const misses: string[] = [];
    const lessons = [
      { name: 'lesson A (G major scale 96 BPM, A4 +10 ct, D major melody 110 BPM)', parts: SHORT_LESSON },
      { name: 'lesson B (F major scale 72 BPM, A4 +10 ct, A minor melody 84 BPM)', parts: SECOND_LESSON },
    ];
    let first: { fixture: LessonFixture; transcript: TranscriptInput } | null = null;
    for (const { name, parts } of lessons) {
      const fixture = buildLesson(`bench-${parts === SHORT_LESSON ? 'a' : 'b'}`, parts);
      const transcript = await transcribe(fixture.file);
      first ??= { fixture, transcript };
      const analysis = await analyseLesson(fixture.file, transcript);
      for (const row of score(fixture, analysis)) {
        accuracy.push({
          case: `${name}: ${row.check}`,
          measured: row.measured,
          target: row.target,
          result: row.ok ? 'ok' : 'MISS',
        });
        if (!row.ok) misses.push(`${name}: ${row.check} ${row.measured} (target ${row.target})`);
      }
    }

    const hour = hourLong(first!.fixture, first!.transcript);
    const run = await analyseInChild(hour.audio, hour.transcriptFile);
    const ffmpegPeakKiB = ffmpegDecodePeakKiB(hour.audio);
    const realTime = run.durationSeconds / (run.wallMs / 1000);
    const rssMiB = run.maxRssKiB / 1024;
    const ffmpegMiB = ffmpegPeakKiB / 1024;
    const ok = (yes: boolean) => (yes ? 'ok' : 'MISS');
    const performance: BenchRow[] = [
      {
        case: `${(run.durationSeconds / 60).toFixed(1)}-minute recording (AAC 96 kb/s, looped lesson A)`,
        'wall time': `${(run.wallMs / 1000).toFixed(1)} s`,
        'real-time factor': `${realTime.toFixed(0)}× (target ≥ ${TARGET.realTime}×) ${ok(realTime >= TARGET.realTime)}`,
        'peak RSS analysis': `${rssMiB.toFixed(0)} MiB`,
        'peak RSS ffmpeg': `${ffmpegMiB.toFixed(0)} MiB`,
        'peak RSS together': `${(rssMiB + ffmpegMiB).toFixed(0)} MiB (target < ${TARGET.rssMiB}) ${ok(rssMiB + ffmpegMiB < TARGET.rssMiB)}`,
        'passages (truth)': `${run.playing} (${hour.truth.passages})`,
        'assignments (in whole loops)': `${run.assignments} (${hour.truth.assignments})`,
      },
    ];
    return {
      tables: [
        { title: 'Accuracy against the generated ground truth', rows: accuracy },
        { title: 'Performance (analysis in a fresh process, transcription excluded)', rows: performance },
      ],
      notes: [
        `Hour-long fixture: ${hour.audio}${hour.built ? ` (built in ${(hour.buildMs / 1000).toFixed(0)} s)` : ' (reused)'}.`,
        misses.length ? `Accuracy targets missed:\n  ${misses.join('\n  ')}` : 'Every accuracy target met.',
      ],
      failed: misses.length > 0,
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

interface Check {
  check: string;
  measured: string;
  target: string;
  ok: boolean;
}

/** Every check of one analysed fixture against its ground truth. */
function score(fixture: LessonFixture, a: LessonAnalysis): Check[] {
  const { truth } = fixture;
  const checks: Check[] = [];
  // Labels, on a 10 ms grid over the whole lesson.
  const step = 0.01;
  const labelAt = (segments: Array<{ start: number; end: number; label: string }>, t: number) =>
    segments.find((s) => s.start <= t && t < s.end)?.label;
  let agree = 0;
  let total = 0;
  for (let t = step / 2; t < truth.durationSeconds; t += step) {
    const expected = LABEL_OF[labelAt(truth.segments, t) as TruthLabel];
    if (!expected) continue;
    total++;
    if (labelAt(a.timeline, t) === expected) agree++;
  }
  const share = total ? agree / total : 0;
  checks.push({
    check: 'segment labels agree',
    measured: `${(share * 100).toFixed(1)} %`,
    target: `≥ ${TARGET.labels * 100} %`,
    ok: share >= TARGET.labels,
  });

  for (const [i, p] of truth.playing.entries()) {
    // The analysed passage overlapping this one the most.
    const overlap = (s: { start: number; end: number }) => Math.min(s.end, p.end) - Math.max(s.start, p.start);
    const found = [...a.playing].sort((x, y) => overlap(y) - overlap(x))[0];
    const what = `passage ${i + 1} (${p.start.toFixed(1)}–${p.end.toFixed(1)} s)`;
    if (!found || overlap(found) <= 0) {
      checks.push({ check: `${what} found`, measured: 'none', target: 'a playing passage', ok: false });
      continue;
    }
    if (p.bpm !== null) {
      const bpm = found.tempoBpm;
      checks.push({
        check: `${what} tempo`,
        measured: bpm === null ? 'none' : `${bpm} BPM (truth ${p.bpm})`,
        target: `±${TARGET.bpm} BPM`,
        ok: bpm !== null && Math.abs(bpm - p.bpm) <= TARGET.bpm,
      });
    }
    if (p.key !== null) {
      checks.push({
        check: `${what} key`,
        measured: `${found.key ?? 'none'} (truth ${p.key})`,
        target: 'right',
        ok: found.key === p.key,
      });
    }
    const cents = found.intonationMedianCents;
    checks.push({
      check: `${what} intonation`,
      measured: cents === null ? 'none' : `${cents.toFixed(1)} ct (truth ${p.intonationCents})`,
      target: `±${TARGET.cents} ct`,
      ok: cents !== null && Math.abs(cents - p.intonationCents) <= TARGET.cents,
    });
  }

  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9 ]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  const extracted = a.assignments.map((x) => norm(x.text));
  const found = truth.assignments.filter((s) => extracted.includes(norm(s)));
  checks.push({
    check: 'planted assignments found',
    measured: `${found.length} of ${truth.assignments.length} (${a.assignments.length} extracted)`,
    target: 'all',
    ok: found.length === truth.assignments.length,
  });
  return checks;
}

/**
 * A recording of at least an hour: the fixture looped with sox, cut at 60 minutes and encoded as
 * AAC by ffmpeg (what a phone upload looks like), with the fixture's transcript repeated at each
 * loop. Kept under .local/fixtures by the fixture's content hash.
 */
function hourLong(
  fixture: LessonFixture,
  transcript: TranscriptInput,
): {
  audio: string;
  transcriptFile: string;
  built: boolean;
  buildMs: number;
  truth: { passages: number; assignments: number };
} {
  const dir = join(FIXTURES_DIR, `bench-hour-${fixture.sha256.slice(0, 16)}`);
  const audio = join(dir, 'lesson-60min.m4a');
  const transcriptFile = join(dir, 'transcript.json');
  const loop = fixture.truth.durationSeconds;
  const copies = Math.ceil(HOUR_SECONDS / loop);
  const shifted: TranscriptInput = { language: transcript.language, tokens: [], music: [] };
  for (let k = 0; k < copies; k++) {
    const at = k * loop;
    for (const t of transcript.tokens)
      if (t.end + at <= HOUR_SECONDS) shifted.tokens.push({ ...t, start: t.start + at, end: t.end + at });
    for (const m of transcript.music)
      if (m.start + at < HOUR_SECONDS)
        shifted.music.push({ ...m, start: m.start + at, end: Math.min(HOUR_SECONDS, m.end + at) });
  }
  // What the hour holds: every passage that ends before the cut, the assignments of whole loops
  // (the cut loop may add its own if they fall before the cut).
  const whole = (end: number) =>
    Array.from({ length: copies }, (_, k) => k * loop + end).filter((e) => e <= HOUR_SECONDS);
  const truth = {
    passages: fixture.truth.playing.reduce((n, p) => n + whole(p.end).length, 0),
    assignments: fixture.truth.assignments.length * whole(fixture.truth.durationSeconds).length,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(transcriptFile, JSON.stringify(shifted));
  if (existsSync(audio)) return { audio, transcriptFile, built: false, buildMs: 0, truth };
  const start = Date.now();
  const wav = join(dir, 'looped.wav');
  execFileSync('sox', [fixture.file, wav, 'repeat', String(copies - 1), 'trim', '0', String(HOUR_SECONDS)]);
  const tmp = `${audio}.tmp.m4a`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-c:a', 'aac', '-b:a', '96k', tmp]);
  renameSync(tmp, audio);
  rmSync(wav);
  return { audio, transcriptFile, built: true, buildMs: Date.now() - start, truth };
}

interface WorkerResult {
  wallMs: number;
  durationSeconds: number;
  maxRssKiB: number;
  playing: number;
  assignments: number;
}

function analyseInChild(audio: string, transcriptFile: string): Promise<WorkerResult> {
  const root = join(__dirname, '..');
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'recordings-worker.ts'), audio, transcriptFile],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`recordings-worker exited ${code}: ${err.trim()}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult);
    });
  });
}

/** Peak RSS (KiB) of ffmpeg decoding the recording as the analysis asks it to (GNU time). */
function ffmpegDecodePeakKiB(audio: string): number {
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', 'maxrss=%M', 'ffmpeg', '-nostdin', '-v', 'error', '-i', audio, '-vn', '-ac', '1', '-ar', '16000', '-f', 'f32le', '-y', '/dev/null'],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  ); // prettier-ignore
  const peak = /maxrss=(\d+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || !peak) throw new Error(`ffmpeg under /usr/bin/time failed: ${run.stderr}`);
  return Number(peak[1]);
}

function serveFiles(files: Map<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://local').pathname);
    if (req.method !== 'GET' || !file) {
      res.statusCode = 404;
      return res.end();
    }
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through \`npm run bench\`)`);
  return value;
}
