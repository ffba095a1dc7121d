/**
 * The gimbal error plot's data, pure: the camera's attitude error about its
 * commanded attitude (`Gimbal.errorLog`, rad, x y z interleaved, one sample
 * per dynamics substep of the last physics tick) is fed here after every
 * tick; it keeps a sliding window of it in millidegrees, raw and high-passed.
 *
 * High-passed: each axis through the 1 Hz second-order Butterworth of the
 * jitter criterion (uav/gimbal/jitter.ts `ButterworthHighPass`), fed every
 * substep from the first one, exactly as the criterion's filter is, so the
 * curve is the quantity the criterion judges.
 *
 * Decimation keeps peaks: the substeps are taken in buckets of `bucket`
 * samples, and each bucket keeps, per axis and per series, its sample of
 * largest magnitude (with its sign and time). The plot then shows every peak
 * the criterion could see, at a fraction of the points (2 kHz / 4 = 500
 * points per second).
 *
 * Storage: per series a ring written twice (slot i and i + capacity of a
 * buffer twice the capacity, as ./trail-ring.ts), so the newest `capacity`
 * points are always one contiguous window; nothing is allocated per sample.
 */
import { ButterworthHighPass } from '../uav/gimbal/jitter.ts';

/** Radians to millidegrees. */
export const MDEG_PER_RAD = (180 / Math.PI) * 1000;

/** Cutoff of the jitter criterion's high-pass, Hz (uav/gimbal/jitter.ts default). */
export const JITTER_CUTOFF_HZ = 1;

export type TraceSeries = 'raw' | 'hp';

export interface TraceOptions {
  /** Substep rate of the error log, Hz (`Gimbal.logHz`). */
  logHz: number;
  /** Substeps per decimated point (>= 1). */
  bucket: number;
  /** Window kept, s. */
  windowS: number;
  cutoffHz?: number;
}

/** The window to plot: time (s) and each axis (mdeg), contiguous views of the rings (valid until the next push). */
export interface TraceWindow {
  t: Float64Array;
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
}

export class GimbalTrace {
  readonly capacity: number;
  readonly logHz: number;
  readonly bucket: number;
  /** Time of each point, s, twice (see the file comment). */
  private readonly time: { raw: Float64Array; hp: Float64Array };
  /** Per series, per axis (x y z): mdeg, twice. */
  private readonly values: { raw: [Float64Array, Float64Array, Float64Array]; hp: [Float64Array, Float64Array, Float64Array] };
  private readonly filters: [ButterworthHighPass, ButterworthHighPass, ButterworthHighPass];
  private head = 0;
  private n = 0;
  /** The bucket being filled: samples in it, and per series and axis the peak so far and its time. */
  private inBucket = 0;
  private readonly peak = new Float64Array(6);
  private readonly peakT = new Float64Array(6);
  /** Largest |high-passed error| per axis over the whole run so far, mdeg (x y z). */
  readonly hpPeakMdeg = new Float64Array(3);
  /** Latest sample time fed, s (NaN before any). */
  lastTime = NaN;

  constructor(o: TraceOptions) {
    if (!(o.logHz > 0)) throw new RangeError(`gimbal trace: logHz must be > 0, got ${o.logHz}`);
    if (!(Number.isInteger(o.bucket) && o.bucket >= 1)) throw new RangeError(`gimbal trace: bucket must be an integer >= 1, got ${o.bucket}`);
    if (!(o.windowS > 0)) throw new RangeError(`gimbal trace: windowS must be > 0, got ${o.windowS}`);
    this.logHz = o.logHz;
    this.bucket = o.bucket;
    this.capacity = Math.max(2, Math.ceil((o.windowS * o.logHz) / o.bucket));
    const buf = () => new Float64Array(2 * this.capacity);
    this.time = { raw: buf(), hp: buf() };
    this.values = { raw: [buf(), buf(), buf()], hp: [buf(), buf(), buf()] };
    const c = o.cutoffHz ?? JITTER_CUTOFF_HZ;
    this.filters = [new ButterworthHighPass(c, o.logHz), new ButterworthHighPass(c, o.logHz), new ButterworthHighPass(c, o.logHz)];
  }

  /** Points held (at most `capacity`). */
  get count(): number {
    return this.n;
  }

  /**
   * Feed the substeps of one physics tick: `log` holds `samples` x y z
   * triples (rad), the last one at `lastTime` s, spaced 1 / logHz.
   */
  push(log: ArrayLike<number>, samples: number, lastTime: number): void {
    const h = 1 / this.logHz;
    for (let k = 0; k < samples; k++) {
      const t = lastTime - (samples - 1 - k) * h;
      for (let a = 0; a < 3; a++) {
        const e = log[3 * k + a]! * MDEG_PER_RAD;
        const f = this.filters[a]!.step(e);
        if (Math.abs(f) > this.hpPeakMdeg[a]!) this.hpPeakMdeg[a] = Math.abs(f);
        this.keep(a, e, t);
        this.keep(3 + a, f, t);
      }
      if (++this.inBucket === this.bucket) this.flush();
    }
    this.lastTime = lastTime;
  }

  /** The newest points of a series (contiguous views; valid until the next push). */
  window(series: TraceSeries): TraceWindow {
    const start = this.n < this.capacity ? 0 : this.head;
    const end = start + this.n;
    const v = this.values[series];
    return {
      t: this.time[series].subarray(start, end),
      x: v[0].subarray(start, end),
      y: v[1].subarray(start, end),
      z: v[2].subarray(start, end),
    };
  }

  private keep(i: number, v: number, t: number): void {
    if (this.inBucket === 0 || Math.abs(v) > Math.abs(this.peak[i]!)) {
      this.peak[i] = v;
      this.peakT[i] = t;
    }
  }

  /**
   * Close the bucket: one point per series. Its time is the time of the x
   * axis's peak sample (the axes' peaks may fall on different substeps of the
   * bucket; a bucket is 2 ms at 2 kHz / 4, below what the plot resolves).
   */
  private flush(): void {
    const i = this.head, j = i + this.capacity;
    const tr = this.peakT[0]!, th = this.peakT[3]!;
    this.time.raw[i] = this.time.raw[j] = tr;
    this.time.hp[i] = this.time.hp[j] = th;
    for (let a = 0; a < 3; a++) {
      const r = this.values.raw[a]!, f = this.values.hp[a]!;
      r[i] = r[j] = this.peak[a]!;
      f[i] = f[j] = this.peak[3 + a]!;
    }
    this.head = (this.head + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
    this.inBucket = 0;
  }
}

/**
 * Y range of the plot, mdeg: symmetric about zero, covering the data and at
 * least `minHalf` (so the +-band stays in view with room above it).
 */
export function symmetricRange(w: TraceWindow, minHalf: number): [number, number] {
  let m = minHalf;
  for (const s of [w.x, w.y, w.z]) {
    for (let k = 0; k < s.length; k++) {
      const v = Math.abs(s[k]!);
      if (v > m && Number.isFinite(v)) m = v;
    }
  }
  const half = m * 1.1;
  return [-half, half];
}
