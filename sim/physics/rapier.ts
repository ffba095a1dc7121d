/**
 * `PhysicsBackend` on Rapier (3D). One class serves both the default
 * `@dimforge/rapier3d-compat` build and `@dimforge/rapier3d-deterministic-compat`
 * (same API): the caller passes the already-initialised module, so nothing in
 * this file loads an engine by itself (type-only imports below).
 *
 * Normalisations done here (see also cannon.ts, which mirrors them):
 * - Cylinders are z-aligned: Rapier's y-aligned cylinder is rotated +90° about x.
 * - Densities default to 1000 kg/m^3 (Rapier's default is 1); a `mass` override
 *   rescales the collider densities so inertia keeps its shape-derived distribution.
 * - Friction and restitution combine by multiplication (cannon-es's rule);
 *   defaults are friction 0.5, restitution 0 on both engines.
 * - Forces/torques added with `addForce`/`addTorque` persist in Rapier until
 *   reset; they are reset after each `step` so they act for one step only.
 * - Sleeping is disabled (cannon-es never sleeps in our setup), so a resting
 *   body responds to forces and setters the same way on both engines.
 * - Contact events are per body pair (Rapier reports per collider pair): a
 *   pair "starts" when its first collider pair touches and "stops" when the
 *   last one separates. Removing a body reports `started: false` for every
 *   pair it was touching, at the next drain.
 * - Ray casts (ours and the vehicles' suspension rays) ignore sensor colliders.
 *   A ray starting inside a collider hits it at distance 0, normal -direction.
 * - Ray casts see bodies added, removed or moved by `setPose` immediately (a
 *   brute-force cast until the next step rebuilds Rapier's query tree).
 * - Velocity setters are ignored on static bodies; forces, torques and
 *   impulses only act on dynamic bodies; `getMass` is 0 unless dynamic.
 * - Vehicles: Rapier's controller pushes along (up x axle), i.e. body -x for
 *   the usual +y axle, so the engine force sign is flipped per wheel; positive
 *   steering turns left. Suspension stiffness needs no conversion: Rapier and
 *   cannon-es both multiply it by the chassis mass (N/m per kg). Brake force
 *   (N) becomes Rapier's brake impulse (N s) = brake * dt; as in Rapier, a
 *   wheel with an engine force ignores its brake (cannon.ts matches this).
 *   Wheel spin is computed here, identically for both engines.
 *
 * Rapier quirks left as they are: the vehicle controller applies its
 * suspension impulse once per step while gravity is integrated over the
 * solver's substeps, so a chassis standing still reports a vertical velocity
 * of -(3/8) g dt after each step (its pose does not move) and sags ~5 mm less
 * than the static g / (4 k); the suspension rays use the query tree of the
 * previous step, so they miss ground added (or teleported) since then.
 */
import type {
  Collider,
  ColliderDesc as RColliderDesc,
  DynamicRayCastVehicleController,
  EventQueue,
  RigidBody,
  World,
} from '@dimforge/rapier3d-compat';
import type { Pose, Quat, Vec3 } from '../math.ts';
import type {
  BodyDesc,
  BodyHandle,
  ColliderDesc,
  ContactEvent,
  PhysicsBackend,
  PhysicsWorldOptions,
  RayHit,
  ShapeDesc,
  VehicleHandle,
  WheelDesc,
  WheelState,
} from './backend.ts';

export type RapierModule = typeof import('@dimforge/rapier3d-compat');

const DEFAULT_DENSITY = 1000;
const DEFAULT_FRICTION = 0.5;
const DEFAULT_RESTITUTION = 0;
/** "Unlimited" suspension force, finite in f32. */
const DEFAULT_MAX_SUSPENSION_FORCE = 1e30;
const HALF_SQRT2 = Math.SQRT1_2;

/**
 * Scratch targets for Rapier's getters: `translation()` and friends without a
 * target allocate a fresh object per call, and a 37-car world reads four per
 * car per step.
 */
const _t = { x: 0, y: 0, z: 0 };
const _q = { x: 0, y: 0, z: 0, w: 1 };
/** Scratch buffer for raw getters that write into a Float32Array (ray normals, point velocities). */
const _f32 = new Float32Array(4);
/** The ray filter predicate Rapier's World passes when the caller gives none: every collider passes. */
const ANY_COLLIDER = (): undefined => undefined;

interface BodyRec {
  body: RigidBody;
  type: BodyDesc['type'];
  colliders: Collider[];
  /**
   * Kinematic bodies only: the velocity last set (linear xyz, angular xyz),
   * rounded to f32 as Rapier stores it. The engine never changes a
   * velocity-based kinematic body's velocity, so reading it back is this
   * exact value (tested bit for bit against the engine), and the read-back
   * of every NPC car each step skips two WASM calls.
   */
  kinVel: Float64Array | undefined;
  /** Radius about the body origin of a sphere holding all its colliders (for castRay's pre-check). */
  boundRadius: number;
  /** Static bodies only: world AABB of the colliders at the body's pose (lo xyz, hi xyz). */
  staticBox: Float64Array | undefined;
  descColliders: ColliderDesc[];
}

interface WheelRec {
  desc: WheelDesc;
  /** Multiplies our engine force (+ = body +x) into Rapier's convention for this wheel's axle. */
  engineSign: number;
  /** Multiplies the forward rolling rate into a rate about this wheel's axle. */
  spinSign: number;
  direction: Vec3;
  engine: number;
  brake: number;
  steering: number;
  spin: number;
}

interface VehicleRec {
  ctrl: DynamicRayCastVehicleController;
  chassis: BodyHandle;
  wheels: WheelRec[];
}

function shapeVolume(s: ShapeDesc): number {
  switch (s.type) {
    case 'box':
      return 8 * s.halfExtents[0] * s.halfExtents[1] * s.halfExtents[2];
    case 'sphere':
      return (4 / 3) * Math.PI * s.radius ** 3;
    case 'cylinder':
      return Math.PI * s.radius * s.radius * 2 * s.halfHeight;
  }
}

/**
 * Densities after applying an optional mass override: the shape-derived mass
 * distribution is kept and scaled to the requested total.
 */
function colliderDensities(desc: BodyDesc): number[] {
  const dens = desc.colliders.map((c) => c.density ?? DEFAULT_DENSITY);
  if (desc.mass === undefined || desc.type !== 'dynamic') return dens;
  const vols = desc.colliders.map((c) => shapeVolume(c.shape));
  let total = 0;
  let volume = 0;
  for (let i = 0; i < dens.length; i++) {
    total += dens[i]! * vols[i]!;
    volume += vols[i]!;
  }
  if (total > 0) {
    const k = desc.mass / total;
    return dens.map((d) => d * k);
  }
  return dens.map(() => (volume > 0 ? desc.mass! / volume : 0));
}

function cross(a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/**
 * A ray starting inside a (solid) collider hits it at distance 0; Rapier then
 * returns a zero, arbitrary or NaN normal depending on the shape, so report
 * -direction instead (cannon.ts does the same).
 */
function rayHit(
  body: BodyHandle,
  t: number,
  n: { x: number; y: number; z: number },
  origin: Vec3,
  direction: Vec3,
): RayHit {
  return {
    body,
    distance: t,
    point: [origin[0] + direction[0] * t, origin[1] + direction[1] * t, origin[2] + direction[2] * t],
    normal: t === 0 ? [-direction[0], -direction[1], -direction[2]] : [n.x, n.y, n.z],
  };
}

function pairKey(a: BodyHandle, b: BodyHandle): string {
  return a < b ? `${a},${b}` : `${b},${a}`;
}

export class RapierBackend implements PhysicsBackend {
  readonly name: string;
  private readonly R: RapierModule;
  private world: World;
  private events: EventQueue;
  private readonly bodies = new Map<BodyHandle, BodyRec>();
  private readonly colliderToBody = new Map<number, BodyHandle>();
  private readonly vehicles = new Map<VehicleHandle, VehicleRec>();
  /** Bodies with user forces/torques to reset after the next step (insertion-ordered). */
  private readonly forced = new Set<BodyHandle>();
  /** Number of touching collider pairs per body pair. */
  private readonly pairCounts = new Map<string, { a: BodyHandle; b: BodyHandle; n: number }>();
  private pending: ContactEvent[] = [];
  private nextBody = 1;
  private nextVehicle = 1;
  private freed = false;
  /**
   * Rapier's query acceleration structure is only rebuilt by `world.step`:
   * after bodies are added, removed or teleported, ray casts go through every
   * collider instead until the next step, so queries always see the current world.
   */
  private queryDirty = false;
  /**
   * castRay's pre-check: bounds of every body (static boxes; moving bodies'
   * spheres at their poses), refreshed at the first cast after a step or a
   * change of bodies. `boundsStale` marks them out of date.
   */
  private boundsStale = true;
  private boundHandles: BodyHandle[] = [];
  /** Per entry: lo xyz, hi xyz (static box, or the moving body's sphere's box). */
  private boundBoxes = new Float64Array(0);

  constructor(R: RapierModule, opts: PhysicsWorldOptions = {}, name = 'rapier') {
    this.R = R;
    this.name = name;
    const g = opts.gravity ?? [0, 0, -9.81];
    this.world = new R.World({ x: g[0], y: g[1], z: g[2] });
    this.events = new R.EventQueue(true);
    this.ray = new R.Ray({ x: 0, y: 0, z: 0 }, { x: 1, y: 0, z: 0 });
    this.rawVec = R.VectorOps.intoRaw({ x: 0, y: 0, z: 0 });
    this.rawOrigin = R.VectorOps.intoRaw({ x: 0, y: 0, z: 0 });
    this.rawDir = R.VectorOps.intoRaw({ x: 0, y: 0, z: 0 });
  }

  /** One reusable query ray (a plain JS object in Rapier's API): range rings cast thousands per second. */
  private readonly ray: InstanceType<RapierModule['Ray']>;

  /**
   * One reusable WASM vector for the velocity setters. `RigidBody.setLinvel`
   * and `setAngvel` allocate a WASM vector per call, register it with a
   * FinalizationRegistry and free it again: about 0.3-0.6 us a call, against
   * ~0.03 us for writing this one and calling the same raw setter
   * (`world.bodies.raw`, public in Rapier's API). The engine sees the same
   * numbers either way. Freed in `free()`.
   */
  private readonly rawVec: ReturnType<RapierModule['VectorOps']['intoRaw']>;
  /** The same for ray origins and directions (World.castRayAndGetNormal converts both per call). */
  private readonly rawOrigin: ReturnType<RapierModule['VectorOps']['intoRaw']>;
  private readonly rawDir: ReturnType<RapierModule['VectorOps']['intoRaw']>;
  /** Bodies or colliders were added or removed since the last step (Rapier's JS-side maps need a refresh). */
  private topologyChanged = true;

  // ---------------------------------------------------------------- bodies

  addBody(desc: BodyDesc): BodyHandle {
    this.assertLive();
    const R = this.R;
    let rb =
      desc.type === 'dynamic'
        ? R.RigidBodyDesc.dynamic()
        : desc.type === 'static'
          ? R.RigidBodyDesc.fixed()
          : R.RigidBodyDesc.kinematicVelocityBased();
    const [px, py, pz] = desc.position;
    rb = rb.setTranslation(px, py, pz);
    if (desc.rotation) {
      const [x, y, z, w] = desc.rotation;
      rb = rb.setRotation({ x, y, z, w });
    }
    if (desc.type !== 'static') {
      rb = rb.setCanSleep(false);
      if (desc.linearVelocity) rb = rb.setLinvel(...desc.linearVelocity);
      if (desc.angularVelocity) {
        const [x, y, z] = desc.angularVelocity;
        rb = rb.setAngvel({ x, y, z });
      }
    }
    rb = rb.setLinearDamping(desc.linearDamping ?? 0).setAngularDamping(desc.angularDamping ?? 0);
    if (desc.enabledTranslations) rb = rb.enabledTranslations(...desc.enabledTranslations);
    if (desc.enabledRotations) rb = rb.enabledRotations(...desc.enabledRotations);
    if (desc.ccd) rb = rb.setCcdEnabled(true);
    const body = this.world.createRigidBody(rb);

    const h = this.nextBody++;
    const densities = colliderDensities(desc);
    const colliders: Collider[] = [];
    desc.colliders.forEach((c, i) => {
      const col = this.world.createCollider(this.colliderDesc(c, densities[i]!), body);
      colliders.push(col);
      this.colliderToBody.set(col.handle, h);
    });
    let kinVel: Float64Array | undefined;
    if (desc.type === 'kinematic') {
      const [vx, vy, vz] = desc.linearVelocity ?? [0, 0, 0];
      const [wx, wy, wz] = desc.angularVelocity ?? [0, 0, 0];
      kinVel = Float64Array.from([vx, vy, vz, wx, wy, wz], Math.fround);
    }
    const staticBox = desc.type === 'static' ? staticBounds(desc.colliders, desc.position, desc.rotation ?? [0, 0, 0, 1]) : undefined;
    this.bodies.set(h, { body, type: desc.type, colliders, kinVel, boundRadius: boundRadius(desc.colliders), staticBox, descColliders: desc.colliders });
    this.queryDirty = true;
    this.boundsStale = true;
    this.topologyChanged = true;
    return h;
  }

  private colliderDesc(c: ColliderDesc, density: number): RColliderDesc {
    const R = this.R;
    const s = c.shape;
    let d: RColliderDesc;
    switch (s.type) {
      case 'box':
        d = R.ColliderDesc.cuboid(s.halfExtents[0], s.halfExtents[1], s.halfExtents[2]);
        break;
      case 'sphere':
        d = R.ColliderDesc.ball(s.radius);
        break;
      case 'cylinder':
        // Rapier's cylinder axis is local y; +90° about x maps y onto z.
        d = R.ColliderDesc.cylinder(s.halfHeight, s.radius).setRotation({ x: HALF_SQRT2, y: 0, z: 0, w: HALF_SQRT2 });
        break;
    }
    if (c.offset) d = d.setTranslation(c.offset[0], c.offset[1], c.offset[2]);
    return d
      .setDensity(density)
      .setFriction(c.friction ?? DEFAULT_FRICTION)
      .setRestitution(c.restitution ?? DEFAULT_RESTITUTION)
      .setFrictionCombineRule(R.CoefficientCombineRule.Multiply)
      .setRestitutionCombineRule(R.CoefficientCombineRule.Multiply)
      .setSensor(c.sensor ?? false)
      .setActiveEvents(R.ActiveEvents.COLLISION_EVENTS)
      .setActiveCollisionTypes(
        R.ActiveCollisionTypes.DEFAULT | R.ActiveCollisionTypes.KINEMATIC_FIXED | R.ActiveCollisionTypes.KINEMATIC_KINEMATIC,
      );
  }

  removeBody(h: BodyHandle): void {
    this.assertLive();
    const rec = this.bodies.get(h);
    if (!rec) return;
    for (const [vh, v] of this.vehicles) if (v.chassis === h) this.removeVehicle(vh);
    for (const col of rec.colliders) this.colliderToBody.delete(col.handle);
    // Report the end of every contact this body had; Rapier's own "removed"
    // events arrive next step with handles we no longer map and are ignored.
    for (const [key, p] of this.pairCounts) {
      if (p.a === h || p.b === h) {
        this.pending.push({ a: p.a, b: p.b, started: false });
        this.pairCounts.delete(key);
      }
    }
    this.forced.delete(h);
    this.world.removeRigidBody(rec.body);
    this.bodies.delete(h);
    this.queryDirty = true;
    this.boundsStale = true;
    this.topologyChanged = true;
  }

  hasBody(h: BodyHandle): boolean {
    return this.bodies.has(h);
  }

  private rec(h: BodyHandle): BodyRec {
    const r = this.bodies.get(h);
    if (!r) throw new Error(`${this.name}: unknown body handle ${h}`);
    return r;
  }

  getPose(h: BodyHandle, out: Pose): Pose {
    const b = this.rec(h).body;
    const t = b.translation(_t);
    const q = b.rotation(_q);
    out.position[0] = t.x;
    out.position[1] = t.y;
    out.position[2] = t.z;
    out.rotation[0] = q.x;
    out.rotation[1] = q.y;
    out.rotation[2] = q.z;
    out.rotation[3] = q.w;
    return out;
  }

  setPose(h: BodyHandle, pose: Pose): void {
    const r = this.rec(h);
    const b = r.body;
    const [x, y, z] = pose.position;
    const [qx, qy, qz, qw] = pose.rotation;
    b.setTranslation({ x, y, z }, true);
    b.setRotation({ x: qx, y: qy, z: qz, w: qw }, true);
    if (r.staticBox) r.staticBox = staticBounds(r.descColliders, pose.position, pose.rotation);
    this.queryDirty = true;
    this.boundsStale = true;
  }

  getLinearVelocity(h: BodyHandle, out: Vec3): Vec3 {
    const r = this.rec(h);
    const k = r.kinVel;
    if (k) {
      out[0] = k[0]!;
      out[1] = k[1]!;
      out[2] = k[2]!;
      return out;
    }
    const v = r.body.linvel(_t);
    out[0] = v.x;
    out[1] = v.y;
    out[2] = v.z;
    return out;
  }

  getAngularVelocity(h: BodyHandle, out: Vec3): Vec3 {
    const r = this.rec(h);
    const k = r.kinVel;
    if (k) {
      out[0] = k[3]!;
      out[1] = k[4]!;
      out[2] = k[5]!;
      return out;
    }
    const w = r.body.angvel(_t);
    out[0] = w.x;
    out[1] = w.y;
    out[2] = w.z;
    return out;
  }

  setLinearVelocity(h: BodyHandle, v: Vec3): void {
    const r = this.rec(h);
    if (r.type === 'static') return;
    const raw = this.rawVec;
    raw.x = v[0];
    raw.y = v[1];
    raw.z = v[2];
    this.world.bodies.raw.rbSetLinvel(r.body.handle, raw, true);
    if (r.kinVel) {
      r.kinVel[0] = Math.fround(v[0]);
      r.kinVel[1] = Math.fround(v[1]);
      r.kinVel[2] = Math.fround(v[2]);
    }
  }

  setAngularVelocity(h: BodyHandle, w: Vec3): void {
    const r = this.rec(h);
    if (r.type === 'static') return;
    const raw = this.rawVec;
    raw.x = w[0];
    raw.y = w[1];
    raw.z = w[2];
    this.world.bodies.raw.rbSetAngvel(r.body.handle, raw, true);
    if (r.kinVel) {
      r.kinVel[3] = Math.fround(w[0]);
      r.kinVel[4] = Math.fround(w[1]);
      r.kinVel[5] = Math.fround(w[2]);
    }
  }

  /** Mass in kg; 0 for static and kinematic bodies (as in cannon-es). */
  getMass(h: BodyHandle): number {
    const r = this.rec(h);
    return r.type === 'dynamic' ? r.body.mass() : 0;
  }

  /*
   * applyForce/applyTorque call the raw set with our one reused WASM vector:
   * RigidBody.addForce/addTorque are exactly `intoRaw` (a fresh WASM vector:
   * a malloc and a finaliser registration), the same raw call, and `free`;
   * a drone applies both every step. Same call, same arguments, same result.
   */
  applyForce(h: BodyHandle, force: Vec3, worldPoint?: Vec3): void {
    const r = this.rec(h);
    if (r.type !== 'dynamic') return;
    if (worldPoint) r.body.addForceAtPoint({ x: force[0], y: force[1], z: force[2] }, { x: worldPoint[0], y: worldPoint[1], z: worldPoint[2] }, true);
    else {
      const raw = this.rawVec;
      raw.x = force[0];
      raw.y = force[1];
      raw.z = force[2];
      this.world.bodies.raw.rbAddForce(r.body.handle, raw, true);
    }
    this.forced.add(h);
  }

  applyTorque(h: BodyHandle, torque: Vec3): void {
    const r = this.rec(h);
    if (r.type !== 'dynamic') return;
    const raw = this.rawVec;
    raw.x = torque[0];
    raw.y = torque[1];
    raw.z = torque[2];
    this.world.bodies.raw.rbAddTorque(r.body.handle, raw, true);
    this.forced.add(h);
  }

  applyImpulse(h: BodyHandle, impulse: Vec3): void {
    const r = this.rec(h);
    if (r.type !== 'dynamic') return;
    r.body.applyImpulse({ x: impulse[0], y: impulse[1], z: impulse[2] }, true);
  }

  // ---------------------------------------------------------------- queries

  castRay(origin: Vec3, direction: Vec3, maxDistance: number, exclude?: BodyHandle): RayHit | null {
    this.assertLive();
    const R = this.R;
    const ray = this.ray;
    ray.origin.x = origin[0]; ray.origin.y = origin[1]; ray.origin.z = origin[2];
    ray.dir.x = direction[0]; ray.dir.y = direction[1]; ray.dir.z = direction[2];
    if (this.queryDirty) return this.castRayBruteForce(ray, origin, direction, maxDistance, exclude);
    // Nothing near the ray: no collider can be hit, so skip the engine call
    // (a drone's short ground-effect probe in open air mostly ends here).
    if (!this.rayMayHit(origin, direction, maxDistance, exclude)) return null;
    const excluded = exclude !== undefined ? this.bodies.get(exclude)?.body.handle : undefined;
    // World.castRayAndGetNormal, minus its per-call allocations (two WASM
    // vectors, a predicate closure, the result and normal objects): the same
    // raw query with the same arguments, so the same hit.
    const w = this.world;
    const o = this.rawOrigin;
    const d = this.rawDir;
    o.x = origin[0]; o.y = origin[1]; o.z = origin[2];
    d.x = direction[0]; d.y = direction[1]; d.z = direction[2];
    const hit = w.broadPhase.raw.castRayAndGetNormal(
      w.narrowPhase.raw, w.bodies.raw, w.colliders.raw, o, d, maxDistance, true,
      R.QueryFilterFlags.EXCLUDE_SENSORS, undefined, undefined, excluded, ANY_COLLIDER,
    );
    if (!hit) return null;
    const collider = hit.colliderHandle();
    const toi = hit.time_of_impact();
    hit.normal(_f32);
    hit.free();
    const body = this.colliderToBody.get(collider);
    if (body === undefined) return null;
    _t.x = _f32[0]!;
    _t.y = _f32[1]!;
    _t.z = _f32[2]!;
    return rayHit(body, toi, _t, origin, direction);
  }

  /**
   * False only if no body other than `exclude` has a bound (see `boundBoxes`)
   * within RAY_BOUND_MARGIN_M of the ray segment's box. The bounds hold every
   * collider (a static body's box from its pose and collider boxes; a moving
   * body's sphere about its origin, read after the last step, as the query
   * structure's colliders are), and the margin covers Rapier's f32 poses.
   */
  private rayMayHit(origin: Vec3, direction: Vec3, maxDistance: number, exclude?: BodyHandle): boolean {
    if (this.boundsStale) this.refreshBounds();
    const m = RAY_BOUND_MARGIN_M + RAY_BOUND_MARGIN_REL * (Math.abs(origin[0]) + Math.abs(origin[1]) + Math.abs(origin[2]) + maxDistance);
    const ex = origin[0] + direction[0] * maxDistance, ey = origin[1] + direction[1] * maxDistance, ez = origin[2] + direction[2] * maxDistance;
    const lx = Math.min(origin[0], ex) - m, ly = Math.min(origin[1], ey) - m, lz = Math.min(origin[2], ez) - m;
    const ux = Math.max(origin[0], ex) + m, uy = Math.max(origin[1], ey) + m, uz = Math.max(origin[2], ez) + m;
    if (!(lx <= ux && ly <= uy && lz <= uz)) return true; // NaN input: let the engine decide
    const hs = this.boundHandles, bb = this.boundBoxes;
    for (let i = 0; i < hs.length; i++) {
      if (hs[i] === exclude) continue;
      const k = 6 * i;
      if (bb[k]! <= ux && lx <= bb[k + 3]! && bb[k + 1]! <= uy && ly <= bb[k + 4]! && bb[k + 2]! <= uz && lz <= bb[k + 5]!) return true;
    }
    return false;
  }

  private refreshBounds(): void {
    const n = this.bodies.size;
    if (this.boundBoxes.length !== 6 * n) this.boundBoxes = new Float64Array(6 * n);
    this.boundHandles.length = n;
    const bb = this.boundBoxes;
    let i = 0;
    for (const [h, r] of this.bodies) {
      this.boundHandles[i] = h;
      const k = 6 * i++;
      if (r.staticBox) {
        bb.set(r.staticBox, k);
        continue;
      }
      const t = r.body.translation(_t);
      const rad = r.boundRadius;
      bb[k] = t.x - rad; bb[k + 1] = t.y - rad; bb[k + 2] = t.z - rad;
      bb[k + 3] = t.x + rad; bb[k + 4] = t.y + rad; bb[k + 5] = t.z + rad;
    }
    this.boundsStale = false;
  }

  private castRayBruteForce(
    ray: InstanceType<RapierModule['Ray']>,
    origin: Vec3,
    direction: Vec3,
    maxDistance: number,
    exclude?: BodyHandle,
  ): RayHit | null {
    this.world.propagateModifiedBodyPositionsToColliders();
    let best: RayHit | null = null;
    for (const [h, rec] of this.bodies) {
      if (h === exclude) continue;
      for (const col of rec.colliders) {
        if (col.isSensor()) continue;
        const hit = col.castRayAndGetNormal(ray, best ? best.distance : maxDistance, true);
        if (!hit || (best && hit.timeOfImpact >= best.distance)) continue;
        best = rayHit(h, hit.timeOfImpact, hit.normal, origin, direction);
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- vehicles

  addVehicle(chassis: BodyHandle, wheels: WheelDesc[]): VehicleHandle {
    const r = this.rec(chassis);
    if (r.type !== 'dynamic') throw new Error(`${this.name}: vehicle chassis ${chassis} must be dynamic`);
    const ctrl = this.world.createVehicleController(r.body);
    ctrl.indexUpAxis = 2;
    // The d.ts names this setter `setIndexForwardAxis` (sic).
    ctrl.setIndexForwardAxis = 0;
    const recs: WheelRec[] = wheels.map((w, i) => {
      const direction: Vec3 = w.direction ?? [0, 0, -1];
      const axle: Vec3 = w.axle ?? [0, 1, 0];
      const [cx, cy, cz] = w.connectionPoint;
      ctrl.addWheel(
        { x: cx, y: cy, z: cz },
        { x: direction[0], y: direction[1], z: direction[2] },
        { x: axle[0], y: axle[1], z: axle[2] },
        w.suspensionRestLength,
        w.radius,
      );
      // Bullet-style controllers push along (up x axle), up = -direction: for
      // the usual axle +y (left) that is body -x, so the sign is flipped.
      const up: Vec3 = [-direction[0], -direction[1], -direction[2]];
      const fwd = cross(up, axle)[0];
      // Both spin-rate conventions are about body +y when rolling forward.
      ctrl.setWheelSuspensionStiffness(i, w.suspensionStiffness);
      ctrl.setWheelSuspensionCompression(i, w.suspensionCompression);
      ctrl.setWheelSuspensionRelaxation(i, w.suspensionRelaxation);
      ctrl.setWheelMaxSuspensionTravel(i, w.maxSuspensionTravel);
      ctrl.setWheelFrictionSlip(i, w.frictionSlip);
      ctrl.setWheelMaxSuspensionForce(i, w.maxSuspensionForce ?? DEFAULT_MAX_SUSPENSION_FORCE);
      ctrl.setWheelSideFrictionStiffness(i, 1);
      return {
        desc: w,
        engineSign: fwd < 0 ? -1 : 1,
        spinSign: axle[1] < 0 ? -1 : 1,
        direction,
        engine: 0,
        brake: 0,
        steering: 0,
        spin: 0,
      };
    });
    const vh = this.nextVehicle++;
    this.vehicles.set(vh, { ctrl, chassis, wheels: recs });
    return vh;
  }

  removeVehicle(v: VehicleHandle): void {
    const rec = this.vehicles.get(v);
    if (!rec) return;
    this.world.removeVehicleController(rec.ctrl);
    this.vehicles.delete(v);
  }

  private vehicle(v: VehicleHandle): VehicleRec {
    const r = this.vehicles.get(v);
    if (!r) throw new Error(`${this.name}: unknown vehicle handle ${v}`);
    return r;
  }

  private wheel(v: VehicleRec, i: number): WheelRec {
    const w = v.wheels[i];
    if (!w) throw new Error(`${this.name}: vehicle has no wheel ${i}`);
    return w;
  }

  setWheelInput(v: VehicleHandle, wheel: number, engineForce: number, brake: number, steeringRad: number): void {
    const w = this.wheel(this.vehicle(v), wheel);
    w.engine = engineForce;
    w.brake = Math.max(0, brake);
    w.steering = steeringRad;
  }

  getWheelState(v: VehicleHandle, wheel: number, out: WheelState): WheelState {
    const rec = this.vehicle(v);
    const w = this.wheel(rec, wheel);
    out.inContact = rec.ctrl.wheelIsInContact(wheel);
    out.suspensionLength = rec.ctrl.wheelSuspensionLength(wheel) ?? w.desc.suspensionRestLength;
    out.spinRadPerS = w.spin;
    out.steeringRad = w.steering;
    return out;
  }

  // ---------------------------------------------------------------- stepping

  step(dt: number): void {
    this.assertLive();
    const R = this.R;
    for (const v of this.vehicles.values()) {
      v.wheels.forEach((w, i) => {
        v.ctrl.setWheelEngineForce(i, w.engine * w.engineSign);
        v.ctrl.setWheelBrake(i, w.brake * dt);
        v.ctrl.setWheelSteering(i, w.steering);
      });
      v.ctrl.updateVehicle(dt, R.QueryFilterFlags.EXCLUDE_SENSORS);
    }

    const w = this.world;
    w.timestep = dt;
    // World.step is this pipeline step followed by World.mapNewSoftBodies(),
    // which re-syncs Rapier's JS-side handle maps by walking every body and
    // collider through WASM-to-JS callbacks (~7 us a step with 40 bodies). A
    // step never adds or removes bodies or colliders, and createRigidBody,
    // createCollider and removeRigidBody keep those maps current themselves,
    // so the walk is a no-op unless our own add/remove happened since the
    // last step; it is then still run, as World.step would.
    w.physicsPipeline.step(
      w.gravity, w.integrationParameters, w.islands, w.broadPhase, w.narrowPhase,
      w.bodies, w.colliders, w.softBodies, w.impulseJoints, w.multibodyJoints, w.ccdSolver, this.events,
    );
    if (this.topologyChanged) {
      w.mapNewSoftBodies();
      this.topologyChanged = false;
    }
    this.queryDirty = false;
    this.boundsStale = true;

    for (const h of this.forced) {
      const r = this.bodies.get(h);
      if (!r) continue;
      r.body.resetForces(false);
      r.body.resetTorques(false);
    }
    this.forced.clear();

    this.events.drainCollisionEvents((c1, c2, started) => this.onCollision(c1, c2, started));
    for (const v of this.vehicles.values()) this.updateSpin(v);
  }

  private onCollision(c1: number, c2: number, started: boolean): void {
    const a = this.colliderToBody.get(c1);
    const b = this.colliderToBody.get(c2);
    if (a === undefined || b === undefined || a === b) return;
    const key = pairKey(a, b);
    const p = this.pairCounts.get(key);
    if (started) {
      if (p) p.n++;
      else {
        this.pairCounts.set(key, { a: Math.min(a, b), b: Math.max(a, b), n: 1 });
        this.pending.push({ a: Math.min(a, b), b: Math.max(a, b), started: true });
      }
    } else if (p) {
      p.n--;
      if (p.n <= 0) {
        this.pairCounts.delete(key);
        this.pending.push({ a: p.a, b: p.b, started: false });
      }
    }
  }

  /**
   * Rolling rate about the axle, computed identically in both wrappers: the
   * chassis velocity at the wheel's hard point along the chassis forward axis
   * projected on the ground plane, over the radius (what both engines integrate
   * into their wheel rotation); decays by 1 % per step when airborne.
   */
  private updateSpin(v: VehicleRec): void {
    const body = this.rec(v.chassis).body;
    const q = body.rotation(_q);
    const t = body.translation(_t);
    const rawSet = this.world.bodies.raw;
    const point = this.rawVec;
    const rot = (x: number, y: number, z: number): Vec3 => {
      // rotate (x,y,z) by q
      const tx = 2 * (q.y * z - q.z * y);
      const ty = 2 * (q.z * x - q.x * z);
      const tz = 2 * (q.x * y - q.y * x);
      return [
        x + q.w * tx + (q.y * tz - q.z * ty),
        y + q.w * ty + (q.z * tx - q.x * tz),
        z + q.w * tz + (q.x * ty - q.y * tx),
      ];
    };
    v.wheels.forEach((w, i) => {
      if (!v.ctrl.wheelIsInContact(i)) {
        w.spin *= 0.99;
        return;
      }
      const n = v.ctrl.wheelContactNormal(i);
      const fwd = rot(1, 0, 0);
      if (n) {
        const p = fwd[0] * n.x + fwd[1] * n.y + fwd[2] * n.z;
        fwd[0] -= n.x * p;
        fwd[1] -= n.y * p;
        fwd[2] -= n.z * p;
      }
      const c = w.desc.connectionPoint;
      const r = rot(c[0], c[1], c[2]);
      // body.velocityAtPoint without its per-call WASM vector: the same raw call.
      point.x = t.x + r[0];
      point.y = t.y + r[1];
      point.z = t.z + r[2];
      rawSet.rbVelocityAtPoint(body.handle, point, _f32);
      w.spin = (w.spinSign * (fwd[0] * _f32[0]! + fwd[1] * _f32[1]! + fwd[2] * _f32[2]!)) / w.desc.radius;
    });
  }

  drainContacts(): ContactEvent[] {
    const out = this.pending;
    this.pending = [];
    out.sort((x, y) => x.a - y.a || x.b - y.b || Number(x.started) - Number(y.started));
    return out;
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    for (const v of this.vehicles.values()) this.world.removeVehicleController(v.ctrl);
    this.vehicles.clear();
    this.bodies.clear();
    this.colliderToBody.clear();
    this.pairCounts.clear();
    this.forced.clear();
    this.pending = [];
    this.events.free();
    this.rawVec.free();
    this.rawOrigin.free();
    this.rawDir.free();
    this.world.free();
  }

  private assertLive(): void {
    if (this.freed) throw new Error(`${this.name}: backend used after free()`);
  }
}

/**
 * castRay's pre-check margin: Rapier stores poses and shapes in f32 (relative
 * error 2^-24 ~ 6e-8), so bounds computed here in f64 from the same values can
 * differ from the engine's by that much of the coordinates' size; 1 mm plus
 * 1e-6 of the coordinates' magnitude is far above it, and only makes the
 * pre-check send a few more rays to the engine.
 */
const RAY_BOUND_MARGIN_M = 1e-3;
const RAY_BOUND_MARGIN_REL = 1e-6;

/** Local half extents of a shape along its body axes (cylinders are along z). */
function shapeHalfExtents(s: ShapeDesc): Vec3 {
  switch (s.type) {
    case 'box':
      return s.halfExtents;
    case 'sphere':
      return [s.radius, s.radius, s.radius];
    case 'cylinder':
      return [s.radius, s.radius, s.halfHeight];
  }
}

/** Radius about the body origin of a sphere that holds every collider. */
function boundRadius(colliders: readonly ColliderDesc[]): number {
  let r = 0;
  for (const c of colliders) {
    const [hx, hy, hz] = shapeHalfExtents(c.shape);
    const o = c.offset ?? [0, 0, 0];
    r = Math.max(r, Math.hypot(o[0], o[1], o[2]) + Math.hypot(hx, hy, hz));
  }
  return r;
}

/** World AABB (lo xyz, hi xyz) of the colliders of a body at `position`, `rotation`. */
function staticBounds(colliders: readonly ColliderDesc[], position: Readonly<Vec3>, rotation: Readonly<Quat>): Float64Array {
  const [qx, qy, qz, qw] = rotation;
  const n2 = qx * qx + qy * qy + qz * qz + qw * qw;
  const s = n2 > 0 ? 2 / n2 : 0;
  const m = [
    1 - s * (qy * qy + qz * qz), s * (qx * qy - qz * qw), s * (qx * qz + qy * qw),
    s * (qx * qy + qz * qw), 1 - s * (qx * qx + qz * qz), s * (qy * qz - qx * qw),
    s * (qx * qz - qy * qw), s * (qy * qz + qx * qw), 1 - s * (qx * qx + qy * qy),
  ];
  const out = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
  for (const c of colliders) {
    const e = shapeHalfExtents(c.shape);
    const o = c.offset ?? [0, 0, 0];
    for (let i = 0; i < 3; i++) {
      const ci = position[i]! + m[3 * i]! * o[0] + m[3 * i + 1]! * o[1] + m[3 * i + 2]! * o[2];
      const ei = Math.abs(m[3 * i]!) * e[0] + Math.abs(m[3 * i + 1]!) * e[1] + Math.abs(m[3 * i + 2]!) * e[2];
      out[i] = Math.min(out[i]!, ci - ei);
      out[3 + i] = Math.max(out[3 + i]!, ci + ei);
    }
  }
  return out;
}
