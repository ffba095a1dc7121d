/**
 * `PhysicsBackend` on cannon-es. Mirrors the normalisations of rapier.ts so a
 * scenario behaves the same on both engines within the conformance suite's
 * tolerances (tests/sim/physics-conformance.test.ts):
 *
 * - Cylinders are z-aligned: cannon-es's y-aligned `Cylinder` (a 32-sided
 *   prism, so ray distances and normals are exact only to r(1-cos(pi/32)) and
 *   pi/32 rad) is rotated +90° about x.
 * - Mass properties are computed here from the shapes (densities default to
 *   1000 kg/m^3, `mass` rescales them), not by cannon-es, which approximates
 *   every body's inertia by its AABB box. Cannon-es assumes the centre of mass
 *   at the body origin, so shapes are shifted by the centre of mass and poses
 *   converted back: our pose is the body frame, as in Rapier. Only the diagonal
 *   of the inertia tensor is kept (exact unless collider offsets make products
 *   of inertia non-zero; Rapier uses the full tensor).
 * - Damping uses Rapier's model, v *= 1 / (1 + c dt) per step (c in 1/s):
 *   cannon-es's (1 - d)^dt is re-parameterised from c for the step's dt.
 * - Friction/restitution: one `Material` per shape, combined by multiplication;
 *   defaults friction 0.5, restitution 0.
 * - Friction magnitude: cannon-es clamps each friction *impulse* with a
 *   *force* (mu |g| m), i.e. 1/dt times too much, and gives every contact
 *   point the whole cap (a box on 4 points: 4x). `frictionGravity` is set to
 *   |g| dt and the cap is shared between a pair's contact points, which gives
 *   Coulomb sliding (checked against Rapier in the conformance suite).
 * - Contact stiffness 1e9 N/m instead of 1e7 (soft for tonne-scale bodies).
 * - Translation/rotation locks use linearFactor/angularFactor, and locked
 *   velocity components are zeroed (cannon-es would still integrate them).
 * - Ray casts skip sensors; a ray starting inside a collider hits it at
 *   distance 0 with normal -direction (Rapier's solid casts; cannon-es alone
 *   would skip the collider's back faces).
 * - Velocity setters are ignored on static bodies; forces, torques and
 *   impulses only act on dynamic bodies (same as Rapier).
 * - `ccd` is ignored: cannon-es has no continuous collision detection.
 * - Stepping is `world.step(dt)` with one argument: exactly one internal step
 *   of dt, no interpolation; forces are cleared by cannon-es after each step.
 * - Vehicles: `RaycastVehicle` with right/up/forward axes 1/2/0, updated by us
 *   right before each step (not via the world's preStep event). Its forward
 *   direction is up x right = -x, so the engine force is negated. Brake force
 *   (N) becomes a brake impulse (N s) = brake * dt. Roll influence is 0.1
 *   (Rapier's fixed value). Its friction step is replaced by a copy whose
 *   brake/rolling impulse follows Rapier's (see updateVehicleFriction).
 *
 * Known remaining differences (documented, not normalisable from outside the
 * engine): cannon-es caps contact friction with mu * |gravity| * reduced mass
 * instead of mu * normal force (so no friction in zero gravity, and a stacked
 * load does not increase the friction under it); its restitution loses more
 * energy (discrete, soft contacts); its vehicle side-friction impulse omits
 * the rotational term of Rapier's and is also applied to a dynamic ground
 * (Rapier applies none); resting penetration differs by a fraction of a mm.
 */
import * as CANNON from 'cannon-es';
import type { Pose, Quat, Vec3 } from '../math.ts';
import type {
  BodyDesc,
  BodyHandle,
  ContactEvent,
  PhysicsBackend,
  PhysicsWorldOptions,
  RayHit,
  ShapeDesc,
  VehicleHandle,
  WheelDesc,
  WheelState,
} from './backend.ts';

const DEFAULT_DENSITY = 1000;
const DEFAULT_FRICTION = 0.5;
const DEFAULT_RESTITUTION = 0;
const DEFAULT_MAX_SUSPENSION_FORCE = 1e30;
const CYLINDER_SEGMENTS = 32;
const SOLVER_ITERATIONS = 20;
/** Contact and friction equation stiffness (N/m); see the constructor. */
const CONTACT_STIFFNESS = 1e9;
/** Rapier's (non-configurable) roll influence. */
const ROLL_INFLUENCE = 0.1;
const HALF_SQRT2 = Math.SQRT1_2;

interface BodyRec {
  body: CANNON.Body;
  type: BodyDesc['type'];
  /** Centre of mass in the body frame (cannon's body position is the world centre of mass). */
  com: Vec3;
  linearDamping: number;
  angularDamping: number;
  /** null when all axes are free. */
  linLock: Vec3 | null;
  angLock: Vec3 | null;
}

interface WheelRec {
  desc: WheelDesc;
  engineSign: number;
  spinSign: number;
  engine: number;
  brake: number;
  steering: number;
  spin: number;
}

interface VehicleRec {
  vehicle: CANNON.RaycastVehicle;
  chassis: BodyHandle;
  wheels: WheelRec[];
}

interface MassProps {
  mass: number;
  com: Vec3;
  /** Diagonal of the inertia tensor about the centre of mass, body axes. */
  inertia: Vec3;
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

/** Principal moments (body axes) of a uniform shape of mass m about its own centre. */
function shapeInertia(s: ShapeDesc, m: number): Vec3 {
  switch (s.type) {
    case 'box': {
      const [x, y, z] = s.halfExtents;
      return [(m / 3) * (y * y + z * z), (m / 3) * (x * x + z * z), (m / 3) * (x * x + y * y)];
    }
    case 'sphere': {
      const i = 0.4 * m * s.radius * s.radius;
      return [i, i, i];
    }
    case 'cylinder': {
      const r2 = s.radius * s.radius;
      const h = 2 * s.halfHeight;
      const ixy = (m * (3 * r2 + h * h)) / 12;
      return [ixy, ixy, 0.5 * m * r2];
    }
  }
}

function massProps(desc: BodyDesc): MassProps {
  const vols = desc.colliders.map((c) => shapeVolume(c.shape));
  let dens = desc.colliders.map((c) => c.density ?? DEFAULT_DENSITY);
  let total = 0;
  let volume = 0;
  for (let i = 0; i < dens.length; i++) {
    total += dens[i]! * vols[i]!;
    volume += vols[i]!;
  }
  if (desc.mass !== undefined && desc.type === 'dynamic') {
    if (total > 0) {
      const k = desc.mass / total;
      dens = dens.map((d) => d * k);
    } else {
      dens = dens.map(() => (volume > 0 ? desc.mass! / volume : 0));
    }
  }
  const masses = dens.map((d, i) => d * vols[i]!);
  const mass = masses.reduce((a, b) => a + b, 0);
  const com: Vec3 = [0, 0, 0];
  if (mass > 0) {
    desc.colliders.forEach((c, i) => {
      const o = c.offset ?? [0, 0, 0];
      for (let k = 0; k < 3; k++) com[k]! += (masses[i]! * o[k]!) / mass;
    });
  }
  const inertia: Vec3 = [0, 0, 0];
  desc.colliders.forEach((c, i) => {
    const m = masses[i]!;
    const own = shapeInertia(c.shape, m);
    const o = c.offset ?? [0, 0, 0];
    const d: Vec3 = [o[0] - com[0], o[1] - com[1], o[2] - com[2]];
    // Parallel-axis theorem, diagonal terms.
    inertia[0] += own[0] + m * (d[1] * d[1] + d[2] * d[2]);
    inertia[1] += own[1] + m * (d[0] * d[0] + d[2] * d[2]);
    inertia[2] += own[2] + m * (d[0] * d[0] + d[1] * d[1]);
  });
  return { mass, com, inertia };
}

/** Divide each friction equation's cap by the number of contact points of its body pair. */
function shareFrictionCaps(eqs: CANNON.FrictionEquation[]): void {
  const counts = new Map<string, number>();
  const key = (e: CANNON.FrictionEquation): string => `${e.bi.id},${e.bj.id}`;
  for (const e of eqs) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  for (const e of eqs) {
    // Two tangent equations per contact point.
    const points = (counts.get(key(e)) ?? 2) / 2;
    if (points > 1) {
      e.minForce /= points;
      e.maxForce /= points;
    }
  }
}

// ------------------------------------------------------------------ vehicle friction

/**
 * cannon-es's `Cylinder` is a `ConvexPolyhedron`, whose `calculateWorldAABB`
 * rotates every vertex (64 for our 32-sided prisms) each time a body's AABB is
 * refreshed, i.e. for every moving body after every step. With four rotor-disc
 * cylinders per drone that was about a quarter of a 50-drone cannon-es run.
 * This subclass bounds the circumscribing exact cylinder in closed form: with
 * the axis a = q (0, 1, 0) in world axes, the extent along world axis i is
 * h/2 |a_i| + r sqrt(1 - a_i^2) (the disc of radius r spans r sqrt(1 - a_i^2)
 * along axis i). Every prism vertex lies on that cylinder, so the box holds
 * the prism's own box (larger by at most r (1 - cos(pi/32)), 0.5 % of r, along
 * some axes). Contacts never read the AABB (cannon-es pairs bodies by bounding
 * spheres); SAPBroadphase sorts bodies by it, and ray and point queries use it
 * as a conservative filter before their exact tests.
 */
export class PrismCylinder extends CANNON.Cylinder {
  private readonly halfHeight: number;
  private readonly boundRadius: number;

  constructor(radius: number, height: number, segments: number) {
    super(radius, radius, height, segments);
    this.halfHeight = height / 2;
    this.boundRadius = radius;
  }

  override calculateWorldAABB(pos: CANNON.Vec3, quat: CANNON.Quaternion, min: CANNON.Vec3, max: CANNON.Vec3): void {
    // a = q (0, 1, 0) q^-1, the second column of q's rotation matrix.
    const { x, y, z, w } = quat;
    const ax = 2 * (x * y - z * w);
    const ay = 1 - 2 * (x * x + z * z);
    const az = 2 * (y * z + x * w);
    const h = this.halfHeight, r = this.boundRadius;
    const ex = h * Math.abs(ax) + r * Math.sqrt(Math.max(0, 1 - ax * ax));
    const ey = h * Math.abs(ay) + r * Math.sqrt(Math.max(0, 1 - ay * ay));
    const ez = h * Math.abs(az) + r * Math.sqrt(Math.max(0, 1 - az * az));
    min.set(pos.x - ex, pos.y - ey, pos.z - ez);
    max.set(pos.x + ex, pos.y + ey, pos.z + ez);
  }
}

const AXES = [new CANNON.Vec3(1, 0, 0), new CANNON.Vec3(0, 1, 0), new CANNON.Vec3(0, 0, 1)] as const;

/**
 * Scratch for castRay, which sensors call many times a step: cannon-es copies
 * `from` and `to` into its own ray and resets the result at each query, and
 * the options object is rewritten on every call (raycastClosest sets its
 * mode, ends and result), so reusing them changes nothing but the garbage.
 */
const _rayFrom = new CANNON.Vec3();
const _rayTo = new CANNON.Vec3();
const _rayResult = new CANNON.RaycastResult();
const _rayOptions: CANNON.RayOptions = { skipBackfaces: true, checkCollisionResponse: true };
const _pointBox = new CANNON.AABB();
const _pointBodies: CANNON.Body[] = [];
const _pqShape = new CANNON.Quaternion();
const _pqConj = new CANNON.Quaternion();
const _pvOffset = new CANNON.Vec3();
const _pvCentre = new CANNON.Vec3();
const _pvRel = new CANNON.Vec3();
const _pvLocal = new CANNON.Vec3();

function impulseDenominator(body: CANNON.Body, pos: CANNON.Vec3, normal: CANNON.Vec3): number {
  const r0 = pos.vsub(body.position);
  const c0 = r0.cross(normal);
  const m = body.invInertiaWorld.vmult(c0);
  return body.invMass + normal.dot(m.cross(r0));
}

/** cannon-es's resolveSingleBilateral (velocity-based side impulse, contact damping 0.2). */
function sideImpulse(chassis: CANNON.Body, pos: CANNON.Vec3, ground: CANNON.Body, axle: CANNON.Vec3): number {
  if (axle.lengthSquared() > 1.1) return 0;
  const v1 = new CANNON.Vec3();
  const v2 = new CANNON.Vec3();
  chassis.getVelocityAtWorldPoint(pos, v1);
  ground.getVelocityAtWorldPoint(pos, v2);
  const relVel = axle.dot(v1.vsub(v2));
  return (-0.2 * relVel) / (chassis.invMass + ground.invMass);
}

/**
 * Replacement for `RaycastVehicle.updateFriction`, identical to cannon-es's
 * except for the rolling/brake impulse, which follows Rapier's controller:
 * an engine force overrides the brake, and the impulse that would stop the
 * wheel's contact point is shared between the wheels on the ground before
 * being clamped to the brake impulse. cannon-es gives every wheel the whole
 * stopping impulse, which overshoots (n wheels -> n times) and leaves a braked
 * car rocking back and forth at standstill.
 */
function updateVehicleFriction(vehicle: CANNON.RaycastVehicle, timeStep: number): void {
  const wheels = vehicle.wheelInfos;
  const chassis = vehicle.chassisBody;
  const n = wheels.length;
  const forwardWS: CANNON.Vec3[] = [];
  const axle: CANNON.Vec3[] = [];
  let onGround = 0;
  for (const w of wheels) {
    if (w.raycastResult.body) onGround++;
    w.sideImpulse = 0;
    w.forwardImpulse = 0;
  }
  vehicle.numWheelsOnGround = onGround;

  for (let i = 0; i < n; i++) {
    const w = wheels[i]!;
    const fwd = new CANNON.Vec3();
    const ax = new CANNON.Vec3();
    forwardWS.push(fwd);
    axle.push(ax);
    const ground = w.raycastResult.body;
    if (!ground) continue;
    w.worldTransform.vectorToWorldFrame(AXES[vehicle.indexRightAxis]!, ax);
    const normal = w.raycastResult.hitNormalWorld;
    ax.vsub(normal.scale(ax.dot(normal)), ax);
    ax.normalize();
    normal.cross(ax, fwd);
    fwd.normalize();
    w.sideImpulse = sideImpulse(chassis, w.raycastResult.hitPointWorld, ground, ax);
  }

  const fwdFactor = 0.5;
  vehicle.sliding = false;
  for (let i = 0; i < n; i++) {
    const w = wheels[i]!;
    const ground = w.raycastResult.body;
    w.slipInfo = 1;
    w.skidInfo = 1;
    w.forwardImpulse = 0;
    if (!ground) continue;
    let rolling: number;
    if (w.engineForce !== 0) {
      rolling = w.engineForce * timeStep;
    } else {
      const p = w.raycastResult.hitPointWorld;
      const v1 = new CANNON.Vec3();
      const v2 = new CANNON.Vec3();
      chassis.getVelocityAtWorldPoint(p, v1);
      ground.getVelocityAtWorldPoint(p, v2);
      const vrel = forwardWS[i]!.dot(v1.vsub(v2));
      const jacInv = 1 / (impulseDenominator(chassis, p, forwardWS[i]!) + impulseDenominator(ground, p, forwardWS[i]!));
      const maxImpulse = w.brake;
      rolling = Math.min(maxImpulse, Math.max(-maxImpulse, (-vrel * jacInv) / onGround));
    }
    const maxImp = w.suspensionForce * timeStep * w.frictionSlip;
    w.forwardImpulse = rolling;
    const x = (rolling * fwdFactor) / w.forwardAcceleration;
    const y = w.sideImpulse / w.sideAcceleration;
    const sq = x * x + y * y;
    w.sliding = false;
    if (sq > maxImp * maxImp) {
      vehicle.sliding = true;
      w.sliding = true;
      w.skidInfo *= maxImp / Math.sqrt(sq);
    }
  }
  if (vehicle.sliding) {
    for (const w of wheels) {
      if (w.sideImpulse !== 0 && w.skidInfo < 1) {
        w.forwardImpulse *= w.skidInfo;
        w.sideImpulse *= w.skidInfo;
      }
    }
  }

  for (let i = 0; i < n; i++) {
    const w = wheels[i]!;
    const relPos = w.raycastResult.hitPointWorld.vsub(chassis.position);
    if (w.forwardImpulse !== 0) chassis.applyImpulse(forwardWS[i]!.scale(w.forwardImpulse), relPos);
    if (w.sideImpulse !== 0) {
      const ground = w.raycastResult.body!;
      const relPos2 = w.raycastResult.hitPointWorld.vsub(ground.position);
      const sideImp = axle[i]!.scale(w.sideImpulse);
      // Roll influence: the side impulse acts at a height scaled towards the centre of mass.
      chassis.vectorToLocalFrame(relPos, relPos);
      const up = vehicle.indexUpAxis;
      if (up === 0) relPos.x *= w.rollInfluence;
      else if (up === 1) relPos.y *= w.rollInfluence;
      else relPos.z *= w.rollInfluence;
      chassis.vectorToWorldFrame(relPos, relPos);
      chassis.applyImpulse(sideImp, relPos);
      ground.applyImpulse(sideImp.negate(), relPos2);
    }
  }
}

function v3(v: Readonly<Vec3>): CANNON.Vec3 {
  return new CANNON.Vec3(v[0], v[1], v[2]);
}

function rotate(q: CANNON.Quaternion, v: Readonly<Vec3>): Vec3 {
  const r = q.vmult(new CANNON.Vec3(v[0], v[1], v[2]));
  return [r.x, r.y, r.z];
}

function cross(a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function pairKey(a: BodyHandle, b: BodyHandle): string {
  return a < b ? `${a},${b}` : `${b},${a}`;
}

export class CannonBackend implements PhysicsBackend {
  readonly name: string;
  private world: CANNON.World;
  private readonly bodies = new Map<BodyHandle, BodyRec>();
  private readonly handleOf = new Map<CANNON.Body, BodyHandle>();
  private readonly vehicles = new Map<VehicleHandle, VehicleRec>();
  private readonly activePairs = new Map<string, { a: BodyHandle; b: BodyHandle }>();
  private pending: ContactEvent[] = [];
  private nextBody = 1;
  private nextVehicle = 1;
  private freed = false;
  private readonly gravityNorm: number;
  private frictionDt = NaN;
  private readonly onBegin = (e: { bodyA?: CANNON.Body | null; bodyB?: CANNON.Body | null }): void =>
    this.onContact(e, true);
  private readonly onEnd = (e: { bodyA?: CANNON.Body | null; bodyB?: CANNON.Body | null }): void =>
    this.onContact(e, false);

  constructor(opts: PhysicsWorldOptions = {}, name = 'cannon') {
    this.name = name;
    const g = opts.gravity ?? [0, 0, -9.81];
    const solver = new CANNON.GSSolver();
    solver.iterations = SOLVER_ITERATIONS;
    this.world = new CANNON.World({
      gravity: v3(g),
      allowSleep: false,
      solver,
      quatNormalizeFast: false,
      quatNormalizeSkip: 0,
    });
    this.world.broadphase = new CANNON.SAPBroadphase(this.world);
    // Pair bodies by world AABB overlap rather than by bounding spheres (the
    // cannon-es default). A ground box's bounding sphere is hundreds of metres
    // across, so every flying drone was paired with the ground at every step,
    // and each of its rotor-disc prisms then ran the full separating-axis test
    // against it (about a fifth of a 50-drone run). Contacts only come from
    // shapes that overlap (the narrow phase's SAT, sphere and plane tests), and
    // overlapping shapes have overlapping AABBs, so the pairs dropped here are
    // pairs that produce no contact; the kept pairs keep their SAP order.
    this.world.broadphase.useBoundingBoxes = true;
    // Every shape carries its own material, so friction/restitution here are
    // only fallbacks; the stiffness is used by every contact. cannon-es's
    // default 1e7 N/m is soft for our masses (a 1 m cube of water weighs a
    // tonne): contacts would sink and bounces lose most of their energy.
    const cm = this.world.defaultContactMaterial;
    cm.friction = DEFAULT_FRICTION * DEFAULT_FRICTION;
    cm.restitution = DEFAULT_RESTITUTION;
    cm.contactEquationStiffness = CONTACT_STIFFNESS;
    cm.frictionEquationStiffness = CONTACT_STIFFNESS;
    // cannon-es caps every contact point's friction at the full mu m g, so a
    // box resting on four points gets four times the Coulomb friction: share
    // the cap between the points of each body pair instead.
    const np = this.world.narrowphase;
    const getContacts = np.getContacts.bind(np);
    np.getContacts = (p1, p2, world, result, oldcontacts, frictionResult, frictionPool) => {
      getContacts(p1, p2, world, result, oldcontacts, frictionResult, frictionPool);
      shareFrictionCaps(frictionResult);
    };
    this.gravityNorm = Math.hypot(g[0], g[1], g[2]);
    this.world.addEventListener('beginContact', this.onBegin);
    this.world.addEventListener('endContact', this.onEnd);
  }

  // ---------------------------------------------------------------- bodies

  addBody(desc: BodyDesc): BodyHandle {
    this.assertLive();
    const mp = massProps(desc);
    const dynamic = desc.type === 'dynamic';
    const type =
      desc.type === 'dynamic' ? CANNON.Body.DYNAMIC : desc.type === 'static' ? CANNON.Body.STATIC : CANNON.Body.KINEMATIC;
    const rotation: Quat = desc.rotation ?? [0, 0, 0, 1];
    const quaternion = new CANNON.Quaternion(rotation[0], rotation[1], rotation[2], rotation[3]);
    const comWorld = rotate(quaternion, mp.com);
    const body = new CANNON.Body({
      mass: dynamic ? mp.mass : 0,
      type,
      position: new CANNON.Vec3(
        desc.position[0] + comWorld[0],
        desc.position[1] + comWorld[1],
        desc.position[2] + comWorld[2],
      ),
      quaternion,
      linearDamping: 0,
      angularDamping: 0,
      allowSleep: false,
    });
    for (const c of desc.colliders) {
      const s = c.shape;
      let shape: CANNON.Shape;
      let orientation: CANNON.Quaternion | undefined;
      switch (s.type) {
        case 'box':
          shape = new CANNON.Box(v3(s.halfExtents));
          break;
        case 'sphere':
          shape = new CANNON.Sphere(s.radius);
          break;
        case 'cylinder':
          shape = new PrismCylinder(s.radius, 2 * s.halfHeight, CYLINDER_SEGMENTS);
          // cannon-es's cylinder axis is local y; +90° about x maps y onto z.
          orientation = new CANNON.Quaternion(HALF_SQRT2, 0, 0, HALF_SQRT2);
          break;
      }
      shape.material = new CANNON.Material({
        friction: c.friction ?? DEFAULT_FRICTION,
        restitution: c.restitution ?? DEFAULT_RESTITUTION,
      });
      // The Shape constructor cannot set this to false (cannon-es bug), set it afterwards.
      if (c.sensor) shape.collisionResponse = false;
      const o = c.offset ?? [0, 0, 0];
      body.addShape(shape, new CANNON.Vec3(o[0] - mp.com[0], o[1] - mp.com[1], o[2] - mp.com[2]), orientation);
    }
    // addShape() recomputed an AABB-box inertia; replace it with the real one.
    if (dynamic) {
      body.mass = mp.mass;
      body.invMass = mp.mass > 0 ? 1 / mp.mass : 0;
      const [ix, iy, iz] = mp.inertia;
      body.inertia.set(ix, iy, iz);
      body.invInertia.set(ix > 0 ? 1 / ix : 0, iy > 0 ? 1 / iy : 0, iz > 0 ? 1 / iz : 0);
      body.updateInertiaWorld(true);
    }
    const linLock = desc.enabledTranslations?.some((e) => !e)
      ? (desc.enabledTranslations.map((e) => (e ? 1 : 0)) as Vec3)
      : null;
    const angLock = desc.enabledRotations?.some((e) => !e)
      ? (desc.enabledRotations.map((e) => (e ? 1 : 0)) as Vec3)
      : null;
    if (linLock) body.linearFactor.set(...linLock);
    if (angLock) body.angularFactor.set(...angLock);
    if (desc.type !== 'static') {
      if (desc.linearVelocity) body.velocity.set(...desc.linearVelocity);
      if (desc.angularVelocity) body.angularVelocity.set(...desc.angularVelocity);
    }
    // desc.ccd: cannon-es has no continuous collision detection; ignored.
    const rec: BodyRec = {
      body,
      type: desc.type,
      com: mp.com,
      linearDamping: desc.linearDamping ?? 0,
      angularDamping: desc.angularDamping ?? 0,
      linLock,
      angLock,
    };
    this.maskVelocity(rec);
    this.world.addBody(body);
    const h = this.nextBody++;
    this.bodies.set(h, rec);
    this.handleOf.set(body, h);
    return h;
  }

  removeBody(h: BodyHandle): void {
    this.assertLive();
    const rec = this.bodies.get(h);
    if (!rec) return;
    for (const [vh, v] of this.vehicles) if (v.chassis === h) this.removeVehicle(vh);
    for (const [key, p] of this.activePairs) {
      if (p.a === h || p.b === h) {
        this.pending.push({ a: p.a, b: p.b, started: false });
        this.activePairs.delete(key);
      }
    }
    this.world.removeBody(rec.body);
    this.handleOf.delete(rec.body);
    this.bodies.delete(h);
  }

  hasBody(h: BodyHandle): boolean {
    return this.bodies.has(h);
  }

  private rec(h: BodyHandle): BodyRec {
    const r = this.bodies.get(h);
    if (!r) throw new Error(`${this.name}: unknown body handle ${h}`);
    return r;
  }

  private maskVelocity(r: BodyRec): void {
    const b = r.body;
    if (r.linLock) {
      b.velocity.x *= r.linLock[0];
      b.velocity.y *= r.linLock[1];
      b.velocity.z *= r.linLock[2];
    }
    if (r.angLock) {
      b.angularVelocity.x *= r.angLock[0];
      b.angularVelocity.y *= r.angLock[1];
      b.angularVelocity.z *= r.angLock[2];
    }
  }

  getPose(h: BodyHandle, out: Pose): Pose {
    const r = this.rec(h);
    const b = r.body;
    const c = rotate(b.quaternion, r.com);
    out.position[0] = b.position.x - c[0];
    out.position[1] = b.position.y - c[1];
    out.position[2] = b.position.z - c[2];
    out.rotation[0] = b.quaternion.x;
    out.rotation[1] = b.quaternion.y;
    out.rotation[2] = b.quaternion.z;
    out.rotation[3] = b.quaternion.w;
    return out;
  }

  setPose(h: BodyHandle, pose: Pose): void {
    const r = this.rec(h);
    const b = r.body;
    const [qx, qy, qz, qw] = pose.rotation;
    b.quaternion.set(qx, qy, qz, qw);
    const c = rotate(b.quaternion, r.com);
    b.position.set(pose.position[0] + c[0], pose.position[1] + c[1], pose.position[2] + c[2]);
    b.previousPosition.copy(b.position);
    b.previousQuaternion.copy(b.quaternion);
    b.aabbNeedsUpdate = true;
    b.updateInertiaWorld(true);
    b.wakeUp();
  }

  getLinearVelocity(h: BodyHandle, out: Vec3): Vec3 {
    const v = this.rec(h).body.velocity;
    out[0] = v.x;
    out[1] = v.y;
    out[2] = v.z;
    return out;
  }

  getAngularVelocity(h: BodyHandle, out: Vec3): Vec3 {
    const w = this.rec(h).body.angularVelocity;
    out[0] = w.x;
    out[1] = w.y;
    out[2] = w.z;
    return out;
  }

  setLinearVelocity(h: BodyHandle, v: Vec3): void {
    const r = this.rec(h);
    if (r.type === 'static') return;
    r.body.velocity.set(v[0], v[1], v[2]);
    this.maskVelocity(r);
  }

  setAngularVelocity(h: BodyHandle, w: Vec3): void {
    const r = this.rec(h);
    if (r.type === 'static') return;
    r.body.angularVelocity.set(w[0], w[1], w[2]);
    this.maskVelocity(r);
  }

  /** Mass in kg; 0 for static and kinematic bodies. */
  getMass(h: BodyHandle): number {
    const r = this.rec(h);
    return r.type === 'dynamic' ? r.body.mass : 0;
  }

  applyForce(h: BodyHandle, force: Vec3, worldPoint?: Vec3): void {
    const r = this.rec(h);
    if (r.type !== 'dynamic') return;
    const b = r.body;
    // cannon-es wants the point relative to the centre of mass (= body.position), world axes.
    const rel = worldPoint
      ? new CANNON.Vec3(worldPoint[0] - b.position.x, worldPoint[1] - b.position.y, worldPoint[2] - b.position.z)
      : new CANNON.Vec3();
    b.applyForce(v3(force), rel);
  }

  applyTorque(h: BodyHandle, torque: Vec3): void {
    const r = this.rec(h);
    if (r.type !== 'dynamic') return;
    r.body.applyTorque(v3(torque));
  }

  applyImpulse(h: BodyHandle, impulse: Vec3): void {
    const r = this.rec(h);
    if (r.type !== 'dynamic') return;
    r.body.applyImpulse(v3(impulse), new CANNON.Vec3());
    this.maskVelocity(r);
  }

  // ---------------------------------------------------------------- queries

  castRay(origin: Vec3, direction: Vec3, maxDistance: number, exclude?: BodyHandle): RayHit | null {
    this.assertLive();
    const from = _rayFrom.set(origin[0], origin[1], origin[2]);
    const to = _rayTo.set(
      origin[0] + direction[0] * maxDistance,
      origin[1] + direction[1] * maxDistance,
      origin[2] + direction[2] * maxDistance,
    );
    const excluded = exclude !== undefined ? this.bodies.get(exclude)?.body : undefined;
    // Nothing the ray could touch: both queries below start from the bodies
    // whose AABB overlaps the ray's box (raycastClosest's broad phase) or
    // contains its origin (bodyContaining), skipping the excluded body and
    // ray-invisible ones. With none, there is no hit; a short ray in open air
    // (a drone's ground-effect probe) ends here for the price of one loop.
    if (!this.rayBoxHasCandidate(from, to, excluded)) return null;
    const result = _rayResult;
    // Rays skip bodies and shapes with collisionResponse = false (sensors):
    // the excluded body is switched off for the duration of the query.
    const old = excluded?.collisionResponse;
    if (excluded) excluded.collisionResponse = false;
    try {
      this.world.raycastClosest(from, to, _rayOptions, result);
    } finally {
      if (excluded) excluded.collisionResponse = old!;
    }
    // Rapier semantics for a ray starting inside a collider: a hit at distance 0
    // (cannon-es would skip that collider's back faces and report the next one).
    const inside = this.bodyContaining(from, excluded);
    if (inside !== undefined) {
      return { body: inside, distance: 0, point: [origin[0], origin[1], origin[2]], normal: [-direction[0], -direction[1], -direction[2]] };
    }
    if (!result.hasHit || !result.body) return null;
    const body = this.handleOf.get(result.body);
    if (body === undefined || result.distance > maxDistance) return null;
    const p = result.hitPointWorld;
    const n = result.hitNormalWorld;
    return { body, distance: result.distance, point: [p.x, p.y, p.z], normal: [n.x, n.y, n.z] };
  }

  /**
   * Whether a ray-visible body other than `excluded` has a world AABB that
   * overlaps the box spanned by `from` and `to` (cannon-es's Ray.getAABB).
   * The same side effects as the broad phase's aabbQuery that it stands in
   * for: a pending SAP sort first, then stale AABBs refreshed.
   */
  private rayBoxHasCandidate(from: CANNON.Vec3, to: CANNON.Vec3, excluded: CANNON.Body | undefined): boolean {
    const bp = this.world.broadphase as CANNON.SAPBroadphase;
    if (bp.dirty) {
      bp.sortList();
      bp.dirty = false;
    }
    const lx = Math.min(to.x, from.x), ly = Math.min(to.y, from.y), lz = Math.min(to.z, from.z);
    const ux = Math.max(to.x, from.x), uy = Math.max(to.y, from.y), uz = Math.max(to.z, from.z);
    let found = false;
    const bodies = bp.axisList;
    for (let i = 0; i < bodies.length; i++) {
      const b = bodies[i]!;
      // aabbQuery refreshes every stale AABB it walks past; so do we (found or not).
      if (b.aabbNeedsUpdate) b.updateAABB();
      if (found || b === excluded || !b.collisionResponse) continue;
      const lo = b.aabb.lowerBound, hi = b.aabb.upperBound;
      if (lo.x <= ux && lx <= hi.x && lo.y <= uy && ly <= hi.y && lo.z <= uz && lz <= hi.z) found = true;
    }
    return found;
  }

  /** Lowest handle of a ray-visible body whose collider interior contains `p`. */
  private bodyContaining(p: CANNON.Vec3, excluded?: CANNON.Body): BodyHandle | undefined {
    _pointBox.lowerBound.copy(p);
    _pointBox.upperBound.copy(p);
    _pointBodies.length = 0;
    let best: BodyHandle | undefined;
    for (const b of this.world.broadphase.aabbQuery(this.world, _pointBox, _pointBodies)) {
      if (b === excluded || !b.collisionResponse) continue;
      const h = this.handleOf.get(b);
      if (h === undefined || (best !== undefined && h >= best)) continue;
      for (let i = 0; i < b.shapes.length; i++) {
        const shape = b.shapes[i]!;
        if (!shape.collisionResponse) continue;
        // The same operations as the allocating calls, into scratch objects.
        // (cannon-es's vadd/vsub return nothing when given a target; x + y is commutative in IEEE 754).
        const q = b.quaternion.mult(b.shapeOrientations[i]!, _pqShape);
        b.position.vadd(b.quaternion.vmult(b.shapeOffsets[i]!, _pvOffset), _pvCentre);
        q.conjugate(_pqConj);
        p.vsub(_pvCentre, _pvRel);
        const l = _pqConj.vmult(_pvRel, _pvLocal);
        let inside = false;
        if (shape instanceof CANNON.Box) {
          const e = shape.halfExtents;
          inside = Math.abs(l.x) < e.x && Math.abs(l.y) < e.y && Math.abs(l.z) < e.z;
        } else if (shape instanceof CANNON.Sphere) {
          inside = l.lengthSquared() < shape.radius * shape.radius;
        } else if (shape instanceof CANNON.Cylinder) {
          // Exact cylinder (as Rapier), axis = local y.
          inside = Math.abs(l.y) < shape.height / 2 && l.x * l.x + l.z * l.z < shape.radiusTop * shape.radiusTop;
        }
        if (inside) {
          best = h;
          break;
        }
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- vehicles

  addVehicle(chassis: BodyHandle, wheels: WheelDesc[]): VehicleHandle {
    const r = this.rec(chassis);
    if (r.type !== 'dynamic') throw new Error(`${this.name}: vehicle chassis ${chassis} must be dynamic`);
    const vehicle = new CANNON.RaycastVehicle({
      chassisBody: r.body,
      indexRightAxis: 1,
      indexUpAxis: 2,
      indexForwardAxis: 0,
    });
    const recs: WheelRec[] = wheels.map((w) => {
      const direction: Vec3 = w.direction ?? [0, 0, -1];
      const axle: Vec3 = w.axle ?? [0, 1, 0];
      const c = w.connectionPoint;
      vehicle.addWheel({
        chassisConnectionPointLocal: new CANNON.Vec3(c[0] - r.com[0], c[1] - r.com[1], c[2] - r.com[2]),
        directionLocal: v3(direction),
        axleLocal: v3(axle),
        suspensionRestLength: w.suspensionRestLength,
        radius: w.radius,
        suspensionStiffness: w.suspensionStiffness,
        dampingCompression: w.suspensionCompression,
        dampingRelaxation: w.suspensionRelaxation,
        maxSuspensionTravel: w.maxSuspensionTravel,
        frictionSlip: w.frictionSlip,
        maxSuspensionForce: w.maxSuspensionForce ?? DEFAULT_MAX_SUSPENSION_FORCE,
        rollInfluence: ROLL_INFLUENCE,
        useCustomSlidingRotationalSpeed: false,
      });
      // cannon-es drives along (up x chassis right axis) whatever the wheel axle.
      const up: Vec3 = [-direction[0], -direction[1], -direction[2]];
      const fwd = cross(up, [0, 1, 0])[0];
      return {
        desc: w,
        engineSign: fwd < 0 ? -1 : 1,
        spinSign: axle[1] < 0 ? -1 : 1,
        engine: 0,
        brake: 0,
        steering: 0,
        spin: 0,
      };
    });
    // Not addToWorld(): that re-adds the chassis and hooks preStep; we update
    // the vehicle ourselves before each step and only need its ray caster.
    vehicle.world = this.world;
    vehicle.updateFriction = (dt: number): void => updateVehicleFriction(vehicle, dt);
    const vh = this.nextVehicle++;
    this.vehicles.set(vh, { vehicle, chassis, wheels: recs });
    return vh;
  }

  removeVehicle(v: VehicleHandle): void {
    const rec = this.vehicles.get(v);
    if (!rec) return;
    rec.vehicle.world = null;
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
    const info = rec.vehicle.wheelInfos[wheel]!;
    out.inContact = info.isInContact;
    out.suspensionLength = info.suspensionLength;
    out.spinRadPerS = w.spin;
    out.steeringRad = w.steering;
    return out;
  }

  // ---------------------------------------------------------------- stepping

  step(dt: number): void {
    this.assertLive();
    for (const v of this.vehicles.values()) {
      v.wheels.forEach((w, i) => {
        v.vehicle.applyEngineForce(w.engine * w.engineSign, i);
        v.vehicle.setBrake(w.brake * dt, i);
        v.vehicle.setSteeringValue(w.steering, i);
      });
      v.vehicle.updateVehicle(dt);
    }
    for (const r of this.bodies.values()) {
      if (r.type !== 'dynamic') continue;
      // Rapier's damping v *= 1/(1 + c dt) expressed as cannon's (1 - d)^dt.
      r.body.linearDamping = r.linearDamping > 0 ? 1 - Math.pow(1 + r.linearDamping * dt, -1 / dt) : 0;
      r.body.angularDamping = r.angularDamping > 0 ? 1 - Math.pow(1 + r.angularDamping * dt, -1 / dt) : 0;
      this.maskVelocity(r);
    }

    if (dt !== this.frictionDt) {
      // cannon-es caps each friction impulse (N s) at mu * |frictionGravity| *
      // reduced mass, a force (N): with |g| dt the cap is the Coulomb impulse
      // mu m g dt of one step instead of being 1/dt times too large.
      this.world.frictionGravity = new CANNON.Vec3(0, 0, this.gravityNorm * dt);
      this.frictionDt = dt;
    }
    this.world.step(dt);

    for (const r of this.bodies.values()) if (r.linLock || r.angLock) this.maskVelocity(r);
    for (const v of this.vehicles.values()) this.updateSpin(v);
  }

  private onContact(e: { bodyA?: CANNON.Body | null; bodyB?: CANNON.Body | null }, started: boolean): void {
    if (!e.bodyA || !e.bodyB) return;
    const a = this.handleOf.get(e.bodyA);
    const b = this.handleOf.get(e.bodyB);
    if (a === undefined || b === undefined || a === b) return;
    const key = pairKey(a, b);
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    if (started) {
      if (this.activePairs.has(key)) return;
      this.activePairs.set(key, { a: lo, b: hi });
    } else {
      if (!this.activePairs.delete(key)) return;
    }
    this.pending.push({ a: lo, b: hi, started });
  }

  /** Same definition as RapierBackend.updateSpin. */
  private updateSpin(v: VehicleRec): void {
    const r = this.rec(v.chassis);
    const b = r.body;
    const vel = new CANNON.Vec3();
    v.wheels.forEach((w, i) => {
      const info = v.vehicle.wheelInfos[i]!;
      if (!info.isInContact) {
        w.spin *= 0.99;
        return;
      }
      const n = info.raycastResult.hitNormalWorld;
      const fwd = rotate(b.quaternion, [1, 0, 0]);
      const p = fwd[0] * n.x + fwd[1] * n.y + fwd[2] * n.z;
      fwd[0] -= n.x * p;
      fwd[1] -= n.y * p;
      fwd[2] -= n.z * p;
      const c = w.desc.connectionPoint;
      const off = rotate(b.quaternion, [c[0] - r.com[0], c[1] - r.com[1], c[2] - r.com[2]]);
      b.getVelocityAtWorldPoint(
        new CANNON.Vec3(b.position.x + off[0], b.position.y + off[1], b.position.z + off[2]),
        vel,
      );
      w.spin = (w.spinSign * (fwd[0] * vel.x + fwd[1] * vel.y + fwd[2] * vel.z)) / w.desc.radius;
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
    this.world.removeEventListener('beginContact', this.onBegin);
    this.world.removeEventListener('endContact', this.onEnd);
    for (const v of this.vehicles.values()) v.vehicle.world = null;
    this.vehicles.clear();
    for (const r of this.bodies.values()) this.world.removeBody(r.body);
    this.bodies.clear();
    this.handleOf.clear();
    this.activePairs.clear();
    this.pending = [];
  }

  private assertLive(): void {
    if (this.freed) throw new Error(`${this.name}: backend used after free()`);
  }
}
