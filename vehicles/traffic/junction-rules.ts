/**
 * Right of way at junctions for NPC drivers: stop signs (all-way and
 * two-way) and permitted left turns at signals.
 *
 * Stop sign (a `StopLineDescriptor` with `control: { kind: 'stop-sign' }`):
 * the driver stops at the line (the line is a standing leader for IDM, which
 * halts the front about s0 = 2 m before it), holds a full stop for
 * `NPC_STOP_HOLD_S` with its front within `STOP_PROXIMITY_M` of the line, and
 * then goes once it has the right of way:
 * - first come, first served among the vehicles stopped at the junction's
 *   stop-sign lines (MUTCD 2009 §2B.07 / UVC 11-403: at a multi-way stop the
 *   driver who stops first goes first; ties by tracking order, which stands in
 *   for "the driver on the right"). Arrival is when a vehicle first comes below
 *   `STOP_SPEED_MPS` with its front within `STOP_PROXIMITY_M` of its line;
 *   every tracked vehicle counts, the ego too;
 * - no vehicle on a conflicting movement inside the junction, and none just
 *   released to enter it (a conflicting movement is another approach's
 *   connecting road whose centre line comes within `CONFLICT_DISTANCE_M` of
 *   this one's: crossing or merging paths);
 * - no vehicle about to enter on a conflicting approach: one moving towards
 *   the junction that will reach it within the critical headway t_c of this
 *   movement and will not stop first (a free approach, i.e. the major road of
 *   a two-way stop or a green signal, or a stop-sign approach it cannot stop
 *   for at a comfortable 3 m/s^2).
 * Permitted left turn at a signal: on green, a left turner yields by the same
 * last two rules (opposing approaches on red are ignored); it waits at its
 * stop line until the gap is acceptable, and commits once its front passes the
 * line.
 *
 * Critical headways t_c, passenger cars, HCM 2010 Exhibit 19-10 (base values
 * for two-way stop-controlled intersections, two-lane major street; quoted
 * from memory, consistent with the HCM worked examples found for this change,
 * which list 7.2 s minor left and 4.9 s major left after adjustments): major-
 * street left 4.1 s, minor-street right 6.2 s, through 6.5 s, left 7.1 s.
 * A 2020 field study of permissive left turns at 45 signalised approaches
 * (TRR, "Impact of geometry and operations on left-turn gap acceptance at
 * signalized intersections with permissive indication", verified) measured a
 * mean critical headway of 4.87 s; Skylane keeps HCM's 4.1 s.
 * Stop thresholds: 0.1 m/s and 4 m as CARLA's RunningStopTest (and
 * Skylane's stop-sign criterion, which also wants the stop held 0.5 s; an NPC
 * holds 1 s, Skylane's choice, so that it passes that criterion with margin).
 *
 * NPC traffic reads ground truth (the lane index), as for signals.
 */
import type { RoadNetwork } from '../road/road-network.ts';
import type { LaneIndex, LaneNeighbor } from './lane-index.ts';
import { newLaneNeighbor } from './lane-index.ts';
import { COMFORT_STOP_DECEL_MPS2, SignalMap, signalStateFor } from './signal-compliance.ts';

/** Stopped below this speed, m/s (CARLA RunningStopTest SPEED_THRESHOLD). */
export const STOP_SPEED_MPS = 0.1;
/** A stop counts with the front within this distance before the line, m (CARLA PROXIMITY_THRESHOLD). */
export const STOP_PROXIMITY_M = 4;
/** How long an NPC holds its full stop at a stop sign, s (Skylane's choice, 2x the criterion's 0.5 s). */
export const NPC_STOP_HOLD_S = 1.0;
/** HCM 2010 Exhibit 19-10 base critical headways, passenger cars, s (see the file comment). */
export const CRITICAL_HEADWAY_S = Object.freeze({ majorLeft: 4.1, minorRight: 6.2, minorThrough: 6.5, minorLeft: 7.1 });
/** Connecting-road centre lines closer than this conflict, m: a car width (1.61 m) plus margin (Skylane's choice). */
export const CONFLICT_DISTANCE_M = 2.0;
/**
 * A vehicle inside the junction blocks a movement when its centre is this close
 * to the movement's centre line, m: half a car length (2.25 m) plus half a car
 * width (0.8 m), so that its tail still counts until it has cleared the path
 * (Skylane's choice). The lane index may place a vehicle in the junction on any
 * of the overlapping connecting roads, so the test is geometric.
 */
export const BOX_BLOCK_DISTANCE_M = 3.0;
/** A vehicle released at a stop sign counts as entering the junction for at most this long, s (Skylane's choice). */
const RELEASE_HOLD_S = 5;

export type MovementKind = 'left' | 'right' | 'straight';

interface Movement {
  roadId: string;
  junctionId: string;
  incomingRoad: string;
  kind: MovementKind;
  /** Connecting roads this one conflicts with. */
  conflicts: Set<string>;
  /** Lane centre points every ~1 m. */
  points: { x: number; y: number }[];
}

interface Approach {
  junctionId: string;
  /** Lane-graph node of the approach lane (its last node before the junction). */
  node: number;
  roadId: string;
  laneId: number;
  /** Road s of the approach's stop line (or of the junction end if it has none). */
  stopS: number;
  /** Road s where the lane meets the junction. */
  endS: number;
  control: 'stop-sign' | 'traffic-light' | 'none';
  lineId: string;
  /** Connecting roads that leave from this approach. */
  movements: string[];
}

/** Per-network right-of-way data and the shared arrival order at stop signs. Built once per lane index. */
export class JunctionRules {
  private static readonly cache = new WeakMap<LaneIndex, JunctionRules>();
  readonly hasStopSigns: boolean;
  /** Some signal phase lets a left turn go against a conflicting green (a permitted left). */
  readonly hasPermittedLefts: boolean;
  readonly signals: SignalMap;
  private readonly movements = new Map<string, Movement>();
  private readonly approachByNode = new Map<number, Approach>();
  private readonly approachesOf = new Map<string, Approach[]>();
  /** Stop-sign arrivals per junction: tracking index -> time. */
  private readonly arrivals = new Map<string, Map<number, number>>();
  /** Vehicles released at a stop sign that have not yet entered the junction: tracking index -> { movement, time }. */
  private readonly released = new Map<string, Map<number, { road: string; t: number }>>();
  private stampS = NaN;

  static of(index: LaneIndex): JunctionRules {
    let r = JunctionRules.cache.get(index);
    if (!r) JunctionRules.cache.set(index, (r = new JunctionRules(index)));
    return r;
  }

  constructor(readonly index: LaneIndex) {
    const net: RoadNetwork = index.graph.network;
    this.signals = SignalMap.of(net);
    const samples = new Map<string, { x: number; y: number }[]>();
    for (const j of net.junctions) {
      if (j.type === 'direct') continue;
      const mine: Movement[] = [];
      for (const c of j.connections) {
        const road = net.road(c.connectingRoad);
        if (this.movements.has(road.id)) continue;
        const pts = road.sampleLaneCenter(0, c.laneLinks[0]?.to ?? -1, 1);
        samples.set(road.id, pts);
        const dh = pts[pts.length - 1]!.headingRad - pts[0]!.headingRad;
        const turn = Math.atan2(Math.sin(dh), Math.cos(dh));
        const m: Movement = { roadId: road.id, junctionId: j.id, incomingRoad: c.incomingRoad, kind: turn > 0.3 ? 'left' : turn < -0.3 ? 'right' : 'straight', conflicts: new Set(), points: pts };
        this.movements.set(road.id, m);
        mine.push(m);
      }
      for (let a = 0; a < mine.length; a++) {
        for (let b = a + 1; b < mine.length; b++) {
          const A = mine[a]!, B = mine[b]!;
          if (A.incomingRoad === B.incomingRoad) continue;
          if (minDistance(samples.get(A.roadId)!, samples.get(B.roadId)!) < CONFLICT_DISTANCE_M) {
            A.conflicts.add(B.roadId);
            B.conflicts.add(A.roadId);
          }
        }
      }
      this.arrivals.set(j.id, new Map());
      this.released.set(j.id, new Map());
    }
    // Approaches: every lane node whose successor is a connecting road of a junction.
    for (const n of index.graph.nodes) {
      const succ = index.successorsOf(n.index);
      let jid: string | undefined;
      const movs: string[] = [];
      for (let k = 0; k < succ.length; k++) {
        const m = this.movements.get(index.node(succ[k]!).roadId);
        if (m) {
          jid = m.junctionId;
          movs.push(m.roadId);
        }
      }
      if (!jid) continue;
      const endS = n.direction > 0 ? n.sTo : n.sFrom;
      const line = net.stopLines.find((l) => l.roadId === n.roadId && l.laneIds.includes(n.laneId) && l.s >= n.sFrom - 1e-9 && l.s <= n.sTo + 1e-9);
      const a: Approach = {
        junctionId: jid, node: n.index, roadId: n.roadId, laneId: n.laneId, stopS: line?.s ?? endS, endS,
        control: line ? line.control.kind : 'none', lineId: line?.id ?? '', movements: movs,
      };
      this.approachByNode.set(n.index, a);
      const list = this.approachesOf.get(jid) ?? [];
      list.push(a);
      this.approachesOf.set(jid, list);
    }
    this.hasStopSigns = [...this.approachByNode.values()].some((a) => a.control === 'stop-sign');
    // Permitted lefts: a phase that gives green to a left turn and to a movement conflicting with it.
    let permitted = false;
    for (const j of net.junctions) {
      const groupOf = new Map<string, string>();
      for (const c of j.connections) if (c.signalGroup) groupOf.set(c.connectingRoad, c.signalGroup);
      for (const cid of j.controllers ?? []) {
        for (const ph of net.controller(cid).phases) {
          const green = new Set(ph.signalGroups);
          for (const [road, g] of groupOf) {
            const m = this.movements.get(road);
            if (!m || m.kind !== 'left' || !green.has(g)) continue;
            for (const c of m.conflicts) if (green.has(groupOf.get(c) ?? '')) permitted = true;
          }
        }
      }
    }
    this.hasPermittedLefts = permitted;
  }

  approach(node: number): Approach | undefined {
    return this.approachByNode.get(node);
  }

  movement(roadId: string): Movement | undefined {
    return this.movements.get(roadId);
  }

  /** Update the stop-sign arrival order from ground truth, once per simulation time. */
  refresh(t: number): void {
    if (t === this.stampS) return;
    this.stampS = t;
    const ix = this.index;
    for (const [jid, arr] of this.arrivals) {
      const rel = this.released.get(jid)!;
      for (const [i, r] of rel) {
        const o = ix.occupant(i);
        if (!o.located || this.movements.has(ix.node(o.nodeIndex).roadId) || t - r.t > RELEASE_HOLD_S) rel.delete(i);
      }
      for (const [i] of arr) if (!this.atStop(i)) arr.delete(i);
    }
    for (let i = 0; i < ix.size; i++) {
      const o = ix.occupant(i);
      if (!o.located) continue;
      const a = this.approachByNode.get(o.nodeIndex);
      if (!a || a.control !== 'stop-sign') continue;
      const arr = this.arrivals.get(a.junctionId)!;
      if (!arr.has(i) && this.atStop(i)) arr.set(i, t);
    }
  }

  /** Front distance of occupant i to its approach's stop line, m (NaN when not on an approach). */
  frontToLine(i: number): number {
    const o = this.index.occupant(i);
    if (!o.located) return NaN;
    const a = this.approachByNode.get(o.nodeIndex);
    if (!a) return NaN;
    const dir = this.index.node(o.nodeIndex).direction;
    return (a.stopS - o.s) * dir - 0.5 * o.participant.lengthM;
  }

  private atStop(i: number): boolean {
    const o = this.index.occupant(i);
    if (!o.located || !(Math.abs(o.speedMps) < STOP_SPEED_MPS)) return false;
    const a = this.approachByNode.get(o.nodeIndex);
    if (!a || a.control !== 'stop-sign') return false;
    const d = this.frontToLine(i);
    return d >= -0.5 && d <= STOP_PROXIMITY_M;
  }

  /** Arrival time of occupant i at junction j's stop signs, or undefined. */
  arrivalOf(j: string, i: number): number | undefined {
    return this.arrivals.get(j)?.get(i);
  }

  /** True when some other vehicle stopped at junction j's stop signs before occupant i (ties: lower tracking index first). */
  someoneFirst(j: string, i: number): boolean {
    const arr = this.arrivals.get(j);
    const mine = arr?.get(i);
    if (!arr || mine === undefined) return true;
    for (const [k, t] of arr) if (k !== i && (t < mine || (t === mine && k < i))) return true;
    return false;
  }

  markReleased(j: string, i: number, road: string, t: number): void {
    this.released.get(j)?.set(i, { road, t });
    this.arrivals.get(j)?.delete(i);
  }

  private readonly nb: LaneNeighbor = newLaneNeighbor();

  /**
   * Whether movement `road` may enter now for vehicle `self`: no conflicting
   * vehicle inside, none released to enter, none about to enter within the
   * critical headway `tcS` (see the file comment). `t` for signal states.
   */
  clear(road: string, self: number, tcS: number, t: number, horizonM: number): boolean {
    const m = this.movements.get(road);
    if (!m) return true;
    const ix = this.index;
    for (let i = 0; i < ix.size; i++) {
      if (i === self) continue;
      const o = ix.occupant(i);
      if (!o.located) continue;
      const other = this.movements.get(ix.node(o.nodeIndex).roadId);
      if (!other || other.junctionId !== m.junctionId) continue;
      const p = o.participant.state.position;
      if (distanceTo(m.points, p[0], p[1]) < BOX_BLOCK_DISTANCE_M) return false;
    }
    for (const [i, rel] of this.released.get(m.junctionId) ?? []) if (i !== self && m.conflicts.has(rel.road)) return false;
    for (const a of this.approachesOf.get(m.junctionId) ?? []) {
      if (a.roadId === m.incomingRoad) continue;
      if (!a.movements.some((r) => m.conflicts.has(r))) continue;
      if (a.control === 'traffic-light') {
        // Only approaches with a conflicting movement not on red can send someone in.
        const lines = this.signals.linesOn(a.roadId, a.laneId);
        const line = lines?.find((l) => Math.abs(l.s - a.stopS) < 1e-6);
        if (line && a.movements.every((r) => !m.conflicts.has(r) || signalStateFor(line, r, t) === 'red')) continue;
      }
      const node = ix.node(a.node);
      const f = ix.follower(a.node, a.endS + 1e-6 * node.direction, 0, self, horizonM, this.nb);
      if (!f.found) continue;
      const v = f.speedMps;
      if (!(v > 0.5)) continue;
      const frontToBox = f.distanceM - f.halfLengthM;
      if (frontToBox / v >= tcS) continue;
      if (a.control === 'stop-sign') {
        const dLine = Math.max(this.frontToLine(f.index), 0.1);
        if (this.frontToLine(f.index) >= 0 && (v * v) / (2 * dLine) <= COMFORT_STOP_DECEL_MPS2) continue;
      }
      return false;
    }
    return true;
  }
}

function distanceTo(pts: readonly { x: number; y: number }[], x: number, y: number): number {
  let best = Infinity;
  for (const p of pts) best = Math.min(best, Math.hypot(p.x - x, p.y - y));
  return best;
}

function minDistance(a: readonly { x: number; y: number }[], b: readonly { x: number; y: number }[]): number {
  let best = Infinity;
  for (const p of a) for (const q of b) best = Math.min(best, Math.hypot(p.x - q.x, p.y - q.y));
  return best;
}

/** The critical headway of a movement, s: HCM 2010 Exhibit 19-10 (minor-street values at a stop sign, the major-street left otherwise). */
export function criticalHeadwayS(kind: MovementKind, atStopSign: boolean): number {
  if (!atStopSign) return CRITICAL_HEADWAY_S.majorLeft;
  return kind === 'left' ? CRITICAL_HEADWAY_S.minorLeft : kind === 'right' ? CRITICAL_HEADWAY_S.minorRight : CRITICAL_HEADWAY_S.minorThrough;
}

/** What the compliance reads of its driver. */
export interface JunctionDriverView {
  readonly selfIndex: number;
  readonly laneNodeIndex: number;
  readonly roadS: number;
  readonly speedMps: number;
  nextLaneNode(n: number): number;
}

/**
 * One driver's junction compliance: finds the first stop-sign line, or
 * signalised permitted-left entry, ahead and returns the distance from the
 * car's centre to the line when it must stop there (Infinity to go).
 */
export class JunctionCompliance {
  private lineKey = '';
  private stoppedSince: number | undefined;
  private clearedKey = '';

  constructor(readonly rules: JunctionRules, private readonly halfLengthM: number) {}

  update(d: JunctionDriverView, t: number, horizonM: number): number {
    const rules = this.rules;
    const ix = rules.index;
    rules.refresh(t);
    let n = d.laneNodeIndex;
    if (n < 0) return Infinity;
    let node = ix.node(n);
    // Inside a junction: committed.
    if (rules.movement(node.roadId)) return Infinity;
    let covered = node.direction > 0 ? -(d.roadS - node.sFrom) : -(node.sTo - d.roadS);
    for (let hop = 0; hop < 16 && covered < horizonM; hop++) {
      const a = rules.approach(n);
      if (a) {
        const next = d.nextLaneNode(n);
        const mv = next >= 0 ? rules.movement(ix.node(next).roadId) : undefined;
        const dLine = covered + (node.direction > 0 ? a.stopS - node.sFrom : node.sTo - a.stopS);
        const front = dLine - this.halfLengthM;
        const key = `${a.lineId}|${a.node}`;
        if (front < -0.5 || !mv) return this.reset();
        if (a.control === 'stop-sign') return this.stopSign(a, mv.roadId, mv.kind, key, dLine, front, d, t, horizonM);
        if (a.control === 'traffic-light' && mv.kind === 'left') return this.permittedLeft(a, mv.roadId, dLine, front, d, t, horizonM);
        return this.reset();
      }
      const next = d.nextLaneNode(n);
      if (next < 0) break;
      covered += node.lengthM;
      n = next;
      node = ix.node(n);
      if (rules.movement(node.roadId)) break;
    }
    return this.reset();
  }

  private reset(): number {
    this.lineKey = '';
    this.stoppedSince = undefined;
    return Infinity;
  }

  private stopSign(a: Approach, road: string, kind: MovementKind, key: string, dLine: number, front: number, d: JunctionDriverView, t: number, horizonM: number): number {
    if (key === this.clearedKey) return Infinity;
    if (key !== this.lineKey) {
      this.lineKey = key;
      this.stoppedSince = undefined;
    }
    const stopped = d.speedMps < STOP_SPEED_MPS && front <= STOP_PROXIMITY_M;
    if (!stopped) {
      this.stoppedSince = undefined;
      return dLine;
    }
    this.stoppedSince ??= t;
    if (t - this.stoppedSince < NPC_STOP_HOLD_S - 1e-9) return dLine;
    const rules = this.rules;
    if (rules.someoneFirst(a.junctionId, d.selfIndex)) return dLine;
    if (!rules.clear(road, d.selfIndex, criticalHeadwayS(kind, true), t, horizonM)) return dLine;
    rules.markReleased(a.junctionId, d.selfIndex, road, t);
    this.clearedKey = key;
    return Infinity;
  }

  private permittedLeft(a: Approach, road: string, dLine: number, front: number, d: JunctionDriverView, t: number, horizonM: number): number {
    const rules = this.rules;
    const lines = rules.signals.linesOn(a.roadId, a.laneId);
    const line = lines?.find((l) => Math.abs(l.s - a.stopS) < 1e-6);
    // Red and yellow are the signal rule's business; a protected phase has no opposing green.
    if (!line || signalStateFor(line, road, t) !== 'green') return this.reset();
    void front;
    return rules.clear(road, d.selfIndex, criticalHeadwayS('left', false), t, horizonM) ? Infinity : dLine;
  }
}
