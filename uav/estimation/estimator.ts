/**
 * The UAV state estimator: IMU, GNSS and barometer readings in, a
 * `StateEstimate` out (the one the flight stack flies on; never ground truth).
 *
 * Structure (a loosely coupled cascade, the shape of PX4's
 * attitude_estimator_q + local_position_estimator pair rather than the
 * single EKF2):
 * 1. attitude and gyro bias: `MahonyAttitude` (mahony.ts) at the IMU rate,
 *    corrected by gravity, by the GNSS-measured acceleration over each fix
 *    interval, and by a dual-antenna GNSS heading when the receiver gives one;
 * 2. position and velocity: three `AxisKalman` filters (axis-kalman.ts), one
 *    per ENU axis, predicted with the world-frame acceleration
 *    a = R^ f + g (g = [0, 0, -9.81]), corrected with GNSS position and
 *    velocity at the GNSS rate; the up axis also fuses the barometric
 *    altitude and estimates the barometer's bias.
 * The attitude error feeds the position filter through R^ f; the cascade
 * ignores that correlation, which the process noise covers (see
 * `ESTIMATOR_DEFAULTS.tiltErrorSigmaRad`).
 *
 * Readings are the world's `Reading`s (latest sample and its time): a
 * reading is used once, when its time is newer than the last one used, and
 * only while healthy. `update` allocates nothing; it fills one preallocated
 * StateEstimate and returns it.
 */
import type { Vec3 } from '../../sim/math.ts';
import type { Reading } from '../../sim/sensor.ts';
import { BAROMETER_DEFAULTS, type BarometerSample } from '../../sim/sensors/barometer.ts';
import type { GnssFix } from '../../sim/sensors/gnss.ts';
import { ZED_F9P } from '../../sim/sensors/gnss.ts';
import { BMI088, type ImuSample } from '../../sim/sensors/imu.ts';
import { AxisKalman } from './axis-kalman.ts';
import { MahonyAttitude, rotate, type MahonyParams } from './mahony.ts';
import { newStateEstimate, type StateEstimate } from './state-estimate.ts';

export interface EstimatorReadings {
  imu?: Reading<ImuSample | null> | null | undefined;
  gnss?: Reading<GnssFix | null> | null | undefined;
  baro?: Reading<BarometerSample | null> | null | undefined;
}

export interface EstimatorParams {
  mahony: Partial<MahonyParams>;
  /** m/s^2, along world -z: the physics backends' default (BMI088.gravityMps2). */
  gravityMps2: number;
  /** Accelerometer white noise, m/s^2/sqrt(Hz): BMI088 data sheet 175 ug/sqrt(Hz). */
  accelNoiseDensityMps2PerSqrtHz: number;
  /**
   * Residual tilt error of the attitude filter, rad: a g sin(e) error in the
   * world acceleration, correlated over the filter's time constant
   * 1 / ATT_W_ACC. Skylane assumption (0.1 deg), checked by the at-rest test
   * (tilt error within 0.1 deg of the accelerometer offset's b / g).
   */
  tiltErrorSigmaRad: number;
  /** Accelerometer bias random walk, m/s^3/sqrt(Hz): PX4 EKF2_ACC_B_NOISE default. */
  accelBiasRandomWalkMps3PerSqrtHz: number;
  /** Prior sigma of the acceleration bias, m/s^2: BMI088 zero-g offset 20 mg typ. */
  accelBiasInitialSigmaMps2: number;
  /** GNSS position sigmas, m: ZED-F9P RTK 0.01 m CEP / 1.1774 (sim/sensors/gnss.ts). */
  gnssHorizontalSigmaM: number;
  gnssVerticalSigmaM: number;
  /** GNSS velocity sigma, m/s: ZED-F9P 0.05 m/s. */
  gnssVelocitySigmaMps: number;
  /** Barometer white noise, m: PX4 SITL's 1 Pa RMS over rho0 g0 = 12.01 Pa/m (ISA sea level). */
  baroNoiseSigmaM: number;
  /** Barometer bias, m: BMP388 relative accuracy 8 Pa (1 sigma) over 12.01 Pa/m. */
  baroBiasSigmaM: number;
  /** Barometer bias correlation time, s: sim/sensors/barometer.ts (Skylane assumption, 300 s). */
  baroBiasCorrelationTimeS: number;
  /**
   * GNSS older than this is stale: the attitude falls back to the gated
   * gravity correction and the position dead-reckons. 0.5 s = five missed
   * fixes at the ZED-F9P's 10 Hz default (Skylane choice).
   */
  gnssTimeoutS: number;
  /**
   * Window of the acceleration reference, s: the attitude compares the
   * IMU's velocity change with the GNSS's over the last this-many seconds.
   * Over one 0.1 s fix interval the ZED-F9P's 0.05 m/s velocity noise is
   * 0.07 m/s against g T = 0.98 m/s (4 deg of direction noise); over 1 s it
   * is 0.4 deg, and 1 s is still 5x shorter than the filter's 1 / ATT_W_ACC.
   * Skylane choice.
   */
  accelReferenceWindowS: number;
  /**
   * Stationary alignment before the first estimate, s: while the vehicle
   * stands still, the estimator averages the gyro (its mean is the turn-on
   * bias) and the accelerometer (its mean levels the attitude), as
   * autopilots do before they arm: the Crazyflie firmware takes the gyro
   * bias from the mean of 512 samples once their variance is low
   * (bitcraze crazyflie-firmware, sensors_bmi088: SENSORS_NBR_OF_BIAS_SAMPLES
   * 512, GYRO_MIN_BIAS_TIMEOUT_MS 1000) and reports the sensors not ready
   * until then; PX4 refuses to arm until the estimator has converged. Over
   * 1 s the BMI088's 0.014 deg/s/sqrt(Hz) leaves 0.014 deg/s of the +-1 deg/s
   * turn-on bias, which the complementary filter alone (w_n 0.14 rad/s)
   * takes tens of seconds to learn, flying meanwhile with several degrees
   * of tilt error. The estimate is invalid (motors off: PX4 arms on the
   * ground) until the window has passed. Samples that are not still
   * (|gyro| above `alignmentMaxRateRadPerS`, or |accel| off g by more than
   * `alignmentMaxAccelErrorMps2`: the contact transient of a body settling
   * on the ground) are left out of the means; a window with no still sample
   * at all levels on its last sample with a zero bias. The alignment
   * assumes the vehicle stands on the ground when the estimator starts (as
   * every library UAV does); a vehicle started in flight sets 0: no
   * alignment, the filter starts on the first sample and learns the bias
   * in flight.
   */
  alignmentS: number;
  /** Largest gyro magnitude of a still vehicle, rad/s: 0.1 rad/s, 5x the BMI088's 1 deg/s turn-on bias plus its noise (Skylane choice). */
  alignmentMaxRateRadPerS: number;
  /** Largest |accel| - g of a still vehicle, m/s^2: 0.5 m/s^2, 25x the BMI088's 20 mg offset (Skylane choice). */
  alignmentMaxAccelErrorMps2: number;
}

/** ISA sea-level density times standard gravity, Pa/m (ISO 2533: 1.225 kg/m^3 x 9.80665 m/s^2). */
const RHO0_G0_PA_PER_M = 1.225 * 9.80665;

export const ESTIMATOR_DEFAULTS: EstimatorParams = {
  mahony: {},
  gravityMps2: BMI088.gravityMps2,
  accelNoiseDensityMps2PerSqrtHz: BMI088.accelNoiseDensityMps2PerSqrtHz,
  tiltErrorSigmaRad: (0.1 * Math.PI) / 180, // Skylane assumption, see above
  accelBiasRandomWalkMps3PerSqrtHz: 0.003, // PX4 EKF2_ACC_B_NOISE default 3.0e-3 m/s^3 (ekf2_params.c; older releases used other units)
  accelBiasInitialSigmaMps2: BMI088.accelTurnOnBiasSigmaMps2,
  gnssHorizontalSigmaM: ZED_F9P.horizontalSigmaM,
  gnssVerticalSigmaM: ZED_F9P.verticalSigmaM,
  gnssVelocitySigmaMps: ZED_F9P.velocitySigmaMps,
  baroNoiseSigmaM: BAROMETER_DEFAULTS.pressureNoiseSigmaPa / RHO0_G0_PA_PER_M,
  baroBiasSigmaM: BAROMETER_DEFAULTS.biasSigmaPa / RHO0_G0_PA_PER_M,
  baroBiasCorrelationTimeS: BAROMETER_DEFAULTS.biasCorrelationTimeS,
  gnssTimeoutS: 0.5,
  accelReferenceWindowS: 1,
  alignmentS: 1, // Crazyflie firmware GYRO_MIN_BIAS_TIMEOUT_MS (see above)
  alignmentMaxRateRadPerS: 0.1,
  alignmentMaxAccelErrorMps2: 0.5,
};

/** GNSS fixes kept for the acceleration reference window (64 = 3.2 s at 20 Hz, the ZED-F9P's top RTK rate). */
const FIX_HISTORY = 64;

export class Estimator {
  readonly p: EstimatorParams;
  readonly attitude: MahonyAttitude;
  /** East, north, up filters (up carries the barometer bias). */
  readonly axes: readonly [AxisKalman, AxisKalman, AxisKalman];
  private readonly out: StateEstimate = newStateEstimate();
  /** White-acceleration density of the prediction input, (m/s^2)^2/Hz. */
  private readonly qAccel: number;
  private positionInitialised = false;
  private baroInitialised = false;
  private yawFromHeading = false;
  private lastImuTime = -Infinity;
  /** Barometer-bias Gauss-Markov factors for the IMU interval `baroDt` (the params are fixed, so they depend on dt only). */
  private baroDt = NaN;
  private baroPhi = 1;
  private baroQ = 0;
  private lastGnssTime = -Infinity;
  private lastBaroTime = -Infinity;
  /** Running sum of R^ f dt since alignment, world, m/s: differences of it are the IMU's velocity changes. */
  private readonly dvImuSum: Vec3 = [0, 0, 0];
  /** Ring of recent fixes: time, GNSS velocity, and dvImuSum at that time (xyz flattened). */
  private readonly fixTime = new Float64Array(FIX_HISTORY).fill(-Infinity);
  private readonly fixVel = new Float64Array(3 * FIX_HISTORY);
  private readonly fixDvImu = new Float64Array(3 * FIX_HISTORY);
  private fixHead = 0;
  private readonly dvImu: Vec3 = [0, 0, 0];
  private readonly dvGnss: Vec3 = [0, 0, 0];
  private readonly fWorld: Vec3 = [0, 0, 0];
  /** Stationary alignment: start time, sample count and sums of gyro and accel (xyz). */
  private alignStart = NaN;
  private alignN = 0;
  private readonly alignSum = new Float64Array(6);

  constructor(p: Partial<EstimatorParams> = {}) {
    this.p = { ...ESTIMATOR_DEFAULTS, ...p, mahony: { ...ESTIMATOR_DEFAULTS.mahony, ...p.mahony } };
    for (const [k, v] of Object.entries(this.p)) {
      if (k !== 'mahony' && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new RangeError(`estimator: ${k} must be finite and >= 0, got ${String(v)}`);
    }
    this.attitude = new MahonyAttitude({ gravityMps2: this.p.gravityMps2, ...this.p.mahony });
    this.axes = [new AxisKalman(3), new AxisKalman(3), new AxisKalman(4)];
    const gs = this.p.gravityMps2 * this.p.tiltErrorSigmaRad;
    const tau = 1 / this.attitude.p.accelWeight;
    // A Gauss-Markov error of sigma s and time constant tau has a low-frequency density 2 s^2 tau.
    this.qAccel = this.p.accelNoiseDensityMps2PerSqrtHz ** 2 + 2 * gs * gs * tau;
  }

  /** The estimate last written by `update` (the same object every call). */
  get estimate(): StateEstimate {
    return this.out;
  }

  /** Barometer bias estimate, m (baro altitude minus true altitude). */
  get baroBiasM(): number {
    return this.axes[2].x[3]!;
  }

  /** World-frame acceleration bias estimate, m/s^2, per ENU axis, into `out`. */
  accelBias(out: Vec3): Vec3 {
    out[0] = this.axes[0].x[2]!;
    out[1] = this.axes[1].x[2]!;
    out[2] = this.axes[2].x[2]!;
    return out;
  }

  /** One IMU sample of the stationary alignment (see `EstimatorParams.alignmentS`). */
  private alignStep(gyro: Readonly<Vec3>, accel: Readonly<Vec3>, t: number): void {
    const p = this.p, att = this.attitude, sum = this.alignSum;
    if (!(p.alignmentS > 0)) {
      att.align(accel, 0);
      return;
    }
    if (Number.isNaN(this.alignStart)) this.alignStart = t;
    const still =
      Math.hypot(gyro[0], gyro[1], gyro[2]) <= p.alignmentMaxRateRadPerS &&
      Math.abs(Math.hypot(accel[0], accel[1], accel[2]) - p.gravityMps2) <= p.alignmentMaxAccelErrorMps2;
    if (still) {
      for (let i = 0; i < 3; i++) {
        sum[i] = sum[i]! + gyro[i]!;
        sum[3 + i] = sum[3 + i]! + accel[i]!;
      }
      this.alignN++;
    }
    if (t - this.alignStart + 1e-9 < p.alignmentS) return;
    const n = this.alignN;
    if (n === 0) {
      // Never still over the window (not standing on the ground): level on this sample, zero bias.
      att.align(accel, 0);
      return;
    }
    att.align([sum[3]! / n, sum[4]! / n, sum[5]! / n], 0);
    att.biasRadPerS[0] = sum[0]! / n;
    att.biasRadPerS[1] = sum[1]! / n;
    att.biasRadPerS[2] = sum[2]! / n;
  }

  update(r: EstimatorReadings, t: number): StateEstimate {
    const p = this.p;
    const att = this.attitude;
    const imu = r.imu;
    if (imu && imu.healthy && imu.value && imu.time > this.lastImuTime) {
      const gyro = imu.value.gyro, accel = imu.value.accel;
      if (!att.initialised) {
        this.alignStep(gyro, accel, imu.time);
      } else {
        const dt = imu.time - this.lastImuTime;
        att.update(gyro, accel, dt);
        rotate(att.q, accel, this.fWorld);
        const f = this.fWorld;
        this.dvImuSum[0] += f[0] * dt;
        this.dvImuSum[1] += f[1] * dt;
        this.dvImuSum[2] += f[2] * dt;
        if (this.positionInitialised) {
          const qb = p.accelBiasRandomWalkMps3PerSqrtHz ** 2;
          // The IMU interval is nearly always the last one: reuse its Gauss-Markov factors (same expressions, same values).
          if (dt !== this.baroDt) {
            this.baroDt = dt;
            this.baroPhi = Math.exp(-dt / p.baroBiasCorrelationTimeS);
            this.baroQ = p.baroBiasSigmaM ** 2 * (1 - this.baroPhi * this.baroPhi);
          }
          this.axes[0].predict(f[0], dt, this.qAccel, qb);
          this.axes[1].predict(f[1], dt, this.qAccel, qb);
          this.axes[2].predict(f[2] - p.gravityMps2, dt, this.qAccel, qb, this.baroPhi, this.baroQ);
        }
      }
      this.lastImuTime = imu.time;
    }

    const gnss = r.gnss;
    if (gnss && gnss.healthy && gnss.value && gnss.time > this.lastGnssTime && att.initialised) {
      const g = gnss.value;
      if (Number.isFinite(g.headingRad)) {
        // The first heading replaces the arbitrary initial yaw; later ones correct it through the filter.
        if (!this.yawFromHeading) {
          att.resetYaw(g.headingRad);
          this.yawFromHeading = true;
        }
        att.setHeading(g.headingRad);
      }
      // Acceleration reference: the oldest kept fix inside the window (the ring is in time order).
      let j = -1;
      for (let k = 1; k < FIX_HISTORY; k++) {
        const i = (this.fixHead - k + FIX_HISTORY) % FIX_HISTORY;
        const age = gnss.time - this.fixTime[i]!;
        if (age > p.accelReferenceWindowS + 1e-9) break;
        j = i;
      }
      if (j >= 0) {
        const span = gnss.time - this.fixTime[j]!;
        for (let i = 0; i < 3; i++) {
          this.dvImu[i] = this.dvImuSum[i]! - this.fixDvImu[3 * j + i]!;
          this.dvGnss[i] = g.velocity[i]! - this.fixVel[3 * j + i]! + (i === 2 ? p.gravityMps2 * span : 0);
        }
        att.setAccelerationReference(this.dvImu, this.dvGnss);
      }
      const h = this.fixHead;
      this.fixTime[h] = gnss.time;
      for (let i = 0; i < 3; i++) {
        this.fixVel[3 * h + i] = g.velocity[i]!;
        this.fixDvImu[3 * h + i] = this.dvImuSum[i]!;
      }
      this.fixHead = (h + 1) % FIX_HISTORY;
      this.lastGnssTime = gnss.time;

      const rh = p.gnssHorizontalSigmaM ** 2, rv = p.gnssVerticalSigmaM ** 2, rvel = p.gnssVelocitySigmaMps ** 2;
      if (!this.positionInitialised) {
        const sb = p.accelBiasInitialSigmaMps2;
        this.axes[0].reset([g.position[0], g.velocity[0], 0], [p.gnssHorizontalSigmaM, p.gnssVelocitySigmaMps, sb]);
        this.axes[1].reset([g.position[1], g.velocity[1], 0], [p.gnssHorizontalSigmaM, p.gnssVelocitySigmaMps, sb]);
        this.axes[2].reset([g.position[2], g.velocity[2], 0, 0], [p.gnssVerticalSigmaM, p.gnssVelocitySigmaMps, sb, p.baroBiasSigmaM]);
        this.positionInitialised = true;
      } else {
        this.axes[0].fusePosition(g.position[0], rh);
        this.axes[1].fusePosition(g.position[1], rh);
        this.axes[2].fusePosition(g.position[2], rv);
        this.axes[0].fuseVelocity(g.velocity[0], rvel);
        this.axes[1].fuseVelocity(g.velocity[1], rvel);
        this.axes[2].fuseVelocity(g.velocity[2], rvel);
      }
    }
    if (t - this.lastGnssTime > p.gnssTimeoutS) {
      // Outage: no acceleration reference (the gated gravity correction takes over), no heading.
      att.clearAccelerationReference();
      att.clearHeading();
    }

    const baro = r.baro;
    if (baro && baro.healthy && baro.value && baro.time > this.lastBaroTime) {
      if (this.positionInitialised) {
        const z = this.axes[2];
        if (!this.baroInitialised) {
          // The first reading after the GNSS fix sets the bias (baro minus GNSS height); its prior sigma stays.
          z.x[3] = baro.value.altitudeM - z.x[0]!;
          this.baroInitialised = true;
        } else {
          z.fuseBaro(baro.value.altitudeM, p.baroNoiseSigmaM ** 2);
        }
      }
      this.lastBaroTime = baro.time;
    }

    const o = this.out;
    o.timeS = t;
    o.valid = att.initialised && this.positionInitialised;
    for (let i = 0; i < 3; i++) {
      const ax = this.axes[i]!;
      o.positionM[i] = ax.x[0]!;
      o.velocityMps[i] = ax.x[1]!;
      o.angularRateRadPerS[i] = att.rateRadPerS[i]!;
      o.gyroBiasRadPerS[i] = att.biasRadPerS[i]!;
    }
    o.attitude[0] = att.q[0];
    o.attitude[1] = att.q[1];
    o.attitude[2] = att.q[2];
    o.attitude[3] = att.q[3];
    return o;
  }
}
