/**
 * The wind a vehicle feels: steady wind + discrete gusts + Dryden turbulence,
 * in the world frame (ENU, m/s, the velocity of the air).
 *
 * Steady wind and gusts are the same everywhere and a pure function of time.
 * Turbulence is a random field the vehicle flies through (Taylor's frozen
 * turbulence, as MIL-F-8785C assumes), so what a vehicle feels depends on its
 * own path: each vehicle asks the field for a `WindProbe`, which owns its
 * filter state and its own named random stream (`rng.fork('turbulence/<name>')`),
 * so adding a vehicle never changes another vehicle's turbulence.
 *
 * Turbulence axes (MIL-F-8785C low altitude, and MATLAB's Dryden blocks'
 * "wind direction at 6 m" input): u along the horizontal direction of the
 * steady wind (east when there is none), v horizontal and 90 deg to its left,
 * w up. The component statistics do not depend on this choice of handedness.
 *
 * The airspeed that sets the time scale L / V: pass the speed of the vehicle
 * relative to the mean air, |v_vehicle - w_steady|, so a multirotor hovering
 * in a 10 m/s wind sees the field swept past at 10 m/s. It is floored at
 * `minAirspeedMps` (default 1 m/s, a Skylane assumption): at V = 0 the frozen
 * field would not move past the vehicle at all, which real air never does.
 *
 * Height above ground is the probe position's z (flat ground at z = 0).
 */
import type { Vec3 } from '../../sim/math.ts';
import type { Rng } from '../../sim/rng.ts';
import { drydenLowAltitude, type DrydenParams, type DrydenSample, DrydenState, type TurbulenceSeverity, W20_MPS } from './dryden.ts';
import { DiscreteGust, type DiscreteGustSpec } from './gust.ts';

export interface TurbulenceSpec {
  /** Intensity by MIL-F-8785C category; or give `w20Mps`. */
  severity?: TurbulenceSeverity;
  /** Wind speed at 20 ft (6.1 m), m/s; overrides `severity`. */
  w20Mps?: number;
  /** Floor on the airspeed that sets L / V, m/s. Default 1 (Skylane assumption, see header). */
  minAirspeedMps?: number;
}

export interface WindSpec {
  /** Steady wind, ENU, m/s (the velocity of the air, i.e. where it blows towards). */
  steadyMps?: Vec3;
  gusts?: readonly DiscreteGustSpec[];
  turbulence?: TurbulenceSpec;
}

const DEFAULT_MIN_AIRSPEED_MPS = 1; // Skylane assumption (see header)

export class WindField {
  readonly steadyMps: Readonly<Vec3>;
  readonly gusts: readonly DiscreteGust[];
  /** W20 in m/s, or NaN without turbulence. */
  readonly w20Mps: number;
  readonly minAirspeedMps: number;
  /** Unit vectors of the turbulence axes u, v in ENU (w is +z). */
  readonly uAxis: Readonly<Vec3>;
  readonly vAxis: Readonly<Vec3>;
  private readonly rng: Rng;

  constructor(spec: WindSpec, rng: Rng) {
    const s = spec.steadyMps ?? [0, 0, 0];
    if (!s.every(Number.isFinite)) throw new RangeError('wind: steadyMps must be finite');
    this.steadyMps = [s[0], s[1], s[2]];
    this.gusts = (spec.gusts ?? []).map((g) => new DiscreteGust(g));
    const t = spec.turbulence;
    if (t) {
      const w20 = t.w20Mps ?? (t.severity ? W20_MPS[t.severity] : NaN);
      if (!(w20 >= 0) || !Number.isFinite(w20)) throw new RangeError("wind: turbulence needs a severity ('light' | 'moderate' | 'severe') or a finite w20Mps >= 0");
      this.w20Mps = w20;
      const vmin = t.minAirspeedMps ?? DEFAULT_MIN_AIRSPEED_MPS;
      if (!(vmin > 0) || !Number.isFinite(vmin)) throw new RangeError('wind: turbulence.minAirspeedMps must be finite and > 0');
      this.minAirspeedMps = vmin;
    } else {
      this.w20Mps = NaN;
      this.minAirspeedMps = DEFAULT_MIN_AIRSPEED_MPS;
    }
    const hs = Math.hypot(s[0], s[1]);
    const ux = hs > 0 ? s[0] / hs : 1, uy = hs > 0 ? s[1] / hs : 0;
    this.uAxis = [ux, uy, 0];
    this.vAxis = [-uy, ux, 0];
    this.rng = rng;
  }

  get hasTurbulence(): boolean {
    return !Number.isNaN(this.w20Mps);
  }

  /** Steady wind plus gusts at time t, ENU m/s, into `out`. */
  deterministic(t: number, out: Vec3): Vec3 {
    out[0] = this.steadyMps[0];
    out[1] = this.steadyMps[1];
    out[2] = this.steadyMps[2];
    for (let i = 0; i < this.gusts.length; i++) this.gusts[i]!.addTo(t, out);
    return out;
  }

  /** A per-vehicle view of the field with its own turbulence state and stream. */
  probe(name: string): WindProbe {
    return new WindProbe(this, this.rng.fork(`turbulence/${name}`));
  }
}

export class WindProbe {
  private readonly state = new DrydenState();
  private readonly params: DrydenParams = { sigmaUMps: 0, sigmaVMps: 0, sigmaWMps: 0, lengthUM: 1, lengthVM: 1, lengthWM: 1 };
  private readonly turb: DrydenSample = { u: 0, v: 0, w: 0 };
  private readonly next: () => number;
  private lastT = NaN;

  constructor(readonly field: WindField, rng: Rng) {
    this.next = () => rng.normal();
  }

  /**
   * The wind at this vehicle at time t (s, non-decreasing between calls),
   * ENU m/s, written into `out`. `positionM` is the vehicle's ENU position
   * (z = height above ground); `airspeedMps` its speed relative to the mean
   * air (see the file header). Allocation-free.
   */
  sample(t: number, positionM: Readonly<Vec3>, airspeedMps: number, out: Vec3): Vec3 {
    const f = this.field;
    f.deterministic(t, out);
    if (!f.hasTurbulence) return out;
    if (!(airspeedMps >= 0) || !Number.isFinite(airspeedMps)) throw new RangeError(`wind probe: airspeedMps must be finite and >= 0, got ${airspeedMps}`);
    if (!Number.isFinite(t) || t < this.lastT) throw new RangeError(`wind probe: time must be finite and non-decreasing (got ${t} after ${this.lastT})`);
    const p = drydenLowAltitude(positionM[2], f.w20Mps, this.params);
    if (Number.isNaN(this.lastT)) {
      this.state.init(this.next);
    } else if (t > this.lastT) {
      const v = Math.max(f.minAirspeedMps, airspeedMps);
      this.state.step(t - this.lastT, v, p, this.next);
    }
    this.lastT = t;
    const d = this.state.output(p, this.turb);
    const ua = f.uAxis, va = f.vAxis;
    out[0] += d.u * ua[0] + d.v * va[0];
    out[1] += d.u * ua[1] + d.v * va[1];
    out[2] += d.w;
    return out;
  }

  /** The last turbulence sample in the (u, v, w) axes, m/s (for tests and plots). */
  get turbulence(): Readonly<DrydenSample> {
    return this.turb;
  }
}
