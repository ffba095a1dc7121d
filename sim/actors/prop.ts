/**
 * Props: the ground, static obstacles and scripted moving obstacles. They
 * have no agent; a moving prop follows its waypoints as a kinematic body.
 */
import { readBodyState, type Actor, type ActorDescriptor } from '../actor.ts';
import { IDENTITY_QUAT, quatFromYaw, type Pose, type Vec3 } from '../math.ts';
import type { BodyHandle, PhysicsBackend, ShapeDesc } from '../physics/backend.ts';
import type { ActorState } from '../snapshot.ts';

export interface PropMotion {
  /** Waypoints in the ground plane, metres (z is kept). */
  waypoints: [number, number][];
  speedMps: number;
  /** After the last waypoint: back to the first (true) or stop (false). */
  loop: boolean;
}

export interface PropSpec {
  id: string;
  kind: string;
  shape: ShapeDesc;
  /** Pose of the shape's centre. */
  pose: Pose;
  terrain?: boolean;
  friction?: number;
  motion?: PropMotion;
  color?: string;
}

const _vel: Vec3 = [0, 0, 0];
const ZERO: Vec3 = [0, 0, 0];

export class Prop implements Actor<undefined> {
  readonly id: string;
  readonly kind: string;
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  private motion: PropMotion | undefined;
  private target = 0;
  private staticState: ActorState | null = null;

  constructor(physics: PhysicsBackend, spec: PropSpec) {
    this.id = spec.id;
    this.kind = spec.kind;
    this.motion = spec.motion;
    if (spec.motion && spec.motion.waypoints.length === 0) throw new RangeError(`prop '${spec.id}': motion needs at least one waypoint`);
    this.body = physics.addBody({
      type: spec.motion ? 'kinematic' : 'static',
      position: spec.pose.position,
      rotation: spec.pose.rotation,
      colliders: [{ shape: spec.shape, friction: spec.friction ?? 0.8 }],
    });
    this.bodies = [this.body];
    this.descriptor = {
      id: spec.id,
      kind: spec.kind,
      parts: [{ shape: spec.shape, offset: { position: [0, 0, 0], rotation: [...IDENTITY_QUAT] } }],
      isStatic: !spec.motion,
      isTerrain: spec.terrain ?? false,
      ...(spec.color ? { color: spec.color } : {}),
    };
  }

  /** Replace the scripted motion of a moving prop (a timeline event); starts at the first new waypoint. */
  setMotion(motion: PropMotion): void {
    if (!this.motion) throw new Error(`prop '${this.id}' is static; only a moving prop can change its motion`);
    if (motion.waypoints.length === 0) throw new RangeError(`prop '${this.id}': motion needs at least one waypoint`);
    this.motion = motion;
    this.target = 0;
  }

  applyCommand(physics: PhysicsBackend, _cmd: undefined, dt: number, state: Readonly<ActorState>): void {
    const m = this.motion;
    if (!m) return;
    const pos = state.position;
    const wps = m.waypoints;
    // Advance past every waypoint we would reach within this step.
    for (let guard = 0; guard < wps.length; guard++) {
      if (this.target >= wps.length) break;
      const [tx, ty] = wps[this.target]!;
      if (Math.hypot(tx - pos[0], ty - pos[1]) > m.speedMps * dt) break;
      this.target++;
      if (this.target >= wps.length && m.loop) this.target = 0;
    }
    if (this.target >= wps.length) {
      physics.setLinearVelocity(this.body, ZERO);
      return;
    }
    const [tx, ty] = wps[this.target]!;
    const dx = tx - pos[0], dy = ty - pos[1];
    const d = Math.hypot(dx, dy);
    _vel[0] = d > 0 ? (dx / d) * m.speedMps : 0;
    _vel[1] = d > 0 ? (dy / d) * m.speedMps : 0;
    _vel[2] = 0;
    physics.setLinearVelocity(this.body, _vel);
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    if (this.staticState) {
      copyState(this.staticState, out);
      return;
    }
    readBodyState(physics, this.body, out);
    if (this.descriptor.isStatic) this.staticState = { ...out, position: [...out.position], rotation: [...out.rotation], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0] };
  }

  destroy(physics: PhysicsBackend): void {
    if (physics.hasBody(this.body)) physics.removeBody(this.body);
  }
}

function copyState(src: ActorState, out: ActorState): void {
  for (let i = 0; i < 3; i++) {
    out.position[i] = src.position[i]!;
    out.linearVelocity[i] = 0;
    out.angularVelocity[i] = 0;
  }
  for (let i = 0; i < 4; i++) out.rotation[i] = src.rotation[i]!;
}

/** A flat ground slab whose top face is the plane z = 0. */
export function groundSpec(center: [number, number], size: [number, number], friction = 0.8): PropSpec {
  const thickness = 1;
  const [sizeXM, sizeYM] = size;
  return {
    id: 'ground',
    kind: 'ground',
    shape: { type: 'box', halfExtents: [sizeXM / 2, sizeYM / 2, thickness / 2] },
    pose: { position: [center[0], center[1], -thickness / 2], rotation: quatFromYaw(0) },
    terrain: true,
    friction,
    color: '#5d6b58',
  };
}
