/**
 * `gimbal-pid-basic`: the baseline of issue #5 section 3, the way the
 * simplest brushless gimbal firmwares are built: one angle PID per motor on
 * the filtered attitude estimate (the same estimator as the reference:
 * agents/gimbal/stabilizer.ts `CameraAttitudeEstimator`), with no rate loop
 * and no feed-forward. The derivative is the finite difference of the
 * estimate's error (the estimate is integrated gyro, so it carries the gyro's
 * noise), and the gains are in natural-frequency form on the nominal joint
 * inertia: kp = wn^2, kd = 2 zeta wn, ki = kp wi, so its stiffness is the
 * best a fixed PID gets without the rate loop's bandwidth (wn = 2 pi 10 Hz
 * by default, about a quarter of the reference's rate loop).
 */
import { z } from 'zod';
import type { Vec3 } from '../../sim/math.ts';
import type { GimbalController, GimbalControllerContext, GimbalMeasurement, GimbalReference } from '../../uav/gimbal/gimbal.ts';
import { jointAxesInCamera, nominalJointInertia, solve3 } from '../../uav/gimbal/kinematics.ts';
import type { GimbalSpec } from '../../uav/gimbal/spec.ts';
import { CameraAttitudeEstimator, errorToReference } from './stabilizer.ts';

export const pidBasicParams = z
  .object({
    naturalFrequencyHz: z.number().positive().max(100).default(10).describe('closed-loop natural frequency of the angle PID, Hz'),
    dampingRatio: z.number().positive().default(0.7),
    integralHz: z.number().nonnegative().default(1).describe('integral corner, Hz (ki = kp 2 pi f)'),
    accelCutoffHz: z.number().positive().default(5),
    accelWeight: z.number().nonnegative().default(0.5),
    headingWeight: z.number().nonnegative().default(0.05),
    calibrationS: z.number().nonnegative().default(1),
  })
  .strict();
export type PidBasicParams = z.infer<typeof pidBasicParams>;

export class GimbalPidBasic implements GimbalController {
  readonly name = 'gimbal-pid-basic';
  private readonly est: CameraAttitudeEstimator;
  private readonly jInertia: Vec3;
  private readonly kp: number;
  private readonly kd: number;
  private readonly ki: number;
  private readonly A = new Float64Array(9);
  private readonly e: Vec3 = [0, 0, 0];
  private readonly ej = new Float64Array(3);
  private readonly prev = new Float64Array(3);
  private readonly integral = new Float64Array(3);
  private started = false;
  private readonly spec: GimbalSpec;

  constructor(p: PidBasicParams, ctx: GimbalControllerContext) {
    this.spec = ctx.spec;
    this.est = new CameraAttitudeEstimator(ctx, p.accelCutoffHz, p.accelWeight, p.headingWeight, p.calibrationS);
    this.jInertia = nominalJointInertia(ctx.spec);
    const wn = 2 * Math.PI * p.naturalFrequencyHz;
    this.kp = wn * wn;
    this.kd = 2 * p.dampingRatio * wn;
    this.ki = this.kp * 2 * Math.PI * p.integralHz;
  }

  step(m: Readonly<GimbalMeasurement>, ref: Readonly<GimbalReference>, torqueNm: Float64Array): void {
    this.est.update(m);
    if (this.est.calibrating) {
      this.est.holdTorque(m, torqueNm);
      return;
    }
    errorToReference(this.est.filter.q, ref.rotation, this.e);
    jointAxesInCamera(m.encoderRad, this.A);
    if (!solve3(this.A, this.e, this.ej)) this.ej.fill(0);
    for (let i = 0; i < 3; i++) {
      const e = this.ej[i]!;
      const d = this.started ? (e - this.prev[i]!) / m.dt : 0;
      this.prev[i] = e;
      const J = this.jInertia[i]!;
      this.integral[i] = this.integral[i]! + this.ki * e * m.dt;
      const lim = this.spec.motors[i]!.maxTorqueNm / J;
      this.integral[i] = Math.max(-lim, Math.min(lim, this.integral[i]!));
      torqueNm[i] = J * (this.kp * e + this.kd * d + this.integral[i]!);
    }
    this.started = true;
  }
}
