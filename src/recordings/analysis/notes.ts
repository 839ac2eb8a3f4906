import type { OffNote } from './analysis.types';
import { FRAME_SECONDS, type FrameFeatures } from './frame-features';
import { frameBoundary } from './timeline';

/** A note: a run of frames holding one pitch. */
export interface Note {
  startFrame: number;
  endFrame: number;
  /** Median frequency over the note's settled middle. */
  hz: number;
  midi: number;
  /** Deviation from equal temperament (A4 = 440 Hz), cents, + sharp. */
  cents: number;
}

const MIN_NOTE_SECONDS = 0.1;
/** A pitch further than this from the note's running median starts a new note. */
const SPLIT_CENTS = 50;
const OUT_OF_TUNE_CENTS = 15;
const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

export function noteName(midi: number): string {
  return `${NAMES[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Notes of a monophonic stretch [from, to) of frames, from the pitch track. */
export function notesOf(f: FrameFeatures, from: number, to: number): Note[] {
  const notes: Note[] = [];
  let run: number[] = [];
  let runStart = from;
  const close = (end: number) => {
    if ((end - runStart) * FRAME_SECONDS >= MIN_NOTE_SECONDS && run.length >= 4) {
      // Leave out the attack and release: a fifth of the frames at each end.
      const cut = Math.floor(run.length / 5);
      const hz = median(run.slice(cut, run.length - cut));
      const exact = 69 + 12 * Math.log2(hz / 440);
      const midi = Math.round(exact);
      notes.push({ startFrame: runStart, endFrame: end, hz, midi, cents: (exact - midi) * 100 });
    }
    run = [];
  };
  for (let i = from; i < to; i++) {
    const hz = f.pitchHz[i];
    const voiced = hz > 0 && f.aperiodicity[i] < 0.2;
    if (!voiced) {
      if (run.length) close(i);
      runStart = i + 1;
      continue;
    }
    if (run.length && Math.abs(1200 * Math.log2(hz / median(run.slice(-8)))) > SPLIT_CENTS) {
      close(i);
      runStart = i;
    }
    if (!run.length) runStart = i;
    run.push(hz);
  }
  if (run.length) close(to);
  return notes;
}

/** Whether a playing stretch sounds one note at a time: mostly clean periodic frames while sounding. */
export function isMonophonic(f: FrameFeatures, from: number, to: number, threshold: number): boolean {
  let sounding = 0;
  let periodic = 0;
  for (let i = from; i < to; i++) {
    if (f.rmsDb[i] <= threshold) continue;
    sounding++;
    if (f.pitchHz[i] > 0 && f.aperiodicity[i] < 0.2) periodic++;
  }
  return sounding > 0 && periodic / sounding >= 0.6;
}

export interface Intonation {
  medianCents: number;
  spreadCents: number;
  outOfTune: OffNote[];
}

/** Intonation of the notes: median and interquartile range of their deviations, and the notes off by more than 15 cents. */
export function intonationOf(notes: Note[]): Intonation | null {
  if (!notes.length) return null;
  const cents = notes.map((n) => n.cents).sort((a, b) => a - b);
  const q = (p: number) => cents[Math.min(cents.length - 1, Math.floor(p * cents.length))];
  return {
    medianCents: round1(median(cents)),
    spreadCents: round1(q(0.75) - q(0.25)),
    outOfTune: notes
      .filter((n) => Math.abs(n.cents) > OUT_OF_TUNE_CENTS)
      .map((n) => ({ note: noteName(n.midi), at: round1(frameBoundary(n.startFrame)), cents: round1(n.cents) })),
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
