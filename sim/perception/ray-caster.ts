/**
 * The fast ray caster for perception sensors: the static scene's BVH
 * (static-scene.ts) for everything that never moves, plus the few moving
 * actors (dynamic and kinematic: vehicles, drones, pedestrians, moving props)
 * tested analytically from their descriptor parts at their current
 * ground-truth poses. The physics engine is not called at all by default.
 *
 * Why analytic for the moving actors rather than the backend's castRay: a
 * scene has a handful of them, so a bounding-sphere check and a few exact
 * primitive tests cost tens of nanoseconds a ray, where one engine call costs
 * 0.6-15 µs (and both engines' casts walk the static colliders again). The
 * price is that rays see the descriptor's parts, which for a few actors are
 * more than their colliders: a car's wheels are drawn parts, not colliders,
 * so the lidar sees them and `castRay` does not (a real lidar does see
 * wheels). `moving: 'backend'` gives the engine's answer for moving bodies
 * instead, at the engine's speed.
 *
 * Poses are copied into a packed array by `refresh()`: call it once per scan
 * (the sensors do), not per ray. Between refreshes the moving actors are
 * where they were at the refresh. A caster built by `fromWorld` also drops
 * static actors removed from the world (at the next refresh); actors added
 * after it was built are not seen: build it once the world is populated.
 */
import type { Actor } from '../actor.ts';
import type { Pose, Vec3 } from '../math.ts';
import type { BodyHandle, PhysicsBackend, RayHit } from '../physics/backend.ts';
import type { ActorState } from '../snapshot.ts';
import { lastEntry, PRIM_STRIDE, primitiveBounds, primitiveNormal, rayPrimitive, writePrimitive } from './primitives.ts';
import { composePose, newSceneHit, StaticScene, type SceneHit, type StaticActorInput, type StaticSceneOptions } from './static-scene.ts';

/** A moving actor as the caster needs it: its parts, bodies and live ground-truth state. */
export interface MovingActorInput {
  actor: Pick<Actor, 'id' | 'body' | 'bodies' | 'descriptor'>;
  /** Live ground truth (the world keeps it current); read at `refresh()`. */
  state: Readonly<Pick<ActorState, 'position' | 'rotation'>>;
  /** False once the actor left the world; it is then skipped. Default: always present. */
  present?: () => boolean;
}

export interface RayCasterOptions extends StaticSceneOptions {
  /**
   * 'analytic' (default): moving actors' descriptor parts at their ground-truth
   * poses; 'backend': the physics backend's castRay for them (slow, but the
   * engine's own colliders).
   */
  moving?: 'analytic' | 'backend';
  /** Needed for moving: 'backend'. */
  physics?: Pick<PhysicsBackend, 'castRay'>;
}

/** What a world offers the caster (World satisfies it). */
export interface WorldLike {
  actors(): Actor[];
  stateOf(id: string): ActorState;
  readonly physics: Pick<PhysicsBackend, 'castRay'>;
}

const _pose: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
const _lo: Vec3 = [0, 0, 0];
const _hi: Vec3 = [0, 0, 0];
const _hit = newSceneHit();

/** A static actor the caster watches for removal (the scene is rebuilt without it at the next refresh). */
export interface StaticActorWatch {
  input: StaticActorInput;
  present: () => boolean;
}

export class RayCaster {
  private currentScene: StaticScene;
  private readonly statics: StaticActorWatch[];
  private readonly sceneOptions: StaticSceneOptions;
  private staticsPresent: number;
  private readonly moving: MovingActorInput[];
  private readonly mode: 'analytic' | 'backend';
  private readonly physics: Pick<PhysicsBackend, 'castRay'> | undefined;
  /** Moving actors' parts in world frame at the last refresh (primitives.ts layout). */
  private readonly movingPrims: Float64Array;
  /** Per moving part: index into `moving`. */
  private readonly movingOwner: Int32Array;
  /** Per moving actor: first part, part count, and a bounding sphere (x, y, z, r) at the last refresh. */
  private readonly movingFirst: Int32Array;
  private readonly movingCount: Int32Array;
  private readonly movingSphere: Float64Array;
  /** Per moving actor: radius of its parts' bounding sphere about the actor origin (pose-independent). */
  private readonly movingRadius: Float64Array;
  private readonly movingPresent: Uint8Array;

  /**
   * `statics`: the static actors behind `scene`, if the caster should follow
   * their removal (rare: a timeline event); without it the scene is fixed.
   */
  constructor(
    scene: StaticScene, moving: readonly MovingActorInput[] = [], opts: Pick<RayCasterOptions, 'moving' | 'physics'> & StaticSceneOptions = {},
    statics: readonly StaticActorWatch[] = [],
  ) {
    this.currentScene = scene;
    this.statics = [...statics];
    this.sceneOptions = opts.groundPlaneZ !== undefined ? { groundPlaneZ: opts.groundPlaneZ } : {};
    this.staticsPresent = this.statics.length;
    this.moving = [...moving];
    this.mode = opts.moving ?? 'analytic';
    this.physics = opts.physics;
    if (this.mode === 'backend' && !this.physics) throw new Error("RayCaster: moving: 'backend' needs opts.physics");
    let parts = 0;
    for (const m of this.moving) parts += m.actor.descriptor.parts.length;
    this.movingPrims = new Float64Array(parts * PRIM_STRIDE);
    this.movingOwner = new Int32Array(parts);
    const n = this.moving.length;
    this.movingFirst = new Int32Array(n);
    this.movingCount = new Int32Array(n);
    this.movingSphere = new Float64Array(4 * n);
    this.movingRadius = new Float64Array(n);
    this.movingPresent = new Uint8Array(n);
    let k = 0;
    const origin: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
    const scratch = new Float64Array(PRIM_STRIDE);
    this.moving.forEach((m, a) => {
      this.movingFirst[a] = k;
      this.movingCount[a] = m.actor.descriptor.parts.length;
      let r = 0;
      for (const part of m.actor.descriptor.parts) {
        this.movingOwner[k++] = a;
        // Bounding radius about the actor origin: farthest corner of the part's box in the actor frame.
        writePrimitive(scratch, 0, part.shape, composePose(origin, part.offset, _pose));
        primitiveBounds(scratch, 0, _lo, _hi);
        r = Math.max(r, Math.hypot(Math.max(-_lo[0], _hi[0]), Math.max(-_lo[1], _hi[1]), Math.max(-_lo[2], _hi[2])));
      }
      this.movingRadius[a] = r;
    });
    this.refresh();
  }

  /**
   * A caster over a world's actors as they are now: static actors (and
   * terrain) into the BVH, the others as moving. Build it after the static
   * actors are added; actors added later are not seen.
   */
  static fromWorld(world: WorldLike, opts: RayCasterOptions = {}): RayCaster {
    const statics: StaticActorWatch[] = [], moving: MovingActorInput[] = [];
    for (const actor of world.actors()) {
      const state = world.stateOf(actor.id);
      if (!state.present) continue;
      if (actor.descriptor.isStatic) {
        const input = { descriptor: actor.descriptor, body: actor.body, pose: { position: [...state.position], rotation: [...state.rotation] } as Pose };
        statics.push({ input, present: () => state.present });
      } else {
        moving.push({ actor, state, present: () => state.present });
      }
    }
    const sceneOpts: StaticSceneOptions = opts.groundPlaneZ !== undefined ? { groundPlaneZ: opts.groundPlaneZ } : {};
    const scene = StaticScene.build(statics.map((s) => s.input), sceneOpts);
    return new RayCaster(scene, moving, { moving: opts.moving ?? 'analytic', physics: opts.physics ?? world.physics, ...sceneOpts }, statics);
  }

  /** The static scene as of the last refresh. */
  get scene(): StaticScene {
    return this.currentScene;
  }

  /**
   * Copy the moving actors' current poses into the packed parts, and rebuild
   * the static scene if a watched static actor has left the world. Once per scan.
   */
  refresh(): void {
    if (this.statics.length > 0) {
      let present = 0;
      for (let i = 0; i < this.statics.length; i++) if (this.statics[i]!.present()) present++;
      if (present !== this.staticsPresent) {
        // Removal is a timeline event, not a per-tick one: a rebuild (~1 ms for hundreds of parts) is cheaper than a presence check per primitive test.
        this.staticsPresent = present;
        this.currentScene = StaticScene.build(this.statics.filter((s) => s.present()).map((s) => s.input), this.sceneOptions);
      }
    }
    const prims = this.movingPrims;
    for (let a = 0; a < this.moving.length; a++) {
      const m = this.moving[a]!;
      const present = m.present ? m.present() : true;
      this.movingPresent[a] = present ? 1 : 0;
      if (!present) continue;
      const s = m.state;
      const parts = m.actor.descriptor.parts;
      const base: Pose = _basePose;
      base.position[0] = s.position[0]; base.position[1] = s.position[1]; base.position[2] = s.position[2];
      base.rotation[0] = s.rotation[0]; base.rotation[1] = s.rotation[1]; base.rotation[2] = s.rotation[2]; base.rotation[3] = s.rotation[3];
      const first = this.movingFirst[a]!;
      for (let j = 0; j < parts.length; j++) {
        const part = parts[j]!;
        writePrimitive(prims, (first + j) * PRIM_STRIDE, part.shape, composePose(base, part.offset, _pose));
      }
      this.movingSphere[4 * a] = s.position[0];
      this.movingSphere[4 * a + 1] = s.position[1];
      this.movingSphere[4 * a + 2] = s.position[2];
      this.movingSphere[4 * a + 3] = this.movingRadius[a]!;
    }
  }

  /**
   * Closest hit within `maxDistance` along unit `dir`, skipping the actor
   * that owns body `exclude` (the sensor's own); writes `out` and returns
   * true, or returns false. Allocation-free in 'analytic' mode.
   */
  cast(origin: Readonly<Vec3>, dir: Readonly<Vec3>, maxDistance: number, out: SceneHit, exclude: BodyHandle = -2): boolean {
    const ox = origin[0], oy = origin[1], oz = origin[2];
    const dx = dir[0], dy = dir[1], dz = dir[2];
    const scene = this.currentScene;
    const si = scene.closest(ox, oy, oz, dx, dy, dz, maxDistance, exclude);
    let best = si >= 0 ? scene.closestDistance : maxDistance;
    if (this.mode === 'backend') {
      // The engine sees static colliders too; clipping its range at the static hit keeps it to what is nearer.
      const h = this.physics!.castRay(origin as Vec3, dir as Vec3, best, exclude);
      if (h && (si < 0 || h.distance < best)) {
        out.distance = h.distance;
        out.point[0] = h.point[0]; out.point[1] = h.point[1]; out.point[2] = h.point[2];
        out.normal[0] = h.normal[0]; out.normal[1] = h.normal[1]; out.normal[2] = h.normal[2];
        out.body = h.body;
        out.actorId = this.ownerOfBody(h.body);
        return true;
      }
    } else {
      let bestPart = -1, bestEntry = 0;
      const prims = this.movingPrims;
      for (let a = 0; a < this.moving.length; a++) {
        if (this.skipMoving(a, exclude, ox, oy, oz, dx, dy, dz, best)) continue;
        const first = this.movingFirst[a]!, end = first + this.movingCount[a]!;
        for (let k = first; k < end; k++) {
          const t = rayPrimitive(prims, k * PRIM_STRIDE, ox, oy, oz, dx, dy, dz, best);
          if (t < best || (t === best && si < 0 && bestPart < 0)) { best = t; bestPart = k; bestEntry = lastEntry; }
        }
      }
      if (bestPart >= 0) {
        out.distance = best;
        const px = ox + dx * best, py = oy + dy * best, pz = oz + dz * best;
        out.point[0] = px; out.point[1] = py; out.point[2] = pz;
        primitiveNormal(prims, bestPart * PRIM_STRIDE, bestEntry, px, py, pz, dx, dy, dz, out.normal);
        const m = this.moving[this.movingOwner[bestPart]!]!;
        out.body = m.actor.body;
        out.actorId = m.actor.id;
        return true;
      }
    }
    if (si < 0) return false;
    scene.fill(si, ox, oy, oz, dx, dy, dz, out);
    return true;
  }

  /**
   * True when moving actor `a` cannot hold a hit closer than `best`: removed,
   * excluded, or its bounding sphere off the ray (closest approach of the
   * ray to the actor origin).
   */
  private skipMoving(a: number, exclude: BodyHandle, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, best: number): boolean {
    if (this.movingPresent[a] === 0) return true;
    const m = this.moving[a]!;
    if (m.actor.body === exclude || (exclude >= 0 && m.actor.bodies.includes(exclude))) return true;
    const sph = this.movingSphere;
    const cx = sph[4 * a]! - ox, cy = sph[4 * a + 1]! - oy, cz = sph[4 * a + 2]! - oz, r = sph[4 * a + 3]!;
    const tc = cx * dx + cy * dy + cz * dz;
    const d2 = cx * cx + cy * cy + cz * cz;
    return d2 > r * r && (tc < 0 || d2 - tc * tc > r * r || tc - r > best);
  }

  /**
   * Distance of the closest hit within `maxDistance`, or Infinity: `cast`
   * without the hit point, normal and owner (a lidar keeps only the range).
   * The same traversal and the same tests in the same order, so the same
   * distance as `cast(...)` then `out.distance`.
   */
  castDistance(origin: Readonly<Vec3>, dir: Readonly<Vec3>, maxDistance: number, exclude: BodyHandle = -2): number {
    if (this.mode === 'backend') return this.cast(origin, dir, maxDistance, _hit, exclude) ? _hit.distance : Infinity;
    const ox = origin[0], oy = origin[1], oz = origin[2];
    const dx = dir[0], dy = dir[1], dz = dir[2];
    const si = this.currentScene.closest(ox, oy, oz, dx, dy, dz, maxDistance, exclude);
    let best = si >= 0 ? this.currentScene.closestDistance : maxDistance;
    let hit = si >= 0;
    const prims = this.movingPrims;
    for (let a = 0; a < this.moving.length; a++) {
      if (this.skipMoving(a, exclude, ox, oy, oz, dx, dy, dz, best)) continue;
      const first = this.movingFirst[a]!, end = first + this.movingCount[a]!;
      for (let k = first; k < end; k++) {
        const t = rayPrimitive(prims, k * PRIM_STRIDE, ox, oy, oz, dx, dy, dz, best);
        if (t < best || (t === best && !hit)) { best = t; hit = true; }
      }
    }
    return hit ? best : Infinity;
  }

  /**
   * `PhysicsBackend.castRay`'s signature (allocates the result), so the
   * caster can stand in for `ctx.physics` in existing sensors.
   */
  castRay(origin: Vec3, direction: Vec3, maxDistance: number, exclude?: BodyHandle): RayHit | null {
    if (!this.cast(origin, direction, maxDistance, _hit, exclude ?? -2)) return null;
    return { body: _hit.body, distance: _hit.distance, point: [..._hit.point], normal: [..._hit.normal] };
  }

  private ownerOfBody(body: BodyHandle): string {
    for (const m of this.moving) if (m.actor.bodies.includes(body)) return m.actor.id;
    const sc = this.currentScene;
    for (let i = 0; i < sc.primCount; i++) if (sc.primBody[i] === body) return sc.actorIds[sc.primActor[i]!]!;
    return '';
  }
}

const _basePose: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
