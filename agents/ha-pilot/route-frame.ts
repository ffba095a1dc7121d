/**
 * The pilot's route as one path: the lane centres of a `LaneGraph.route`
 * (start lane to destination, through junction connecting roads), sampled
 * every `SAMPLE_STEP_M` into a polyline with arc length, heading, curvature,
 * the lane's speed limit and where each sample lies on the map (road, lane,
 * road s). The lateral controller tracks it; the longitudinal one reads the
 * curvature, the limits and the end of it ahead; object tracks are placed in
 * its frame (distance along the path ahead of the ego, offset across it).
 *
 * A lane change the route requires (an on-ramp's acceleration lane, a lane
 * drop, a turn lane) is drawn into the path as a quintic blend from the old
 * lane centre to the new one, u(x) = 10x^3 - 15x^4 + 6x^5, the minimum-jerk
 * profile of Flash & Hogan 1985 (J. Neurosci. 5(7):1688), zero lateral
 * velocity and acceleration at both ends. Its length is `LANE_CHANGE_S`
 * (5 s) at the lane's limit: naturalistic lane changes take 4 to 6 s
 * (Toledo & Zohar 2007, Transp. Res. Rec. 1999:71, mean 4.6 s), clipped to
 * the window where the marking may be crossed. Whether the gap is free is
 * ./lane-change.ts's question, not the geometry's.
 *
 * It implements the same `PathFrame` queries the v1 lane frame does, so the
 * object tracks and the radar use either.
 */
import { newRoadPose } from '../../vehicles/road/geometry.ts';
import type { LaneGraph, RouteStep } from '../../vehicles/road/lane-graph.ts';
import type { RoadNetwork } from '../../vehicles/road/road-network.ts';
import type { RoadPose } from '../../vehicles/road/geometry.ts';

/** What the object tracks and the radar need of the ego's reference path. */
export interface PathFrame {
  /** Heading of the path at the ego, in the driving direction, rad. */
  readonly laneHeadingRad: number;
  /** Lane width at the ego, m. */
  readonly laneWidthM: number;
  /** A world point as [distance ahead of the ego along the path, offset from the path, + left], m. */
  relative(x: number, y: number, out: [number, number]): [number, number];
}

/** Path sample spacing, m: a fifth of the tightest urban turn radius's (~5 m) arc per radian. */
const SAMPLE_STEP_M = 1;
/** Duration of a route lane change at the lane's limit, s (Toledo & Zohar 2007: 4-6 s, mean 4.6 s). */
const LANE_CHANGE_S = 5;
/** Shortest lane change drawn, m: 2 s at the 50 km/h urban limit would be 28 m; a floor for slow lanes. */
const MIN_LANE_CHANGE_M = 20;
/** Samples behind and ahead of the ego that `relative` searches (the radar reaches 250 m). */
const SEARCH_BEHIND = 40;
const SEARCH_AHEAD = 260;
/** Half-width of the curvature stencil, samples: smooths the numeric derivative over 2 x 3 m. */
const CURVATURE_HALF_STENCIL = 3;

const _pose = newRoadPose();

/** Where a route lane change is drawn. */
export interface PathLaneChange {
  /** Path distance of its start and end, m. */
  startM: number;
  endM: number;
  fromRoadId: string;
  fromLaneId: number;
  toLaneId: number;
  /** +1: to the left. */
  side: 1 | -1;
}

export class RouteFrame implements PathFrame {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly headings: Float64Array;
  readonly curvatures: Float64Array;
  /** Arc length at each sample, m. */
  readonly dist: Float64Array;
  readonly limits: Float64Array;
  readonly widths: Float64Array;
  /** Road id and lane id of each sample (the target lane inside a lane change's blend). */
  readonly roadIds: string[];
  readonly laneIds: Int32Array;
  readonly roadS: Float64Array;
  readonly laneChanges: PathLaneChange[] = [];
  readonly lengthM: number;
  readonly n: number;

  /** Index of the segment the ego is on (from sample i to i + 1). */
  private egoIdx = 0;
  /** Ego arc length along the path, m. */
  egoM = 0;
  offsetM = 0;
  laneHeadingRad = 0;
  laneWidthM = 3.5;
  speedLimitMps = NaN;

  constructor(readonly network: RoadNetwork, readonly graph: LaneGraph, steps: readonly RouteStep[]) {
    const xs: number[] = [], ys: number[] = [], hs: number[] = [], lim: number[] = [], wid: number[] = [];
    const roads: string[] = [], lanes: number[] = [], ss: number[] = [];
    const push = (roadId: string, sectionIndex: number, laneId: number, s: number): void => {
      const road = network.road(roadId);
      road.laneCenterAt(sectionIndex, laneId, s, _pose);
      const n = xs.length;
      if (n > 0 && Math.hypot(_pose.x - xs[n - 1]!, _pose.y - ys[n - 1]!) < 1e-3) return;
      xs.push(_pose.x);
      ys.push(_pose.y);
      hs.push(laneId < 0 ? _pose.headingRad : _pose.headingRad + Math.PI);
      const sec = road.sections[sectionIndex]!;
      lim.push(road.speedLimitAt(sectionIndex, laneId, s) ?? NaN);
      wid.push(sec.lane(laneId)?.widthAt(s - sec.s) ?? 3.5);
      roads.push(roadId);
      lanes.push(laneId);
      ss.push(s);
    };
    const changes: { at: number; prev: RouteStep; next: RouteStep }[] = [];
    steps.forEach((st, k) => {
      const a = st.sFrom, b = st.sTo;
      const count = Math.max(1, Math.ceil(Math.abs(b - a) / SAMPLE_STEP_M));
      if (st.enteredBy === 'lane-change' && k > 0) changes.push({ at: xs.length, prev: steps[k - 1]!, next: st });
      const road = network.road(st.lane.roadId);
      for (let i = 0; i <= count; i++) {
        // Clamped onto the road: a rounding step below s = 0 reads lane widths before their first record (0).
        const s = Math.min(Math.max(i === count ? b : a + ((b - a) * i) / count, 0), road.lengthM);
        push(st.lane.roadId, road.sectionIndexAt(Math.min(s, road.lengthM - 1e-9)), st.lane.laneId, s);
      }
    });
    // A single-point route (start = destination): extend it a metre so that it has a segment.
    if (xs.length === 1) {
      xs.push(xs[0]! + Math.cos(hs[0]!) * 1e-2);
      ys.push(ys[0]! + Math.sin(hs[0]!) * 1e-2);
      hs.push(hs[0]!);
      lim.push(lim[0]!);
      wid.push(wid[0]!);
      roads.push(roads[0]!);
      lanes.push(lanes[0]!);
      ss.push(ss[0]!);
    }
    this.n = xs.length;
    this.xs = Float64Array.from(xs);
    this.ys = Float64Array.from(ys);
    this.limits = Float64Array.from(lim);
    this.widths = Float64Array.from(wid);
    this.roadIds = roads;
    this.laneIds = Int32Array.from(lanes);
    this.roadS = Float64Array.from(ss);
    this.dist = new Float64Array(this.n);
    for (let i = 1; i < this.n; i++) this.dist[i] = this.dist[i - 1]! + Math.hypot(xs[i]! - xs[i - 1]!, ys[i]! - ys[i - 1]!);
    for (const c of changes) this.blendLaneChange(c.at, c.prev, c.next);
    // Arc length, heading and curvature from the final polyline.
    for (let i = 1; i < this.n; i++) this.dist[i] = this.dist[i - 1]! + Math.hypot(this.xs[i]! - this.xs[i - 1]!, this.ys[i]! - this.ys[i - 1]!);
    this.lengthM = this.dist[this.n - 1]!;
    this.headings = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const a = Math.max(0, i - 1), b = Math.min(this.n - 1, i + 1);
      this.headings[i] = Math.atan2(this.ys[b]! - this.ys[a]!, this.xs[b]! - this.xs[a]!);
    }
    this.curvatures = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const a = Math.max(0, i - CURVATURE_HALF_STENCIL), b = Math.min(this.n - 1, i + CURVATURE_HALF_STENCIL);
      const ds = this.dist[b]! - this.dist[a]!;
      this.curvatures[i] = ds > 1e-6 ? wrap(this.headings[b]! - this.headings[a]!) / ds : 0;
    }
  }

  /**
   * Replace the samples around a lane change (first sample of the new lane
   * at index `at`) with the quintic blend between the two lane centres.
   */
  private blendLaneChange(at: number, prev: RouteStep, next: RouteStep): void {
    const road = this.network.road(next.lane.roadId);
    const limit = this.limits[at] ?? NaN;
    const want = Math.max(MIN_LANE_CHANGE_M, LANE_CHANGE_S * (Number.isFinite(limit) ? limit : 13.9));
    const node = this.graph.node(prev.lane);
    // The window where the change is allowed, in road s; the suggested point is `at`.
    const dir = next.lane.laneId < 0 ? 1 : -1;
    const sAt = this.roadS[at]!;
    const sLo = node ? (dir > 0 ? node.sFrom : node.sTo) : sAt;
    const sHi = node ? (dir > 0 ? node.sTo : node.sFrom) : sAt;
    const before = Math.min(want / 2, Math.abs(sAt - sLo) - 0.5);
    const after = Math.min(want / 2, Math.abs(sHi - sAt) - 0.5);
    // Use the whole wanted length where the window allows, shifting it to fit.
    let startS = sAt - dir * Math.max(0, before);
    let endS = sAt + dir * Math.max(0, after);
    const total = Math.abs(endS - startS);
    if (total < want) {
      const room0 = Math.abs(startS - sLo) - 0.5, room1 = Math.abs(sHi - endS) - 0.5;
      const extra = want - total;
      const e0 = Math.max(0, Math.min(room0, extra / 2 + Math.max(0, extra / 2 - room1)));
      const e1 = Math.max(0, Math.min(room1, extra - e0));
      startS -= dir * e0;
      endS += dir * e1;
    }
    const len = Math.abs(endS - startS);
    if (!(len > 1)) return;
    const sec = road.sectionIndexAt(Math.min(Math.max(sAt, 0), road.lengthM - 1e-9));
    for (let i = 0; i < this.n; i++) {
      if (this.roadIds[i] !== next.lane.roadId) continue;
      const s = this.roadS[i]!;
      const u = dir * (s - startS) / len;
      if (!(u > 0 && u < 1)) continue;
      if (road.sectionIndexAt(Math.min(Math.max(s, 0), road.lengthM - 1e-9)) !== sec) continue;
      const q = u * u * u * (10 - 15 * u + 6 * u * u);
      road.laneCenterAt(sec, prev.lane.laneId, s, _pose);
      const x0 = _pose.x, y0 = _pose.y;
      road.laneCenterAt(sec, next.lane.laneId, s, _pose);
      this.xs[i] = x0 + q * (_pose.x - x0);
      this.ys[i] = y0 + q * (_pose.y - y0);
      this.laneIds[i] = u < 0.5 ? prev.lane.laneId : next.lane.laneId;
    }
    const m0 = this.distAtRoadS(next.lane.roadId, startS, at), m1 = this.distAtRoadS(next.lane.roadId, endS, at);
    this.laneChanges.push({
      startM: Math.min(m0, m1), endM: Math.max(m0, m1), fromRoadId: prev.lane.roadId, fromLaneId: prev.lane.laneId, toLaneId: next.lane.laneId,
      // Right-hand traffic: away from the centre line is to the driver's right on either side of the road.
      side: Math.abs(next.lane.laneId) > Math.abs(prev.lane.laneId) ? -1 : 1,
    });
  }

  /** Path distance of the sample nearest to road s on road `roadId`, searching around index `near`. */
  private distAtRoadS(roadId: string, s: number, near: number): number {
    let best = near, bestD = Infinity;
    for (let i = Math.max(0, near - 400); i < Math.min(this.n, near + 400); i++) {
      if (this.roadIds[i] !== roadId) continue;
      const d = Math.abs(this.roadS[i]! - s);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return this.dist[best]!;
  }

  /** Project (x, y) on segments [lo, hi): arc length, signed offset (+ left) and segment index into `out`. */
  private project(x: number, y: number, lo: number, hi: number, out: [number, number, number]): void {
    let bestD2 = Infinity;
    const last = this.n - 2;
    for (let i = Math.max(0, lo); i <= Math.min(last, hi); i++) {
      const ax = this.xs[i]!, ay = this.ys[i]!;
      const dx = this.xs[i + 1]! - ax, dy = this.ys[i + 1]! - ay;
      const L2 = dx * dx + dy * dy;
      let u = L2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / L2 : 0;
      // Extrapolate beyond the ends of the path, clamp in between.
      if (i > 0 || u > 0) u = Math.max(u, 0);
      if (i < last || u < 1) u = Math.min(u, 1);
      const px = ax + u * dx, py = ay + u * dy;
      const d2 = (x - px) * (x - px) + (y - py) * (y - py);
      if (d2 < bestD2) {
        bestD2 = d2;
        const L = Math.sqrt(L2);
        out[0] = this.dist[i]! + u * L;
        out[1] = L > 0 ? (dx * (y - ay) - dy * (x - ax)) / L : 0;
        out[2] = i;
      }
    }
  }

  /** Place the ego at (x, y): arc length, lateral offset, heading, width and limit there. First call: a whole-path search. */
  locate(x: number, y: number, first = false): void {
    const p = _proj;
    if (first) this.project(x, y, 0, this.n, p);
    else this.project(x, y, this.egoIdx - 5, this.egoIdx + 30, p);
    this.egoIdx = p[2];
    this.egoM = p[0];
    this.offsetM = p[1];
    const i = this.egoIdx;
    this.laneHeadingRad = this.headings[i]!;
    this.laneWidthM = this.widths[i]!;
    this.speedLimitMps = this.limits[i]!;
  }

  /** Index of the segment the ego is on. */
  get egoIndex(): number {
    return this.egoIdx;
  }

  /** Distance left to the end of the route, m. */
  get remainingM(): number {
    return this.lengthM - this.egoM;
  }

  /** The path point `aheadM` beyond the ego (clamped to the path, extrapolated along the last heading past its end), into out. */
  pointAhead(aheadM: number, out: RoadPose): RoadPose {
    return this.pointAt(this.egoM + aheadM, out);
  }

  /** The path point at arc length m. */
  pointAt(m: number, out: RoadPose): RoadPose {
    let i = this.egoIdx;
    while (i + 1 < this.n - 1 && this.dist[i + 1]! <= m) i++;
    while (i > 0 && this.dist[i]! > m) i--;
    const L = this.dist[i + 1]! - this.dist[i]!;
    const u = L > 0 ? (m - this.dist[i]!) / L : 0;
    out.x = this.xs[i]! + u * (this.xs[i + 1]! - this.xs[i]!);
    out.y = this.ys[i]! + u * (this.ys[i + 1]! - this.ys[i]!);
    out.headingRad = Math.atan2(this.ys[i + 1]! - this.ys[i]!, this.xs[i + 1]! - this.xs[i]!);
    out.curvature = this.curvatures[i]!;
    return out;
  }

  /** Index of the first sample at or beyond arc length m (n - 1 past the end). */
  indexAt(m: number): number {
    let i = this.egoIdx;
    while (i < this.n - 1 && this.dist[i]! < m) i++;
    while (i > 0 && this.dist[i - 1]! >= m) i--;
    return i;
  }

  /** Lane heading (driving direction) of the path `aheadM` beyond the ego, rad. */
  headingAhead(aheadM: number): number {
    return this.headings[this.indexAt(this.egoM + aheadM)]!;
  }

  relative(x: number, y: number, out: [number, number]): [number, number] {
    const p = _proj;
    this.project(x, y, this.egoIdx - SEARCH_BEHIND, this.egoIdx + SEARCH_AHEAD, p);
    out[0] = p[0] - this.egoM;
    out[1] = p[1];
    return out;
  }
}

const _proj: [number, number, number] = [0, 0, 0];

function wrap(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}
