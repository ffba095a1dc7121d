/**
 * Attitude and gyro bias: the explicit complementary filter with bias
 * estimation of R. Mahony, T. Hamel and J.-M. Pflimlin, "Nonlinear
 * complementary filters on the special orthogonal group", IEEE TAC 53(5),
 * 2008 (the explicit complementary filter with bias correction), in
 * quaternion form:
 *
 *   q' = q (x) [0, (w_gyro - b) + kP w_mes] / 2,   b' = -kI w_mes,
 *   w_mes = sum_i k_i v_i x v^_i,
 *
 * with v_i a measured direction in the body frame and v^_i = R^T v0_i its
 * prediction from the estimate. The gains follow PX4's attitude_estimator_q
 * (src/modules/attitude_estimator_q/attitude_estimator_q_params.c and
 * attitude_estimator_q_main.cpp, read through the code search): its
 * weights multiply the correction directly (kP = ATT_W_ACC for gravity,
 * ATT_W_EXT_HDG for heading) and the bias integrates the weighted correction
 * times ATT_W_GYRO_BIAS, so kI = 0.2 x 0.1 = 0.02 1/s^2 for gravity: a
 * second-order loop with w_n = 0.14 rad/s and damping 0.71 (bias settling
 * ~ 4 / (zeta w_n) = 40 s).
 *
 * Directions used (all magnetometer-free):
 * - gravity: the accelerometer's specific force against world up, used only
 *   while |f| is within 10 % of g (PX4's 0.9 g..1.1 g gate): an
 *   accelerating multirotor's accelerometer sees its thrust axis, not
 *   gravity (Martin & Salaun, ICRA 2010), and the gate keeps hard
 *   manoeuvres out;
 * - acceleration-compensated gravity, from GNSS velocity (PX4's
 *   ATT_ACC_COMP idea, done over a whole GNSS interval instead of on one
 *   differenced pair): the IMU's specific force rotated to the world and
 *   summed over the interval between two fixes, sum R^ f dt, must equal the
 *   fixes' velocity change plus g T. The rotation that takes the first
 *   vector onto the second is the attitude error. It corrects roll and pitch
 *   during manoeuvres (no thrust-axis pull), and yaw whenever the vehicle
 *   accelerates horizontally: this is the "yaw when moving". Course over
 *   ground is not used as yaw, because a multirotor flies sideways;
 * - heading: a dual-antenna GNSS yaw (`GnssFix.headingRad`) when finite, as
 *   PX4's external heading: the yaw error about world z, rotated to body.
 *
 * Frames: ENU world, FLU body (REP 103); quaternion [x, y, z, w], body to
 * world. Allocation-free: every update writes into the filter's own arrays.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import { quatFromEulerInto, rotateVec, rotateVecInv, wrapAngle } from '../../sim/math.ts';

export interface MahonyParams {
  /** Proportional weight of the gravity / acceleration correction, 1/s (PX4 ATT_W_ACC default 0.2). */
  accelWeight: number;
  /** Proportional weight of the external heading correction, 1/s (PX4 ATT_W_EXT_HDG default 0.1). */
  headingWeight: number;
  /** Bias integral weight, multiplies the weighted correction (PX4 ATT_W_GYRO_BIAS default 0.1). */
  gyroBiasWeight: number;
  /** Bias clamp per axis, rad/s (PX4 ATT_BIAS_MAX default 0.05 rad/s). */
  gyroBiasMaxRadPerS: number;
  /** Bias learning stops above this body rate, rad/s (PX4 attitude_estimator_q: spinRate < 0.175). */
  biasLearnMaxRateRadPerS: number;
  /** The accelerometer gate: |f| within this fraction of g (PX4: 0.9 g to 1.1 g). */
  accelGateFraction: number;
  /** Gravity, m/s^2: the physics backends' default (sim/sensors/imu.ts BMI088.gravityMps2). */
  gravityMps2: number;
  /**
   * Yaw from acceleration needs horizontal velocity changes (GNSS and IMU,
   * over the reference window) at least this long, m/s: 1 m/s is 14x the
   * noise of a difference of two ZED-F9P velocities (0.05 m/s x sqrt 2).
   * Skylane choice.
   */
  yawMinHorizontalDvMps: number;
}

export const MAHONY_DEFAULTS: MahonyParams = {
  accelWeight: 0.2, // PX4 ATT_W_ACC
  headingWeight: 0.1, // PX4 ATT_W_EXT_HDG
  gyroBiasWeight: 0.1, // PX4 ATT_W_GYRO_BIAS
  gyroBiasMaxRadPerS: 0.05, // PX4 ATT_BIAS_MAX (2.9 sigma of the BMI088's 1 deg/s zero-rate offset)
  biasLearnMaxRateRadPerS: 0.175, // PX4 attitude_estimator_q (10 deg/s)
  accelGateFraction: 0.1, // PX4 attitude_estimator_q 0.9 g..1.1 g
  gravityMps2: 9.81, // sim/sensors/imu.ts, the backends' default
  yawMinHorizontalDvMps: 1, // Skylane choice, see above
};

export class MahonyAttitude {
  readonly p: MahonyParams;
  /** Attitude, body to world, [x, y, z, w]. */
  readonly q: Quat = [0, 0, 0, 1];
  /** Gyro bias estimate, rad/s, body (subtracted from the gyro). */
  readonly biasRadPerS: Vec3 = [0, 0, 0];
  /** Last bias-corrected body rate, rad/s. */
  readonly rateRadPerS: Vec3 = [0, 0, 0];
  initialised = false;
  /**
   * Held correction from the last GNSS interval, world frame, rad/s before
   * the weight: applied at every IMU step until the next interval replaces it.
   */
  private readonly accCorrWorld: Vec3 = [0, 0, 0];
  private accCorrValid = false;
  /** Held heading error, rad (world z), applied until the next heading. */
  private headingErrRad = 0;
  private headingValid = false;
  private readonly _v: Vec3 = [0, 0, 0];
  private readonly _c: Vec3 = [0, 0, 0];

  constructor(p: Partial<MahonyParams> = {}) {
    this.p = { ...MAHONY_DEFAULTS, ...p };
    for (const [k, v] of Object.entries(this.p)) {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`mahony: ${k} must be finite and >= 0, got ${v}`);
    }
  }

  /**
   * Levels the estimate on a specific force (roll and pitch from gravity)
   * with the given yaw, and zeroes the bias. Called on the first IMU sample.
   */
  align(accel: Readonly<Vec3>, yawRad: number): void {
    const ax = accel[0], ay = accel[1], az = accel[2];
    const roll = Math.atan2(ay, az);
    const pitch = Math.atan2(-ax, Math.hypot(ay, az));
    quatFromEulerInto(roll, pitch, yawRad, this.q);
    this.biasRadPerS[0] = this.biasRadPerS[1] = this.biasRadPerS[2] = 0;
    this.initialised = true;
  }

  /** Replaces the yaw, keeping roll and pitch (first heading fix after a level-only alignment). */
  resetYaw(yawRad: number): void {
    const d = wrapAngle(yawRad - yawOfQ(this.q));
    // Pre-multiply by a world-z rotation: q <- rz(d) (x) q.
    const s = Math.sin(d / 2), c = Math.cos(d / 2);
    const q = this.q;
    const x = q[0], y = q[1], z = q[2], w = q[3];
    this.q[0] = c * x - s * y;
    this.q[1] = c * y + s * x;
    this.q[2] = c * z + s * w;
    this.q[3] = c * w - s * z;
  }

  /**
   * Feeds the comparison of one GNSS interval: `predictedDv` = sum R^ f dt
   * (world, m/s, the IMU's rotated specific force), `measuredDv` = the GNSS
   * velocity change plus g T (world, m/s). Held for the IMU steps until the
   * next interval.
   */
  setAccelerationReference(predictedDv: Readonly<Vec3>, measuredDv: Readonly<Vec3>): void {
    const p = this.p;
    // Yaw: the angle about world z between the horizontal parts, when they are long enough to
    // say something (the vehicle accelerated); a single-vector cross product would mostly tilt.
    let yawErr = 0;
    const rh = Math.sqrt(measuredDv[0] * measuredDv[0] + measuredDv[1] * measuredDv[1]);
    const uh = Math.sqrt(predictedDv[0] * predictedDv[0] + predictedDv[1] * predictedDv[1]);
    if (rh > p.yawMinHorizontalDvMps && uh > p.yawMinHorizontalDvMps) {
      yawErr = Math.atan2(predictedDv[0] * measuredDv[1] - predictedDv[1] * measuredDv[0], predictedDv[0] * measuredDv[0] + predictedDv[1] * measuredDv[1]);
    }
    // Tilt: the predicted vector with its yaw error taken out, onto the measured one.
    const cy = Math.cos(yawErr), sy = Math.sin(yawErr);
    let ux = cy * predictedDv[0] - sy * predictedDv[1], uy = sy * predictedDv[0] + cy * predictedDv[1], uz = predictedDv[2];
    let rx = measuredDv[0], ry = measuredDv[1], rz = measuredDv[2];
    const np = Math.sqrt(ux * ux + uy * uy + uz * uz), nm = Math.sqrt(rx * rx + ry * ry + rz * rz);
    if (!(np > 0 && nm > 0)) {
      this.accCorrValid = false;
      return;
    }
    ux /= np; uy /= np; uz /= np;
    rx /= nm; ry /= nm; rz /= nm;
    // Rotating the predicted direction onto the measured one: axis u x r (world), weighted by ATT_W_ACC;
    // the yaw part about world z, weighted like a heading (ATT_W_EXT_HDG).
    this.accCorrWorld[0] = p.accelWeight * (uy * rz - uz * ry);
    this.accCorrWorld[1] = p.accelWeight * (uz * rx - ux * rz);
    this.accCorrWorld[2] = p.accelWeight * (ux * ry - uy * rx) + p.headingWeight * yawErr;
    this.accCorrValid = true;
  }

  /** Stops using the GNSS acceleration reference (outage): the gated gravity correction takes over. */
  clearAccelerationReference(): void {
    this.accCorrValid = false;
  }

  /** Feeds a dual-antenna heading (ENU yaw, rad), held until the next one. */
  setHeading(yawRad: number): void {
    this.headingErrRad = wrapAngle(yawRad - yawOfQ(this.q));
    this.headingValid = true;
  }

  clearHeading(): void {
    this.headingValid = false;
  }

  /** One IMU step: gyro and specific force in the body frame, dt in seconds. */
  update(gyro: Readonly<Vec3>, accel: Readonly<Vec3>, dt: number): void {
    const p = this.p;
    const q = this.q;
    const c = this._c;
    c[0] = c[1] = c[2] = 0;

    if (this.accCorrValid) {
      // Acceleration-compensated reference: world-frame axis to body.
      rotateVecInv(q, this.accCorrWorld, this._v);
      c[0] += this._v[0];
      c[1] += this._v[1];
      c[2] += this._v[2];
    } else {
      const fn = Math.sqrt(accel[0] * accel[0] + accel[1] * accel[1] + accel[2] * accel[2]);
      if (Math.abs(fn - p.gravityMps2) < p.accelGateFraction * p.gravityMps2) {
        // Predicted up in body, k^ = R^T e3; w_mes = f^ x k^ (measured x predicted, Mahony eq. 32).
        const x = q[0], y = q[1], z = q[2], w = q[3];
        const kx = 2 * (x * z - w * y), ky = 2 * (y * z + w * x), kz = 1 - 2 * (x * x + y * y);
        const fx = accel[0] / fn, fy = accel[1] / fn, fz = accel[2] / fn;
        c[0] += p.accelWeight * (fy * kz - fz * ky);
        c[1] += p.accelWeight * (fz * kx - fx * kz);
        c[2] += p.accelWeight * (fx * ky - fy * kx);
      }
    }
    if (this.headingValid) {
      // World-z yaw error rotated to body (PX4's external-heading correction, ENU sign).
      const v = this._v;
      v[0] = 0;
      v[1] = 0;
      v[2] = this.headingErrRad;
      rotateVecInv(q, v, v);
      c[0] += p.headingWeight * v[0];
      c[1] += p.headingWeight * v[1];
      c[2] += p.headingWeight * v[2];
    }

    const b = this.biasRadPerS;
    const sx = gyro[0] - b[0], sy = gyro[1] - b[1], sz = gyro[2] - b[2];
    const spin = Math.sqrt(sx * sx + sy * sy + sz * sz);
    if (spin < p.biasLearnMaxRateRadPerS) {
      // b' = -kI w_mes: the bias is subtracted, so it moves against the correction.
      for (let i = 0; i < 3; i++) {
        const bi = b[i]! - p.gyroBiasWeight * c[i]! * dt;
        b[i] = Math.min(p.gyroBiasMaxRadPerS, Math.max(-p.gyroBiasMaxRadPerS, bi));
      }
    }
    const r = this.rateRadPerS;
    r[0] = gyro[0] - b[0];
    r[1] = gyro[1] - b[1];
    r[2] = gyro[2] - b[2];
    // Exact quaternion exponential of the corrected rate (q <- q (x) exp(w dt / 2)), then renormalise.
    integrateBodyRate(q, r[0] + c[0], r[1] + c[1], r[2] + c[2], dt);
    // The held heading error shrinks as the correction acts, so it is not applied twice.
    if (this.headingValid) this.headingErrRad *= Math.max(0, 1 - p.headingWeight * dt);
    if (this.accCorrValid) {
      const k = Math.max(0, 1 - p.accelWeight * dt);
      this.accCorrWorld[0] *= k;
      this.accCorrWorld[1] *= k;
      this.accCorrWorld[2] *= k;
    }
  }
}

/** q <- q (x) exp([wx, wy, wz] dt / 2), normalised. */
export function integrateBodyRate(q: Quat, wx: number, wy: number, wz: number, dt: number): void {
  const n = Math.sqrt(wx * wx + wy * wy + wz * wz);
  const half = (n * dt) / 2;
  const s = n > 1e-12 ? Math.sin(half) / n : dt / 2;
  const dx = wx * s, dy = wy * s, dz = wz * s, dw = Math.cos(half);
  const x = q[0], y = q[1], z = q[2], w = q[3];
  const ox = w * dx + x * dw + y * dz - z * dy;
  const oy = w * dy - x * dz + y * dw + z * dx;
  const oz = w * dz + x * dy - y * dx + z * dw;
  const ow = w * dw - x * dx - y * dy - z * dz;
  const m = Math.sqrt(ox * ox + oy * oy + oz * oz + ow * ow);
  q[0] = ox / m;
  q[1] = oy / m;
  q[2] = oz / m;
  q[3] = ow / m;
}

/** Body to world and back, index-based so the estimator's tick allocates nothing (sim/math.ts). */
export { rotateVec as rotate, rotateVecInv as rotateInv };

function yawOfQ(q: Readonly<Quat>): number {
  const x = q[0], y = q[1], z = q[2], w = q[3];
  return Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
}

/** sim/math.ts quatFromEuler (z-y'-x''), into a caller's array. */
