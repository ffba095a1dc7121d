/**
 * Position P and velocity PID with thrust-vector construction, PX4
 * mc_pos_control (`PositionControl::_positionControl`, `_velocityControl`,
 * `_accelerationControl`; PX4/PX4-Autopilot
 * src/modules/mc_pos_control/PositionControl/PositionControl.cpp, read at
 * commit 02c4e036), in ENU and SI:
 * 1. v_sp = v_ff + P_pos (p_sp - p) on the axes with a position setpoint,
 *    horizontal speed clamped to the limit, vertical to [-descent, climb];
 * 2. a_sp = a_ff + P_vel e + I_vel - D_vel dv/dt, e = v_sp - v (a_ff: the
 *    trajectory's acceleration, which PX4 also adds before the PID's);
 * 3. thrust direction body_z = normalise(a_x, a_y, g), tilted at most
 *    MPC_TILTMAX_AIR from vertical (ControlMath::limitTilt);
 *    collective T = m (a_z + g) / (body_z . z), at least MPC_THR_MIN;
 *    PX4 scales by its hover-thrust estimate; we use the airframe's m g
 *    (the model's mass is known);
 * 4. vertical thrust first, keeping MPC_THR_XY_MARG of full thrust for the
 *    horizontal, then the horizontal gets what is left of full thrust;
 * 5. anti-windup: the vertical integrator stops while the thrust is at a
 *    limit in the error's direction; the horizontal one uses tracking
 *    anti-windup with gain 2 / P_vel (Rundqwist 1990, as PX4); the vertical
 *    integral stays within one g.
 * The output is a thrust vector in the world frame (N).
 */
import type { Vec3 } from '../../sim/math.ts';
import type { FlightGains } from './gains.ts';

const G = 9.81;

export class PositionController {
  /** The last velocity setpoint, m/s (ENU). */
  readonly velocitySp: Vec3 = [0, 0, 0];
  /** The last acceleration setpoint, m/s^2 (ENU). */
  readonly accelerationSp: Vec3 = [0, 0, 0];
  /** The last thrust vector, N (ENU). */
  readonly thrustN: Vec3 = [0, 0, 0];
  readonly integral: Vec3 = [0, 0, 0];
  private readonly prevVel: Vec3 = [0, 0, 0];
  private readonly velDot: Vec3 = [0, 0, 0];
  private primed = false;
  private readonly cosTiltMax: number;
  private readonly maxThrustN: number;
  private readonly minThrustN: number;

  constructor(
    private readonly gains: FlightGains,
    private readonly massKg: number,
    fullThrustN: number,
  ) {
    this.cosTiltMax = Math.cos(gains.maxTiltRad);
    this.maxThrustN = gains.maxThrustRatio * fullThrustN;
    this.minThrustN = gains.minThrustRatio * fullThrustN;
  }

  reset(): void {
    this.integral[0] = this.integral[1] = this.integral[2] = 0;
    this.primed = false;
  }

  /**
   * Thrust vector towards position `posSp` (NaN on an axis: no position
   * control there) with velocity feed-forward `velFf`, from the estimated
   * position and velocity, and acceleration feed-forward `accFf`. `maxSpeedXyMps`, `maxClimbMps` and `maxDescentMps`
   * limit the velocity setpoint.
   */
  update(posSp: Readonly<Vec3>, velFf: Readonly<Vec3>, accFf: Readonly<Vec3>, pos: Readonly<Vec3>, vel: Readonly<Vec3>, dt: number,
    maxSpeedXyMps: number, maxClimbMps: number, maxDescentMps: number): Vec3 {
    const g = this.gains, vs = this.velocitySp;
    vs[0] = velFf[0] + (Number.isNaN(posSp[0]) ? 0 : g.positionXyP * (posSp[0] - pos[0]));
    vs[1] = velFf[1] + (Number.isNaN(posSp[1]) ? 0 : g.positionXyP * (posSp[1] - pos[1]));
    vs[2] = velFf[2] + (Number.isNaN(posSp[2]) ? 0 : g.positionZP * (posSp[2] - pos[2]));
    const sxy = Math.hypot(vs[0], vs[1]);
    if (sxy > maxSpeedXyMps) { vs[0] *= maxSpeedXyMps / sxy; vs[1] *= maxSpeedXyMps / sxy; }
    vs[2] = Math.max(-maxDescentMps, Math.min(maxClimbMps, vs[2]));

    // Velocity derivative, low-passed (MPC_VELD_LP).
    const a = dt / (dt + 1 / (2 * Math.PI * g.velocityDerivativeCutoffHz));
    for (let k = 0; k < 3; k++) {
      const raw = this.primed ? (vel[k]! - this.prevVel[k]!) / dt : 0;
      this.velDot[k] = this.velDot[k]! + a * (raw - this.velDot[k]!);
      this.prevVel[k] = vel[k]!;
    }
    this.primed = true;

    const ex = vs[0] - vel[0], ey = vs[1] - vel[1];
    let ez = vs[2] - vel[2];
    const acc = this.accelerationSp;
    acc[0] = accFf[0] + g.velocityXy.p * ex + this.integral[0] - g.velocityXy.d * this.velDot[0];
    acc[1] = accFf[1] + g.velocityXy.p * ey + this.integral[1] - g.velocityXy.d * this.velDot[1];
    acc[2] = accFf[2] + g.velocityZ.p * ez + this.integral[2] - g.velocityZ.d * this.velDot[2];

    // Thrust direction from the acceleration, tilt-limited (PositionControl::_accelerationControl).
    let bx = acc[0], by = acc[1], bz = G;
    let n = Math.hypot(bx, by, bz);
    bx /= n; by /= n; bz /= n;
    if (bz < this.cosTiltMax) {
      const h = Math.hypot(bx, by);
      const sinMax = Math.sqrt(1 - this.cosTiltMax * this.cosTiltMax);
      bx = (bx / h) * sinMax; by = (by / h) * sinMax; bz = this.cosTiltMax;
    }
    let collective = (this.massKg * (acc[2] + G)) / bz;
    collective = Math.max(collective, this.minThrustN);
    const t = this.thrustN;
    t[0] = bx * collective; t[1] = by * collective; t[2] = bz * collective;

    // Vertical anti-windup: stop integrating into a thrust limit.
    if ((t[2] <= this.minThrustN && ez <= 0) || (t[2] >= this.maxThrustN && ez >= 0)) ez = 0;

    // Vertical priority with a horizontal margin (PositionControl::_velocityControl).
    const tMax2 = this.maxThrustN * this.maxThrustN;
    const txy = Math.hypot(t[0], t[1]);
    const margin = Math.min(txy, g.horizontalThrustMarginRatio * this.maxThrustN);
    t[2] = Math.min(t[2], Math.sqrt(tMax2 - margin * margin));
    const txyMax2 = tMax2 - t[2] * t[2];
    const txyMax = txyMax2 > 0 ? Math.sqrt(txyMax2) : 0;
    if (txy > txyMax) { t[0] *= txyMax / txy; t[1] *= txyMax / txy; }

    // Horizontal tracking anti-windup, gain 2 / P_vel.
    const prodX = t[0] / this.massKg, prodY = t[1] / this.massKg;
    const arw = 2 / g.velocityXy.p;
    let limX = acc[0], limY = acc[1];
    if (acc[0] * acc[0] + acc[1] * acc[1] > prodX * prodX + prodY * prodY) { limX = prodX; limY = prodY; }
    const eix = ex - arw * (acc[0] - limX), eiy = ey - arw * (acc[1] - limY);

    this.integral[0] += g.velocityXy.i * eix * dt;
    this.integral[1] += g.velocityXy.i * eiy * dt;
    this.integral[2] += g.velocityZ.i * ez * dt;
    n = g.velocityZ.iLimit;
    this.integral[2] = Math.max(-n, Math.min(n, this.integral[2]));
    return t;
  }
}
