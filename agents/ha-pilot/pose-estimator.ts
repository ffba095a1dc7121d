/**
 * The pilot's ego pose: GNSS position, velocity and dual-antenna heading,
 * bridged between fixes (and through a GNSS outage) by dead reckoning on the
 * IMU's yaw rate and the wheel odometry's speed.
 *
 * Heading and gyro bias are a two-state Kalman filter (state [psi, b],
 * psi' = omega_gyro - b, b a random walk; the GNSS heading measures psi), the
 * textbook gyro-aided heading filter (Farrell, Aided Navigation, McGraw-Hill
 * 2008, ch. 10 "attitude and heading"). It matters because the BMI088's
 * turn-on bias is +-1 deg/s (sim/sensors/imu.ts): integrated unaided through
 * a 12 s stop that is 12 deg of heading, and the car leaves its lane. While
 * GNSS is healthy the filter learns the bias to a few hundredths of a degree
 * per second, so a dead-reckoned stop keeps its lane.
 *
 * Position follows the GNSS fix, moved forward by the fix's age at the
 * estimated velocity (the fix is up to one GNSS period old); between fixes,
 * and without GNSS, x' = v cos psi, y' = v sin psi with v from the freshest
 * speed source (GNSS, else odometry, else the last value).
 */
import { wrapAngle } from '../../sim/math.ts';
import type { Reading } from '../../sim/sensor.ts';
import type { GnssFix } from '../../sim/sensors/gnss.ts';
import type { ImuSample } from '../../sim/sensors/imu.ts';
import type { WheelOdometrySample } from '../../sim/sensors/wheel-odometry.ts';

const DEG = Math.PI / 180;
/** Heading measurement sigma: ZED-F9P moving-base default, 0.4 deg (sim/sensors/gnss.ts). */
const HEADING_SIGMA_RAD = 0.4 * DEG;
/** Initial bias sigma: BMI088 zero-rate offset +-1 deg/s (sim/sensors/imu.ts). */
const BIAS_SIGMA0_RAD_PER_S = 1 * DEG;
/**
 * Heading process noise, rad^2/s: the BMI088's 0.014 deg/s/rtHz rate noise
 * squared, inflated x100 for what the model leaves out (the gyro sampled once
 * per agent tick, body pitch and roll coupling into the z axis).
 */
const HEADING_Q = 100 * (0.014 * DEG) ** 2;
/** Bias random walk, rad^2/s^3: 2 deg/h instability over a minute, generously. */
const BIAS_Q = ((2 * DEG) / 3600) ** 2 / 60;

export class PoseEstimator {
  x = 0;
  y = 0;
  /** Heading, rad, ENU. */
  headingRad = 0;
  /** Forward speed, m/s. */
  speedMps = 0;
  /** Estimated gyro z bias, rad/s. */
  gyroBiasRadPerS = 0;
  /** Yaw rate used in the last prediction (bias-corrected gyro, or 0 without an IMU), rad/s. */
  yawRateRadPerS = 0;
  /** True once a first GNSS fix with heading has been taken. */
  initialised = false;
  /** Time of the last GNSS fix used, s. */
  lastFixTime = -Infinity;

  private pPsi = 0;
  private pPsiB = 0;
  private pB = BIAS_SIGMA0_RAD_PER_S ** 2;
  private lastOdoTime = -Infinity;
  private time = NaN;

  reset(): void {
    this.x = this.y = this.headingRad = this.speedMps = this.gyroBiasRadPerS = this.yawRateRadPerS = 0;
    this.initialised = false;
    this.lastFixTime = -Infinity;
    this.lastOdoTime = -Infinity;
    this.pPsi = 0;
    this.pPsiB = 0;
    this.pB = BIAS_SIGMA0_RAD_PER_S ** 2;
    this.time = NaN;
  }

  /**
   * Advance the estimate to time t with the latest readings (any may be
   * missing or unhealthy; an unhealthy reading is not used).
   */
  update(t: number, gnss: Reading | undefined, imu: Reading | undefined, odo: Reading | undefined): void {
    const dt = Number.isNaN(this.time) ? 0 : t - this.time;
    this.time = t;
    const gyro = imu && imu.healthy ? (imu.value as ImuSample).gyro[2] : NaN;
    this.yawRateRadPerS = Number.isFinite(gyro) ? gyro - this.gyroBiasRadPerS : 0;

    // Predict.
    if (this.initialised && dt > 0) {
      const v = this.speedMps;
      const mid = this.headingRad + 0.5 * this.yawRateRadPerS * dt;
      this.x += v * Math.cos(mid) * dt;
      this.y += v * Math.sin(mid) * dt;
      this.headingRad = wrapAngle(this.headingRad + this.yawRateRadPerS * dt);
      if (Number.isFinite(gyro)) {
        // P = F P F' + Q with F = [[1, -dt], [0, 1]].
        this.pPsi += -2 * dt * this.pPsiB + dt * dt * this.pB + HEADING_Q * dt;
        this.pPsiB -= dt * this.pB;
        this.pB += BIAS_Q * dt;
      } else {
        this.pPsi += HEADING_Q * dt;
      }
    }

    // Odometry speed, when fresh.
    if (odo && odo.healthy && odo.time > this.lastOdoTime) {
      this.lastOdoTime = odo.time;
      const s = (odo.value as WheelOdometrySample).speedMps;
      if (Number.isFinite(s) && !(gnss && gnss.healthy)) this.speedMps = s;
    }

    // Correct with a fresh GNSS fix.
    if (!gnss || !gnss.healthy || !(gnss.time > this.lastFixTime)) return;
    const fix = gnss.value as GnssFix;
    this.lastFixTime = gnss.time;
    const age = Math.max(0, t - gnss.time);
    const hasHeading = Number.isFinite(fix.headingRad);
    if (!this.initialised) {
      this.headingRad = hasHeading ? fix.headingRad : Math.atan2(fix.velocity[1], fix.velocity[0]);
      this.pPsi = HEADING_SIGMA_RAD ** 2;
      this.initialised = true;
    } else if (hasHeading) {
      // The fix's heading, carried forward by the rotation since it was taken.
      const z = wrapAngle(fix.headingRad + this.yawRateRadPerS * age - this.headingRad);
      const s = this.pPsi + HEADING_SIGMA_RAD ** 2;
      const kPsi = this.pPsi / s, kB = this.pPsiB / s;
      this.headingRad = wrapAngle(this.headingRad + kPsi * z);
      if (Number.isFinite(gyro)) this.gyroBiasRadPerS += kB * z;
      const p11 = this.pPsi, p12 = this.pPsiB;
      this.pPsi = (1 - kPsi) * p11;
      this.pPsiB = (1 - kPsi) * p12;
      this.pB -= kB * p12;
    }
    const c = Math.cos(this.headingRad), sn = Math.sin(this.headingRad);
    this.speedMps = fix.velocity[0] * c + fix.velocity[1] * sn;
    this.x = fix.position[0] + fix.velocity[0] * age;
    this.y = fix.position[1] + fix.velocity[1] * age;
  }
}
