/**
 * A road's reference line: plan-view primitives chained end to end, as an
 * OpenDRIVE `<planView>`. Road coordinates are (s, t): s along the line from
 * its start, t to the left of it (OpenDRIVE's reference-line system).
 *
 * Joints must be G1: each primitive starts where the previous one ends,
 * within 1e-6 m, with the same heading, within 1e-9 rad. Curvature may jump
 * (a line meeting an arc), as OpenDRIVE and CARLA's maps allow.
 */
import { wrapAngle } from '../../sim/math.ts';
import { geometryFrom, newRoadPose, type GeometryDescriptor, type PlanGeometry, type RoadPose } from './geometry.ts';

export const JOINT_POSITION_TOLERANCE_M = 1e-6;
export const JOINT_HEADING_TOLERANCE_RAD = 1e-9;
/** Tolerance on the s of each primitive against the end of the previous one, m. */
const JOINT_S_TOLERANCE_M = 1e-9;
/** Projection samples: at most this far apart, m ... */
const SAMPLE_MAX_SPACING_M = 2;
/** ... and at most this much heading change apart, rad. */
const SAMPLE_MAX_TURN_RAD = 0.1;
/**
 * Slack of the projection's pruning, m: a chunk of samples is skipped only
 * when every foot point it could yield is farther than the nearest one by
 * more than this. It is far above the tie tolerance of the refinement
 * (1e-12 m) and above the joint tolerance (1e-6 m), so skipping never changes
 * the result (see `project`).
 */
const PRUNE_SLACK_M = 1e-3;

/** A world point in road coordinates. */
export interface FrenetPoint {
  /** Along the reference line, m, clamped to [0, length]. */
  s: number;
  /** Left of the reference line at s, m. */
  t: number;
  /** Distance from the point to the reference line, m (|t| when the foot is inside). */
  distanceM: number;
  /** False when the foot of the perpendicular falls beyond either end (then s is the end). */
  inRange: boolean;
}

export function newFrenetPoint(): FrenetPoint {
  return { s: 0, t: 0, distanceM: 0, inRange: true };
}

export class ReferenceLineError extends Error {
  override name = 'ReferenceLineError';
}

const _p = newRoadPose();
const _q = newRoadPose();

export class ReferenceLine {
  readonly geometries: readonly PlanGeometry[];
  readonly lengthM: number;
  private readonly starts: Float64Array;
  private readonly sampleS: Float64Array;
  private readonly sampleX: Float64Array;
  private readonly sampleY: Float64Array;
  /** Largest distance along the line between consecutive samples, m. */
  private readonly maxSampleGapM: number;
  /** Consecutive samples per chunk, and each chunk's bounding box (of its sample points). */
  private readonly chunkSize: number;
  private readonly chunkMinX: Float64Array;
  private readonly chunkMaxX: Float64Array;
  private readonly chunkMinY: Float64Array;
  private readonly chunkMaxY: Float64Array;
  /** Per chunk: the least distance from its box to the box of any chunk not next to it, m (Infinity if none). */
  private readonly chunkClearM: Float64Array;

  constructor(geometries: readonly PlanGeometry[]) {
    if (geometries.length === 0) throw new ReferenceLineError('reference line: needs at least one geometry');
    const first = geometries[0]!;
    if (Math.abs(first.s) > JOINT_S_TOLERANCE_M) {
      throw new ReferenceLineError(`reference line: the first geometry must start at s=0, got s=${first.s}`);
    }
    for (let i = 1; i < geometries.length; i++) {
      const prev = geometries[i - 1]!;
      const next = geometries[i]!;
      const endS = prev.s + prev.lengthM;
      const where = `reference line: geometry ${i} (${next.type}) after geometry ${i - 1} (${prev.type})`;
      if (Math.abs(next.s - endS) > JOINT_S_TOLERANCE_M) {
        throw new ReferenceLineError(`${where}: starts at s=${next.s}, but the previous one ends at s=${endS}`);
      }
      prev.poseAt(endS, _p);
      const gap = Math.hypot(next.x - _p.x, next.y - _p.y);
      if (!(gap <= JOINT_POSITION_TOLERANCE_M)) {
        throw new ReferenceLineError(
          `${where}: starts ${gap.toExponential(3)} m from where the previous one ends ` +
            `(${_p.x}, ${_p.y}); joints must meet within ${JOINT_POSITION_TOLERANCE_M.toExponential()} m`,
        );
      }
      const turn = Math.abs(wrapAngle(next.headingRad - _p.headingRad));
      if (!(turn <= JOINT_HEADING_TOLERANCE_RAD)) {
        throw new ReferenceLineError(
          `${where}: heading jumps by ${turn.toExponential(3)} rad (from ${_p.headingRad} to ${next.headingRad}); ` +
            `joints must be tangent within ${JOINT_HEADING_TOLERANCE_RAD.toExponential()} rad`,
        );
      }
    }
    this.geometries = geometries;
    const last = geometries[geometries.length - 1]!;
    this.lengthM = last.s + last.lengthM;
    this.starts = Float64Array.from(geometries, (g) => g.s);

    // Samples for the coarse stage of projection: dense enough that the
    // nearest sample lies in the basin of the true foot point.
    const s: number[] = [];
    for (const g of geometries) {
      g.poseAt(g.s, _p);
      g.poseAt(g.s + g.lengthM, _q);
      const kMax = Math.max(Math.abs(_p.curvature), Math.abs(_q.curvature));
      const step = Math.min(SAMPLE_MAX_SPACING_M, kMax > 0 ? SAMPLE_MAX_TURN_RAD / kMax : Infinity);
      const n = Math.max(1, Math.ceil(g.lengthM / step));
      for (let k = 0; k < n; k++) s.push(g.s + (g.lengthM * k) / n);
    }
    s.push(this.lengthM);
    this.sampleS = Float64Array.from(s);
    this.sampleX = new Float64Array(s.length);
    this.sampleY = new Float64Array(s.length);
    let gap = 0;
    for (let i = 0; i < s.length; i++) {
      this.poseAt(s[i]!, _p);
      this.sampleX[i] = _p.x;
      this.sampleY[i] = _p.y;
      if (i > 0) gap = Math.max(gap, s[i]! - s[i - 1]!);
    }
    this.maxSampleGapM = gap;

    // Bounding boxes of runs of samples let `project` skip the parts of the
    // line that are provably too far. About sqrt(n)/2 samples per chunk (16
    // on a 2 km road): short enough to scan few samples, long enough that a
    // chunk's clearance (below) exceeds a carriageway's width, so a
    // warm-started call tests three boxes instead of all of them.
    const n = s.length;
    this.chunkSize = Math.max(8, Math.min(32, Math.round(Math.sqrt(n) / 2)));
    const chunks = Math.ceil(n / this.chunkSize);
    this.chunkMinX = new Float64Array(chunks).fill(Infinity);
    this.chunkMaxX = new Float64Array(chunks).fill(-Infinity);
    this.chunkMinY = new Float64Array(chunks).fill(Infinity);
    this.chunkMaxY = new Float64Array(chunks).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(i / this.chunkSize);
      const x = this.sampleX[i]!, y = this.sampleY[i]!;
      if (x < this.chunkMinX[c]!) this.chunkMinX[c] = x;
      if (x > this.chunkMaxX[c]!) this.chunkMaxX[c] = x;
      if (y < this.chunkMinY[c]!) this.chunkMinY[c] = y;
      if (y > this.chunkMaxY[c]!) this.chunkMaxY[c] = y;
    }
    this.chunkClearM = new Float64Array(chunks).fill(Infinity);
    for (let a = 0; a < chunks; a++) {
      for (let b = a + 2; b < chunks; b++) {
        const dx = Math.max(0, this.chunkMinX[b]! - this.chunkMaxX[a]!, this.chunkMinX[a]! - this.chunkMaxX[b]!);
        const dy = Math.max(0, this.chunkMinY[b]! - this.chunkMaxY[a]!, this.chunkMinY[a]! - this.chunkMaxY[b]!);
        const d = Math.hypot(dx, dy);
        if (d < this.chunkClearM[a]!) this.chunkClearM[a] = d;
        if (d < this.chunkClearM[b]!) this.chunkClearM[b] = d;
      }
    }
  }

  static fromDescriptors(descriptors: readonly GeometryDescriptor[]): ReferenceLine {
    return new ReferenceLine(descriptors.map(geometryFrom));
  }

  descriptors(): GeometryDescriptor[] {
    return this.geometries.map((g) => g.descriptor());
  }

  /** Index of the primitive that holds s (s clamped to the line). */
  geometryIndexAt(s: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Pose of the reference line at s, clamped to [0, length]. */
  poseAt(s: number, out: RoadPose): RoadPose {
    const c = s < 0 ? 0 : s > this.lengthM ? this.lengthM : s;
    return this.geometries[this.geometryIndexAt(c)]!.poseAt(c, out);
  }

  /** World position of road coordinates (s, t), heading of the reference line there. */
  toWorld(s: number, t: number, out: RoadPose): RoadPose {
    this.poseAt(s, out);
    out.x -= t * Math.sin(out.headingRad);
    out.y += t * Math.cos(out.headingRad);
    return out;
  }

  /**
   * Road coordinates of world point (x, y): the nearest foot of a
   * perpendicular on the reference line. Every local minimum of the distance
   * to the samples is refined (so a road that doubles back still projects to
   * the nearest branch), by safeguarded Newton on g(s) = (p - P(s)) . T(s),
   * whose derivative is -(1 - kappa t). Converges to 1e-12 m. Ties between
   * branches go to the smaller s. Allocates nothing.
   *
   * `sHint` (optional) is a warm start: the s of the same object at the last
   * call, typically. It only seeds the bound that prunes the search, so any
   * value (stale, wrong, NaN) gives the same answer; a good one makes the call
   * cheaper. The result equals `projectExhaustive` (see below).
   *
   * Why pruning cannot change the answer: the foot refined from sample i lies
   * within [s(i-1), s(i+1)], so its distance is at least |p - sample i| minus
   * the largest sample gap, and a chunk's bounding box bounds that from below
   * for all its samples. Any sample's distance plus the gap bounds the
   * nearest foot's distance from above. A chunk is skipped only when its
   * lower bound exceeds the upper bound by PRUNE_SLACK_M; the chunks kept are
   * scanned in order with the exhaustive scan's own candidate test and
   * refinement, so they yield the same candidates in the same order. The
   * candidates skipped are all farther than the nearest by more than the
   * slack, and such a candidate can never win, nor change which of the near
   * ones wins, under the 1e-12 m tie rule.
   */
  project(x: number, y: number, out: FrenetPoint, sHint?: number): FrenetPoint {
    const n = this.sampleS.length;
    const cs = this.chunkSize;
    const chunks = this.chunkMinX.length;
    // Upper bound on the nearest foot's distance, from one sample: the one
    // nearest the hint, else the nearest sample of the chunk whose box is nearest.
    let d0: number;
    let home: number;
    if (sHint !== undefined && Number.isFinite(sHint)) {
      const k = this.sampleIndexAt(sHint < 0 ? 0 : sHint > this.lengthM ? this.lengthM : sHint);
      d0 = this.sampleDist2(k, x, y);
      home = Math.floor(k / cs);
    } else {
      let near = 0;
      let nearBox = Infinity;
      for (let c = 0; c < chunks; c++) {
        const b = this.boxDist2(c, x, y);
        if (b < nearBox) {
          nearBox = b;
          near = c;
        }
      }
      d0 = Infinity;
      const end = Math.min(n, (near + 1) * cs);
      for (let i = near * cs; i < end; i++) d0 = Math.min(d0, this.sampleDist2(i, x, y));
      home = near;
    }
    const gap = this.maxSampleGapM;
    let bound = Math.sqrt(d0) + gap;
    // Every chunk but `home` and its two neighbours is at least its clearance
    // minus the point's distance to `home`'s box away (triangle inequality).
    // When that already exceeds what any kept chunk may be, only those three
    // can be kept (the bound only shrinks below): scan just them.
    let c0 = 0;
    let c1 = chunks - 1;
    if (this.chunkClearM[home]! - Math.sqrt(this.boxDist2(home, x, y)) > bound + gap + PRUNE_SLACK_M) {
      c0 = home > 0 ? home - 1 : 0;
      c1 = home + 1 < chunks ? home + 1 : chunks - 1;
    }

    let best = Infinity;
    for (let c = c0; c <= c1; c++) {
      const keep = bound + gap + PRUNE_SLACK_M;
      if (this.boxDist2(c, x, y) > keep * keep) continue;
      const i0 = c * cs;
      const i1 = Math.min(n, i0 + cs);
      // The exhaustive scan's candidate test, with the neighbours' distances
      // computed by the same expression across the chunk's edges.
      let prevD = i0 > 0 ? this.sampleDist2(i0 - 1, x, y) : Infinity;
      let d = this.sampleDist2(i0, x, y);
      for (let i = i0; i < i1; i++) {
        const nextD = i + 1 < n ? this.sampleDist2(i + 1, x, y) : Infinity;
        if (d <= prevD && d <= nextD) {
          const dist = this.refineSample(x, y, i);
          if (dist < best - 1e-12) {
            best = dist;
            out.s = _refS;
            out.t = _refT;
            out.distanceM = dist;
            out.inRange = _refInRange;
          }
          if (dist < bound) bound = dist;
        }
        prevD = d;
        d = nextD;
      }
    }
    return out;
  }

  /**
   * The reference projection: every sample scanned, no pruning. `project`
   * must return exactly this (the tests hold it to that); it is kept as the
   * specification and for those tests, not for the simulation path.
   */
  projectExhaustive(x: number, y: number, out: FrenetPoint): FrenetPoint {
    const n = this.sampleS.length;
    let best = Infinity;
    let prevD = Infinity;
    let d = this.sampleDist2(0, x, y);
    for (let i = 0; i < n; i++) {
      const nextD = i + 1 < n ? this.sampleDist2(i + 1, x, y) : Infinity;
      if (d <= prevD && d <= nextD) {
        const dist = this.refineSample(x, y, i);
        if (dist < best - 1e-12) {
          best = dist;
          out.s = _refS;
          out.t = _refT;
          out.distanceM = dist;
          out.inRange = _refInRange;
        }
      }
      prevD = d;
      d = nextD;
    }
    return out;
  }

  /** Squared distance from (x, y) to sample i (one expression everywhere, so candidate tests agree bit for bit). */
  private sampleDist2(i: number, x: number, y: number): number {
    return (this.sampleX[i]! - x) ** 2 + (this.sampleY[i]! - y) ** 2;
  }

  /** Squared distance from (x, y) to chunk c's bounding box (0 inside). */
  private boxDist2(c: number, x: number, y: number): number {
    const lx = this.chunkMinX[c]!, hx = this.chunkMaxX[c]!, ly = this.chunkMinY[c]!, hy = this.chunkMaxY[c]!;
    const dx = x < lx ? lx - x : x > hx ? x - hx : 0;
    const dy = y < ly ? ly - y : y > hy ? y - hy : 0;
    return dx * dx + dy * dy;
  }

  /** Index of the sample nearest to s along the line (s inside [0, length]). */
  private sampleIndexAt(s: number): number {
    const ss = this.sampleS;
    let lo = 0;
    let hi = ss.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ss[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1 < ss.length && ss[lo + 1]! - s < s - ss[lo]! ? lo + 1 : lo;
  }

  /** Refine the foot around candidate sample i (between its neighbours). */
  private refineSample(x: number, y: number, i: number): number {
    const n = this.sampleS.length;
    const lo = this.sampleS[i > 0 ? i - 1 : 0]!;
    const hi = this.sampleS[i + 1 < n ? i + 1 : n - 1]!;
    return this.refine(x, y, lo, hi, this.sampleS[i]!);
  }

  /** Foot point in [lo, hi] from guess s0, into _refS/_refT/_refInRange; returns the distance. */
  private refine(x: number, y: number, lo: number, hi: number, s0: number): number {
    let a = lo;
    let b = hi;
    let s = s0;
    let inRange = true;
    if (this.footResidual(x, y, a) <= 0) {
      s = a;
      inRange = a > 0;
    } else if (this.footResidual(x, y, b) >= 0) {
      s = b;
      inRange = b < this.lengthM;
    } else {
      for (let iter = 0; iter < 60; iter++) {
        const g = this.footResidual(x, y, s);
        if (g === 0) break;
        if (g > 0) a = s;
        else b = s;
        const slope = -1 + _p.curvature * lateral(x, y);
        let next = slope < 0 ? s - g / slope : NaN;
        if (!(next >= a && next <= b)) next = 0.5 * (a + b);
        const step = Math.abs(next - s);
        s = next;
        if (step < 1e-12 || b - a < 1e-12) break;
      }
    }
    this.poseAt(s, _p);
    const dx = x - _p.x;
    const dy = y - _p.y;
    _refS = s;
    _refT = lateral(x, y);
    _refInRange = inRange;
    return Math.hypot(dx, dy);
  }

  /** (p - P(s)) . T(s); leaves the pose at s in _p. */
  private footResidual(x: number, y: number, s: number): number {
    this.poseAt(s, _p);
    return (x - _p.x) * Math.cos(_p.headingRad) + (y - _p.y) * Math.sin(_p.headingRad);
  }
}

/** (p - P) . N for the pose in _p, N the left normal. */
function lateral(x: number, y: number): number {
  return -(x - _p.x) * Math.sin(_p.headingRad) + (y - _p.y) * Math.cos(_p.headingRad);
}

let _refS = 0;
let _refT = 0;
let _refInRange = true;
