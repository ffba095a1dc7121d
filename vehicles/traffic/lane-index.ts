/**
 * Per-lane occupancy of a road network, rebuilt from ground truth: which
 * vehicle is in which lane at which s, so that NPC drivers can find their
 * leader and follower in their own lane and in the lanes beside it.
 *
 * NPC traffic is part of the world, not a system under test, so it reads
 * ground truth (as CARLA's Traffic Manager does from the simulator's actor
 * registry); nothing here is offered to agents under test.
 *
 * - A lane is a node of the `LaneGraph` (one drivable lane of one lane
 *   section). Each tracked vehicle is placed, by `Road.locate` of its centre,
 *   in the lane that contains it, and also in a neighbouring lane of the same
 *   direction whenever its footprint (length x width, turned by its heading
 *   relative to the lane) crosses the lane line into it. A car halfway through
 *   a lane change, or a cutter pushing its nose in, therefore occupies both
 *   lanes, as SUMO and CARLA's Traffic Manager also treat it.
 * - Buckets are sorted by road s (ties by tracking order), so a query is a
 *   binary search and every result is deterministic.
 * - Leader and follower searches continue through the graph's successor and
 *   predecessor lanes (next section, linked road, junction connection) while
 *   the distance searched stays under the caller's horizon: a leader just past
 *   the end of the current road is found. Where a lane branches the nearest
 *   vehicle over all branches is returned (the conservative choice).
 * - Distances are along the reference line (the graph's measure); the gap is
 *   bumper to bumper: centre distance minus the two half lengths (the bodies
 *   of Skylane's cars are centred on their origin).
 *
 * Per-tick work (`update`, queries) allocates nothing once every vehicle has
 * been seen: buckets and records are reused.
 */
import type { ActorState } from '../../sim/snapshot.ts';
import { newRoadPose } from '../road/geometry.ts';
import type { LaneGraph, LaneNode } from '../road/lane-graph.ts';
import { newLanePosition } from '../road/road.ts';
import type { Road } from '../road/road.ts';

/** A vehicle the index tracks: its live ground-truth state and its footprint. */
export interface TrafficParticipant {
  readonly id: string;
  /** The live ground-truth state (e.g. `world.stateOf(id)`), read on every update. */
  readonly state: Readonly<ActorState>;
  readonly lengthM: number;
  readonly widthM: number;
}

/** Where a tracked vehicle was found at the last update. */
export interface LaneOccupant {
  readonly participant: TrafficParticipant;
  /** Tracking order, the tie-breaker everywhere. */
  readonly index: number;
  /** False when it is off every drivable lane (or removed from the world). */
  located: boolean;
  /** Lane-graph node of the lane containing its centre (-1 when not located). */
  nodeIndex: number;
  roadIndex: number;
  /** Road coordinates of its centre. */
  s: number;
  t: number;
  /** Speed along its lane's driving direction, m/s. */
  speedMps: number;
  /** Heading relative to its lane's driving direction, rad. */
  relativeHeadingRad: number;
}

/** A leader or follower found by a query. Write-into result: reuse one per caller. */
export interface LaneNeighbor {
  found: boolean;
  /** The vehicle's tracking index (-1 when not found). */
  index: number;
  /** Centre to centre, along the lanes, m (>= 0). Infinity when not found. */
  distanceM: number;
  /** Bumper to bumper, m: negative when the bodies overlap along the lane. Infinity when not found. */
  gapM: number;
  /** Its speed along its lane, m/s (0 when not found). */
  speedMps: number;
  /** Its half length, m. */
  halfLengthM: number;
}

export function newLaneNeighbor(): LaneNeighbor {
  return { found: false, index: -1, distanceM: Infinity, gapM: Infinity, speedMps: 0, halfLengthM: 0 };
}

/** Search at most this many lanes beyond the starting one (a guard; the distance horizon normally stops first). */
const MAX_HOPS = 8;

const _pos = newLanePosition();
const _pose = newRoadPose();

interface Bucket {
  /** Occupant indices sorted by s (then by index). */
  items: number[];
}

export class LaneIndex {
  readonly graph: LaneGraph;
  readonly roads: readonly Road[];
  /** Index into `roads` of each node's road. */
  readonly nodeRoad: Int32Array;
  /** nodeAt[road][section][laneId + offset[road][section]] = node index or -1. */
  private readonly nodeAt: Int32Array[][];
  private readonly laneIdOffset: number[][];
  private readonly succ: Int32Array[];
  private readonly pred: Int32Array[];
  /** Driver's-left and driver's-right lane-change neighbour of each node, or -1. */
  readonly leftOf: Int32Array;
  readonly rightOf: Int32Array;
  private readonly buckets: Bucket[];
  private readonly occ: LaneOccupant[] = [];
  private readonly byId = new Map<string, number>();
  private stampS = NaN;

  constructor(graph: LaneGraph) {
    this.graph = graph;
    this.roads = graph.network.roads;
    this.nodeAt = this.roads.map((r) =>
      r.sections.map((sec) => new Int32Array(sec.left.length + sec.right.length + 1).fill(-1)),
    );
    this.laneIdOffset = this.roads.map((r) => r.sections.map((sec) => sec.right.length));
    const roadIndex = new Map(this.roads.map((r, i) => [r.id, i]));
    this.nodeRoad = new Int32Array(graph.nodes.length);
    for (const n of graph.nodes) {
      const ri = roadIndex.get(n.roadId)!;
      this.nodeRoad[n.index] = ri;
      this.nodeAt[ri]![n.sectionIndex]![n.laneId + this.laneIdOffset[ri]![n.sectionIndex]!] = n.index;
    }
    this.succ = graph.nodes.map((n) => Int32Array.from(graph.successors(n).map((m) => m.index)));
    this.pred = graph.nodes.map((n) => Int32Array.from(graph.predecessors(n).map((m) => m.index)));
    this.leftOf = new Int32Array(graph.nodes.length).fill(-1);
    this.rightOf = new Int32Array(graph.nodes.length).fill(-1);
    for (const n of graph.nodes) {
      for (const m of graph.laneChanges(n)) {
        // The driver's left is towards the centre lane on either side of the
        // road (right-hand traffic: right lanes run +s, left lanes -s).
        if (Math.abs(m.laneId) < Math.abs(n.laneId)) this.leftOf[n.index] = m.index;
        else this.rightOf[n.index] = m.index;
      }
    }
    this.buckets = graph.nodes.map(() => ({ items: [] }));
  }

  /** Start tracking a vehicle. Tracking order is the tie-breaker of every query. */
  track(p: TrafficParticipant): LaneOccupant {
    if (this.byId.has(p.id)) throw new Error(`lane index: '${p.id}' is already tracked`);
    if (!(p.lengthM > 0) || !(p.widthM > 0)) throw new RangeError(`lane index: '${p.id}' needs a positive length and width`);
    const o: LaneOccupant = {
      participant: p, index: this.occ.length, located: false, nodeIndex: -1, roadIndex: -1,
      s: 0, t: 0, speedMps: 0, relativeHeadingRad: 0,
    };
    this.byId.set(p.id, o.index);
    this.occ.push(o);
    this.stampS = NaN;
    return o;
  }

  /** Tracking index of a vehicle, or -1. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  occupant(index: number): LaneOccupant {
    return this.occ[index]!;
  }

  get size(): number {
    return this.occ.length;
  }

  node(index: number): LaneNode {
    return this.graph.nodes[index]!;
  }

  /** The lanes that follow node `i` in its driving direction. */
  successorsOf(i: number): Int32Array {
    return this.succ[i]!;
  }

  /** Occupant indices in a lane, sorted by road s (read-only view). */
  occupantsOf(nodeIndex: number): readonly number[] {
    return this.buckets[nodeIndex]!.items;
  }

  /** Rebuild once per simulation time: the first caller at a new time rebuilds, the others reuse it. */
  refresh(timeS: number): void {
    if (timeS === this.stampS) return;
    this.update();
    this.stampS = timeS;
  }

  /** Rebuild every bucket from the participants' current ground truth. */
  update(): void {
    for (let b = 0; b < this.buckets.length; b++) this.buckets[b]!.items.length = 0;
    for (let i = 0; i < this.occ.length; i++) this.place(this.occ[i]!);
    for (let b = 0; b < this.buckets.length; b++) this.sortBucket(this.buckets[b]!.items);
  }

  /**
   * Locate a world point on the drivable lanes: the node index and the road
   * coordinates in `out` (roadIndex, s, t), or -1 when it is on no drivable lane.
   * Tries `preferRoad` first (the last road, for temporal coherence where roads
   * overlap in a junction), then every road in network order. `sHint`, the
   * point's last s on `preferRoad`, warm-starts that road's projection (it
   * never changes the result: `Road.locate`).
   */
  locate(x: number, y: number, preferRoad: number, out: { roadIndex: number; s: number; t: number }, sHint?: number): number {
    if (preferRoad >= 0) {
      const n = this.locateOn(preferRoad, x, y, sHint);
      if (n >= 0) return this.fill(out, preferRoad, n);
    }
    for (let r = 0; r < this.roads.length; r++) {
      if (r === preferRoad) continue;
      const n = this.locateOn(r, x, y, undefined);
      if (n >= 0) return this.fill(out, r, n);
    }
    return -1;
  }

  /**
   * The nearest vehicle ahead of road coordinate `s` in lane `nodeIndex` (then
   * its successors), within `horizonM` centre distance, excluding tracking
   * index `exclude`. `selfHalfLengthM` turns the distance into a gap.
   */
  leader(nodeIndex: number, s: number, selfHalfLengthM: number, exclude: number, horizonM: number, out: LaneNeighbor): LaneNeighbor {
    out.found = false;
    out.index = -1;
    out.distanceM = Infinity;
    this.search(true, nodeIndex, s, 0, exclude, horizonM, 0, out);
    return this.finish(out, selfHalfLengthM);
  }

  /** The nearest vehicle behind `s` in lane `nodeIndex` (then its predecessors); see `leader`. */
  follower(nodeIndex: number, s: number, selfHalfLengthM: number, exclude: number, horizonM: number, out: LaneNeighbor): LaneNeighbor {
    out.found = false;
    out.index = -1;
    out.distanceM = Infinity;
    this.search(false, nodeIndex, s, 0, exclude, horizonM, 0, out);
    return this.finish(out, selfHalfLengthM);
  }

  private finish(out: LaneNeighbor, selfHalf: number): LaneNeighbor {
    if (!out.found) {
      out.gapM = Infinity;
      out.speedMps = 0;
      out.halfLengthM = 0;
      return out;
    }
    const o = this.occ[out.index]!;
    out.halfLengthM = 0.5 * o.participant.lengthM;
    out.gapM = out.distanceM - selfHalf - out.halfLengthM;
    out.speedMps = o.speedMps;
    return out;
  }

  /**
   * Nearest occupant of `node` ahead of `s` (in its driving direction; an
   * occupant level with `s` counts as ahead) or strictly behind it, `base`
   * metres already covered; then the successors (ahead) or predecessors
   * (behind) if none is found.
   */
  private search(ahead: boolean, nodeIndex: number, s: number, base: number, exclude: number, horizon: number, hops: number, out: LaneNeighbor): void {
    const node = this.graph.nodes[nodeIndex]!;
    const items = this.buckets[nodeIndex]!.items;
    // Scanning towards increasing s means ahead on a +s lane, behind on a -s lane.
    const increasing = node.direction > 0 === ahead;
    let best = -1;
    if (increasing) {
      for (let k = ahead ? lowerBound(items, this.occ, s) : upperBound(items, this.occ, s); k < items.length; k++) {
        if (items[k] !== exclude) {
          best = items[k]!;
          break;
        }
      }
    } else {
      for (let k = (ahead ? upperBound(items, this.occ, s) : lowerBound(items, this.occ, s)) - 1; k >= 0; k--) {
        if (items[k] !== exclude) {
          best = items[k]!;
          break;
        }
      }
    }
    if (best >= 0) {
      const d = base + Math.abs(this.occ[best]!.s - s);
      if (d <= horizon && (d < out.distanceM || (d === out.distanceM && best < out.index))) {
        out.found = true;
        out.index = best;
        out.distanceM = d;
      }
      return;
    }
    const rest = base + (increasing ? node.sTo - s : s - node.sFrom);
    if (rest > horizon || hops >= MAX_HOPS) return;
    const next = (ahead ? this.succ : this.pred)[nodeIndex]!;
    for (let k = 0; k < next.length; k++) {
      const m = this.graph.nodes[next[k]!]!;
      this.search(ahead, m.index, m.direction > 0 === ahead ? m.sFrom : m.sTo, rest, exclude, horizon, hops + 1, out);
    }
  }

  private locateOn(r: number, x: number, y: number, sHint: number | undefined): number {
    const road = this.roads[r]!;
    road.locate(x, y, _pos, sHint);
    if (_pos.laneId === undefined) return -1;
    const table = this.nodeAt[r]![_pos.sectionIndex]!;
    const k = _pos.laneId + this.laneIdOffset[r]![_pos.sectionIndex]!;
    return k >= 0 && k < table.length ? table[k]! : -1;
  }

  private fill(out: { roadIndex: number; s: number; t: number }, r: number, n: number): number {
    out.roadIndex = r;
    out.s = _pos.s;
    out.t = _pos.t;
    return n;
  }

  private place(o: LaneOccupant): void {
    const st = o.participant.state;
    o.located = false;
    o.nodeIndex = -1;
    if (!st.present) return;
    const x = st.position[0], y = st.position[1];
    // Its s of the last update (on o.roadIndex) warm-starts the projection.
    const n = this.locate(x, y, o.roadIndex, o, o.s);
    if (n < 0) return;
    const node = this.graph.nodes[n]!;
    const road = this.roads[o.roadIndex]!;
    road.referenceLine.poseAt(o.s, _pose);
    const laneHeading = node.direction > 0 ? _pose.headingRad : _pose.headingRad + Math.PI;
    const c = Math.cos(laneHeading), sn = Math.sin(laneHeading);
    o.speedMps = st.linearVelocity[0] * c + st.linearVelocity[1] * sn;
    const q = st.rotation;
    const yaw = Math.atan2(2 * (q[3] * q[2] + q[0] * q[1]), 1 - 2 * (q[1] * q[1] + q[2] * q[2]));
    let rel = yaw - laneHeading;
    rel -= 2 * Math.PI * Math.round(rel / (2 * Math.PI));
    o.relativeHeadingRad = rel;
    o.located = true;
    o.nodeIndex = n;
    this.buckets[n]!.items.push(o.index);
    // Lateral half extent of the footprint across the lane.
    const p = o.participant;
    const half = 0.5 * p.widthM * Math.abs(Math.cos(rel)) + 0.5 * p.lengthM * Math.abs(Math.sin(rel));
    const sec = road.sections[node.sectionIndex]!;
    const ds = o.s - sec.s;
    const off = road.laneOffsetAt(o.s);
    // Lane ids grow with t on both sides (left lanes +1, +2 ... outwards; right
    // lanes -1, -2 ... outwards, i.e. towards -t): the neighbour across the
    // border at higher t has id + 1, the one at lower t has id - 1.
    const inT = sec.innerT(node.laneId, ds, off);
    const outT = sec.outerT(node.laneId, ds, off);
    const hiT = Math.max(inT, outT);
    const loT = Math.min(inT, outT);
    if (o.t + half > hiT) this.addNeighbour(o, node, node.laneId + 1);
    if (o.t - half < loT) this.addNeighbour(o, node, node.laneId - 1);
  }

  private addNeighbour(o: LaneOccupant, node: LaneNode, laneId: number): void {
    if (laneId === 0 || Math.sign(laneId) !== Math.sign(node.laneId)) return;
    const table = this.nodeAt[o.roadIndex]![node.sectionIndex]!;
    const k = laneId + this.laneIdOffset[o.roadIndex]![node.sectionIndex]!;
    const m = k >= 0 && k < table.length ? table[k]! : -1;
    if (m >= 0) this.buckets[m]!.items.push(o.index);
  }

  /** Insertion sort by (s, index): buckets are short and nearly sorted from the last tick. */
  private sortBucket(items: number[]): void {
    const occ = this.occ;
    for (let i = 1; i < items.length; i++) {
      const v = items[i]!;
      const sv = occ[v]!.s;
      let j = i - 1;
      while (j >= 0) {
        const u = items[j]!;
        const su = occ[u]!.s;
        if (su < sv || (su === sv && u < v)) break;
        items[j + 1] = u;
        j--;
      }
      items[j + 1] = v;
    }
  }
}

/** First position whose s is >= `s`. */
function lowerBound(items: readonly number[], occ: readonly LaneOccupant[], s: number): number {
  let lo = 0, hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (occ[items[mid]!]!.s < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position whose s is > `s`. */
function upperBound(items: readonly number[], occ: readonly LaneOccupant[], s: number): number {
  let lo = 0, hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (occ[items[mid]!]!.s <= s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
