/**
 * An acceleration structure over the world's static geometry for fast,
 * exact ray casts: every part of every static actor (props, the ground, any
 * actor whose descriptor says `isStatic`), and optionally an infinite ground
 * plane, as analytic primitives (primitives.ts) under a bounding-volume
 * hierarchy over their world-frame bounding boxes.
 *
 * Why not the engines: Rapier's castRay is fast on a handful of colliders but
 * drops to ~0.1 M rays/s among 200 pillars, and a triangle BVH (three-mesh-bvh)
 * pays for the tessellation; Skylane's worlds are primitives, so the leaf
 * tests can be exact and cheap and the tree small (issue #4, section 4).
 *
 * Build: top-down, binned surface-area heuristic, at most LEAF_SIZE
 * primitives a leaf; primitives much larger than the rest (the ground slab)
 * are kept out of the tree and tested on every ray, since their boxes would
 * inflate every node above them. Query: closest hit, front-to-back traversal
 * with a fixed stack, no allocation; the hit is written into a caller-owned
 * `SceneHit`.
 */
import type { ActorDescriptor } from '../actor.ts';
import type { Pose, Quat, Vec3 } from '../math.ts';
import type { BodyHandle } from '../physics/backend.ts';
import { lastEntry, PRIM_STRIDE, primitiveBounds, primitiveNormal, rayPrimitive, writePlane, writePrimitive } from './primitives.ts';

/** One static actor as the scene needs it: its descriptor, body and (fixed) pose. */
export interface StaticActorInput {
  descriptor: Pick<ActorDescriptor, 'id' | 'parts'>;
  body: BodyHandle;
  pose: Pose;
}

export interface StaticSceneOptions {
  /** Add an infinite ground plane at this height (solid below); reported with body -1 and actor id 'ground-plane'. */
  groundPlaneZ?: number;
}

/** A ray hit, written in place by the casters (reuse one per sensor). */
export interface SceneHit {
  /** Distance along the unit direction, metres; 0 when the origin is inside. */
  distance: number;
  point: Vec3;
  normal: Vec3;
  body: BodyHandle;
  /** Id of the actor whose part was hit. */
  actorId: string;
}

export function newSceneHit(): SceneHit {
  return { distance: Infinity, point: [0, 0, 0], normal: [0, 0, 0], body: -1, actorId: '' };
}

/** Primitives per leaf: analytic tests are cheap next to a node visit, so leaves hold a few. */
const LEAF_SIZE = 4;
const SAH_BINS = 12;
/** A primitive whose bounds' surface area exceeds this share of the scene's is tested on every ray, not put in the tree. */
const LARGE_AREA_SHARE = 0.25;
const MAX_DEPTH = 64;

// Traversal scratch (module level: one cast at a time per thread).
const _stack = new Int32Array(MAX_DEPTH * 2);
const _lo: Vec3 = [0, 0, 0];
const _hi: Vec3 = [0, 0, 0];

export class StaticScene {
  /** Packed primitives (primitives.ts layout), tree primitives first in leaf order, then the large ones. */
  readonly prims: Float64Array;
  /** Body handle of each primitive. */
  readonly primBody: Int32Array;
  /** Index into `actorIds` of each primitive. */
  readonly primActor: Int32Array;
  readonly actorIds: readonly string[];
  /** Node bounds, 6 numbers a node: lo xyz, hi xyz (read-only outside; tests check the tree with them). */
  readonly nodeBounds: Float64Array;
  /** Per node: [first child or first primitive, primitive count (0 for an inner node)]; node 0 is the root. */
  readonly nodeInfo: Int32Array;
  readonly nodeCount: number;
  /** Primitives [treeCount, primCount) are the large ones, tested on every ray. */
  readonly treeCount: number;
  readonly primCount: number;

  private constructor(
    prims: Float64Array, primBody: Int32Array, primActor: Int32Array, actorIds: string[],
    nodeBounds: Float64Array, nodeInfo: Int32Array, nodeCount: number, treeCount: number,
  ) {
    this.prims = prims;
    this.primBody = primBody;
    this.primActor = primActor;
    this.actorIds = actorIds;
    this.nodeBounds = nodeBounds;
    this.nodeInfo = nodeInfo;
    this.nodeCount = nodeCount;
    this.treeCount = treeCount;
    this.primCount = primBody.length;
  }

  /** Build from static actors (each part posed by its actor's pose). */
  static build(actors: readonly StaticActorInput[], opts: StaticSceneOptions = {}): StaticScene {
    const actorIds: string[] = [];
    let n = 0;
    for (const a of actors) n += a.descriptor.parts.length;
    const hasPlane = opts.groundPlaneZ !== undefined;
    if (hasPlane) n++;
    const raw = new Float64Array(n * PRIM_STRIDE);
    const rawBody = new Int32Array(n);
    const rawActor = new Int32Array(n);
    const pose: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
    let k = 0;
    for (const a of actors) {
      const ai = actorIds.push(a.descriptor.id) - 1;
      for (const part of a.descriptor.parts) {
        composePose(a.pose, part.offset, pose);
        writePrimitive(raw, k * PRIM_STRIDE, part.shape, pose);
        rawBody[k] = a.body;
        rawActor[k] = ai;
        k++;
      }
    }
    if (hasPlane) {
      writePlane(raw, k * PRIM_STRIDE, opts.groundPlaneZ!);
      rawBody[k] = -1;
      rawActor[k] = actorIds.push('ground-plane') - 1;
      k++;
    }

    // Bounds and centroids; split off the large primitives.
    const lo = new Float64Array(n * 3), hi = new Float64Array(n * 3), cen = new Float64Array(n * 3);
    const sceneLo: Vec3 = [Infinity, Infinity, Infinity], sceneHi: Vec3 = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      primitiveBounds(raw, i * PRIM_STRIDE, _lo, _hi);
      for (let j = 0; j < 3; j++) {
        // Pad by a hair so a ray grazing a face is never culled by rounding in the box test.
        const pad = 1e-9 * (1 + Math.abs(_lo[j]!) + Math.abs(_hi[j]!));
        lo[3 * i + j] = _lo[j]! - pad;
        hi[3 * i + j] = _hi[j]! + pad;
        cen[3 * i + j] = (_lo[j]! + _hi[j]!) / 2;
        if (Number.isFinite(_lo[j]!)) sceneLo[j] = Math.min(sceneLo[j]!, _lo[j]!);
        if (Number.isFinite(_hi[j]!)) sceneHi[j] = Math.max(sceneHi[j]!, _hi[j]!);
      }
    }
    const sceneArea = area(sceneLo[0], sceneLo[1], sceneLo[2], sceneHi[0], sceneHi[1], sceneHi[2]);
    const small: number[] = [], large: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = area(lo[3 * i]!, lo[3 * i + 1]!, lo[3 * i + 2]!, hi[3 * i]!, hi[3 * i + 1]!, hi[3 * i + 2]!);
      // With a handful of primitives the tree buys nothing; keep them all in it then (the split rule needs a crowd).
      (n > 8 && !(a <= LARGE_AREA_SHARE * sceneArea) ? large : small).push(i);
    }

    const order: number[] = [];
    const bounds: number[] = [];
    const info: number[] = [];
    const idx = Int32Array.from(small);
    if (idx.length > 0) buildNode(idx, 0, idx.length, lo, hi, cen, order, bounds, info, 0);
    else {
      // An empty tree: one leaf with nothing in it and inverted bounds, so traversal rejects it at once.
      bounds.push(Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity);
      info.push(0, 0);
    }
    const treeCount = order.length;
    for (const i of large) order.push(i);

    const prims = new Float64Array(n * PRIM_STRIDE);
    const primBody = new Int32Array(n);
    const primActor = new Int32Array(n);
    order.forEach((src, dst) => {
      prims.set(raw.subarray(src * PRIM_STRIDE, (src + 1) * PRIM_STRIDE), dst * PRIM_STRIDE);
      primBody[dst] = rawBody[src]!;
      primActor[dst] = rawActor[src]!;
    });
    return new StaticScene(prims, primBody, primActor, actorIds, Float64Array.from(bounds), Int32Array.from(info), info.length / 2, treeCount);
  }

  /**
   * Closest hit within `maxDistance` along the unit direction, skipping
   * primitives of body `exclude`; writes `out` and returns true, or returns
   * false and leaves `out` alone. Allocation-free.
   */
  cast(origin: Readonly<Vec3>, dir: Readonly<Vec3>, maxDistance: number, out: SceneHit, exclude = -2): boolean {
    const ox = origin[0], oy = origin[1], oz = origin[2];
    const dx = dir[0], dy = dir[1], dz = dir[2];
    const i = this.closest(ox, oy, oz, dx, dy, dz, maxDistance, exclude);
    if (i < 0) return false;
    this.fill(i, ox, oy, oz, dx, dy, dz, out);
    return true;
  }

  /** Distance of the closest hit (Infinity when none); the primitive is in `closestPrim`, its entry in `closestEntry`. */
  closestDistance = Infinity;
  closestPrim = -1;
  closestEntry = 0;

  /**
   * The traversal: index of the closest primitive hit within `tMax`, or -1;
   * sets closestDistance/closestEntry. Exposed for the combined caster, which
   * continues from the static answer.
   */
  closest(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMax: number, exclude: number): number {
    const prims = this.prims, body = this.primBody;
    let best = tMax, bestPrim = -1, bestEntry = 0;
    // The large primitives first: the ground usually bounds the ray early and prunes the tree walk.
    for (let i = this.treeCount; i < this.primCount; i++) {
      if (body[i] === exclude) continue;
      const t = rayPrimitive(prims, i * PRIM_STRIDE, ox, oy, oz, dx, dy, dz, best);
      if (t < best || (t === best && bestPrim < 0)) { best = t; bestPrim = i; bestEntry = lastEntry; }
    }
    // Inverse direction for the slab tests; a zero component gets a huge
    // finite slope so (lo - o) * inv stays a signed huge number, never NaN.
    const ix = dx !== 0 ? 1 / dx : 1e300, iy = dy !== 0 ? 1 / dy : 1e300, iz = dz !== 0 ? 1 / dz : 1e300;
    const nb = this.nodeBounds, ni = this.nodeInfo, stack = _stack;
    let sp = 0;
    if (this.treeCount > 0 && boxEntry(nb, 0, ox, oy, oz, ix, iy, iz, best) < Infinity) stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      const first = ni[2 * node]!, count = ni[2 * node + 1]!;
      if (count > 0) {
        for (let i = first, end = first + count; i < end; i++) {
          if (body[i] === exclude) continue;
          const t = rayPrimitive(prims, i * PRIM_STRIDE, ox, oy, oz, dx, dy, dz, best);
          // `<` keeps the first primitive on exact ties, as the tree order is fixed at build.
          if (t < best || (t === best && bestPrim < 0)) { best = t; bestPrim = i; bestEntry = lastEntry; }
        }
        continue;
      }
      // Inner node: children are `first` and `first + 1`; push the farther first so the nearer is walked first.
      const tl = boxEntry(nb, first, ox, oy, oz, ix, iy, iz, best);
      const tr = boxEntry(nb, first + 1, ox, oy, oz, ix, iy, iz, best);
      if (tl < tr) {
        if (tr < Infinity) stack[sp++] = first + 1;
        stack[sp++] = first;
      } else {
        if (tl < Infinity) stack[sp++] = first;
        if (tr < Infinity) stack[sp++] = first + 1;
      }
    }
    this.closestDistance = bestPrim < 0 ? Infinity : best;
    this.closestPrim = bestPrim;
    this.closestEntry = bestEntry;
    return bestPrim;
  }

  /** Write the hit on primitive `i` found by `closest` into `out`. */
  fill(i: number, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, out: SceneHit): void {
    const t = this.closestDistance;
    out.distance = t;
    const px = ox + dx * t, py = oy + dy * t, pz = oz + dz * t;
    out.point[0] = px; out.point[1] = py; out.point[2] = pz;
    primitiveNormal(this.prims, i * PRIM_STRIDE, this.closestEntry, px, py, pz, dx, dy, dz, out.normal);
    out.body = this.primBody[i]!;
    out.actorId = this.actorIds[this.primActor[i]!]!;
  }
}

/** Entry distance of the ray into node `k`'s box if it is below `tMax` (and the box is not behind), else Infinity. */
function boxEntry(nb: Float64Array, k: number, ox: number, oy: number, oz: number, ix: number, iy: number, iz: number, tMax: number): number {
  const b = 6 * k;
  let t0 = (nb[b]! - ox) * ix, t1 = (nb[b + 3]! - ox) * ix;
  let tn = t0 < t1 ? t0 : t1, tf = t0 < t1 ? t1 : t0;
  t0 = (nb[b + 1]! - oy) * iy; t1 = (nb[b + 4]! - oy) * iy;
  if (t0 > t1) { const s = t0; t0 = t1; t1 = s; }
  if (t0 > tn) tn = t0;
  if (t1 < tf) tf = t1;
  t0 = (nb[b + 2]! - oz) * iz; t1 = (nb[b + 5]! - oz) * iz;
  if (t0 > t1) { const s = t0; t0 = t1; t1 = s; }
  if (t0 > tn) tn = t0;
  if (t1 < tf) tf = t1;
  if (tf < tn || tf < 0 || tn > tMax) return Infinity;
  return tn;
}

function area(lx: number, ly: number, lz: number, hx: number, hy: number, hz: number): number {
  const ex = hx - lx, ey = hy - ly, ez = hz - lz;
  if (!(ex >= 0 && ey >= 0 && ez >= 0)) return 0;
  return ex * ey + ey * ez + ez * ex;
}

/**
 * Build the subtree over idx[start, end) into node slot `node` (already
 * reserved by the caller, or 0 for the root), appending children in pairs.
 */
function buildNode(
  idx: Int32Array, start: number, end: number, lo: Float64Array, hi: Float64Array, cen: Float64Array,
  order: number[], bounds: number[], info: number[], depth: number, node = -1,
): void {
  if (node < 0) {
    node = info.length / 2;
    bounds.push(0, 0, 0, 0, 0, 0);
    info.push(0, 0);
  }
  let blx = Infinity, bly = Infinity, blz = Infinity, bhx = -Infinity, bhy = -Infinity, bhz = -Infinity;
  let clx = Infinity, cly = Infinity, clz = Infinity, chx = -Infinity, chy = -Infinity, chz = -Infinity;
  for (let k = start; k < end; k++) {
    const i = idx[k]!;
    blx = Math.min(blx, lo[3 * i]!); bly = Math.min(bly, lo[3 * i + 1]!); blz = Math.min(blz, lo[3 * i + 2]!);
    bhx = Math.max(bhx, hi[3 * i]!); bhy = Math.max(bhy, hi[3 * i + 1]!); bhz = Math.max(bhz, hi[3 * i + 2]!);
    clx = Math.min(clx, cen[3 * i]!); cly = Math.min(cly, cen[3 * i + 1]!); clz = Math.min(clz, cen[3 * i + 2]!);
    chx = Math.max(chx, cen[3 * i]!); chy = Math.max(chy, cen[3 * i + 1]!); chz = Math.max(chz, cen[3 * i + 2]!);
  }
  bounds.splice(6 * node, 6, blx, bly, blz, bhx, bhy, bhz);
  const count = end - start;
  const makeLeaf = () => {
    info[2 * node] = order.length;
    info[2 * node + 1] = count;
    for (let k = start; k < end; k++) order.push(idx[k]!);
  };
  if (count <= LEAF_SIZE || depth >= MAX_DEPTH - 2) return makeLeaf();

  // Binned SAH over the centroid bounds' longest axis.
  const cl = [clx, cly, clz], ch = [chx, chy, chz];
  let axis = 0;
  for (let j = 1; j < 3; j++) if (ch[j]! - cl[j]! > ch[axis]! - cl[axis]!) axis = j;
  const extent = ch[axis]! - cl[axis]!;
  if (!(extent > 0)) return makeLeaf(); // all centroids coincide: no split separates them
  const binOf = (i: number) => Math.min(SAH_BINS - 1, Math.floor(((cen[3 * i + axis]! - cl[axis]!) / extent) * SAH_BINS));
  const binCount = new Array<number>(SAH_BINS).fill(0);
  const binB = Array.from({ length: SAH_BINS }, () => [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
  for (let k = start; k < end; k++) {
    const i = idx[k]!, b = binOf(i), bb = binB[b]!;
    binCount[b]!++;
    for (let j = 0; j < 3; j++) {
      bb[j] = Math.min(bb[j]!, lo[3 * i + j]!);
      bb[j + 3] = Math.max(bb[j + 3]!, hi[3 * i + j]!);
    }
  }
  let bestCost = Infinity, bestSplit = -1;
  for (let s = 1; s < SAH_BINS; s++) {
    let nl = 0, nr = 0;
    const l = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity], r = [...l];
    for (let b = 0; b < SAH_BINS; b++) {
      const bb = binB[b]!, into = b < s ? l : r;
      if (b < s) nl += binCount[b]!; else nr += binCount[b]!;
      for (let j = 0; j < 3; j++) {
        into[j] = Math.min(into[j]!, bb[j]!);
        into[j + 3] = Math.max(into[j + 3]!, bb[j + 3]!);
      }
    }
    if (nl === 0 || nr === 0) continue;
    const cost = nl * area(l[0]!, l[1]!, l[2]!, l[3]!, l[4]!, l[5]!) + nr * area(r[0]!, r[1]!, r[2]!, r[3]!, r[4]!, r[5]!);
    if (cost < bestCost) { bestCost = cost; bestSplit = s; }
  }
  let mid: number;
  if (bestSplit < 0) {
    mid = (start + end) >> 1;
  } else {
    // Partition idx[start, end) by bin.
    let a = start, b = end - 1;
    while (a <= b) {
      if (binOf(idx[a]!) < bestSplit) a++;
      else { const s = idx[a]!; idx[a] = idx[b]!; idx[b] = s; b--; }
    }
    mid = a;
    if (mid === start || mid === end) mid = (start + end) >> 1;
  }
  // Reserve the two children side by side, then fill them.
  const left = info.length / 2;
  bounds.push(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  info.push(0, 0, 0, 0);
  info[2 * node] = left;
  info[2 * node + 1] = 0;
  buildNode(idx, start, mid, lo, hi, cen, order, bounds, info, depth + 1, left);
  buildNode(idx, mid, end, lo, hi, cen, order, bounds, info, depth + 1, left + 1);
}

/** out = parent * child (poses as rigid transforms). */
export function composePose(parent: Pose, child: Pose, out: Pose): Pose {
  const q = parent.rotation, c = child.position;
  // Rotate child position by parent rotation.
  const [qx, qy, qz, qw] = q;
  const tx = 2 * (qy * c[2] - qz * c[1]), ty = 2 * (qz * c[0] - qx * c[2]), tz = 2 * (qx * c[1] - qy * c[0]);
  const px = c[0] + qw * tx + (qy * tz - qz * ty), py = c[1] + qw * ty + (qz * tx - qx * tz), pz = c[2] + qw * tz + (qx * ty - qy * tx);
  out.position[0] = parent.position[0] + px;
  out.position[1] = parent.position[1] + py;
  out.position[2] = parent.position[2] + pz;
  mulQuat(q, child.rotation, out.rotation);
  return out;
}

function mulQuat(a: Readonly<Quat>, b: Readonly<Quat>, out: Quat): void {
  const [ax, ay, az, aw] = a, [bx, by, bz, bw] = b;
  out[0] = aw * bx + ax * bw + ay * bz - az * by;
  out[1] = aw * by - ax * bz + ay * bw + az * bx;
  out[2] = aw * bz + ax * by - ay * bx + az * bw;
  out[3] = aw * bw - ax * bx - ay * by - az * bz;
}
