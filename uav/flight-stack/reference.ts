/**
 * A straight-line reference from where the vehicle is to a position target,
 * with a trapezoidal speed profile: the reference point speeds up at most at
 * `accelMps2`, cruises at the speed limit, and brakes so that it stops on
 * the target (speed <= sqrt(2 a d)). The position controller follows the
 * moving point with its velocity as feed-forward.
 *
 * PX4 does the same job with a jerk-limited trajectory generator in its
 * automatic modes (FlightTaskAuto, PositionSmoothing; MPC_ACC_HOR, MPC_JERK_AUTO);
 * without one, a step in the position setpoint overshoots (the PX4 position
 * and velocity gains alone give a damping ratio near 0.7). This profile is a
 * simpler, acceleration-limited stand-in, not a port.
 */
import type { Vec3 } from '../../sim/math.ts';

export class LineReference {
  /** The reference point, m (world ENU). */
  readonly positionM: Vec3 = [0, 0, 0];
  /** The reference velocity, m/s (world ENU). */
  readonly velocityMps: Vec3 = [0, 0, 0];
  /** The reference acceleration, m/s^2 (world ENU): the feed-forward PX4 also adds to its acceleration setpoint. */
  readonly accelerationMps2: Vec3 = [0, 0, 0];
  private readonly goal: Vec3 = [0, 0, 0];
  private speed = 0;

  /** Start a new line at `from` (the vehicle's position) towards `goal`, with the vehicle's velocity `vel` projected on the line as the initial speed. */
  start(from: Readonly<Vec3>, vel: Readonly<Vec3>, goal: Readonly<Vec3>): void {
    for (let k = 0; k < 3; k++) { this.positionM[k] = from[k]!; this.goal[k] = goal[k]!; this.velocityMps[k] = 0; this.accelerationMps2[k] = 0; }
    const dx = goal[0] - from[0], dy = goal[1] - from[1], dz = goal[2] - from[2];
    const d = Math.hypot(dx, dy, dz);
    this.speed = d > 1e-9 ? Math.max(0, (vel[0] * dx + vel[1] * dy + vel[2] * dz) / d) : 0;
  }

  /**
   * Advance by `dt`. Speed limits: `maxSpeedXyMps` for the horizontal part of
   * the motion, `maxClimbMps` / `maxDescentMps` for the vertical part.
   */
  step(dt: number, accelMps2: number, maxSpeedXyMps: number, maxClimbMps: number, maxDescentMps: number): void {
    const p = this.positionM, g = this.goal, v = this.velocityMps, a = this.accelerationMps2;
    const dx = g[0] - p[0], dy = g[1] - p[1], dz = g[2] - p[2];
    const d = Math.hypot(dx, dy, dz);
    if (d < 1e-9) { p[0] = g[0]; p[1] = g[1]; p[2] = g[2]; v[0] = v[1] = v[2] = 0; a[0] = a[1] = a[2] = 0; this.speed = 0; return; }
    const ux = dx / d, uy = dy / d, uz = dz / d;
    const h = Math.hypot(ux, uy);
    let vmax = Math.sqrt(2 * accelMps2 * d);
    if (h > 1e-9) vmax = Math.min(vmax, maxSpeedXyMps / h);
    if (uz > 1e-9) vmax = Math.min(vmax, maxClimbMps / uz);
    if (uz < -1e-9) vmax = Math.min(vmax, maxDescentMps / -uz);
    const before = this.speed;
    this.speed = Math.min(this.speed + accelMps2 * dt, vmax);
    const acc = (this.speed - before) / dt;
    a[0] = ux * acc; a[1] = uy * acc; a[2] = uz * acc;
    const s = Math.min(this.speed * dt, d);
    p[0] += ux * s; p[1] += uy * s; p[2] += uz * s;
    v[0] = ux * this.speed; v[1] = uy * this.speed; v[2] = uz * this.speed;
  }
}
