/**
 * A scripted pedestrian: a kinematic upright cylinder that walks a polyline
 * at a set speed once its start trigger fires, then stands (or leaves the
 * world). It is a test target, like Euro NCAP's pedestrian dummy on its
 * carrier: it does not react to traffic.
 *
 * Triggers:
 * - `time`: start walking at simulation time `atS`;
 * - `proximity`: start when the named actor's ground-truth front (its centre
 *   plus `frontOffsetM` along its heading: the front bumper of a car) comes
 *   within `distanceM` of the pedestrian's centre (straight-line distance).
 *   This is the Euro NCAP AEB VRU style of trigger (CPNC, CPFA, CPNCO: the
 *   target starts so that it meets the car's path at a set point), so that
 *   a pedestrian emerging from behind a parked car is reproducible whatever
 *   the ego's speed profile before it.
 *
 * The body is kinematic: it moves by velocity along the path, collides with
 * everything (contact events) and is not pushed by what hits it. It does not
 * react to traffic, with one exception: it does not walk into something that
 * stands right in front of it. While a ray along its walking direction at
 * knee height (`LOOK_HEIGHT_M`; three rays across its width) hits a body
 * within `STOP_GAP_M` of its surface, it waits. So a car that has stopped with its bumper across the
 * pedestrian's path is not walked into (a collision the car could not avoid
 * by braking), while a car that keeps going still hits it.
 *
 * Size: a cylinder of 0.5 m diameter and 1.75 m height. 1.75 m is about the
 * stature of a 50th-percentile adult man (DIN 33402-2 / ISO 7250 surveys of
 * European adults: ~1.75 m) and 0.5 m about the shoulder breadth of the same
 * (bideltoid breadth ~0.48 m): both figures quoted from memory, not verified
 * in this change. The adult pedestrian target of ISO 19206-2:2018 (used by
 * Euro NCAP) is specified for the same purpose (§5.2, dimensions of the
 * targets).
 *
 * Walking speed default 1.4 m/s: mean free crossing speed of adults under 65,
 * R. L. Knoblauch, M. T. Pietrucha and M. Nitzburg, "Field Studies of
 * Pedestrian Walking Speed and Start-Up Time", Transp. Res. Rec. 1538, 1996
 * (mean ~1.5 m/s for younger, ~1.3 m/s for older pedestrians; from memory).
 * MUTCD 2009 §4E.06 times clearance intervals at 1.2 m/s (4.0 ft/s), and the
 * TCRP/NCHRP 2005 study measured a 15th percentile of 1.15 m/s for younger
 * pedestrians (both verified): 1.4 m/s is a typical, not a slow, walker.
 */
import { readBodyState, type Actor, type ActorDescriptor } from '../../sim/actor.ts';
import { IDENTITY_QUAT, quatFromYaw, yawOf, type Vec3 } from '../../sim/math.ts';
import type { BodyHandle, PhysicsBackend } from '../../sim/physics/backend.ts';
import type { ActorState } from '../../sim/snapshot.ts';

/** Diameter of the body, m (shoulder breadth, see the file comment). */
export const PEDESTRIAN_DIAMETER_M = 0.5;
/** Height of the body, m (adult stature, see the file comment). */
export const PEDESTRIAN_HEIGHT_M = 1.75;
/**
 * Test-target sizes, [diameter, height] m. Adult: the defaults above. Child:
 * a six-year-old, 1.154 m tall, the child pedestrian target of ISO 19206-2
 * and the Euro NCAP AEB VRU protocols (CPNC/CPNCO; from memory, not checked
 * against the standard's text), 0.3 m across (Skylane's reading of a child's
 * shoulder breadth). A child behind a parked sedan is hidden even from a
 * roof-mounted sensor; an adult's head shows over its roof.
 */
export const PEDESTRIAN_TARGETS = {
  adult: { diameterM: PEDESTRIAN_DIAMETER_M, heightM: PEDESTRIAN_HEIGHT_M },
  child: { diameterM: 0.3, heightM: 1.154 },
} as const;
export type PedestrianTarget = keyof typeof PEDESTRIAN_TARGETS;

/** Default walking speed, m/s (Knoblauch et al. 1996, see the file comment). */
export const PEDESTRIAN_WALKING_SPEED_MPS = 1.4;
/** Height of the look-ahead ray, m: inside a car's lower body (0.2-0.95 m in Skylane) and a 0.71 m cone. Skylane's choice. */
const LOOK_HEIGHT_M = 0.6;
/** Free space kept in front of the body when something stands there, m (Skylane's choice: about half a step). */
const STOP_GAP_M = 0.3;
const _origin: Vec3 = [0, 0, 0];
const _dir: Vec3 = [0, 0, 0];

export type PedestrianTrigger =
  | { kind: 'time'; atS: number }
  | { kind: 'proximity'; actorId: string; distanceM: number; frontOffsetM: number };

export interface PedestrianSpec {
  id: string;
  /** [x, y] points, m: the pedestrian stands at the first and walks to the last. At least two. */
  path: [number, number][];
  speedMps: number;
  start: PedestrianTrigger;
  /** After the last point: stand there, or leave the world. */
  atEnd: 'stand' | 'remove';
  /** Body size; default adult. */
  target?: PedestrianTarget;
  color?: string;
}

/** What the pedestrian reads: the trigger actor's ground truth (a `World` satisfies it). */
export interface PedestrianTruth {
  stateOf(id: string): ActorState;
  hasActor(id: string): boolean;
}

export type PedestrianPhase = 'waiting' | 'walking' | 'done';

const _v: Vec3 = [0, 0, 0];
const ZERO: Vec3 = [0, 0, 0];

export class Pedestrian implements Actor<undefined> {
  readonly kind = 'pedestrian';
  readonly id: string;
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  private target = 1;
  private phaseNow: PedestrianPhase = 'waiting';
  private stepIndex = 0;
  private startedAt: number | undefined;
  /** Body radius, m (from the target size). */
  private readonly radiusM: number;
  private halted = false;

  constructor(
    physics: PhysicsBackend,
    readonly spec: PedestrianSpec,
    private readonly truth: PedestrianTruth,
    /** Called once when the walk starts (time s) and once when it ends. */
    private readonly on: { started?: (t: number) => void; finished?: (t: number) => void } = {},
  ) {
    this.id = spec.id;
    if (spec.path.length < 2) throw new RangeError(`pedestrian '${spec.id}': the path needs at least two points`);
    if (!spec.path.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) throw new RangeError(`pedestrian '${spec.id}': path points must be finite`);
    if (!(spec.speedMps > 0) || !Number.isFinite(spec.speedMps)) throw new RangeError(`pedestrian '${spec.id}': speedMps must be > 0`);
    const [x0, y0] = spec.path[0]!;
    const [x1, y1] = spec.path[1]!;
    const size = PEDESTRIAN_TARGETS[spec.target ?? 'adult'];
    this.radiusM = size.diameterM / 2;
    const shape = { type: 'cylinder' as const, radius: this.radiusM, halfHeight: size.heightM / 2 };
    this.body = physics.addBody({
      type: 'kinematic',
      position: [x0, y0, size.heightM / 2],
      rotation: quatFromYaw(Math.atan2(y1 - y0, x1 - x0)),
      colliders: [{ shape }],
    });
    this.bodies = [this.body];
    this.descriptor = {
      id: spec.id,
      kind: 'pedestrian',
      parts: [{ shape, offset: { position: [0, 0, 0], rotation: [...IDENTITY_QUAT] } }],
      isStatic: false,
      isTerrain: false,
      color: spec.color ?? '#e67e22',
    };
  }

  get phase(): PedestrianPhase {
    return this.phaseNow;
  }

  /** Simulation time the walk started, s (undefined before). */
  get startTimeS(): number | undefined {
    return this.startedAt;
  }

  applyCommand(physics: PhysicsBackend, _cmd: undefined, dt: number, state: Readonly<ActorState>): void {
    const t = this.stepIndex * dt;
    this.stepIndex++;
    if (this.phaseNow === 'waiting') {
      if (!this.triggered(t, state)) return;
      this.phaseNow = 'walking';
      this.startedAt = t;
      this.on.started?.(t);
    }
    if (this.phaseNow === 'done') {
      // Standing after the path: end the landing step's velocity once.
      if (!this.halted) physics.setLinearVelocity(this.body, ZERO);
      this.halted = true;
      return;
    }
    const path = this.spec.path;
    const v = this.spec.speedMps;
    const pos = state.position;
    // Advance past every point reached within this step.
    while (this.target < path.length) {
      const [tx, ty] = path[this.target]!;
      if (Math.hypot(tx - pos[0], ty - pos[1]) > v * dt) break;
      this.target++;
    }
    if (this.target >= path.length) {
      // Land exactly on the last point, then stand.
      const [tx, ty] = path[path.length - 1]!;
      _v[0] = (tx - pos[0]) / dt;
      _v[1] = (ty - pos[1]) / dt;
      _v[2] = 0;
      physics.setLinearVelocity(this.body, _v);
      this.phaseNow = 'done';
      this.on.finished?.(t);
      return;
    }
    const [tx, ty] = path[this.target]!;
    const dx = tx - pos[0], dy = ty - pos[1];
    const d = Math.hypot(dx, dy);
    _origin[2] = LOOK_HEIGHT_M;
    _dir[0] = dx / d;
    _dir[1] = dy / d;
    _dir[2] = 0;
    // Three rays across the body's width (centre and both sides), so a bumper edge in front of one shoulder counts.
    const reach = this.radiusM + STOP_GAP_M + v * dt;
    let blocked = false;
    for (let k = -1; k <= 1 && !blocked; k++) {
      const off = 0.9 * k * this.radiusM;
      _origin[0] = pos[0] - off * _dir[1];
      _origin[1] = pos[1] + off * _dir[0];
      blocked = physics.castRay(_origin, _dir, reach, this.body) !== null;
    }
    _v[0] = blocked ? 0 : _dir[0] * v;
    _v[1] = blocked ? 0 : _dir[1] * v;
    _v[2] = 0;
    physics.setLinearVelocity(this.body, _v);
  }

  private triggered(t: number, self: Readonly<ActorState>): boolean {
    const s = this.spec.start;
    if (s.kind === 'time') return t >= s.atS - 1e-9;
    if (!this.truth.hasActor(s.actorId)) return false;
    const o = this.truth.stateOf(s.actorId);
    if (!o.present) return false;
    const yaw = yawOf(o.rotation);
    const fx = o.position[0] + s.frontOffsetM * Math.cos(yaw);
    const fy = o.position[1] + s.frontOffsetM * Math.sin(yaw);
    return Math.hypot(fx - self.position[0], fy - self.position[1]) <= s.distanceM;
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    readBodyState(physics, this.body, out);
  }

  destroy(physics: PhysicsBackend): void {
    if (physics.hasBody(this.body)) physics.removeBody(this.body);
  }
}
