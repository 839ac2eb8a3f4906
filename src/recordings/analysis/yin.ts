import FFT from 'fft.js';

/** A pitch estimate of one frame: Hz (0 when unvoiced) and YIN's aperiodicity (0 = perfectly periodic). */
export interface PitchEstimate {
  hz: number;
  aperiodicity: number;
}

/**
 * YIN (de Cheveigné & Kawahara 2002) with the difference function computed through FFT
 * cross-correlation, so a frame costs three FFTs instead of W² multiplications. Allocates its
 * buffers once; one instance per analysis.
 */
export class Yin {
  private readonly fft: FFT;
  private readonly size: number;
  private readonly padded: Float64Array;
  private readonly head: Float64Array;
  private readonly specA: number[];
  private readonly specB: number[];
  private readonly product: number[];
  private readonly corr: number[];
  private readonly prefix: Float64Array;
  private readonly cmnd: Float64Array;
  private readonly diff: Float64Array;
  private readonly minLag: number;
  private readonly maxLag: number;

  constructor(
    private readonly frameSize: number,
    private readonly sampleRate: number,
    minHz = 55,
    maxHz = 1100,
    private readonly threshold = 0.15,
  ) {
    const w = frameSize / 2;
    this.size = frameSize * 2;
    this.fft = new FFT(this.size);
    this.padded = new Float64Array(this.size);
    this.head = new Float64Array(this.size);
    this.specA = this.fft.createComplexArray() as number[];
    this.specB = this.fft.createComplexArray() as number[];
    this.product = this.fft.createComplexArray() as number[];
    this.corr = this.fft.createComplexArray() as number[];
    this.prefix = new Float64Array(frameSize + 1);
    this.cmnd = new Float64Array(w);
    this.diff = new Float64Array(w);
    this.minLag = Math.max(2, Math.floor(sampleRate / maxHz));
    this.maxLag = Math.min(w - 2, Math.ceil(sampleRate / minHz));
  }

  estimate(frame: Float32Array): PitchEstimate {
    const n = this.frameSize;
    const w = n / 2;
    for (let i = 0; i < n; i++) {
      this.padded[i] = frame[i];
      this.head[i] = i < w ? frame[i] : 0;
      this.prefix[i + 1] = this.prefix[i] + frame[i] * frame[i];
    }
    this.fft.realTransform(this.specA, this.padded);
    this.fft.completeSpectrum(this.specA);
    this.fft.realTransform(this.specB, this.head);
    this.fft.completeSpectrum(this.specB);
    const a = this.specA;
    const b = this.specB;
    const p = this.product;
    for (let i = 0; i < this.size * 2; i += 2) {
      // A · conj(B): the cross-correlation of the frame with its first half.
      p[i] = a[i] * b[i] + a[i + 1] * b[i + 1];
      p[i + 1] = a[i + 1] * b[i] - a[i] * b[i + 1];
    }
    this.fft.inverseTransform(this.corr, p);
    const e0 = this.prefix[w];
    let running = 0;
    this.cmnd[0] = 1;
    for (let tau = 1; tau <= this.maxLag + 1; tau++) {
      const d = e0 + (this.prefix[tau + w] - this.prefix[tau]) - 2 * this.corr[2 * tau];
      this.diff[tau] = d;
      running += d;
      this.cmnd[tau] = running > 0 ? (d * tau) / running : 1;
    }
    let best = -1;
    for (let tau = this.minLag; tau <= this.maxLag; tau++) {
      if (this.cmnd[tau] < this.threshold) {
        while (tau + 1 <= this.maxLag && this.cmnd[tau + 1] < this.cmnd[tau]) tau++;
        best = tau;
        break;
      }
    }
    if (best < 0) {
      let min = Infinity;
      for (let tau = this.minLag; tau <= this.maxLag; tau++) {
        if (this.cmnd[tau] < min) {
          min = this.cmnd[tau];
          best = tau;
        }
      }
      if (min > 0.35) return { hz: 0, aperiodicity: Math.min(1, min) };
    }
    // Interpolating the raw difference (not the normalised one) keeps high notes free of bias.
    const y0 = this.diff[best - 1];
    const y1 = this.diff[best];
    const y2 = this.diff[best + 1];
    const denom = y0 - 2 * y1 + y2;
    const shift = denom > 0 ? (0.5 * (y0 - y2)) / denom : 0;
    const aperiodicity = Math.max(0, this.cmnd[best]);
    return { hz: this.sampleRate / (best + Math.max(-0.5, Math.min(0.5, shift))), aperiodicity };
  }
}
