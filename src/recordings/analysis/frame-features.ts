import FFT from 'fft.js';
import { Yin } from './yin';

/** Analysis rate and framing: 16 kHz mono, 64 ms frames every 16 ms; pitch on every second frame. */
export const SAMPLE_RATE = 16_000;
export const FRAME = 1024;
export const HOP = 256;
export const FRAME_SECONDS = HOP / SAMPLE_RATE;
const PITCH_EVERY = 2;
/** Frames quieter than this are not worth a pitch estimate (and are silence anyway). */
const PITCH_FLOOR_DB = -60;

/** A growable column of per-frame values (typed arrays doubling in size: no per-frame objects). */
class Column {
  data: Float32Array;
  constructor(initial = 4096) {
    this.data = new Float32Array(initial);
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
}

/** Per-frame features of a whole recording (a few floats per 16 ms: about 30 MB for 3 hours). */
export interface FrameFeatures {
  count: number;
  /** Frame energy in dBFS. */
  rmsDb: Float32Array;
  /** Positive spectral flux of log magnitudes: peaks are onsets. */
  flux: Float32Array;
  /** Fundamental frequency in Hz, 0 when unvoiced or not estimated. */
  pitchHz: Float32Array;
  /** YIN aperiodicity, 1 when not estimated. */
  aperiodicity: Float32Array;
  /** Spectral flatness (0 tonal … 1 noise) between 100 Hz and 4 kHz. */
  flatness: Float32Array;
  /** Spectral chroma above 250 Hz, 12 values per frame (C first); for polyphonic playing. */
  chroma: Float32Array;
}

/**
 * Computes FrameFeatures from a stream of samples pushed in chunks of any size. Keeps only the
 * last frame's worth of samples, so memory does not grow with the recording beyond the features.
 */
export class FrameAnalyzer {
  private readonly buffer = new Float32Array(FRAME * 2);
  private filled = 0;
  private index = 0;
  private readonly window = new Float64Array(FRAME);
  private readonly frame = new Float32Array(FRAME);
  private readonly windowed = new Float64Array(FRAME);
  private readonly spectrum: number[];
  private readonly fft = new FFT(FRAME);
  private readonly logMag = new Float32Array(FRAME / 2);
  private readonly prevLogMag = new Float32Array(FRAME / 2);
  private readonly pitchClassOfBin = new Int8Array(FRAME / 2);
  private readonly yin = new Yin(FRAME, SAMPLE_RATE);
  private readonly cols = {
    rmsDb: new Column(),
    flux: new Column(),
    pitchHz: new Column(),
    aperiodicity: new Column(),
    flatness: new Column(),
    chroma: new Column(4096 * 12),
  };

  constructor() {
    for (let i = 0; i < FRAME; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FRAME - 1));
    this.spectrum = this.fft.createComplexArray() as number[];
    for (let k = 0; k < FRAME / 2; k++) {
      const hz = (k * SAMPLE_RATE) / FRAME;
      this.pitchClassOfBin[k] =
        hz < 250 || hz > 5000 ? -1 : (((Math.round(12 * Math.log2(hz / 440)) + 9) % 12) + 12) % 12;
    }
  }

  push(samples: Float32Array): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(samples.length - offset, FRAME - this.filled);
      this.buffer.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === FRAME) {
        this.analyseFrame();
        this.buffer.copyWithin(0, HOP, FRAME);
        this.filled = FRAME - HOP;
      }
    }
  }

  finish(): FrameFeatures {
    const n = this.index;
    const c = this.cols;
    return {
      count: n,
      rmsDb: c.rmsDb.data.slice(0, n),
      flux: c.flux.data.slice(0, n),
      pitchHz: c.pitchHz.data.slice(0, n),
      aperiodicity: c.aperiodicity.data.slice(0, n),
      flatness: c.flatness.data.slice(0, n),
      chroma: c.chroma.data.slice(0, n * 12),
    };
  }

  private analyseFrame(): void {
    const i = this.index++;
    const frame = this.frame;
    frame.set(this.buffer.subarray(0, FRAME));
    let energy = 0;
    for (let j = 0; j < FRAME; j++) {
      energy += frame[j] * frame[j];
      this.windowed[j] = frame[j] * this.window[j];
    }
    const rmsDb = 10 * Math.log10(energy / FRAME + 1e-12);
    this.cols.rmsDb.set(i, rmsDb);

    this.fft.realTransform(this.spectrum, this.windowed);
    let flux = 0;
    let logSum = 0;
    let linSum = 0;
    let bands = 0;
    const chromaBase = i * 12;
    for (let p = 0; p < 12; p++) this.cols.chroma.set(chromaBase + p, 0);
    const chroma = this.cols.chroma;
    for (let k = 1; k < FRAME / 2; k++) {
      const re = this.spectrum[2 * k];
      const im = this.spectrum[2 * k + 1];
      const power = re * re + im * im;
      const mag = Math.sqrt(power);
      const lm = Math.log1p(100 * mag);
      const rise = lm - this.prevLogMag[k];
      if (rise > 0) flux += rise;
      this.prevLogMag[k] = lm;
      this.logMag[k] = lm;
      if (k >= 7 && k <= 256) {
        logSum += Math.log(power + 1e-12);
        linSum += power + 1e-12;
        bands++;
      }
      const pc = this.pitchClassOfBin[k];
      if (pc >= 0) chroma.data[chromaBase + pc] += power;
    }
    this.cols.flux.set(i, flux);
    this.cols.flatness.set(i, Math.exp(logSum / bands) / (linSum / bands));

    if (i % PITCH_EVERY === 0 && rmsDb > PITCH_FLOOR_DB) {
      const pitch = this.yin.estimate(frame);
      this.cols.pitchHz.set(i, pitch.hz);
      this.cols.aperiodicity.set(i, pitch.aperiodicity);
    } else if (i % PITCH_EVERY === 0) {
      this.cols.pitchHz.set(i, 0);
      this.cols.aperiodicity.set(i, 1);
    } else {
      // Odd frames carry the previous estimate: pitch moves slowly against 16 ms.
      this.cols.pitchHz.set(i, this.cols.pitchHz.data[i - 1]);
      this.cols.aperiodicity.set(i, this.cols.aperiodicity.data[i - 1]);
    }
  }
}
