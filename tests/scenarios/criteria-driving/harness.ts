/**
 * A tiny deterministic world for the driving criteria: flat ground, a road
 * network (for the criteria, not for physics), actors that follow a scripted
 * path exactly (kinematic bodies, so contacts are real physics events), and
 * static props. Criteria are wired the way the runner wires them.
 */
import { readBodyState, type Actor, type ActorDescriptor } from '../../../sim/actor.ts';
import { groundSpec, Prop } from '../../../sim/actors/prop.ts';
import { quatFromYaw, wrapAngle, yawOf, type Vec3 } from '../../../sim/math.ts';
import type { BodyHandle, PhysicsBackend } from '../../../sim/physics/backend.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { World } from '../../../sim/world.ts';
import type { Criterion } from '../../../scenarios/criteria/criterion.ts';
import type { DrivingActor, DrivingCategory, DrivingContext, Footprint, Polyline } from '../../../scenarios/criteria/driving/context.ts';
import type { RoadNetwork } from '../../../vehicles/road/road-network.ts';

export const DT = 0.01;
/** A BMW 320i-sized box (vehicles/car/params.ts: 4.508 x 1.61 m), rounded. */
export const CAR: Footprint = { lengthM: 4.5, widthM: 1.6 };

export interface ScriptPose {
  x: number;
  y: number;
  /** Heading; default: the direction of travel (from the path's derivative). */
  yawRad?: number;
}

/** Position of the scripted actor at time t, s. */
export type Script = (t: number) => ScriptPose;

const _v: Vec3 = [0, 0, 0];
const _w: Vec3 = [0, 0, 0];

/** Follows `script` exactly: each step it sets the velocities that land its body on the next scripted pose. */
export class ScriptedActor implements Actor<undefined> {
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  private t = 0;

  constructor(physics: PhysicsBackend, readonly id: string, readonly kind: string, readonly fp: Footprint, private readonly script: Script) {
    const p = this.pose(0);
    const half: Vec3 = [fp.lengthM / 2, fp.widthM / 2, 0.7];
    this.body = physics.addBody({ type: 'kinematic', position: [p.x, p.y, 0.8], rotation: quatFromYaw(p.yaw), colliders: [{ shape: { type: 'box', halfExtents: half } }] });
    this.bodies = [this.body];
    this.descriptor = { id, kind, parts: [{ shape: { type: 'box', halfExtents: half }, offset: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } }], isStatic: false, isTerrain: false };
  }

  private pose(t: number): { x: number; y: number; yaw: number } {
    const p = this.script(t);
    if (p.yawRad !== undefined) return { x: p.x, y: p.y, yaw: p.yawRad };
    const h = 1e-3;
    const a = this.script(Math.max(0, t - h)), b = this.script(t + h);
    const moving = Math.hypot(b.x - a.x, b.y - a.y) > 1e-9;
    return { x: p.x, y: p.y, yaw: moving ? Math.atan2(b.y - a.y, b.x - a.x) : this.lastYaw };
  }

  private lastYaw = 0;

  applyCommand(physics: PhysicsBackend, _cmd: undefined, dt: number, state: Readonly<ActorState>): void {
    this.t += dt;
    const p = this.pose(this.t);
    this.lastYaw = p.yaw;
    _v[0] = (p.x - state.position[0]) / dt;
    _v[1] = (p.y - state.position[1]) / dt;
    _v[2] = 0;
    _w[2] = wrapAngle(p.yaw - yawOf(state.rotation)) / dt;
    physics.setLinearVelocity(this.body, _v);
    physics.setAngularVelocity(this.body, _w);
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    readBodyState(physics, this.body, out);
  }

  destroy(physics: PhysicsBackend): void {
    if (physics.hasBody(this.body)) physics.removeBody(this.body);
  }
}

export interface Rig {
  world: World;
  ctx: DrivingContext;
  /** A scripted actor; the first one added with id 'ego' is the ego. */
  scripted(id: string, category: DrivingCategory | 'ego', script: Script, fp?: Footprint): void;
  /** A static box (category static or vehicle) or cylinder (pedestrian) at (x, y). */
  fixed(id: string, category: DrivingCategory, x: number, y: number, fp?: Footprint): void;
  /** Attach criteria, run up to `seconds` (or until the world stops), finish them. */
  run(seconds: number, ...criteria: Criterion[]): void;
}

const live: World[] = [];

/** Dispose every world built since the last call (use in afterEach). */
export function disposeRigs(): void {
  while (live.length) live.pop()!.dispose();
}

export async function rig(network: RoadNetwork, opts: { route?: Polyline; egoFootprint?: Footprint } = {}): Promise<Rig> {
  const physics = await createBackend('rapier');
  const world = new World({ physics, dt: DT, seed: 1 });
  live.push(world);
  world.addActor(new Prop(physics, groundSpec([0, 0], [2000, 2000])));
  const others: DrivingActor[] = [];
  const ctx: DrivingContext = { network, egoId: 'ego', egoFootprint: opts.egoFootprint ?? CAR, others, ...(opts.route ? { route: opts.route } : {}) };
  return {
    world,
    ctx,
    scripted(id, category, script, fp = CAR) {
      world.addActor(new ScriptedActor(physics, id, category === 'ego' ? 'car' : category, fp, script));
      if (category !== 'ego') others.push({ id, category, ...fp });
    },
    fixed(id, category, x, y, fp) {
      const size = fp ?? (category === 'pedestrian' ? { lengthM: 0.6, widthM: 0.6 } : category === 'vehicle' ? CAR : { lengthM: 0.5, widthM: 0.5 });
      world.addActor(new Prop(physics, {
        id,
        kind: category,
        shape: category === 'pedestrian' ? { type: 'cylinder', radius: size.lengthM / 2, halfHeight: 0.85 } : { type: 'box', halfExtents: [size.lengthM / 2, size.widthM / 2, 0.7] },
        pose: { position: [x, y, category === 'pedestrian' ? 0.85 : 0.7], rotation: quatFromYaw(0) },
      }));
      others.push({ id, category, ...size });
    },
    run(seconds, ...criteria) {
      for (const c of criteria) c.attach(world);
      const subs = [
        world.tick$.subscribe((s) => criteria.forEach((c) => c.observe(s))),
        world.events$.subscribe((e) => criteria.forEach((c) => c.onEvent(e))),
      ];
      const steps = Math.round(seconds / DT);
      for (let i = 0; i < steps && !world.stopped; i++) world.step();
      for (const c of criteria) c.finish(world.time);
      subs.forEach((s) => s.unsubscribe());
    },
  };
}

/** Constant speed along +x from (x0, y). */
export const straight = (x0: number, y: number, speedMps: number): Script => (t) => ({ x: x0 + speedMps * t, y });
