/**
 * Wheel odometry from incremental wheel encoders on the left and right wheels
 * of an axle: cumulative tick counts, the forward speed and the yaw rate from
 * the differential wheel speeds.
 *
 * Truth. From the actor's ground truth: forward speed v (world velocity on the
 * body x axis) and yaw rate w (world angular velocity about z). The wheels of
 * an axle of track T roll at v -/+ w T / 2 (left/right; no slip: tyre slip is
 * not modelled here). Each wheel's rolled distance is integrated at the
 * sensor's own samples (rectangle rule on the sampled speeds).
 *
 * Errors:
 * - quantisation: an encoder counts whole ticks, N per revolution, from a
 *   random starting phase within the first tick. Counts are cumulative, so quantisation never accumulates; the speed is the count
 *   difference over the sample interval (the "frequency method"), so its
 *   resolution is 2 pi r / (N dt): 0.45 m/s for the car preset at 10 Hz;
 *   agents that need finer speed should average ticks over longer windows;
 * - scale factor: the true rolling radius differs from the nominal one the
 *   odometry assumes, r_true = r (1 + e), with e drawn once per run per wheel
 *   from N(0, sigma). The measured distance is then s / (1 + e).
 *
 * Defaults (`ABS_48_TOOTH`): a passenger car's ABS wheel-speed sensors.
 * - 48 teeth per revolution: the ABS tone wheel of the production cars used
 *   in F. Gustafsson et al., "Virtual sensors of tire pressure and road
 *   friction", SAE 2001-01-0796 (48 cogs), counting one edge per tooth;
 * - scale error sigma 1 %: Skylane's reading of tread wear. A new tyre has
 *   ~8 mm of tread and the EU legal minimum is 1.6 mm (Directive 89/459/EEC),
 *   so the rolling radius shrinks by ~6.4 mm over the tyre's life, 2 % of the
 *   BMW 320i's 0.344 m radius; with the nominal radius calibrated mid-life,
 *   +-2 % is taken as +-2 sigma;
 * - radius 0.344 m and track 1.364 m: the BMW 320i's rolling radius and rear
 *   track (CommonRoad vehicle 2, vehicles/car/params.ts);
 * - 10 Hz: Skylane's default.
 */
import type { Pose, Vec3 } from '../math.ts';
import { rotateVec } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';

export interface WheelOdometryParams {
  name: string;
  rateHz: number;
  mount: Pose;
  /** Nominal rolling radius the odometry assumes, metres. */
  wheelRadiusM: number;
  /** Distance between the left and right wheel contact patches, metres. */
  trackWidthM: number;
  ticksPerRev: number;
  /** Sigma of the per-wheel rolling-radius error, as a fraction. */
  scaleErrorSigma: number;
}

export const ABS_48_TOOTH = {
  rateHz: 10, // Skylane default
  wheelRadiusM: 0.344, // BMW 320i (CommonRoad R_w)
  trackWidthM: 1.36398, // BMW 320i rear track (CommonRoad T_r)
  ticksPerRev: 48, // Gustafsson et al., SAE 2001-01-0796
  scaleErrorSigma: 0.01, // tread wear +-2 % as +-2 sigma (see header)
} as const;

export interface WheelOdometrySample {
  /** Cumulative encoder ticks since the first sample (signed: negative when reversing). */
  leftTicks: number;
  rightTicks: number;
  /** Forward speed from the tick differences over the interval, m/s (0 on the first sample). */
  speedMps: number;
  /** Yaw rate from the differential wheel speeds, rad/s, + counter-clockwise. */
  yawRateRadPerS: number;
}

const _fwd: Vec3 = [1, 0, 0];
const _fwdW: Vec3 = [0, 0, 0];

export class WheelOdometry implements Sensor<WheelOdometrySample> {
  readonly type = 'wheel-odometry';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  private readonly p: WheelOdometryParams;
  /** Metres of nominal circumference per tick. */
  private readonly metresPerTick: number;
  private prevTime = NaN;
  /** True rolled distance of each wheel since the first sample, metres. */
  private distLeft = 0;
  private distRight = 0;
  private prevLeftTicks = 0;
  private prevRightTicks = 0;
  private scaleLeft = 1;
  private scaleRight = 1;
  /** Where in its first tick each encoder starts, in ticks [0, 1): a tone wheel powers up at any angle. */
  private phaseLeft = 0;
  private phaseRight = 0;

  constructor(p: WheelOdometryParams) {
    if (!(p.wheelRadiusM > 0) || !(p.trackWidthM > 0)) throw new RangeError(`wheel-odometry '${p.name}': wheelRadiusM and trackWidthM must be > 0`);
    if (!(p.ticksPerRev >= 1) || !Number.isInteger(p.ticksPerRev)) throw new RangeError(`wheel-odometry '${p.name}': ticksPerRev must be an integer >= 1`);
    if (!(p.scaleErrorSigma >= 0) || !(p.scaleErrorSigma < 0.2)) throw new RangeError(`wheel-odometry '${p.name}': scaleErrorSigma must be in [0, 0.2)`);
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
    this.metresPerTick = (2 * Math.PI * p.wheelRadiusM) / p.ticksPerRev;
  }

  sample(ctx: SenseContext, rng: Rng): WheelOdometrySample {
    const p = this.p;
    const s = ctx.self;
    rotateVec(s.rotation, _fwd, _fwdW);
    const v = s.linearVelocity[0] * _fwdW[0] + s.linearVelocity[1] * _fwdW[1] + s.linearVelocity[2] * _fwdW[2];
    const w = s.angularVelocity[2];
    if (Number.isNaN(this.prevTime)) {
      // Per-run radius errors, drawn at power-up; the counters start at zero.
      this.scaleLeft = 1 + rng.normal(0, p.scaleErrorSigma);
      this.scaleRight = 1 + rng.normal(0, p.scaleErrorSigma);
      this.phaseLeft = rng.next();
      this.phaseRight = rng.next();
      this.prevTime = ctx.time;
      return { leftTicks: 0, rightTicks: 0, speedMps: 0, yawRateRadPerS: 0 };
    }
    const dt = ctx.time - this.prevTime;
    this.prevTime = ctx.time;
    const half = (w * p.trackWidthM) / 2;
    this.distLeft += (v - half) * dt;
    this.distRight += (v + half) * dt;
    // A wheel of true radius r(1+e) turns s / (r(1+e)) rad: ticks of the nominal circumference shrink by 1+e.
    const leftTicks = Math.floor(this.distLeft / (this.metresPerTick * this.scaleLeft) + this.phaseLeft);
    const rightTicks = Math.floor(this.distRight / (this.metresPerTick * this.scaleRight) + this.phaseRight);
    const vl = dt > 0 ? ((leftTicks - this.prevLeftTicks) * this.metresPerTick) / dt : 0;
    const vr = dt > 0 ? ((rightTicks - this.prevRightTicks) * this.metresPerTick) / dt : 0;
    this.prevLeftTicks = leftTicks;
    this.prevRightTicks = rightTicks;
    return { leftTicks, rightTicks, speedMps: (vl + vr) / 2, yawRateRadPerS: (vr - vl) / p.trackWidthM };
  }
}
