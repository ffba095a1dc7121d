/**
 * Body-rate PID (PX4 mc_rate_control, `RateControl::update`): per axis,
 * alpha = P e + I + D (-d omega / dt), e = omega_sp - omega, output an angular
 * acceleration turned into a torque with the airframe's inertia, tau = I alpha.
 * The D term acts on the measured rate's derivative, low-passed (PX4 takes it
 * from the gyro pipeline's angular acceleration, IMU_DGYRO_CUTOFF).
 *
 * The integrator, as PX4's `RateControl::updateIntegral`: it is frozen in the
 * direction in which the mixer saturated, its gain fades for large errors
 * (factor max(0, 1 - (e / 400 deg/s)^2), which keeps large manoeuvres from
 * winding it up), and it is clamped to the axis's integrator limit.
 *
 * Runs every call of `update` at the caller's dt: the flight stack calls it
 * at the physics rate, which must be at least 250 Hz.
 */
import { DEG, type Vec3 } from '../../sim/math.ts';
import type { AxisPid } from './gains.ts';

/** PX4 RateControl: the integral gain fades to zero at a rate error of 400 deg/s. */
const I_FADE_RATE_RAD_PER_S = 400 * DEG;

export class RateController {
  /** Integrator state per axis, rad/s^2. */
  readonly integral = new Float64Array(3);
  /** The last torque output, N m (body FLU). */
  readonly torqueNm: Vec3 = [0, 0, 0];
  private readonly prevRate = new Float64Array(3);
  private readonly accelFiltered = new Float64Array(3);
  private primed = false;

  constructor(
    private readonly gains: readonly [AxisPid, AxisPid, AxisPid],
    private readonly inertiaKgM2: Readonly<Vec3>,
    private readonly derivativeCutoffHz: number,
  ) {}

  reset(): void {
    this.integral.fill(0);
    this.accelFiltered.fill(0);
    this.primed = false;
  }

  /**
   * Torque for the rate setpoint `rateSp` at the measured body rate `rate`
   * (rad/s, FLU). `saturation` is the mixer's per-axis flag from the last tick
   * (+1: the torque fell short above, -1 below), for anti-windup.
   */
  update(rateSp: Readonly<Vec3>, rate: Readonly<Vec3>, dt: number, saturation: ArrayLike<number>): Vec3 {
    const a = dt / (dt + 1 / (2 * Math.PI * this.derivativeCutoffHz));
    for (let k = 0; k < 3; k++) {
      const g = this.gains[k]!;
      const w = rate[k]!;
      const raw = this.primed ? (w - this.prevRate[k]!) / dt : 0;
      this.prevRate[k] = w;
      this.accelFiltered[k] = this.accelFiltered[k]! + a * (raw - this.accelFiltered[k]!);
      const e = rateSp[k]! - w;
      const alpha = g.p * e + this.integral[k]! - g.d * this.accelFiltered[k]!;
      this.torqueNm[k] = this.inertiaKgM2[k]! * alpha;

      const sat = saturation[k]!;
      if (!((sat > 0 && e > 0) || (sat < 0 && e < 0))) {
        const f = e / I_FADE_RATE_RAD_PER_S;
        const iNew = this.integral[k]! + Math.max(0, 1 - f * f) * g.i * e * dt;
        this.integral[k] = Math.max(-g.iLimit, Math.min(g.iLimit, iNew));
      }
    }
    this.primed = true;
    return this.torqueNm;
  }
}
