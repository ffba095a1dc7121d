/**
 * The physics seam. Everything above `sim/physics/` talks to a physics engine
 * through this interface only, using plain-data descriptors and numeric
 * handles (the Rapier style): no engine object leaks out, so a scenario runs
 * unchanged on Rapier (default) or cannon-es, and engine argument-order quirks
 * are wrapped once, here.
 *
 * Conventions: SI units, world ENU with z up, gravity along -z. Cylinders are
 * z-aligned (both engines are y-aligned natively; the wrappers rotate).
 * Quaternions are [x, y, z, w].
 */
import type { Pose, Quat, Vec3 } from '../math.ts';

export type BodyHandle = number;
export type VehicleHandle = number;

export type ShapeDesc =
  | { type: 'box'; halfExtents: Vec3 }
  | { type: 'sphere'; radius: number }
  /** Axis along body z. */
  | { type: 'cylinder'; radius: number; halfHeight: number };

export interface ColliderDesc {
  shape: ShapeDesc;
  /** Offset of the collider in the body frame. */
  offset?: Vec3;
  /** kg/m^3. Ignored for static and kinematic bodies. Default 1000. */
  density?: number;
  /** Coulomb coefficient. Both wrappers combine pairs by multiplication (cannon-es's rule). */
  friction?: number;
  restitution?: number;
  /** A sensor collider reports contacts but exerts no force. */
  sensor?: boolean;
}

export interface BodyDesc {
  type: 'dynamic' | 'static' | 'kinematic';
  position: Vec3;
  rotation?: Quat;
  linearVelocity?: Vec3;
  angularVelocity?: Vec3;
  linearDamping?: number;
  angularDamping?: number;
  colliders: ColliderDesc[];
  /** If set, overrides the mass computed from collider densities (kg). */
  mass?: number;
  /** Per-axis translation locks (true = free). Default all free. */
  enabledTranslations?: [boolean, boolean, boolean];
  /** Per-axis rotation locks (true = free). Default all free. */
  enabledRotations?: [boolean, boolean, boolean];
  /** Continuous collision detection for fast bodies. */
  ccd?: boolean;
}

export interface RayHit {
  body: BodyHandle;
  /** Distance along the (unit) direction, metres. */
  distance: number;
  point: Vec3;
  normal: Vec3;
}

export interface ContactEvent {
  a: BodyHandle;
  b: BodyHandle;
  /** true when the pair starts touching, false when it separates. */
  started: boolean;
}

export interface WheelDesc {
  /** Connection point of the suspension in the chassis frame. */
  connectionPoint: Vec3;
  /** Suspension direction in the chassis frame (usually [0, 0, -1]). */
  direction?: Vec3;
  /** Axle direction in the chassis frame (usually [0, 1, 0], body y = left). */
  axle?: Vec3;
  radius: number;
  suspensionRestLength: number;
  /** N/m per kg of chassis in cannon-es terms; the wrappers normalise. See docs/physics.md. */
  suspensionStiffness: number;
  suspensionCompression: number;
  suspensionRelaxation: number;
  maxSuspensionTravel: number;
  frictionSlip: number;
  maxSuspensionForce?: number;
}

export interface WheelState {
  inContact: boolean;
  suspensionLength: number;
  /** Rotation rate about the axle, rad/s. */
  spinRadPerS: number;
  steeringRad: number;
}

export interface PhysicsWorldOptions {
  gravity?: Vec3;
}

/**
 * One simulation world in one engine. Handles are small integers, unique
 * within the world, never reused after removal.
 */
export interface PhysicsBackend {
  readonly name: string;

  addBody(desc: BodyDesc): BodyHandle;
  removeBody(h: BodyHandle): void;
  hasBody(h: BodyHandle): boolean;

  getPose(h: BodyHandle, out: Pose): Pose;
  setPose(h: BodyHandle, pose: Pose): void;
  getLinearVelocity(h: BodyHandle, out: Vec3): Vec3;
  getAngularVelocity(h: BodyHandle, out: Vec3): Vec3;
  setLinearVelocity(h: BodyHandle, v: Vec3): void;
  setAngularVelocity(h: BodyHandle, w: Vec3): void;
  getMass(h: BodyHandle): number;

  /**
   * Force (N, world frame) applied during the next `step` only. With `worldPoint`
   * the force also produces the corresponding torque about the centre of mass.
   */
  applyForce(h: BodyHandle, force: Vec3, worldPoint?: Vec3): void;
  /** Torque (N m, world frame) applied during the next `step` only. */
  applyTorque(h: BodyHandle, torque: Vec3): void;
  /** Instantaneous impulse (N s, world frame) at the centre of mass. */
  applyImpulse(h: BodyHandle, impulse: Vec3): void;

  /** Closest hit along a ray with unit `direction`, or null. `exclude` skips one body (the sensor's own). */
  castRay(origin: Vec3, direction: Vec3, maxDistance: number, exclude?: BodyHandle): RayHit | null;

  /** Raycast-vehicle controller on a dynamic chassis (body x forward, z up). */
  addVehicle(chassis: BodyHandle, wheels: WheelDesc[]): VehicleHandle;
  removeVehicle(v: VehicleHandle): void;
  /** Engine force (N, + forward), brake force (N, >= 0) and steering angle (rad, + left) of one wheel. */
  setWheelInput(v: VehicleHandle, wheel: number, engineForce: number, brake: number, steeringRad: number): void;
  getWheelState(v: VehicleHandle, wheel: number, out: WheelState): WheelState;

  /** Advance by `dt` seconds. Forces and torques applied since the last step are consumed. */
  step(dt: number): void;

  /** Contact start/stop events since the last call, in a deterministic order. */
  drainContacts(): ContactEvent[];

  /** Release every engine resource. The backend is unusable afterwards. */
  free(): void;
}

/** Engine ids accepted by `createBackend` and the CLI's `--backend`. */
export const BACKEND_IDS = ['rapier', 'cannon', 'rapier-deterministic'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];
