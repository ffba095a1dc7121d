/**
 * The lane graph of a road network, for routing. A node is one drivable
 * lane of one lane section (road id, section index, lane id). Edges:
 * - successor: the lane that follows in the driving direction, within a
 *   road (next section), to a linked road, or through a junction (its
 *   connections' lane links); `predecessors` holds the same edges reversed;
 * - lane change: between adjacent drivable lanes of one section that are
 *   driven the same way, where the mark between them may be crossed.
 *
 * Lengths are measured along the reference line (a section's ds), the same
 * for every lane of a section, so a lane change neither gains nor loses
 * distance. On a curve the true centre-line length differs by kappa*t (under
 * 2 % for t = 5 m on a 250 m radius); connecting roads in junctions carry
 * their own reference line along the turn, so turns are costed correctly.
 *
 * Routing is Dijkstra from a start lane+s to a goal lane+s. A lane change
 * costs `laneChangeCostM` of extra distance (default 10 m, Skylane's choice:
 * among routes of nearly equal length the one with fewer changes wins). Ties
 * are broken by node index, which follows the order of roads, sections and
 * lanes in the network, so the same network always gives the same route.
 */
import { markPermitsLaneChange, type Lane } from './lane.ts';
import type { Road } from './road.ts';
import type { RoadNetwork } from './road-network.ts';

export interface LaneRef {
  roadId: string;
  sectionIndex: number;
  laneId: number;
}

export interface LaneNode extends LaneRef {
  index: number;
  /** +1: driven towards +s (right lane); -1: towards -s (left lane). */
  direction: 1 | -1;
  sFrom: number;
  sTo: number;
  lengthM: number;
}

interface LaneChangeEdge {
  to: number;
  /** s-range of the section where the mark between the lanes may be crossed. */
  sMin: number;
  sMax: number;
}

export interface RouteStep {
  lane: LaneRef;
  /** Where the route enters this lane and leaves it, road s, in driving order. */
  sFrom: number;
  sTo: number;
  enteredBy: 'start' | 'successor' | 'lane-change';
}

export interface RouteLaneChange {
  from: LaneRef;
  to: LaneRef;
  /** Suggested change point, road s (runs of changes share their window evenly). */
  s: number;
  /** Where the change is allowed along this route, road s, in driving order. */
  sWindow: [number, number];
}

export type RouteResult =
  | { found: true; lengthM: number; costM: number; steps: RouteStep[]; laneChanges: RouteLaneChange[] }
  | { found: false; reason: string };

export interface RoutePoint {
  roadId: string;
  laneId: number;
  s: number;
}

export interface LaneGraphOptions {
  /** Extra cost of one lane change, m of driving. */
  laneChangeCostM?: number;
}

export class LaneGraph {
  readonly nodes: readonly LaneNode[];
  readonly laneChangeCostM: number;
  private readonly succ: number[][];
  private readonly pred: number[][];
  private readonly lateral: LaneChangeEdge[][];
  private readonly byKey = new Map<string, number>();

  constructor(readonly network: RoadNetwork, options: LaneGraphOptions = {}) {
    this.laneChangeCostM = options.laneChangeCostM ?? 10;
    const nodes: LaneNode[] = [];
    for (const road of network.roads) {
      road.sections.forEach((sec, i) => {
        for (const lane of [...sec.left, ...sec.right]) {
          if (!lane.drivable) continue;
          const sFrom = road.sectionStart(i);
          const sTo = road.sectionEnd(i);
          const node: LaneNode = {
            index: nodes.length, roadId: road.id, sectionIndex: i, laneId: lane.id,
            direction: lane.id < 0 ? 1 : -1, sFrom, sTo, lengthM: sTo - sFrom,
          };
          this.byKey.set(key(road.id, i, lane.id), node.index);
          nodes.push(node);
        }
      });
    }
    this.nodes = nodes;
    this.succ = nodes.map(() => []);
    this.pred = nodes.map(() => []);
    this.lateral = nodes.map(() => []);
    for (const n of nodes) {
      for (const m of this.followers(n)) {
        if (!this.succ[n.index]!.includes(m)) {
          this.succ[n.index]!.push(m);
          this.pred[m]!.push(n.index);
        }
      }
      this.addLaneChanges(n);
    }
  }

  /** The node of a lane at road s, or undefined if that lane is not drivable there. */
  nodeAt(roadId: string, laneId: number, s: number): LaneNode | undefined {
    if (!this.network.hasRoad(roadId)) return undefined;
    const road = this.network.road(roadId);
    const i = this.byKey.get(key(roadId, road.sectionIndexAt(s), laneId));
    return i === undefined ? undefined : this.nodes[i];
  }

  node(ref: LaneRef): LaneNode | undefined {
    const i = this.byKey.get(key(ref.roadId, ref.sectionIndex, ref.laneId));
    return i === undefined ? undefined : this.nodes[i];
  }

  successors(n: LaneNode): LaneNode[] {
    return this.succ[n.index]!.map((i) => this.nodes[i]!);
  }

  predecessors(n: LaneNode): LaneNode[] {
    return this.pred[n.index]!.map((i) => this.nodes[i]!);
  }

  laneChanges(n: LaneNode): LaneNode[] {
    return this.lateral[n.index]!.map((e) => this.nodes[e.to]!);
  }

  /**
   * Shortest route from `start` to `goal`. Throws on a point that is not on
   * a drivable lane; returns `{ found: false, reason }` when no route exists.
   */
  route(start: RoutePoint, goal: RoutePoint): RouteResult {
    const a = this.requireNode(start, 'start');
    const g = this.requireNode(goal, 'goal');
    const N = this.nodes.length;
    // State i: lane i entered at its start. State N + i: lane i of the start
    // section, at the start's s (reached from the start, or by changing lanes there).
    const dist = new Float64Array(2 * N).fill(Infinity);
    const prev = new Int32Array(2 * N).fill(-1);
    const p0 = progress(a, start.s);
    const pg = progress(g, goal.s);
    const heap = new MinHeap();
    dist[N + a.index] = 0;
    heap.push(0, N + a.index);
    let bestCost = Infinity;
    let bestState = -1;
    while (heap.size > 0) {
      const u = heap.popState();
      const d = heap.lastCost;
      if (d > dist[u]!) continue;
      if (d >= bestCost) break;
      const partial = u >= N;
      const i = partial ? u - N : u;
      const node = this.nodes[i]!;
      if (i === g.index) {
        const c = partial ? (pg >= p0 ? d + pg - p0 : Infinity) : d + pg;
        if (c < bestCost) {
          bestCost = c;
          bestState = u;
        }
      }
      const leave = partial ? node.lengthM - p0 : node.lengthM;
      for (const m of this.succ[i]!) relax(m, d + leave, u);
      for (const e of this.lateral[i]!) {
        if (partial && sectionProgressEnd(node, e) <= p0) continue;
        relax(partial ? N + e.to : e.to, d + this.laneChangeCostM, u);
      }
    }
    function relax(v: number, c: number, from: number): void {
      if (c < dist[v]!) {
        dist[v] = c;
        prev[v] = from;
        heap.push(c, v);
      }
    }
    if (bestState < 0) {
      return {
        found: false,
        reason: `no route from road ${start.roadId} lane ${start.laneId} s=${start.s} to road ${goal.roadId} lane ${goal.laneId} s=${goal.s}`,
      };
    }
    const states: number[] = [];
    for (let u = bestState; u >= 0; u = prev[u]!) states.push(u);
    states.reverse();
    return this.describe(states, start.s, goal.s, bestCost);
  }

  private describe(states: number[], s0: number, sg: number, costM: number): RouteResult {
    const N = this.nodes.length;
    const nodeOf = (u: number) => this.nodes[u >= N ? u - N : u]!;
    const steps: RouteStep[] = [];
    const laneChanges: RouteLaneChange[] = [];
    for (let k = 0; k < states.length; k++) {
      const n = nodeOf(states[k]!);
      const enteredBy = k === 0 ? 'start' : states[k]! >= N || isLateral(this, nodeOf(states[k - 1]!), n) ? 'lane-change' : 'successor';
      steps.push({
        lane: ref(n),
        sFrom: k === 0 ? s0 : entryS(n),
        sTo: k === states.length - 1 ? sg : exitS(n),
        enteredBy,
      });
    }
    // Place each run of lane changes inside its window, evenly spaced.
    for (let k = 1; k < steps.length; ) {
      if (steps[k]!.enteredBy !== 'lane-change') {
        k++;
        continue;
      }
      let end = k;
      while (end + 1 < steps.length && steps[end + 1]!.enteredBy === 'lane-change') end++;
      const first = nodeOf(states[k - 1]!);
      let lo = progress(first, steps[k - 1]!.sFrom);
      let hi = progress(first, steps[end]!.sTo);
      for (let j = k; j <= end; j++) {
        const e = this.lateral[nodeOf(states[j - 1]!).index]!.find((x) => x.to === nodeOf(states[j]!).index)!;
        lo = Math.max(lo, sectionProgressStart(first, e));
        hi = Math.min(hi, sectionProgressEnd(first, e));
      }
      const runs = end - k + 1;
      for (let j = k; j <= end; j++) {
        const s = sAtProgress(first, lo + ((j - k + 1) / (runs + 1)) * (hi - lo));
        steps[j - 1]!.sTo = s;
        steps[j]!.sFrom = s;
        laneChanges.push({
          from: steps[j - 1]!.lane, to: steps[j]!.lane, s,
          sWindow: [sAtProgress(first, lo), sAtProgress(first, hi)],
        });
      }
      k = end + 1;
    }
    const lengthM = costM - laneChanges.length * this.laneChangeCostM;
    return { found: true, lengthM, costM, steps, laneChanges };
  }

  private requireNode(p: RoutePoint, what: string): LaneNode {
    const n = this.nodeAt(p.roadId, p.laneId, p.s);
    if (!n) throw new RangeError(`route ${what}: road ${p.roadId} lane ${p.laneId} at s=${p.s} is not a drivable lane of the network`);
    if (!(p.s >= n.sFrom && p.s <= n.sTo)) throw new RangeError(`route ${what}: s=${p.s} is off road ${p.roadId} (0 to ${n.sTo})`);
    return n;
  }

  /** Nodes that follow n in its driving direction. */
  private followers(n: LaneNode): number[] {
    const road = this.network.road(n.roadId);
    const lane = road.sections[n.sectionIndex]!.lane(n.laneId)!;
    const forward = n.direction > 0;
    const nextId = forward ? lane.successor : lane.predecessor;
    const lastSection = road.sections.length - 1;
    if (forward ? n.sectionIndex < lastSection : n.sectionIndex > 0) {
      const i = nextId === undefined ? undefined : this.byKey.get(key(road.id, n.sectionIndex + (forward ? 1 : -1), nextId));
      return i === undefined ? [] : [i];
    }
    const link = forward ? road.successor : road.predecessor;
    if (!link) return [];
    if (link.elementType === 'road') {
      return nextId === undefined ? [] : this.entering(link.elementId, link.contactPoint ?? 'start', nextId);
    }
    const out: number[] = [];
    for (const c of this.network.junction(link.elementId).connections) {
      if (c.incomingRoad !== road.id) continue;
      for (const ll of c.laneLinks) if (ll.from === lane.id) out.push(...this.entering(c.connectingRoad, c.contactPoint, ll.to));
    }
    return out;
  }

  /** The node entered at the `contact` end of a road on lane `laneId`, if it is driven away from that end. */
  private entering(roadId: string, contact: 'start' | 'end', laneId: number): number[] {
    const road: Road = this.network.road(roadId);
    const section = contact === 'start' ? 0 : road.sections.length - 1;
    // Entering at the start, a car drives towards +s: a right lane.
    if ((contact === 'start') !== laneId < 0) return [];
    const i = this.byKey.get(key(roadId, section, laneId));
    return i === undefined ? [] : [i];
  }

  private addLaneChanges(n: LaneNode): void {
    const road = this.network.road(n.roadId);
    const sec = road.sections[n.sectionIndex]!;
    for (const other of [n.laneId - 1, n.laneId + 1]) {
      if (other === 0 || Math.sign(other) !== Math.sign(n.laneId)) continue;
      const j = this.byKey.get(key(n.roadId, n.sectionIndex, other));
      if (j === undefined) continue;
      // The mark between two lanes lies on the outer border of the inner one.
      const inner = sec.lane(Math.abs(other) < Math.abs(n.laneId) ? other : n.laneId)!;
      const window = crossableWindow(inner, n.lengthM);
      if (window) this.lateral[n.index]!.push({ to: j, sMin: n.sFrom + window[0], sMax: n.sFrom + window[1] });
    }
  }
}

/** The ds-range over which a lane's outer mark may be crossed, or undefined if nowhere. */
function crossableWindow(lane: Lane, lengthM: number): [number, number] | undefined {
  const marks = lane.roadMarks;
  let lo = Infinity;
  let hi = -Infinity;
  // Before the first record there is no mark: crossable.
  const firstStart = marks.length ? marks[0]!.sOffset : lengthM;
  if (firstStart > 0) {
    lo = 0;
    hi = firstStart;
  }
  marks.forEach((m, k) => {
    if (!markPermitsLaneChange(m.type)) return;
    lo = Math.min(lo, m.sOffset);
    hi = Math.max(hi, k + 1 < marks.length ? marks[k + 1]!.sOffset : lengthM);
  });
  return lo < hi ? [lo, Math.min(hi, lengthM)] : undefined;
}

function isLateral(g: LaneGraph, a: LaneNode, b: LaneNode): boolean {
  return a.roadId === b.roadId && a.sectionIndex === b.sectionIndex && g.laneChanges(a).includes(b);
}

function ref(n: LaneNode): LaneRef {
  return { roadId: n.roadId, sectionIndex: n.sectionIndex, laneId: n.laneId };
}

/** Distance driven in lane n from where it is entered to road s. */
function progress(n: LaneNode, s: number): number {
  return n.direction > 0 ? s - n.sFrom : n.sTo - s;
}

function sAtProgress(n: LaneNode, p: number): number {
  return n.direction > 0 ? n.sFrom + p : n.sTo - p;
}

function entryS(n: LaneNode): number {
  return n.direction > 0 ? n.sFrom : n.sTo;
}

function exitS(n: LaneNode): number {
  return n.direction > 0 ? n.sTo : n.sFrom;
}

function sectionProgressStart(n: LaneNode, e: LaneChangeEdge): number {
  return Math.min(progress(n, e.sMin), progress(n, e.sMax));
}

function sectionProgressEnd(n: LaneNode, e: LaneChangeEdge): number {
  return Math.max(progress(n, e.sMin), progress(n, e.sMax));
}

function key(roadId: string, section: number, laneId: number): string {
  return `${roadId}\u0000${section}\u0000${laneId}`;
}

/** Binary min-heap of (cost, state), ties to the smaller state: deterministic order. */
class MinHeap {
  private costs: number[] = [];
  private states: number[] = [];
  lastCost = 0;

  get size(): number {
    return this.costs.length;
  }

  push(cost: number, state: number): void {
    const c = this.costs;
    const s = this.states;
    let i = c.length;
    c.push(cost);
    s.push(state);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(cost, state, c[p]!, s[p]!)) break;
      c[i] = c[p]!;
      s[i] = s[p]!;
      i = p;
    }
    c[i] = cost;
    s[i] = state;
  }

  popState(): number {
    const c = this.costs;
    const s = this.states;
    const topState = s[0]!;
    this.lastCost = c[0]!;
    const lastC = c.pop()!;
    const lastS = s.pop()!;
    const n = c.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && less(c[r]!, s[r]!, c[l]!, s[l]!) ? r : l;
        if (!less(c[m]!, s[m]!, lastC, lastS)) break;
        c[i] = c[m]!;
        s[i] = s[m]!;
        i = m;
      }
      c[i] = lastC;
      s[i] = lastS;
    }
    return topState;
  }
}

function less(c1: number, s1: number, c2: number, s2: number): boolean {
  return c1 < c2 || (c1 === c2 && s1 < s2);
}
