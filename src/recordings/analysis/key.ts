import type { FrameFeatures } from './frame-features';
import type { Note } from './notes';

export interface KeyEstimate {
  key: string;
  strength: number;
}

/** Pitch-class names from C, spelled as musicians usually name the keys (one name per class). */
const PITCH_CLASS_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/**
 * Temperley's key profiles (Music and Probability, 2007; the "temperley" profiles of key finders),
 * from the tonic up in semitones. Our own code rather than essentia.js: its AGPL-3.0 licence does not
 * fit a closed network service (decision 0018).
 */
const MAJOR_PROFILE = [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0];
const MINOR_PROFILE = [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0];

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, shift: number): number {
  const n = 12;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i] / n;
    meanB += b[i] / n;
  }
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    // The profile rotated so that its tonic sits on pitch class `shift`.
    const da = a[i] - meanA;
    const db = b[(i - shift + n) % n] - meanB;
    cov += da * db;
    varA += da * da;
    varB += db * db;
  }
  return varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : 0;
}

/**
 * The key whose profile correlates best (Pearson, over the 24 major and minor keys) with a 12-bin
 * pitch-class profile that starts at C; the strength is that correlation. Null when fewer than four
 * pitch classes carry weight: a key cannot be told from so little.
 */
export function keyOfProfile(pcp: ArrayLike<number>): KeyEstimate | null {
  let max = 0;
  for (let p = 0; p < 12; p++) max = Math.max(max, pcp[p]);
  let classes = 0;
  for (let p = 0; p < 12; p++) if (pcp[p] > 0.05 * max) classes++;
  if (max <= 0 || classes < 4) return null;
  let best: { tonic: number; scale: 'major' | 'minor'; r: number } | null = null;
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [scale, profile] of [
      ['major', MAJOR_PROFILE],
      ['minor', MINOR_PROFILE],
    ] as const) {
      const r = pearson(pcp, profile, tonic);
      if (!best || r > best.r) best = { tonic, scale, r };
    }
  }
  return { key: `${PITCH_CLASS_NAMES[best!.tonic]} ${best!.scale}`, strength: Math.round(best!.r * 100) / 100 };
}

/**
 * The key of a playing stretch: a pitch-class profile from the notes' durations when one note
 * sounds at a time (no harmonics to confuse it), else from the spectral chroma, matched against
 * the key profiles.
 */
export function keyOf(
  f: FrameFeatures,
  from: number,
  to: number,
  notes: Note[],
  monophonic: boolean,
): KeyEstimate | null {
  const pcp = new Float64Array(12); // C first
  if (monophonic) {
    for (const n of notes) pcp[((n.midi % 12) + 12) % 12] += n.endFrame - n.startFrame;
  } else {
    for (let i = from; i < to; i++) for (let p = 0; p < 12; p++) pcp[p] += f.chroma[i * 12 + p];
  }
  return keyOfProfile(pcp);
}
