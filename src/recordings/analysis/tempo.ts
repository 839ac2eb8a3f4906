import { FRAME_SECONDS, type FrameFeatures } from './frame-features';
import { frameBoundary } from './timeline';
import type { Note } from './notes';

export interface Tempo {
  bpm: number;
  spreadBpm: number;
  driftBpm: number;
  stability: number;
}

const MIN_ONSETS = 5;
const MIN_GAP_SECONDS = 0.08;

/**
 * Onsets of a playing stretch: peaks of the spectral flux above a local adaptive threshold, with
 * sub-frame (parabolic) timing, plus the starts of notes whose pitch changed without a new attack.
 */
export function onsetsOf(f: FrameFeatures, from: number, to: number, notes: Note[]): number[] {
  const half = Math.round(0.5 / FRAME_SECONDS);
  const flux = f.flux;
  const candidates: Array<{ t: number; strength: number }> = [];
  let max = 0;
  for (let i = from; i < to; i++) max = Math.max(max, flux[i]);
  for (let i = Math.max(1, from); i < Math.min(to, f.count - 1); i++) {
    if (!(flux[i] > flux[i - 1] && flux[i] >= flux[i + 1])) continue;
    // An attack raises the level; a note stopping also splashes the spectrum, but the level falls.
    if (!risesAt(f, i)) continue;
    let sum = 0;
    let n = 0;
    for (let k = Math.max(from, i - half); k < Math.min(to, i + half); k++, n++) sum += flux[k];
    if (flux[i] < sum / n + 0.1 * max) continue;
    const y0 = flux[i - 1];
    const y1 = flux[i];
    const y2 = flux[i + 1];
    const d = y0 - 2 * y1 + y2;
    const shift = d < 0 ? (0.5 * (y0 - y2)) / d : 0;
    candidates.push({ t: frameBoundary(i) + shift * FRAME_SECONDS, strength: y1 });
  }
  // Of peaks closer than MIN_GAP_SECONDS, the strongest is the attack (the others are its splash).
  const found = candidates
    .filter((c) => !candidates.some((o) => o !== c && Math.abs(o.t - c.t) < MIN_GAP_SECONDS && o.strength > c.strength))
    .map((c) => c.t);
  // Legato: a note that begins without an attack still begins a beat. Its pitch settles after
  // the attack, so an attack up to 0.2 s earlier is the same onset.
  for (const note of notes) {
    const t = frameBoundary(note.startFrame);
    if (!found.some((o) => o - t < 0.1 && t - o < 0.2)) found.push(t);
  }
  return found.sort((a, b) => a - b);
}

function risesAt(f: FrameFeatures, i: number): boolean {
  let before = Infinity;
  for (let k = Math.max(0, i - 3); k <= i; k++) before = Math.min(before, f.rmsDb[k]);
  let after = -Infinity;
  for (let k = i; k <= Math.min(f.count - 1, i + 4); k++) after = Math.max(after, f.rmsDb[k]);
  return after - before >= 3;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Tempo from onsets: the beat is the median inter-onset interval (folded into 50–200 BPM); each
 * onset gets a beat number, and a least-squares line through (beat, time) gives the tempo. The
 * beat-to-beat tempi give the spread; a line through them over time gives the drift.
 */
export function tempoOf(detected: number[]): Tempo | null {
  if (detected.length < MIN_ONSETS) return null;
  let beat = median(
    detected
      .slice(1)
      .map((t, i) => t - detected[i])
      .filter((d) => d > 0.12),
  );
  if (!Number.isFinite(beat) || beat <= 0) return null;
  while (60 / beat > 200) beat *= 2;
  while (60 / beat < 50) beat /= 2;
  // An onset closer than a third of a beat to the previous one is an ornament or a double detection.
  const onsets = detected.filter((t, i, all) => i === 0 || t - all[i - 1] >= beat / 3);
  if (onsets.length < MIN_ONSETS) return null;
  const iois = onsets.slice(1).map((t, i) => t - onsets[i]);
  const beats: number[] = [0];
  for (const d of iois) beats.push(beats[beats.length - 1] + Math.max(1, Math.round(d / beat)));
  const fit = line(beats, onsets);
  if (!fit || fit.slope <= 0) return null;
  const bpm = 60 / fit.slope;
  const local: Array<{ t: number; bpm: number }> = [];
  for (let i = 1; i < onsets.length; i++) {
    const n = beats[i] - beats[i - 1];
    local.push({ t: onsets[i], bpm: (60 * n) / (onsets[i] - onsets[i - 1]) });
  }
  const mean = local.reduce((s, x) => s + x.bpm, 0) / local.length;
  const spread = Math.sqrt(local.reduce((s, x) => s + (x.bpm - mean) ** 2, 0) / local.length);
  const trend = line(
    local.map((x) => x.t),
    local.map((x) => x.bpm),
  );
  const span = onsets[onsets.length - 1] - onsets[0];
  return {
    bpm: round1(bpm),
    spreadBpm: round1(spread),
    driftBpm: round1(trend ? trend.slope * span : 0),
    stability: Math.round(Math.max(0, 1 - spread / (0.1 * bpm)) * 100) / 100,
  };
}

function line(xs: number[], ys: number[]): { slope: number; intercept: number } | null {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
