import type { Side, TimelineLabel, TimelineSegment } from './analysis.types';
import { FRAME, FRAME_SECONDS, SAMPLE_RATE, type FrameFeatures } from './frame-features';

/** Frames of one decision cell (about 0.26 s): music or speech is judged per cell, silence per frame. */
const CELL = 16;
/** Music cells need this share of stable-pitch frames among the sounding ones, smoothed over ±2 cells. */
const MUSIC_SCORE = 0.5;
/** Pauses shorter than this between two stretches of the same label belong to it (breaths, gaps between notes). */
const BRIDGE_SECONDS = 0.8;
/** A stretch shorter than this between two stretches of one other label is taken to be that label. */
const BLIP_SECONDS = 0.5;
/** Pitch within this many cents over ±3 frames counts as a held note rather than gliding speech. */
const STABLE_CENTS = 20;

export interface SpokenWord {
  start: number;
  end: number;
  side: Side;
}

const CODES: TimelineLabel[] = ['SILENCE', 'TEACHER_SPEAKING', 'STUDENT_SPEAKING', 'PLAYING'];

/** The level under which a frame is silence: well above the recording's own noise floor, never above -35 dBFS. */
export function silenceThreshold(f: FrameFeatures): number {
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(f.count / 20_000));
  for (let i = 0; i < f.count; i += step) sample.push(f.rmsDb[i]);
  sample.sort((a, b) => a - b);
  const floor = sample[Math.floor(sample.length * 0.05)] ?? -100;
  return Math.min(-35, Math.max(floor + 12, -55));
}

/** Per frame: is a steady pitch sounding (a note), as opposed to speech's gliding, broken voicing. */
export function stableFrames(f: FrameFeatures): Uint8Array {
  const out = new Uint8Array(f.count);
  const cents = (a: number, b: number) => Math.abs(1200 * Math.log2(a / b));
  for (let i = 3; i < f.count - 3; i++) {
    const p = f.pitchHz[i];
    if (p <= 0 || f.aperiodicity[i] > 0.2) continue;
    const before = f.pitchHz[i - 3];
    const after = f.pitchHz[i + 3];
    if (before > 0 && after > 0 && cents(p, before) < STABLE_CENTS && cents(p, after) < STABLE_CENTS) out[i] = 1;
  }
  return out;
}

/**
 * The lesson's timeline: silence from our own level detection (per 16 ms frame), playing from our
 * stable-pitch detection together with the provider's music events, speech attributed to the
 * side whose diarized words cover it (or the nearest words). Short pauses inside a stretch are
 * bridged, short blips absorbed.
 */
export function buildTimeline(
  f: FrameFeatures,
  words: SpokenWord[],
  music: Array<{ start: number; end: number }>,
  durationSeconds: number,
): { segments: TimelineSegment[]; labels: Uint8Array } {
  const threshold = silenceThreshold(f);
  const stable = stableFrames(f);
  const cells = Math.ceil(f.count / CELL);
  const rawScore = new Float32Array(cells);
  const sounding = new Float32Array(cells);
  for (let c = 0; c < cells; c++) {
    let active = 0;
    let steady = 0;
    for (let i = c * CELL; i < Math.min(f.count, (c + 1) * CELL); i++) {
      if (f.rmsDb[i] > threshold) {
        active++;
        steady += stable[i];
      }
    }
    sounding[c] = active / CELL;
    rawScore[c] = active ? steady / active : 0;
  }
  const cellSeconds = CELL * FRAME_SECONDS;
  const providerMusic = new Uint8Array(cells);
  for (const m of music) {
    for (let c = Math.floor(m.start / cellSeconds); c < Math.min(cells, Math.ceil(m.end / cellSeconds)); c++)
      providerMusic[c] = 1;
  }
  const wordSide = new Int8Array(cells).fill(-1);
  for (const w of words) {
    for (let c = Math.floor(w.start / cellSeconds); c <= Math.min(cells - 1, Math.floor(w.end / cellSeconds)); c++)
      wordSide[c] = w.side === 'TEACHER' ? 1 : 2;
  }
  const cellLabel = new Uint8Array(cells);
  for (let c = 0; c < cells; c++) {
    let sum = 0;
    let n = 0;
    for (let k = Math.max(0, c - 2); k <= Math.min(cells - 1, c + 2); k++) {
      if (sounding[k] > 0) {
        sum += rawScore[k];
        n++;
      }
    }
    const score = (n ? sum / n : 0) + (providerMusic[c] ? 0.15 : 0);
    if (score >= MUSIC_SCORE && !(wordSide[c] > 0 && score < MUSIC_SCORE + 0.2)) cellLabel[c] = 3;
    else if (wordSide[c] > 0) cellLabel[c] = wordSide[c];
    else cellLabel[c] = nearestSide(words, (c + 0.5) * cellSeconds);
  }

  // Frame labels: silence where quiet, else the class of the frame's cell.
  const labels = new Uint8Array(f.count);
  for (let i = 0; i < f.count; i++) labels[i] = f.rmsDb[i] > threshold ? cellLabel[Math.floor(i / CELL)] : 0;
  smooth(labels, Math.round(BRIDGE_SECONDS / FRAME_SECONDS), Math.round(BLIP_SECONDS / FRAME_SECONDS));
  return { segments: toSegments(labels, durationSeconds), labels };
}

/** Where the stretch starting at frame i begins: frame i spans i·HOP … i·HOP + FRAME samples, centred half a frame in. */
export function frameBoundary(i: number): number {
  return Math.max(0, i * FRAME_SECONDS + FRAME / 2 / SAMPLE_RATE - FRAME_SECONDS / 2);
}

function nearestSide(words: SpokenWord[], t: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (const w of words) {
    const d = t < w.start ? w.start - t : t > w.end ? t - w.end : 0;
    if (d < bestDistance) {
      bestDistance = d;
      best = w.side === 'TEACHER' ? 1 : 2;
    }
    if (w.start > t + bestDistance) break;
  }
  return best > 0 ? best : 1;
}

/** Bridges short silences between equal labels, then absorbs short stretches between two equal labels. */
function smooth(labels: Uint8Array, bridge: number, blip: number): void {
  const runs = () => {
    const out: Array<{ label: number; from: number; to: number }> = [];
    for (let i = 0; i < labels.length;) {
      let j = i;
      while (j < labels.length && labels[j] === labels[i]) j++;
      out.push({ label: labels[i], from: i, to: j });
      i = j;
    }
    return out;
  };
  let r = runs();
  for (let k = 1; k < r.length - 1; k++) {
    if (r[k].label === 0 && r[k].to - r[k].from < bridge && r[k - 1].label === r[k + 1].label)
      labels.fill(r[k - 1].label, r[k].from, r[k].to);
  }
  r = runs();
  for (let k = 1; k < r.length - 1; k++) {
    if (r[k].label !== 0 && r[k].to - r[k].from < blip && r[k - 1].label === r[k + 1].label)
      labels.fill(r[k - 1].label, r[k].from, r[k].to);
  }
  // A lone short sound between silences is a click or a breath, not a turn.
  r = runs();
  for (let k = 0; k < r.length; k++) {
    const quietAround = (k === 0 || r[k - 1].label === 0) && (k === r.length - 1 || r[k + 1].label === 0);
    if (r[k].label !== 0 && quietAround && r[k].to - r[k].from < Math.round(blip / 2))
      labels.fill(0, r[k].from, r[k].to);
  }
}

function toSegments(labels: Uint8Array, durationSeconds: number): TimelineSegment[] {
  const out: TimelineSegment[] = [];
  for (let i = 0; i < labels.length;) {
    let j = i;
    while (j < labels.length && labels[j] === labels[i]) j++;
    const start = i === 0 ? 0 : round(Math.min(durationSeconds, frameBoundary(i)));
    const end = round(j === labels.length ? durationSeconds : Math.min(durationSeconds, frameBoundary(j)));
    if (end > start) out.push({ label: CODES[labels[i]], start, end });
    i = j;
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
