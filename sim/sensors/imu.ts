/**
 * A 6-axis MEMS IMU: accelerometer (specific force) and gyroscope (angular
 * rate), in the sensor frame.
 *
 * Truth. Specific force f = R^T (a - g), g = [0, 0, -9.81] m/s^2 (the
 * backends' default gravity), so an IMU at rest reads +9.81 along its z axis,
 * as the BMI088 data sheet's "Sensing axes orientation" section states
 * (+1 g on Z for an upright device). The actor's acceleration is not part of
 * its ground truth, so the sensor derives it by differencing the ground-truth
 * velocity between its own samples: a_k = (v_k - v_{k-1}) / (t_k - t_{k-1}),
 * the mean acceleration over the interval (a backward difference: it lags the
 * truth by half a sample period). On the FIRST sample there is no previous
 * velocity, so the kinematic acceleration is taken as zero (the IMU powers
 * up as if unaccelerated); it is a correct reading at rest and one wrong
 * sample otherwise. Angular rate is the ground-truth angular velocity (world
 * axes) rotated into the sensor frame. The IMU measures the motion of the
 * actor's body origin: lever-arm terms of a mount offset (omega x (omega x r),
 * alpha x r) are not modelled; the mount's rotation is.
 *
 * Noise, per axis, each from its own draw of the sensor's seeded stream:
 * - white noise of density N (per sqrt(Hz)); in discrete time
 *   sigma_d = N * sqrt(1 / dt) = N * sqrt(rate), with dt the actual interval
 *   between this sample and the previous one (the nominal 1 / rateHz on the
 *   first sample, so a rate the physics step cannot honour is still right);
 * - turn-on bias: drawn once per run, on the first sample (power-up);
 * - in-run bias instability: a first-order Gauss-Markov process with
 *   steady-state sigma B and correlation time tau,
 *   b_k = phi b_{k-1} + B sqrt(1 - phi^2) w, phi = exp(-dt / tau), the model
 *   of RotorS's gazebo_imu_plugin (correlation time 1000 s by default there).
 *
 * Defaults (`BMI088`): Bosch Sensortec BMI088 data sheet (BST-BMI088-DS001):
 * gyroscope output noise density 0.014 deg/s/sqrt(Hz), zero-rate offset
 * +-1 deg/s (typ.), bias stability 2 deg/h; accelerometer output noise density
 * 175 ug/sqrt(Hz), zero-g offset +-20 mg (typ.). "Typical" offsets are read as
 * 1 sigma. The data sheet gives no accelerometer bias stability: 0.05 mg
 * (~5e-4 m/s^2) is Skylane's assumption, of the order MEMS Allan-variance
 * studies report for this class. Rate 100 Hz: Skylane's default (the data
 * sheet allows 12.5-1600 Hz accel, 100-2000 Hz gyro); the IMU cannot sample
 * faster than the physics step.
 */
import type { Pose, Quat, Vec3 } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';
import { rotateVecInv, sensorPose } from './object-list.ts';

export interface ImuParams {
  name: string;
  rateHz: number;
  mount: Pose;
  /** Magnitude of gravity, m/s^2, along world -z; match the physics world's. */
  gravityMps2: number;
  gyroNoiseDensityRadPerSqrtHz: number;
  gyroTurnOnBiasSigmaRadPerS: number;
  gyroBiasInstabilityRadPerS: number;
  accelNoiseDensityMps2PerSqrtHz: number;
  accelTurnOnBiasSigmaMps2: number;
  accelBiasInstabilityMps2: number;
  /** Correlation time of the Gauss-Markov bias, s. */
  biasCorrelationTimeS: number;
}

const DEG = Math.PI / 180;
const G0 = 9.80665; // standard gravity, converts the data sheet's g and mg

/** Bosch BMI088 (see the file header). */
export const BMI088 = {
  rateHz: 100, // Skylane default
  gravityMps2: 9.81, // the physics backends' default gravity
  gyroNoiseDensityRadPerSqrtHz: 0.014 * DEG, // 0.014 deg/s/sqrt(Hz)
  gyroTurnOnBiasSigmaRadPerS: 1 * DEG, // zero-rate offset +-1 deg/s typ.
  gyroBiasInstabilityRadPerS: (2 * DEG) / 3600, // bias stability 2 deg/h
  accelNoiseDensityMps2PerSqrtHz: 175e-6 * G0, // 175 ug/sqrt(Hz)
  accelTurnOnBiasSigmaMps2: 20e-3 * G0, // zero-g offset +-20 mg typ.
  accelBiasInstabilityMps2: 0.05e-3 * G0, // Skylane assumption (no data-sheet figure)
  biasCorrelationTimeS: 1000, // RotorS gazebo_imu_plugin default
} as const;

/**
 * TDK InvenSense ICM-42688-P (data sheet DS-000347 v1.7, "Gyroscope Noise:
 * 2.8 mdps/sqrt(Hz) & Accelerometer Noise: 70 ug/sqrt(Hz)"): the low-noise
 * IMU of current gimbal and flight controllers (issue #5's camera IMU
 * choices). The zero-rate offset, +-0.5 deg/s typ. (read as 1 sigma), is the
 * data sheet's as a published comparison table quotes it (the table itself
 * was not reachable); the zero-g offset, +-20 mg, is unverified (the
 * gimbal calibrates the accelerometer: uav/gimbal/SOURCES.md). No
 * bias-stability figure: 2 deg/h and 0.05 mg are Skylane's assumption, the
 * BMI088's class.
 */
export const ICM_42688_P = {
  ...BMI088,
  gyroNoiseDensityRadPerSqrtHz: 0.0028 * DEG, // 2.8 mdps/sqrt(Hz)
  gyroTurnOnBiasSigmaRadPerS: 0.5 * DEG, // zero-rate offset +-0.5 deg/s typ. (as quoted, see above)
  accelNoiseDensityMps2PerSqrtHz: 70e-6 * G0, // 70 ug/sqrt(Hz)
} as const;

/**
 * InvenSense MPU-6000 (product specification PS-MPU-6000A-00 rev 3.4: gyro
 * rate noise spectral density 0.005 deg/s/sqrt(Hz), initial zero-rate
 * offset +-20 deg/s; accelerometer noise power spectral density
 * 400 ug/sqrt(Hz), initial zero-g offset +-50 mg on x and y (+-80 mg on z);
 * sections 6.1 and 6.2, re-read for issue #5; "+-" read as 1 sigma): the IMU of a generation of
 * flight controllers and gimbals. No bias-stability figure: the BMI088's
 * class is assumed.
 */
export const MPU_6000 = {
  ...BMI088,
  gyroNoiseDensityRadPerSqrtHz: 0.005 * DEG, // 0.005 deg/s/sqrt(Hz)
  gyroTurnOnBiasSigmaRadPerS: 20 * DEG, // initial zero-rate offset +-20 deg/s
  accelNoiseDensityMps2PerSqrtHz: 400e-6 * G0, // 400 ug/sqrt(Hz)
  accelTurnOnBiasSigmaMps2: 50e-3 * G0, // initial zero-g offset +-50 mg (x, y)
} as const;

/** The IMU models by name (for the camera IMU of the gimbal, issue #5, and any `imu` sensor). */
export const IMU_MODELS = { bmi088: BMI088, 'icm-42688-p': ICM_42688_P, 'mpu-6000': MPU_6000 } as const;

export interface ImuSample {
  /** Specific force in the sensor frame, m/s^2 (+g on z at rest, upright). */
  accel: Vec3;
  /** Angular rate in the sensor frame, rad/s. */
  gyro: Vec3;
}

const _q: Quat = [0, 0, 0, 1];
const _o: Vec3 = [0, 0, 0];
const _a: Vec3 = [0, 0, 0];

/**
 * The noise of one IMU (see the file header): white noise, turn-on bias and
 * Gauss-Markov bias instability on each axis, and optionally the output
 * quantisation of a digital part. `corrupt` adds it in place to a true
 * gyro and specific force over a sample interval `dt`; the first call is
 * power-up (turn-on bias drawn). Shared by the `imu` sensor and the gimbal's
 * camera IMU (uav/gimbal/), which samples inside the physics step.
 */
export class ImuNoise {
  private readonly gyroBias: Vec3 = [0, 0, 0];
  private readonly accelBias: Vec3 = [0, 0, 0];
  /** Gauss-Markov parts of the biases (the turn-on parts are constant). */
  private readonly gyroDrift: Vec3 = [0, 0, 0];
  private readonly accelDrift: Vec3 = [0, 0, 0];
  private started = false;
  /** Noise factors of the last sample interval `factorsDt` (p is fixed, so they depend on dt only). */
  private factorsDt = NaN;
  private rootRate = 0;
  private phi = 0;
  private drive = 0;

  constructor(private readonly p: Omit<ImuParams, 'name' | 'rateHz' | 'mount' | 'gravityMps2'>, private readonly quantum: { gyroRadPerS: number; accelMps2: number } = { gyroRadPerS: 0, accelMps2: 0 }) {
    for (const k of ['gyroNoiseDensityRadPerSqrtHz', 'gyroTurnOnBiasSigmaRadPerS', 'gyroBiasInstabilityRadPerS', 'accelNoiseDensityMps2PerSqrtHz', 'accelTurnOnBiasSigmaMps2', 'accelBiasInstabilityMps2'] as const) {
      if (!(p[k] >= 0) || !Number.isFinite(p[k])) throw new RangeError(`imu: ${k} must be finite and >= 0`);
    }
    if (!(p.biasCorrelationTimeS > 0)) throw new RangeError('imu: biasCorrelationTimeS must be > 0');
    if (!(quantum.gyroRadPerS >= 0 && quantum.accelMps2 >= 0)) throw new RangeError('imu: quanta must be >= 0');
  }

  /** The true gyro bias now (turn-on plus drift), rad/s: ground truth, for tests. */
  gyroBiasRadPerS(axis: number): number {
    return this.gyroBias[axis]! + this.gyroDrift[axis]!;
  }

  /** The true accelerometer bias now (turn-on plus drift), m/s^2: ground truth, for tests. */
  accelBiasMps2(axis: number): number {
    return this.accelBias[axis]! + this.accelDrift[axis]!;
  }

  corrupt(gyro: Vec3, accel: Vec3, dt: number, rng: Rng): void {
    const p = this.p;
    if (!this.started) {
      this.started = true;
      // Turn-on bias: once per run, drawn on power-up (the first sample), the stationary start of the drift too.
      for (let i = 0; i < 3; i++) {
        this.gyroBias[i] = rng.normal(0, p.gyroTurnOnBiasSigmaRadPerS);
        this.accelBias[i] = rng.normal(0, p.accelTurnOnBiasSigmaMps2);
        this.gyroDrift[i] = rng.normal(0, p.gyroBiasInstabilityRadPerS);
        this.accelDrift[i] = rng.normal(0, p.accelBiasInstabilityMps2);
      }
    }
    // The sample interval is nearly always the last one: reuse its factors (the same expressions, so the same values).
    if (dt !== this.factorsDt) {
      this.factorsDt = dt;
      this.rootRate = Math.sqrt(1 / dt);
      this.phi = Math.exp(-dt / p.biasCorrelationTimeS);
      this.drive = Math.sqrt(1 - this.phi * this.phi);
    }
    const rootRate = this.rootRate, phi = this.phi, drive = this.drive;
    for (let i = 0; i < 3; i++) {
      this.gyroDrift[i] = phi * this.gyroDrift[i]! + p.gyroBiasInstabilityRadPerS * drive * rng.normal();
      this.accelDrift[i] = phi * this.accelDrift[i]! + p.accelBiasInstabilityMps2 * drive * rng.normal();
      gyro[i] = gyro[i]! + this.gyroBias[i]! + this.gyroDrift[i]! + p.gyroNoiseDensityRadPerSqrtHz * rootRate * rng.normal();
      accel[i] = accel[i]! + this.accelBias[i]! + this.accelDrift[i]! + p.accelNoiseDensityMps2PerSqrtHz * rootRate * rng.normal();
    }
    const qg = this.quantum.gyroRadPerS, qa = this.quantum.accelMps2;
    if (qg > 0) for (let i = 0; i < 3; i++) gyro[i] = Math.round(gyro[i]! / qg) * qg;
    if (qa > 0) for (let i = 0; i < 3; i++) accel[i] = Math.round(accel[i]! / qa) * qa;
  }
}

export class Imu implements Sensor<ImuSample> {
  readonly type = 'imu';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  private readonly p: ImuParams;
  private readonly noise: ImuNoise;
  private readonly prevVelocity: Vec3 = [0, 0, 0];
  private prevTime = NaN;

  constructor(p: ImuParams) {
    try {
      this.noise = new ImuNoise(p);
    } catch (e) {
      throw new RangeError(`imu '${p.name}': ${(e as Error).message.replace(/^imu: /, '')}`);
    }
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
  }

  sample(ctx: SenseContext, rng: Rng): ImuSample {
    const p = this.p;
    const s = ctx.self;
    const first = Number.isNaN(this.prevTime);
    const dt = first ? 1 / p.rateHz : ctx.time - this.prevTime;
    // Kinematic acceleration by differencing ground-truth velocity (zero on the first sample, see header).
    const v = s.linearVelocity;
    for (let i = 0; i < 3; i++) {
      _a[i] = first || !(dt > 0) ? 0 : (v[i]! - this.prevVelocity[i]!) / dt;
      this.prevVelocity[i] = v[i]!;
    }
    this.prevTime = ctx.time;
    _a[2] += p.gravityMps2; // a - g with g = [0, 0, -|g|]

    sensorPose(ctx, this.mount, _o, _q);
    const accel: Vec3 = [0, 0, 0];
    const gyro: Vec3 = [0, 0, 0];
    rotateVecInv(_q, _a, accel);
    rotateVecInv(_q, s.angularVelocity, gyro);
    this.noise.corrupt(gyro, accel, dt, rng);
    return { accel, gyro };
  }
}
