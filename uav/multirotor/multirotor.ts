/**
 * A multirotor as an Actor: one dynamic rigid body with the airframe's mass
 * and inertia, driven by per-rotor forces and torques computed here every
 * physics step and applied through the backend (no engine-specific code).
 *
 * Per step, from the ground truth at the end of the previous step:
 * 1. motors: each rotor speed follows its setpoint with a first-order lag
 *    (separate up/down time constants) and a speed limit (motor.ts);
 * 2. thrust T_i = kf w_i^2 along body z at the rotor hub, times the ground
 *    effect ratio for that rotor's height (ground-effect.ts);
 * 3. reaction torque -spin_i km w_i^2 about body z (airframe.ts convention);
 * 4. rotor drag -c |w_i| v_i,perp at the hub, with v_i the hub's body-frame
 *    velocity (centre-of-mass velocity plus omega x r_i) in the rotor plane:
 *    the linear "induced drag" of a rotor in edgewise flow, proportional to
 *    the rotor speed and the in-plane air speed (P. Martin and E. Salaün,
 *    "The true role of accelerometer feedback in quadrotor control", ICRA
 *    2010; summed over the rotors at constant speed it is the diagonal drag
 *    D of M. Faessler, A. Franchi and D. Scaramuzza, "Differential flatness
 *    of quadrotor dynamics subject to rotor drag...", RA-L 3(2), 2018). This
 *    is the form of Gazebo's motor plugin and of gym-pybullet-drones;
 * 5. parasitic body drag -c_k v_k |v| per body axis at the centre of mass.
 * The sum is one force and one torque, rotated to the world frame and
 * applied with `applyForce`/`applyTorque` (they act for one step).
 *
 * Not modelled: blade flapping moments, rotor inertia and gyroscopic
 * precession, the rolling moment (Gazebo's rollingMomentCoefficient), wind
 * (the air is still: velocities are ground velocities), thrust loss with
 * air speed (Gazebo's motor plugin scales thrust by 1 - v/25 m/s, a
 * heuristic its own comment calls a placeholder), and ground effect on the
 * reaction torque.
 *
 * Inertia: the body's one collider is the uniform box with the airframe's
 * mass and principal moments (`inertiaBoxHalfExtents`), so both engines give
 * it exactly the airframe's inertia tensor. The rotor discs are zero-density
 * colliders, so a propeller touching a wall is a contact.
 */
import type { Actor, ActorDescriptor, ActorPart } from '../../sim/actor.ts';
import { readBodyState } from '../../sim/actor.ts';
import { quatFromYaw, type Quat, type Vec3 } from '../../sim/math.ts';
import type { BodyHandle, ColliderDesc, PhysicsBackend } from '../../sim/physics/backend.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import { assertAirframe, inertiaBoxHalfExtents, type Airframe } from './airframe.ts';
import { groundEffectRatio } from './ground-effect.ts';
import { stepRotorSpeed } from './motor.ts';

/** What a flight stack sends: one rotor speed setpoint per rotor, in the airframe's motor order. */
export interface MultirotorCommand {
  /** rad/s, >= 0; above the airframe's maximum the motor saturates. */
  rotorRadPerS: ArrayLike<number>;
}

export interface MultirotorStart {
  /** Centre of mass, world ENU, m. */
  position: Vec3;
  /** Heading about world z (the airframe starts level). Ignored if `rotation` is given. */
  yawRad?: number;
  rotation?: Quat;
  linearVelocity?: Vec3;
  /**
   * Initial rotor speeds, rad/s (default 0): one for all rotors, or one per
   * rotor in motor order. Pass `hoverRotorSpeed(airframe)` to start trimmed in the air.
   */
  rotorRadPerS?: number | readonly number[];
}

/** Switches for the aerodynamic effects, all on by default (off for closed-form tests and ablations). */
export interface MultirotorEffects {
  rotorDrag: boolean;
  bodyDrag: boolean;
  groundEffect: boolean;
}

export interface MultirotorOptions {
  effects?: Partial<MultirotorEffects>;
  color?: string;
}

/**
 * Ground effect is looked for up to this many rotor radii below the rotor
 * plane: at 8 R the ratio is 1 + 1e-3, and the ray (one per step) is cheaper
 * when it misses early.
 */
const GROUND_EFFECT_RANGE_RADII = 8;
/** Drawn thickness of a rotor disc, m (visual and contact only: zero density). */
const ROTOR_DISC_HALF_HEIGHT_M = 0.0025;
const DOWN: Vec3 = [0, 0, -1];

// Per-step scratch (module level: the step allocates nothing of its own).
const _force: Vec3 = [0, 0, 0];
const _torque: Vec3 = [0, 0, 0];
const _origin: Vec3 = [0, 0, 0];

export class Multirotor implements Actor<MultirotorCommand> {
  readonly kind = 'uav';
  readonly id: string;
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  readonly airframe: Airframe;
  readonly effects: Readonly<MultirotorEffects>;
  /** Actual rotor speeds after the motor lag, rad/s, in motor order (read-only by convention). */
  readonly rotorSpeedsRadPerS: Float64Array;
  /** Ground-effect thrust ratio of each rotor at the last step (1 out of ground effect). */
  readonly groundEffectRatios: Float64Array;
  private lastThrustN = 0;
  /** Rotor hub positions, flattened xyz, for the hot loop. */
  private readonly hubs: Float64Array;
  /**
   * Wind at the drone, world ENU, m/s (steady, gusts and turbulence: uav/wind/;
   * whoever owns the wind field sets it each step). The rotor and body drag
   * act on the velocity relative to it. Default still air.
   */
  readonly windMps: Vec3 = [0, 0, 0];
  /** Spin direction of each rotor, +1 or -1 (the airframe's; for drawing and read-outs). */
  readonly spins: Float64Array;

  constructor(physics: PhysicsBackend, id: string, airframe: Airframe, start: MultirotorStart, options: MultirotorOptions = {}) {
    assertAirframe(airframe);
    this.id = id;
    this.airframe = airframe;
    this.effects = { rotorDrag: true, bodyDrag: true, groundEffect: true, ...options.effects };
    const n = airframe.rotors.length;
    const w0 = start.rotorRadPerS ?? 0;
    const speeds = typeof w0 === 'number' ? new Array<number>(n).fill(w0) : [...w0];
    if (speeds.length !== n) throw new RangeError(`uav '${id}': ${speeds.length} initial rotor speeds for ${n} rotors`);
    for (const w of speeds) {
      if (!(Number.isFinite(w) && w >= 0 && w <= airframe.maxRotorRadPerS)) {
        throw new RangeError(`uav '${id}': initial rotor speed ${w} rad/s is outside [0, ${airframe.maxRotorRadPerS}]`);
      }
    }
    if (![...start.position, start.yawRad ?? 0].every(Number.isFinite)) throw new RangeError(`uav '${id}': start pose must be finite`);
    this.rotorSpeedsRadPerS = Float64Array.from(speeds);
    this.groundEffectRatios = new Float64Array(n).fill(1);
    this.hubs = new Float64Array(3 * n);
    this.spins = new Float64Array(n);
    airframe.rotors.forEach((r, i) => {
      this.hubs[3 * i] = r.positionM[0];
      this.hubs[3 * i + 1] = r.positionM[1];
      this.hubs[3 * i + 2] = r.positionM[2];
      this.spins[i] = r.spin;
    });

    const half = inertiaBoxHalfExtents(airframe);
    const disc = { type: 'cylinder' as const, radius: airframe.rotorRadiusM, halfHeight: ROTOR_DISC_HALF_HEIGHT_M };
    const colliders: ColliderDesc[] = [
      { shape: { type: 'box', halfExtents: half } },
      ...airframe.rotors.map((r): ColliderDesc => ({ shape: disc, offset: r.positionM, density: 0 })),
    ];
    this.body = physics.addBody({
      type: 'dynamic',
      position: start.position,
      rotation: start.rotation ?? quatFromYaw(start.yawRad ?? 0),
      ...(start.linearVelocity ? { linearVelocity: start.linearVelocity } : {}),
      colliders,
      mass: airframe.massKg,
    });
    this.bodies = [this.body];

    const parts: ActorPart[] = [
      { shape: { type: 'box', halfExtents: half }, offset: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } },
      ...airframe.rotors.map((r): ActorPart => ({ shape: disc, offset: { position: [...r.positionM], rotation: [0, 0, 0, 1] } })),
    ];
    this.descriptor = { id, kind: 'uav', parts, isStatic: false, isTerrain: false, color: options.color ?? airframe.color };
  }

  /** Sum of the rotor thrusts at the last step, N (with ground effect). */
  get totalThrustN(): number {
    return this.lastThrustN;
  }

  /**
   * Mechanical power the motors deliver to the rotors now, W: each rotor's
   * aerodynamic drag torque km w^2 times its speed, summed (sum km w^3). Rotor
   * inertia is not modelled, so this is all the shaft power; the battery's
   * draw is this over the motor and ESC efficiency.
   */
  get shaftPowerW(): number {
    const km = this.airframe.torqueCoeffNmPerRadPerS2;
    let p = 0;
    for (let i = 0; i < this.rotorSpeedsRadPerS.length; i++) {
      const w = this.rotorSpeedsRadPerS[i]!;
      p += km * w * w * w;
    }
    return p;
  }

  applyCommand(physics: PhysicsBackend, cmd: MultirotorCommand | undefined, dt: number, state: Readonly<ActorState>): void {
    const a = this.airframe;
    const n = a.rotors.length;
    const w = this.rotorSpeedsRadPerS;
    if (cmd && cmd.rotorRadPerS.length !== n) {
      throw new RangeError(`uav '${this.id}': command has ${cmd.rotorRadPerS.length} rotor speeds, the ${a.name} airframe has ${n} rotors`);
    }
    for (let i = 0; i < n; i++) {
      const sp = cmd ? cmd.rotorRadPerS[i]! : 0;
      if (!Number.isFinite(sp)) throw new RangeError(`uav '${this.id}': rotor ${i} setpoint is ${sp}, expected a finite rad/s`);
      w[i] = stepRotorSpeed(w[i]!, sp, dt, a.motorTauUpS, a.motorTauDownS, a.maxRotorRadPerS);
    }

    // Body-to-world rotation matrix of the attitude at the end of the last step.
    const [qx, qy, qz, qw] = state.rotation;
    const r00 = 1 - 2 * (qy * qy + qz * qz), r01 = 2 * (qx * qy - qz * qw), r02 = 2 * (qx * qz + qy * qw);
    const r10 = 2 * (qx * qy + qz * qw), r11 = 1 - 2 * (qx * qx + qz * qz), r12 = 2 * (qy * qz - qx * qw);
    const r20 = 2 * (qx * qz - qy * qw), r21 = 2 * (qy * qz + qx * qw), r22 = 1 - 2 * (qx * qx + qy * qy);
    // Body-frame velocities: v_b = R^T v, omega_b = R^T omega.
    // Drag acts on the velocity relative to the air: ground velocity minus the wind at the drone.
    const vwx = state.linearVelocity[0] - this.windMps[0], vwy = state.linearVelocity[1] - this.windMps[1], vwz = state.linearVelocity[2] - this.windMps[2];
    const vx = r00 * vwx + r10 * vwy + r20 * vwz;
    const vy = r01 * vwx + r11 * vwy + r21 * vwz;
    const vz = r02 * vwx + r12 * vwy + r22 * vwz;
    const [owx, owy, owz] = state.angularVelocity;
    const ox = r00 * owx + r10 * owy + r20 * owz;
    const oy = r01 * owx + r11 * owy + r21 * owz;
    const oz = r02 * owx + r12 * owy + r22 * owz;

    // Height of the body origin above whatever is below it (flat ground assumed under the rotors).
    let groundDist = Infinity;
    if (this.effects.groundEffect) {
      let maxHubDrop = 0;
      for (let i = 0; i < n; i++) maxHubDrop = Math.max(maxHubDrop, -(r20 * this.hubs[3 * i]! + r21 * this.hubs[3 * i + 1]! + r22 * this.hubs[3 * i + 2]!));
      _origin[0] = state.position[0];
      _origin[1] = state.position[1];
      _origin[2] = state.position[2];
      const hit = physics.castRay(_origin, DOWN, GROUND_EFFECT_RANGE_RADII * a.rotorRadiusM + maxHubDrop, this.body);
      if (hit) groundDist = hit.distance;
    }

    const kf = a.thrustCoeffNPerRadPerS2, km = a.torqueCoeffNmPerRadPerS2, crd = this.effects.rotorDrag ? a.rotorDragCoeffNsPerRadM : 0;
    let fx = 0, fy = 0, fz = 0, tx = 0, ty = 0, tz = 0, thrustSum = 0;
    for (let i = 0; i < n; i++) {
      const px = this.hubs[3 * i]!, py = this.hubs[3 * i + 1]!, pz = this.hubs[3 * i + 2]!;
      const wi = w[i]!;
      const w2 = wi * wi;
      let ge = 1;
      if (groundDist < Infinity) ge = groundEffectRatio(groundDist + r20 * px + r21 * py + r22 * pz, a.rotorRadiusM);
      this.groundEffectRatios[i] = ge;
      const t = kf * w2 * ge;
      // Hub velocity v_b + omega_b x r_i; its in-plane part drives the rotor drag.
      const hvx = vx + oy * pz - oz * py;
      const hvy = vy + oz * px - ox * pz;
      const dfx = -crd * wi * hvx;
      const dfy = -crd * wi * hvy;
      fx += dfx;
      fy += dfy;
      fz += t;
      thrustSum += t;
      // r_i x (dfx, dfy, t), plus the motor's reaction torque about body z.
      tx += py * t - pz * dfy;
      ty += pz * dfx - px * t;
      tz += px * dfy - py * dfx - this.spins[i]! * km * w2;
    }
    this.lastThrustN = thrustSum;
    if (this.effects.bodyDrag) {
      const speed = Math.sqrt(vx * vx + vy * vy + vz * vz);
      const [cx, cy, cz] = a.bodyDragCoeffNs2PerM2;
      fx -= cx * vx * speed;
      fy -= cy * vy * speed;
      fz -= cz * vz * speed;
    }

    _force[0] = r00 * fx + r01 * fy + r02 * fz;
    _force[1] = r10 * fx + r11 * fy + r12 * fz;
    _force[2] = r20 * fx + r21 * fy + r22 * fz;
    _torque[0] = r00 * tx + r01 * ty + r02 * tz;
    _torque[1] = r10 * tx + r11 * ty + r12 * tz;
    _torque[2] = r20 * tx + r21 * ty + r22 * tz;
    physics.applyForce(this.body, _force);
    physics.applyTorque(this.body, _torque);
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    readBodyState(physics, this.body, out);
  }

  destroy(physics: PhysicsBackend): void {
    physics.removeBody(this.body);
  }
}
