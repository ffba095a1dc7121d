/**
 * Angular vibration range, the way commercial gimbals specify it (issue #5
 * section 4: DJI Mavic 2 Zoom +-0.005 deg, Mavic 2 Pro and Gremsy G-Hadron
 * +-0.01 deg): the high-frequency jitter of the camera's ground-truth
 * attitude about its commanded attitude, per axis.
 *
 * Method: the attitude error e(t) (rad, one axis) is high-passed by a
 * second-order Butterworth filter at `cutoffHz` (1 Hz by default), which
 * keeps vibration (rotor blade-pass harmonics at tens to hundreds of Hz,
 * turbulence-driven shake) and removes slow drift and pointing offset, which
 * are judged separately (low-frequency drift, absolute pointing error). After
 * a declared settling time, the peak |e_hp| and the RMS of e_hp are the
 * figures; "angular vibration range +-x" is read as peak <= x.
 *
 * Why a 1 Hz Butterworth: a camera frame at 30 fps integrates 33 ms, so
 * motion below ~1 Hz moves the picture between frames (drift, which the
 * pointing criteria judge) rather than blurring within one; a second-order
 * filter passes 97 % at 5 Hz and 1 % at 0.1 Hz. The filter is the bilinear
 * (Tustin) transform of the analogue prototype with the cutoff pre-warped
 * (R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter
 * coefficients", HPF with Q = 1/sqrt(2)).
 */

/** A second-order Butterworth high-pass, one sample at a time (direct form I). */
export class ButterworthHighPass {
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;
  private primed = false;

  constructor(readonly cutoffHz: number, readonly sampleHz: number) {
    if (!(cutoffHz > 0 && sampleHz > 0 && cutoffHz < sampleHz / 2)) {
      throw new RangeError(`high-pass: need 0 < cutoffHz < sampleHz / 2, got cutoff ${cutoffHz} Hz at ${sampleHz} Hz`);
    }
    const w0 = (2 * Math.PI * cutoffHz) / sampleHz;
    const alpha = Math.sin(w0) / (2 * Math.SQRT1_2); // Q = 1/sqrt(2): Butterworth
    const c = Math.cos(w0), a0 = 1 + alpha;
    this.b0 = (1 + c) / 2 / a0;
    this.b1 = -(1 + c) / a0;
    this.b2 = (1 + c) / 2 / a0;
    this.a1 = (-2 * c) / a0;
    this.a2 = (1 - alpha) / a0;
  }

  /** The filtered value of sample x. The first sample primes the state as if x had always been (no start-up step). */
  step(x: number): number {
    if (!this.primed) {
      this.x1 = this.x2 = x;
      this.y1 = this.y2 = 0;
      this.primed = true;
    }
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }

  /** Gain at frequency f, Hz (the magnitude of the digital filter's response). */
  gainAt(f: number): number {
    const w = (2 * Math.PI * f) / this.sampleHz;
    const re = (k: number) => Math.cos(k * w), im = (k: number) => -Math.sin(k * w);
    const nr = this.b0 + this.b1 * re(1) + this.b2 * re(2), ni = this.b1 * im(1) + this.b2 * im(2);
    const dr = 1 + this.a1 * re(1) + this.a2 * re(2), di = this.a1 * im(1) + this.a2 * im(2);
    return Math.hypot(nr, ni) / Math.hypot(dr, di);
  }
}

export interface JitterStats {
  /** Largest |high-passed error| after the settling time, rad. */
  peakRad: number;
  /** RMS of the high-passed error after the settling time, rad. */
  rmsRad: number;
  /** Samples counted. */
  samples: number;
}

/**
 * Angular vibration range of one axis: `errorRad[k]` is the ground-truth
 * attitude error at t = k / sampleHz; samples before `settleS` run through
 * the filter but are not counted.
 */
export function angularJitter(errorRad: ArrayLike<number>, sampleHz: number, settleS: number, cutoffHz = 1): JitterStats {
  if (!(settleS >= 0)) throw new RangeError(`angular jitter: settleS must be >= 0, got ${settleS}`);
  const hp = new ButterworthHighPass(cutoffHz, sampleHz);
  const from = Math.ceil(settleS * sampleHz - 1e-9);
  let peak = 0, sq = 0, n = 0;
  for (let k = 0; k < errorRad.length; k++) {
    const e = errorRad[k]!;
    if (!Number.isFinite(e)) throw new RangeError(`angular jitter: sample ${k} is not finite (${e})`);
    const y = hp.step(e);
    if (k < from) continue;
    peak = Math.max(peak, Math.abs(y));
    sq += y * y;
    n++;
  }
  return { peakRad: peak, rmsRad: n > 0 ? Math.sqrt(sq / n) : NaN, samples: n };
}
