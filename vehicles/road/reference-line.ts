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
    for (let i = 0; i < s.length; i++) {
      this.poseAt(s[i]!, _p);
      this.sampleX[i] = _p.x;
      this.sampleY[i] = _p.y;
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
   */
  project(x: number, y: number, out: FrenetPoint): FrenetPoint {
    const n = this.sampleS.length;
    const sx = this.sampleX;
    const sy = this.sampleY;
    let best = Infinity;
    let prevD = Infinity;
    let d = (sx[0]! - x) ** 2 + (sy[0]! - y) ** 2;
    for (let i = 0; i < n; i++) {
      const nextD = i + 1 < n ? (sx[i + 1]! - x) ** 2 + (sy[i + 1]! - y) ** 2 : Infinity;
      if (d <= prevD && d <= nextD) {
        const lo = this.sampleS[i > 0 ? i - 1 : 0]!;
        const hi = this.sampleS[i + 1 < n ? i + 1 : n - 1]!;
        const dist = this.refine(x, y, lo, hi, this.sampleS[i]!);
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
