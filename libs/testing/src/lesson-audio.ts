import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Generated lesson recordings with a known ground truth, for tests, the benchmark and the README
 * demo. Speech comes from espeak-ng (two distinct voices), playing from sox (exactly tuned sine
 * tones with a plucked envelope), everything at 22.05 kHz mono. Nothing is downloaded and nothing
 * large is committed: files are made on demand under .local/fixtures and reused by content.
 *
 * Beside each recording the generator writes the words it spoke as a sidecar script keyed by the
 * audio's SHA-256 (.local/fixtures/scripts/<sha256>.json): the local Speechmatics server reads it
 * to put words on the speech it detects in the audio (it never sees the ground truth).
 */

export type Speaker = 'teacher' | 'student';
export type TruthLabel = 'TEACHER' | 'STUDENT' | 'PLAYING' | 'SILENCE';

export type LessonPart =
  /** `assigns`: the sentences of `text` that assign practice (the ground truth the analysis must find). */
  | { kind: 'say'; who: Speaker; text: string; assigns?: string[] }
  | { kind: 'pause'; seconds: number }
  /** A major scale up and down an octave, one note per beat. */
  | { kind: 'scale'; tonic: string; bpm: number }
  /** One note held, `cents` off equal temperament (A4 = 440 Hz). */
  | { kind: 'held'; note: string; cents: number; seconds: number }
  /** A melody: [note, beats, cents off] at `bpm`; `key` is its ground truth ("D major"). */
  | { kind: 'melody'; key: string; bpm: number; notes: Array<[string, number, number?]> };

export interface PlayingTruth {
  start: number;
  end: number;
  bpm: number | null;
  key: string | null;
  /** Median deviation of the notes from equal temperament, cents. */
  intonationCents: number;
  /** Notes played more than 15 cents off: [note, cents]. */
  outOfTune: Array<[string, number]>;
}

export interface LessonTruth {
  durationSeconds: number;
  segments: Array<{ start: number; end: number; label: TruthLabel }>;
  playing: PlayingTruth[];
  /** Sentences the teacher said that assign practice. */
  assignments: string[];
  questions: Record<Speaker, number>;
  words: Record<Speaker, number>;
}

export interface LessonFixture {
  file: string;
  sha256: string;
  truth: LessonTruth;
}

const RATE = 22_050;
const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURES_DIR = join(ROOT, '.local', 'fixtures');
export const SCRIPTS_DIR = join(FIXTURES_DIR, 'scripts');

/** espeak-ng voices: a lower male American teacher, a higher female British student. */
const VOICES: Record<Speaker, string[]> = {
  teacher: ['-v', 'en-us+m3', '-p', '35', '-s', '160'],
  student: ['-v', 'en-gb+f4', '-p', '75', '-s', '170'],
};

const NOTE = /^([A-G])(#|b)?(-?\d)$/;
const SEMITONES: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** MIDI number of a note name such as "F#4" or "Bb3". */
export function midiOf(note: string): number {
  const m = NOTE.exec(note);
  if (!m) throw new Error(`bad note ${note}`);
  return 12 * (Number(m[3]) + 1) + SEMITONES[m[1]] + (m[2] === '#' ? 1 : m[2] === 'b' ? -1 : 0);
}

export function frequencyOf(note: string, cents = 0): number {
  return 440 * 2 ** ((midiOf(note) - 69 + cents / 100) / 12);
}

const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11, 12];
const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

function noteName(midi: number): string {
  return `${NAMES[midi % 12]}${Math.floor(midi / 12) - 1}`;
}

/** The notes of a major scale up and down from `tonic` (e.g. "G3"). */
export function majorScale(tonic: string): string[] {
  const base = midiOf(tonic);
  const up = MAJOR_STEPS.map((s) => noteName(base + s));
  return [...up, ...up.slice(0, -1).reverse()];
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function seconds(file: string): number {
  return Number(execFileSync('soxi', ['-D', file], { encoding: 'utf8' }).trim());
}

/** A tone with a quick attack and an exponential-looking decay, exactly at `hz`. */
function tone(out: string, hz: number, duration: number): void {
  const sounding = Math.max(0.1, duration - 0.06);
  run('sox', [
    '-n', '-r', String(RATE), '-c', '1', '-b', '16', out,
    'synth', sounding.toFixed(4), 'sine', hz.toFixed(4),
    'fade', 'q', '0.008', sounding.toFixed(4), '0.05',
    'gain', '-8',
    'pad', '0', (duration - sounding).toFixed(4),
  ]); // prettier-ignore
}

/** Speech by one voice with its leading and trailing silence cut, so the ground truth is exact. */
function speech(out: string, who: Speaker, text: string): void {
  const raw = `${out}.raw.wav`;
  run('espeak-ng', [...VOICES[who], '-w', raw, text]);
  run('sox', [
    raw, '-r', String(RATE), '-c', '1', '-b', '16', out,
    'silence', '1', '0.02', '0.5%', 'reverse', 'silence', '1', '0.02', '0.5%', 'reverse',
  ]); // prettier-ignore
  rmSync(raw);
}

function silence(out: string, duration: number): void {
  run('sox', ['-n', '-r', String(RATE), '-c', '1', '-b', '16', out, 'trim', '0', duration.toFixed(4)]);
}

/**
 * Builds (or reuses) the lesson of `parts` as a WAV under .local/fixtures and returns it with its
 * ground truth. `name` only labels the file; the content hash decides reuse.
 */
export function buildLesson(name: string, parts: LessonPart[]): LessonFixture {
  const id = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
  const dir = join(FIXTURES_DIR, `${name}-${id}`);
  const file = join(dir, 'lesson.wav');
  const truthFile = join(dir, 'truth.json');
  if (existsSync(truthFile)) {
    const saved = JSON.parse(readFileSync(truthFile, 'utf8')) as LessonFixture;
    if (existsSync(file)) return saved;
  }
  mkdirSync(dir, { recursive: true });
  const work = join(dir, 'parts');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);

  const pieces: string[] = [];
  const truth: LessonTruth = {
    durationSeconds: 0,
    segments: [],
    playing: [],
    assignments: [],
    questions: { teacher: 0, student: 0 },
    words: { teacher: 0, student: 0 },
  };
  const script: Array<{ text: string }> = [];
  let t = 0;
  const add = (file: string, label: TruthLabel): { start: number; end: number } => {
    const d = seconds(file);
    pieces.push(file);
    const seg = { start: round(t), end: round(t + d), label };
    truth.segments.push(seg);
    t += d;
    return seg;
  };
  const notes = (list: Array<[string, number, number]>, bpm: number): { start: number; end: number } => {
    const files = list.map(([note, beats, cents], i) => {
      const f = join(work, `${pieces.length}-${i}.wav`);
      tone(f, frequencyOf(note, cents), (beats * 60) / bpm);
      return f;
    });
    const joined = join(work, `${pieces.length}.wav`);
    run('sox', [...files, joined]);
    return add(joined, 'PLAYING');
  };

  for (const part of parts) {
    const f = join(work, `${pieces.length}.wav`);
    switch (part.kind) {
      case 'say': {
        speech(f, part.who, part.text);
        add(f, part.who === 'teacher' ? 'TEACHER' : 'STUDENT');
        script.push({ text: part.text });
        truth.assignments.push(...(part.assigns ?? []));
        for (const sentence of part.text.match(/[^.!?]+[.!?]?/g) ?? []) {
          if (sentence.trim().endsWith('?')) truth.questions[part.who]++;
        }
        truth.words[part.who] += part.text.split(/\s+/).filter(Boolean).length;
        break;
      }
      case 'pause':
        silence(f, part.seconds);
        add(f, 'SILENCE');
        break;
      case 'scale': {
        const seg = notes(
          majorScale(part.tonic).map((n) => [n, 1, 0]),
          part.bpm,
        );
        const key = `${part.tonic.replace(/-?\d$/, '')} major`;
        truth.playing.push({ ...seg, bpm: part.bpm, key, intonationCents: 0, outOfTune: [] });
        break;
      }
      case 'held': {
        tone(f, frequencyOf(part.note, part.cents), part.seconds);
        const seg = add(f, 'PLAYING');
        const outOfTune: Array<[string, number]> = Math.abs(part.cents) > 15 ? [[part.note, part.cents]] : [];
        truth.playing.push({ ...seg, bpm: null, key: null, intonationCents: part.cents, outOfTune });
        break;
      }
      case 'melody': {
        const list = part.notes.map(([n, b, c]) => [n, b, c ?? 0] as [string, number, number]);
        const seg = notes(list, part.bpm);
        const cents = list.map(([, , c]) => c).sort((a, b) => a - b);
        truth.playing.push({
          ...seg,
          bpm: part.bpm,
          key: part.key,
          intonationCents: cents[cents.length >> 1],
          outOfTune: list.filter(([, , c]) => Math.abs(c) > 15).map(([n, , c]) => [n, c]),
        });
        break;
      }
    }
  }
  truth.durationSeconds = round(t);
  const tmp = `${file}.tmp.wav`;
  run('sox', [...pieces, tmp]);
  renameSync(tmp, file);
  rmSync(work, { recursive: true, force: true });
  const sha256 = writeScript(file, script);
  const fixture: LessonFixture = { file, sha256, truth };
  writeFileSync(truthFile, JSON.stringify(fixture, null, 2));
  return fixture;
}

/**
 * Converts a fixture to another container/codec with ffmpeg (mp3, m4a, ogg, flac, webm) and
 * writes the sidecar script for the new bytes too.
 */
export function convertLesson(fixture: LessonFixture, ext: 'mp3' | 'm4a' | 'ogg' | 'flac' | 'webm'): string {
  const out = fixture.file.replace(/\.wav$/, `.${ext}`);
  if (!existsSync(out)) {
    const codec: Record<typeof ext, string[]> = {
      mp3: ['-c:a', 'libmp3lame', '-b:a', '96k'],
      m4a: ['-c:a', 'aac', '-b:a', '96k'],
      ogg: ['-c:a', 'libopus', '-b:a', '48k'],
      flac: ['-c:a', 'flac'],
      webm: ['-c:a', 'libopus', '-b:a', '48k'],
    };
    run('ffmpeg', ['-v', 'error', '-y', '-i', fixture.file, ...codec[ext], `${out}.tmp.${ext}`]);
    renameSync(`${out}.tmp.${ext}`, out);
  }
  const scriptOf = JSON.parse(readFileSync(join(SCRIPTS_DIR, `${fixture.sha256}.json`), 'utf8')) as {
    utterances: Array<{ text: string }>;
  };
  writeScript(out, scriptOf.utterances);
  return out;
}

/** Writes the sidecar script of `file` (keyed by its SHA-256) and returns the hash. */
function writeScript(file: string, utterances: Array<{ text: string }>): string {
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  mkdirSync(SCRIPTS_DIR, { recursive: true });
  writeFileSync(join(SCRIPTS_DIR, `${sha256}.json`), JSON.stringify({ utterances }));
  return sha256;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The short lesson the tests use (about 75 s): every label, tempo, key, intonation and assignments. */
export const SHORT_LESSON: LessonPart[] = [
  { kind: 'say', who: 'teacher', text: 'Hello Anna. How was your week? Did you practise the scales?' },
  { kind: 'pause', seconds: 1 },
  { kind: 'say', who: 'student', text: 'Yes, every morning. Should I play the G major scale first?' },
  { kind: 'pause', seconds: 1 },
  { kind: 'scale', tonic: 'G3', bpm: 96 },
  { kind: 'pause', seconds: 1.5 },
  { kind: 'say', who: 'teacher', text: 'Good, the tempo was steady. Now hold an A for me, long and even.' },
  { kind: 'pause', seconds: 1 },
  { kind: 'held', note: 'A4', cents: 10, seconds: 4 },
  { kind: 'pause', seconds: 1.5 },
  { kind: 'say', who: 'teacher', text: 'That A was a little sharp. Now the melody in D major, please.' },
  { kind: 'pause', seconds: 1 },
  {
    kind: 'melody',
    key: 'D major',
    bpm: 110,
    notes: [
      ['D4', 1], ['F#4', 1], ['A4', 1], ['F#4', 1], ['G4', 1], ['E4', 1], ['C#4', 1, -25], ['D4', 1],
      ['A4', 1], ['B4', 1], ['A4', 1], ['F#4', 1], ['E4', 1], ['G4', 1], ['F#4', 1], ['D4', 2],
    ],
  }, // prettier-ignore
  { kind: 'pause', seconds: 1.5 },
  {
    kind: 'say',
    who: 'teacher',
    text: 'Lovely. For next week, practise the G major scale at 100 BPM. And work on the C sharp in the melody, it was flat.',
    assigns: [
      'For next week, practise the G major scale at 100 BPM.',
      'And work on the C sharp in the melody, it was flat.',
    ],
  },
  { kind: 'pause', seconds: 1 },
  { kind: 'say', who: 'student', text: 'Okay, thank you. See you on Tuesday.' },
];
