/**
 * `gimbal-stabilizer`: the reference 3-axis gimbal controller (issue #5
 * section 3), built the way brushless gimbal controllers are (SimpleBGC,
 * STorM32, and the cascaded structure of DJI's): at the control rate,
 *
 * 1. attitude estimate of the camera: a Mahony complementary filter
 *    (uav/estimation/mahony.ts) on the camera IMU's gyro, with the
 *    accelerometer low-passed (2nd order) and compensated with the flight
 *    controller's acceleration (the gravity reference would tilt by
 *    atan(a/g) in a manoeuvre otherwise), and a slow heading reference from
 *    the flight controller's attitude through the encoders, so a locked yaw
 *    does not drift with the gyro bias;
 * 2. angle loop: the attitude error about the reference (camera axes) times
 *    `angleGainPerS`, plus the reference's own rate (feed-forward), slew
 *    limited to `maxRateRadPerS`;
 * 3. rate loop per motor: the camera-rate error mapped into joint space
 *    through the encoders' Jacobian, a PI with gains in bandwidth form
 *    (torque = J_joint (kp e + ki int e)), on the bias-corrected gyro;
 * 4. feed-forward of the measured base motion: the joint rates the base
 *    motion asks for (the desired camera rate minus the frame gyro's base
 *    rate, through the Jacobian) give the friction the motor must overcome
 *    (viscous and Coulomb from the data-sheet figures, the Coulomb sign
 *    smoothed over `coulombSmoothingDegPerS`); the encoders give the cable
 *    spring's torque and the motor's cogging (an anticogging table, as
 *    ODrive's).
 *
 * It knows the nominal spec only; the plant differs (scenarios/build.ts
 * perturbs it within manufacturing tolerance).
 */
import { z } from 'zod';
import type { Quat, Vec3 } from '../../sim/math.ts';
import { rotateVecInv, yawOf } from '../../sim/math.ts';
import { MahonyAttitude } from '../../uav/estimation/mahony.ts';
import { qMul } from '../../uav/flight-stack/quat.ts';
import type { GimbalController, GimbalControllerContext, GimbalMeasurement, GimbalReference } from '../../uav/gimbal/gimbal.ts';
import { attitudeError } from '../../uav/gimbal/command.ts';
import { cameraInBase, jointAxesInCamera, nominalJointInertia, solve3 } from '../../uav/gimbal/kinematics.ts';
import type { GimbalSpec } from '../../uav/gimbal/spec.ts';

const DEG = Math.PI / 180;
/** Encoder readings averaged at each end of the calibration window. */
const CAL_END_TICKS = 40;

export const stabilizerParams = z
  .object({
    rateBandwidthHz: z.number().positive().max(200).default(100).describe('rate-loop crossover, Hz (the PI proportional gain in bandwidth form)'),
    rateIntegralHz: z.number().nonnegative().max(50).default(20).describe('rate-loop PI zero, Hz'),
    angleBandwidthHz: z.number().positive().max(50).default(4).describe('angle-loop gain, Hz (1/s = 2 pi f)'),
    maxRateDegPerS: z.number().positive().default(100).describe('slew limit of the angle loop, deg/s (Gremsy G-Hadron: 100 deg/s max controlled speed)'),
    accelCutoffHz: z.number().positive().default(5).describe('low-pass of the accelerometer before the gravity reference, Hz'),
    accelWeight: z.number().nonnegative().default(0.03).describe('Mahony gravity weight, 1/s'),
    gyroBiasWeight: z.number().nonnegative().default(0.1).describe('Mahony bias integral weight (PX4 ATT_W_GYRO_BIAS 0.1)'),
    headingWeight: z.number().nonnegative().default(0.2).describe('Mahony heading weight (flight controller heading through the encoders), 1/s: ties the camera yaw to the heading its command is built from (0.05 left 1.6 deg of yaw drift on one seed in 20)'),
    frictionFeedForward: z.boolean().default(true).describe('friction and cable feed-forward from the measured joint rates'),
    accelFeedForwardHz: z.number().positive().default(10).describe("low-pass of the reference's angular acceleration for the inertia feed-forward, Hz"),
    anticogging: z.boolean().default(true).describe("cancel the motors' cogging from the encoder angle (a calibrated table, as ODrive's anticogging)"),
    coulombSmoothingDegPerS: z.number().positive().default(0.3).describe('joint rate over which the Coulomb feed-forward changes sign, deg/s'),
    calibrationS: z.number().nonnegative().default(1).describe('gyro calibration at power-up, s (the motors hold the joints on the encoders; the UAV must be still: on the ground)'),
  })
  .strict();
export type StabilizerParams = z.infer<typeof stabilizerParams>;

/** A second-order Butterworth low-pass per axis (bilinear, for the accelerometer). */
class LowPass3 {
  private readonly b0: number; private readonly b1: number; private readonly b2: number; private readonly a1: number; private readonly a2: number;
  private readonly x1: Vec3 = [0, 0, 0]; private readonly x2: Vec3 = [0, 0, 0]; private readonly y1: Vec3 = [0, 0, 0]; private readonly y2: Vec3 = [0, 0, 0];
  private primed = false;
  readonly out: Vec3 = [0, 0, 0];
  constructor(cutoffHz: number, sampleHz: number) {
    const w0 = (2 * Math.PI * cutoffHz) / sampleHz, alpha = Math.sin(w0) / Math.SQRT2, c = Math.cos(w0), a0 = 1 + alpha;
    this.b0 = (1 - c) / 2 / a0; this.b1 = (1 - c) / a0; this.b2 = this.b0; this.a1 = (-2 * c) / a0; this.a2 = (1 - alpha) / a0;
  }
  step(x: Readonly<Vec3>): Vec3 {
    for (let i = 0; i < 3; i++) {
      if (!this.primed) { this.x1[i] = this.x2[i] = this.y1[i] = this.y2[i] = x[i]!; }
      const y = this.b0 * x[i]! + this.b1 * this.x1[i]! + this.b2 * this.x2[i]! - this.a1 * this.y1[i]! - this.a2 * this.y2[i]!;
      this.x2[i] = this.x1[i]!; this.x1[i] = x[i]!; this.y2[i] = this.y1[i]!; this.y1[i] = y;
      this.out[i] = y;
    }
    this.primed = true;
    return this.out;
  }
}

/**
 * The camera attitude estimate shared by the stabiliser and the basic PID:
 * Mahony on the camera IMU with the low-passed, acceleration-compensated
 * gravity reference and the flight controller's heading through the encoders.
 */
export class CameraAttitudeEstimator {
  readonly filter: MahonyAttitude;
  /** True during the power-up gyro calibration (the controller leaves the motors off). */
  calibrating: boolean;
  private readonly calibrationTicks: number;
  private ticks = 0;
  private readonly gyroSum: Vec3 = [0, 0, 0];
  private readonly wb: Vec3 = [0, 0, 0];
  private readonly al: Vec3 = [0, 0, 0];
  private readonly lever: Vec3 = [0, 0, 0];
  private hasPrevFrame = false;
  private readonly accelSum: Vec3 = [0, 0, 0];
  private readonly encStart: Vec3 = [0, 0, 0];
  private readonly encEnd: Vec3 = [0, 0, 0];
  private readonly qs: Quat = [0, 0, 0, 1];
  private readonly qe: Quat = [0, 0, 0, 1];
  private readonly creep: Vec3 = [0, 0, 0];
  private readonly frameSum: Vec3 = [0, 0, 0];
  /** Frame (base) gyro bias from the power-up calibration, rad/s. */
  readonly frameBiasRadPerS: Vec3 = [0, 0, 0];
  private readonly jInertia: Vec3;
  private readonly spec: GimbalSpec;
  private readonly hold = new Float64Array(3);
  private readonly A = new Float64Array(9);
  private readonly rel: Vec3 = [0, 0, 0];
  private readonly fb: Vec3 = [0, 0, 0];
  private readonly dq = new Float64Array(3);
  private readonly qcb: Quat = [0, 0, 0, 1];
  private readonly lp: LowPass3;
  private readonly f: Vec3 = [0, 0, 0];
  private readonly qb: Quat = [0, 0, 0, 1];
  private readonly qc: Quat = [0, 0, 0, 1];
  /** Bias-corrected gyro, camera axes, rad/s. */
  readonly rate: Vec3 = [0, 0, 0];

  constructor(ctx: GimbalControllerContext, accelCutoffHz: number, accelWeight: number, private readonly headingWeight: number, calibrationS: number, gyroBiasWeight = 0.1) {
    this.calibrationTicks = Math.round(calibrationS * ctx.controlHz);
    this.calibrating = this.calibrationTicks > 0;
    this.filter = new MahonyAttitude({ accelWeight, headingWeight, gravityMps2: ctx.spec.gravityMps2, gyroBiasWeight, gyroBiasMaxRadPerS: 100 * DEG, biasLearnMaxRateRadPerS: 0.175 });
    this.jInertia = nominalJointInertia(ctx.spec);
    this.spec = ctx.spec;
    this.lp = new LowPass3(accelCutoffHz, ctx.controlHz);
  }

  /**
   * During calibration the motors hold the joints where they powered up, on
   * the encoders (a PD at 15 Hz, damped with the joint rates the two gyros
   * give), as encoder gimbals do, so an imperfectly balanced camera does not
   * swing while its gyro is averaged.
   */
  holdTorque(m: Readonly<GimbalMeasurement>, torqueNm: Float64Array): void {
    if (this.ticks === 1) for (let i = 0; i < 3; i++) this.hold[i] = m.encoderRad[i]!;
    jointAxesInCamera(m.encoderRad, this.A);
    cameraInBase(m.encoderRad, this.qcb);
    rotateVecInv(this.qcb, m.frameGyro, this.fb);
    for (let i = 0; i < 3; i++) this.rel[i] = m.cameraGyro[i]! - this.fb[i]!;
    if (!solve3(this.A, this.rel, this.dq)) this.dq.fill(0);
    const wn = 2 * Math.PI * 15;
    for (let i = 0; i < 3; i++) torqueNm[i] = this.jInertia[i]! * (wn * wn * (this.hold[i]! - m.encoderRad[i]!) - 2 * 0.7 * wn * this.dq[i]!);
  }

  update(m: Readonly<GimbalMeasurement>): void {
    // Gravity reference: the specific force f = R^T (a - g) minus the flight controller's acceleration (rotated by
    // the current estimate), THEN low-passed, so the compensation and the measurement carry the same lag.
    rotateVecInv(this.filter.q, m.fcAccelerationMps2, this.f);
    this.f[0] = m.cameraAccel[0]! - this.f[0]; this.f[1] = m.cameraAccel[1]! - this.f[1]; this.f[2] = m.cameraAccel[2]! - this.f[2];
    // The camera sits at the mount, off the airframe's centre of mass: remove the lever arm's acceleration
    // al x r + w x (w x r), from the frame gyro (bias-calibrated) and its difference, rotated into camera axes.
    if (!this.calibrating && this.hasPrevFrame) {
      const r = this.spec.mount.positionM, dt = m.dt;
      const wb = this.wb, al = this.al;
      for (let i = 0; i < 3; i++) {
        const w = m.frameGyro[i]! - this.frameBiasRadPerS[i]!;
        al[i] = (w - wb[i]!) / dt;
        wb[i] = w;
      }
      const wr0 = wb[1] * r[2] - wb[2] * r[1], wr1 = wb[2] * r[0] - wb[0] * r[2], wr2 = wb[0] * r[1] - wb[1] * r[0];
      this.lever[0] = al[1] * r[2] - al[2] * r[1] + wb[1] * wr2 - wb[2] * wr1;
      this.lever[1] = al[2] * r[0] - al[0] * r[2] + wb[2] * wr0 - wb[0] * wr2;
      this.lever[2] = al[0] * r[1] - al[1] * r[0] + wb[0] * wr1 - wb[1] * wr0;
      rotateVecInv(cameraInBase(m.encoderRad, this.qc), this.lever, this.lever);
      this.f[0] -= this.lever[0]; this.f[1] -= this.lever[1]; this.f[2] -= this.lever[2];
    } else if (!this.calibrating) {
      for (let i = 0; i < 3; i++) this.wb[i] = m.frameGyro[i]! - this.frameBiasRadPerS[i]!;
      this.hasPrevFrame = true;
    }
    const a = this.lp.step(this.f);
    if (this.calibrating) {
      // Power-up gyro calibration (SimpleBGC and STorM32 do it at every start): the mean rate of a still camera is its bias.
      // The first half lets the held camera settle; the second half is averaged.
      const half = Math.floor(this.calibrationTicks / 2);
      const n = this.calibrationTicks - half, ends = Math.max(1, Math.min(CAL_END_TICKS, n >> 2));
      if (this.ticks >= half) {
        for (let i = 0; i < 3; i++) {
          this.gyroSum[i] = this.gyroSum[i]! + m.cameraGyro[i]!;
          this.frameSum[i] = this.frameSum[i]! + m.frameGyro[i]!;
          this.accelSum[i] = this.accelSum[i]! + m.cameraAccel[i]!;
        }
        // The joints' angles at both ends of the window (means of a few readings against the encoders' noise).
        if (this.ticks < half + ends) for (let i = 0; i < 3; i++) this.encStart[i] = this.encStart[i]! + m.encoderRad[i]! / ends;
        if (this.ticks >= this.calibrationTicks - ends) for (let i = 0; i < 3; i++) this.encEnd[i] = this.encEnd[i]! + m.encoderRad[i]! / ends;
      }
      if (++this.ticks < this.calibrationTicks) return;
      this.calibrating = false;
      // The camera's own rotation over the window (the UAV stands still, so it is the joints', from the encoders),
      // camera axes, rad/s: a held camera still creeps through its cogging and friction, which is not gyro bias.
      cameraInBase(this.encStart, this.qs);
      cameraInBase(this.encEnd, this.qe);
      errorToReference(this.qs, this.qe, this.creep);
      const span = (n - ends) * m.dt;
      for (let i = 0; i < 3; i++) {
        this.filter.biasRadPerS[i] = this.gyroSum[i]! / n - this.creep[i]! / span;
        this.frameBiasRadPerS[i] = this.frameSum[i]! / n;
        this.accelSum[i] = this.accelSum[i]! / n;
      }
    }
    // Camera attitude as the flight controller and encoders see it (the mount's small deflection unknown).
    qMul(m.fcRotation, cameraInBase(m.encoderRad, this.qc), this.qb);
    if (!this.filter.initialised) {
      // Level on the mean of the raw accelerometer over the still calibration window (no telemetry in it); without
      // a calibration, on the current low-passed reference.
      const b: Vec3 = [this.filter.biasRadPerS[0], this.filter.biasRadPerS[1], this.filter.biasRadPerS[2]];
      this.filter.align(this.calibrationTicks > 0 ? this.accelSum : a, yawOf(this.qb));
      for (let i = 0; i < 3; i++) this.filter.biasRadPerS[i] = b[i]!;
    }
    else if (this.headingWeight > 0) this.filter.setHeading(yawOf(this.qb));
    this.filter.update(m.cameraGyro, a, m.dt);
    for (let i = 0; i < 3; i++) this.rate[i] = m.cameraGyro[i]! - this.filter.biasRadPerS[i]!;
  }
}

/**
 * Attitude error of the estimate `est` to the reference `ref`, camera axes: the rotation vector of est^-1 ref
 * (uav/gimbal/command.ts `attitudeError` with the estimate as the base).
 */
export const errorToReference = (est: Readonly<Quat>, ref: Readonly<Quat>, out: Vec3): Vec3 => attitudeError(est, ref, out);

export class GimbalStabilizer implements GimbalController {
  readonly name = 'gimbal-stabilizer';
  private readonly est: CameraAttitudeEstimator;
  private readonly jInertia: Vec3;
  private readonly kp: number;
  private readonly ki: number;
  private readonly ka: number;
  private readonly maxRate: number;
  private readonly integral = new Float64Array(3);
  private readonly A = new Float64Array(9);
  private readonly spec: GimbalSpec;
  private readonly eAtt: Vec3 = [0, 0, 0];
  private readonly wDes: Vec3 = [0, 0, 0];
  private readonly eRate: Vec3 = [0, 0, 0];
  private readonly dqErr = new Float64Array(3);
  private readonly rel: Vec3 = [0, 0, 0];
  private readonly dqMeas = new Float64Array(3);
  private readonly qcb: Quat = [0, 0, 0, 1];
  private readonly fb: Vec3 = [0, 0, 0];
  private readonly coulombEps: number;
  private readonly refRatePrev: Vec3 = [0, 0, 0];
  private readonly refAccel: Vec3 = [0, 0, 0];
  private readonly aCam: Vec3 = [0, 0, 0];
  private readonly ddqRef = new Float64Array(3);
  private refRatePrimed = false;

  constructor(private readonly p: StabilizerParams, ctx: GimbalControllerContext) {
    this.spec = ctx.spec;
    this.est = new CameraAttitudeEstimator(ctx, p.accelCutoffHz, p.accelWeight, p.headingWeight, p.calibrationS, p.gyroBiasWeight);
    this.jInertia = nominalJointInertia(ctx.spec);
    this.kp = 2 * Math.PI * p.rateBandwidthHz;
    this.ki = this.kp * 2 * Math.PI * p.rateIntegralHz;
    this.ka = 2 * Math.PI * p.angleBandwidthHz;
    this.maxRate = p.maxRateDegPerS * DEG;
    this.coulombEps = p.coulombSmoothingDegPerS * DEG;
  }

  step(m: Readonly<GimbalMeasurement>, ref: Readonly<GimbalReference>, torqueNm: Float64Array): void {
    const est = this.est;
    est.update(m);
    if (est.calibrating) {
      est.holdTorque(m, torqueNm);
      return;
    }
    const q = est.filter.q;
    // Angle loop: desired camera rate (camera axes) = ka e + reference rate, slew-limited.
    errorToReference(q, ref.rotation, this.eAtt);
    rotateVecInv(q, ref.rateRadPerS, this.wDes);
    let n = 0;
    for (let i = 0; i < 3; i++) {
      this.wDes[i] = this.wDes[i]! + this.ka * this.eAtt[i]!;
      n += this.wDes[i]! * this.wDes[i]!;
    }
    n = Math.sqrt(n);
    if (n > this.maxRate) for (let i = 0; i < 3; i++) this.wDes[i] = (this.wDes[i]! * this.maxRate) / n;
    // Rate loop in joint space.
    for (let i = 0; i < 3; i++) this.eRate[i] = this.wDes[i]! - est.rate[i]!;
    jointAxesInCamera(m.encoderRad, this.A);
    if (!solve3(this.A, this.eRate, this.dqErr)) this.dqErr.fill(0); // gimbal lock: hold the last integral only
    // Acceleration feed-forward: the reference's angular acceleration (its rate differenced, low-passed at
    // `accelFeedForwardHz`), in joint space, times the nominal inertia, so tracking a moving target does not wait
    // for the rate loop's integrator.
    const kf = 1 - Math.exp(-2 * Math.PI * this.p.accelFeedForwardHz * m.dt);
    for (let i = 0; i < 3; i++) {
      const r = ref.rateRadPerS[i]!;
      const a = this.refRatePrimed ? (r - this.refRatePrev[i]!) / m.dt : 0;
      this.refRatePrev[i] = r;
      this.refAccel[i] = this.refAccel[i]! + kf * (a - this.refAccel[i]!);
    }
    this.refRatePrimed = true;
    rotateVecInv(q, this.refAccel, this.aCam);
    if (!solve3(this.A, this.aCam, this.ddqRef)) this.ddqRef.fill(0);
    // The joint rates the base motion asks for: the desired camera rate minus the base rate the frame gyro measures
    // (calibrated at power-up), both in camera axes. Its sign sets the Coulomb feed-forward; the camera gyro is
    // left out, so the camera's own small motion does not flip it.
    cameraInBase(m.encoderRad, this.qcb);
    for (let i = 0; i < 3; i++) this.fb[i] = m.frameGyro[i]! - est.frameBiasRadPerS[i]!;
    rotateVecInv(this.qcb, this.fb, this.fb);
    for (let i = 0; i < 3; i++) this.rel[i] = this.wDes[i]! - this.fb[i]!;
    if (!solve3(this.A, this.rel, this.dqMeas)) this.dqMeas.fill(0);
    const dt = m.dt;
    for (let i = 0; i < 3; i++) {
      const J = this.jInertia[i]!;
      this.integral[i] = this.integral[i]! + this.ki * this.dqErr[i]! * dt;
      // Anti-windup: the integral alone never asks for more than the motor has.
      const lim = this.spec.motors[i]!.maxTorqueNm / J;
      this.integral[i] = Math.max(-lim, Math.min(lim, this.integral[i]!));
      let tau = J * (this.kp * this.dqErr[i]! + this.integral[i]! + this.ddqRef[i]!);
      if (this.p.frictionFeedForward) {
        const jt = this.spec.joints[i]!;
        const w = this.dqMeas[i]!;
        tau += jt.viscousNmsPerRad * w + jt.coulombNm * Math.tanh(w / this.coulombEps) + jt.cableStiffnessNmPerRad * (m.encoderRad[i]! - jt.cableRestRad);
      }
      if (this.p.anticogging) {
        const mo = this.spec.motors[i]!;
        tau -= mo.coggingNm * Math.sin(mo.coggingPerRev * m.encoderRad[i]! + mo.coggingPhaseRad);
      }
      torqueNm[i] = tau;
    }
  }
}
