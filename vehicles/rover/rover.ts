/**
 * A small skid-steer ground rover, the demonstration vehicle of the spine.
 *
 * The chassis is one rigid box on the physics backend, free in x, y, z and
 * yaw (roll and pitch locked: flat-ground demo). Traction is modelled by the
 * actuator, not by tyre contact: the drive tracks the commanded forward speed
 * and yaw rate with first-order lags, bounded by acceleration limits, and a
 * lateral grip force cancels side-slip up to mu*m*g. The chassis itself is
 * frictionless against the ground so that contact friction does not count twice.
 *
 * Parameters: Clearpath Jackal UGV.
 * - mass 17 kg, 508 x 430 x 250 mm (Clearpath Jackal datasheet);
 * - max speed 2.0 m/s, yaw rate 2.0 rad/s, acc_lim_x 2.0 m/s^2, acc_lim_theta
 *   3.0 rad/s^2 (jackal_navigation base_local_planner_params.yaml);
 * - drive time constant 0.1 s: Skylane's assumption for a velocity-controlled
 *   DC drive (the datasheet gives none).
 * - lateral grip mu = 0.7: rubber on asphalt, dry (typical textbook value,
 *   e.g. Wong, Theory of Ground Vehicles, 4th ed., table 1.4: 0.5-0.9).
 */
import { readBodyState, type Actor, type ActorDescriptor } from '../../sim/actor.ts';
import { quatFromYaw, rotateVec, type Vec3 } from '../../sim/math.ts';
import type { BodyHandle, PhysicsBackend } from '../../sim/physics/backend.ts';
import type { ActorState } from '../../sim/snapshot.ts';

/** cmd_vel in the body frame, as ROS's geometry_msgs/Twist for a planar base. */
export interface RoverCommand {
  speedMps: number;
  yawRateRadPerS: number;
}

export const JACKAL = {
  massKg: 17,
  sizeM: [0.508, 0.43, 0.25] as Vec3,
  maxSpeedMps: 2.0,
  maxYawRateRadPerS: 2.0,
  maxAccelMps2: 2.0,
  maxYawAccelRadPerS2: 3.0,
  driveTimeConstantS: 0.1,
  lateralGripMu: 0.7,
} as const;

export type RoverParams = typeof JACKAL;

const G = 9.81;
const _f: Vec3 = [0, 0, 0];
const _tau: Vec3 = [0, 0, 0];
const _fwd: Vec3 = [1, 0, 0];
const _left: Vec3 = [0, 1, 0];
const _fwdW: Vec3 = [0, 0, 0];
const _leftW: Vec3 = [0, 0, 0];

const clamp = (x: number, lim: number) => (x > lim ? lim : x < -lim ? -lim : x);

export class Rover implements Actor<RoverCommand> {
  readonly kind = 'rover';
  readonly id: string;
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  readonly params: RoverParams;
  private readonly izz: number;

  constructor(physics: PhysicsBackend, id: string, start: { x: number; y: number; yawRad: number }, params: RoverParams = JACKAL, color = '#e8a33d') {
    this.id = id;
    this.params = params;
    const [lx, ly, lz] = params.sizeM;
    const half: Vec3 = [lx / 2, ly / 2, lz / 2];
    this.body = physics.addBody({
      type: 'dynamic',
      position: [start.x, start.y, half[2] + 0.005],
      rotation: quatFromYaw(start.yawRad),
      colliders: [{ shape: { type: 'box', halfExtents: half }, friction: 0, restitution: 0 }],
      mass: params.massKg,
      enabledRotations: [false, false, true],
      ccd: true,
    });
    this.bodies = [this.body];
    this.izz = (params.massKg * (lx * lx + ly * ly)) / 12;
    this.descriptor = {
      id,
      kind: 'rover',
      parts: [{ shape: { type: 'box', halfExtents: half }, offset: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } }],
      isStatic: false,
      isTerrain: false,
      color,
    };
  }

  applyCommand(physics: PhysicsBackend, cmd: RoverCommand | undefined, _dt: number, state: Readonly<ActorState>): void {
    const p = this.params;
    let vCmd = 0, wCmd = 0;
    if (cmd) {
      if (!Number.isFinite(cmd.speedMps) || !Number.isFinite(cmd.yawRateRadPerS)) {
        throw new Error(`rover '${this.id}': command must be finite numbers, got speedMps=${cmd.speedMps}, yawRateRadPerS=${cmd.yawRateRadPerS}`);
      }
      vCmd = clamp(cmd.speedMps, p.maxSpeedMps);
      wCmd = clamp(cmd.yawRateRadPerS, p.maxYawRateRadPerS);
    }
    const _v = state.linearVelocity, _w = state.angularVelocity;
    rotateVec(state.rotation, _fwd, _fwdW);
    rotateVec(state.rotation, _left, _leftW);
    const vFwd = _v[0] * _fwdW[0] + _v[1] * _fwdW[1];
    const vLat = _v[0] * _leftW[0] + _v[1] * _leftW[1];
    const m = p.massKg;
    const tau = p.driveTimeConstantS;
    const aFwd = clamp((vCmd - vFwd) / tau, p.maxAccelMps2);
    const fLat = clamp((-vLat / tau) * m, p.lateralGripMu * m * G);
    _f[0] = m * aFwd * _fwdW[0] + fLat * _leftW[0];
    _f[1] = m * aFwd * _fwdW[1] + fLat * _leftW[1];
    _f[2] = 0;
    physics.applyForce(this.body, _f);
    const alpha = clamp((wCmd - _w[2]) / tau, p.maxYawAccelRadPerS2);
    _tau[0] = 0;
    _tau[1] = 0;
    _tau[2] = this.izz * alpha;
    physics.applyTorque(this.body, _tau);
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    readBodyState(physics, this.body, out);
  }

  destroy(physics: PhysicsBackend): void {
    if (physics.hasBody(this.body)) physics.removeBody(this.body);
  }
}
