import type { FrameFeatures } from './frame-features';
import type { Note } from './notes';

/** essentia.js (WASM, shipped inside the npm package): loaded once per process, on first use. */
interface EssentiaVector {
  delete(): void;
}
interface EssentiaCore {
  arrayToVector(values: Float32Array): EssentiaVector;
  Key(
    pcp: EssentiaVector,
    numHarmonics?: number,
    pcpSize?: number,
    profileType?: string,
    slope?: number,
    useMajMin?: boolean,
    usePolyphony?: boolean,
    useThreeChords?: boolean,
  ): { key: string; scale: string; strength: number; firstToSecondRelativeStrength: number };
}
let essentia: EssentiaCore | undefined;

function core(): EssentiaCore {
  if (!essentia) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Essentia, EssentiaWASM } = require('essentia.js') as {
      Essentia: new (wasm: unknown) => EssentiaCore;
      EssentiaWASM: unknown;
    };
    essentia = new Essentia(EssentiaWASM);
  }
  return essentia;
}

export interface KeyEstimate {
  key: string;
  strength: number;
}

/**
 * The key of a playing stretch with essentia's Key (Temperley's profiles) on a pitch-class
 * profile: from the notes' durations when one note sounds at a time (no harmonics to confuse it),
 * else from the spectral chroma. Null when fewer than four pitch classes were played.
 */
export function keyOf(
  f: FrameFeatures,
  from: number,
  to: number,
  notes: Note[],
  monophonic: boolean,
): KeyEstimate | null {
  const pcp = new Float32Array(12); // C first
  if (monophonic) {
    for (const n of notes) pcp[((n.midi % 12) + 12) % 12] += n.endFrame - n.startFrame;
  } else {
    for (let i = from; i < to; i++) for (let p = 0; p < 12; p++) pcp[p] += f.chroma[i * 12 + p];
  }
  const max = Math.max(...pcp);
  if (max <= 0 || pcp.filter((v) => v > 0.05 * max).length < 4) return null;
  // essentia's profiles start at A (HPCP's reference, 440 Hz).
  const fromA = new Float32Array(12);
  for (let i = 0; i < 12; i++) fromA[i] = pcp[(i + 9) % 12] / max;
  const e = core();
  const vector = e.arrayToVector(fromA);
  try {
    const r = e.Key(vector, 4, 12, 'temperley', 0.6, true, monophonic ? false : true, false);
    return { key: `${r.key} ${r.scale}`, strength: Math.round(r.strength * 100) / 100 };
  } finally {
    vector.delete();
  }
}
