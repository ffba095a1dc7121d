/**
 * A discrete "1 - cosine" gust.
 *
 * MIL-F-8785C's discrete gust (section 3.7, atmospheric disturbances), as
 * MATLAB's Aerospace Blockset "Discrete Wind Gust Model" block documents it
 * (amplitude, "length over which the gust builds up", start time), ramps the
 * wind up over the gust length d_m and then holds it:
 *   v = 0                              x < 0
 *   v = (v_m / 2) (1 - cos(pi x / d_m))  0 <= x <= d_m
 *   v = v_m                            x > d_m
 * That is `shape: 'ramp'` here. The more common use in flight testing and
 * certification is the full wave, up and back down
 * (FAR/CS 25.341: U = (U_ds / 2)(1 - cos(pi s / H)) for 0 <= s <= 2H):
 * `shape: 'full'` (the default) rises from zero at the start to the amplitude
 * at mid-duration and returns to zero at the end.
 *
 * The spec writes the gust over distance x travelled through the air; Skylane
 * writes it over time, because a multirotor may hover (x would not advance).
 * A spatial gust of length d met at airspeed V lasts d / V seconds.
 */
import type { Vec3 } from '../../sim/math.ts';

export interface DiscreteGustSpec {
  /** Time the gust begins, s. */
  startS: number;
  /** 'full': rise-and-fall duration; 'ramp': rise time. s, > 0. */
  durationS: number;
  /** Peak wind added by the gust, m/s (>= 0; the sign lives in `direction`). */
  amplitudeMps: number;
  /** Direction the gust blows towards, ENU; normalised on construction. */
  direction: Vec3;
  /** Default 'full'. */
  shape?: 'full' | 'ramp';
}

export class DiscreteGust {
  readonly startS: number;
  readonly durationS: number;
  readonly amplitudeMps: number;
  readonly shape: 'full' | 'ramp';
  /** Unit vector, ENU. */
  readonly direction: Vec3;

  constructor(spec: DiscreteGustSpec) {
    const d = spec.direction;
    const n = Math.hypot(d[0], d[1], d[2]);
    if (!(n > 0) || !Number.isFinite(n)) throw new RangeError('gust: direction must be a finite, non-zero vector');
    if (!(spec.durationS > 0) || !Number.isFinite(spec.durationS)) throw new RangeError(`gust: durationS must be finite and > 0, got ${spec.durationS}`);
    if (!(spec.amplitudeMps >= 0) || !Number.isFinite(spec.amplitudeMps)) throw new RangeError(`gust: amplitudeMps must be finite and >= 0, got ${spec.amplitudeMps}`);
    if (!Number.isFinite(spec.startS)) throw new RangeError('gust: startS must be finite');
    this.startS = spec.startS;
    this.durationS = spec.durationS;
    this.amplitudeMps = spec.amplitudeMps;
    this.shape = spec.shape ?? 'full';
    this.direction = [d[0] / n, d[1] / n, d[2] / n];
  }

  /** Gust speed at time t, m/s (along `direction`). */
  speedAt(t: number): number {
    const x = t - this.startS;
    if (x <= 0) return 0;
    if (this.shape === 'ramp') {
      if (x >= this.durationS) return this.amplitudeMps;
      return 0.5 * this.amplitudeMps * (1 - Math.cos((Math.PI * x) / this.durationS));
    }
    if (x >= this.durationS) return 0;
    return 0.5 * this.amplitudeMps * (1 - Math.cos((2 * Math.PI * x) / this.durationS));
  }

  /** Adds the gust's wind at time t to `out` (ENU, m/s) and returns `out`. */
  addTo(t: number, out: Vec3): Vec3 {
    const s = this.speedAt(t);
    out[0] += s * this.direction[0];
    out[1] += s * this.direction[1];
    out[2] += s * this.direction[2];
    return out;
  }
}
