/**
 * Traffic-signal compliance for NPC drivers: which signal head governs a car
 * on a lane approaching a stop line, and whether the car must stop.
 *
 * The rule (`signalDecision`):
 * - green: go;
 * - red: stop at the stop line, unless the car committed to going on the
 *   yellow that preceded it (it then clears the junction in the all-red);
 * - yellow: the dilemma-zone rule of Gazis, Herman & Maradudin, "The Problem
 *   of the Amber Signal Light in Traffic Flow", Operations Research 8(1),
 *   1960: stop if the car can stop before the line at no more than a
 *   comfortable deceleration, v^2 / (2 d) <= a_c, else go on. a_c = 3.0 m/s^2
 *   (10 ft/s^2) is the deceleration of the ITE kinematic change-interval
 *   formula, Institute of Transportation Engineers, "Guidelines for
 *   Determining Traffic Signal Change and Clearance Intervals", 2020. The
 *   decision is taken once per yellow and held (a driver does not dither).
 *   An NPC reads ground truth with no perception lag, so no reaction distance
 *   is added to d.
 *
 * The light that governs a car is the one on its lane whose junction
 * movement (connection) is the one the car will take next; a lane with
 * several lights and no known movement obeys the most restrictive.
 */
import type { JunctionDescriptor } from '../road/junction.ts';
import type { FixedTimeController, SignalState } from '../road/signal-controller.ts';
import type { TrafficLightDescriptor } from '../road/traffic-light.ts';

/** Comfortable deceleration of the yellow (dilemma-zone) rule, m/s^2: ITE 2020, 10 ft/s^2. */
export const COMFORT_STOP_DECEL_MPS2 = 3.0;

/** The parts of a road network that signal compliance reads (a `RoadNetwork` satisfies it). */
export interface SignalNetwork {
  readonly trafficLights: readonly TrafficLightDescriptor[];
  readonly junctions: readonly JunctionDescriptor[];
  controller(id: string): FixedTimeController;
}

/** One signal head at a stop line, as a lane sees it. */
export interface LaneLight {
  readonly lightId: string;
  readonly controller: FixedTimeController;
  readonly signalGroup: string;
  /** Connecting roads of the movements it governs. */
  readonly connectingRoads: ReadonlySet<string>;
}

/** The stop line of one lane: where it is and its lights. */
export interface LaneStopLine {
  readonly roadId: string;
  readonly laneId: number;
  readonly s: number;
  readonly lights: readonly LaneLight[];
}

/** Signal heads by (road, lane): built once per network, shared by drivers. */
export class SignalMap {
  private readonly byLane = new Map<string, LaneStopLine[]>();
  private static readonly cache = new WeakMap<SignalNetwork, SignalMap>();

  static of(net: SignalNetwork): SignalMap {
    let m = SignalMap.cache.get(net);
    if (!m) SignalMap.cache.set(net, (m = new SignalMap(net)));
    return m;
  }

  constructor(net: SignalNetwork) {
    const roadOfConnection = new Map<string, string>();
    for (const j of net.junctions) for (const c of j.connections) roadOfConnection.set(c.id, c.connectingRoad);
    for (const tl of net.trafficLights) {
      const light: LaneLight = {
        lightId: tl.id,
        controller: net.controller(tl.controllerId),
        signalGroup: tl.signalGroup,
        connectingRoads: new Set(tl.connectionIds.map((c) => roadOfConnection.get(c)).filter((r): r is string => r !== undefined)),
      };
      for (const laneId of tl.laneIds) {
        const key = `${tl.roadId}|${laneId}`;
        const lines = this.byLane.get(key) ?? [];
        let line = lines.find((l) => Math.abs(l.s - tl.s) < 1e-9);
        if (!line) lines.push((line = { roadId: tl.roadId, laneId, s: tl.s, lights: [] }));
        (line.lights as LaneLight[]).push(light);
        this.byLane.set(key, lines);
      }
    }
  }

  /** Stop lines with lights on a lane; undefined when it has none. */
  linesOn(roadId: string, laneId: number): readonly LaneStopLine[] | undefined {
    return this.byLane.get(`${roadId}|${laneId}`);
  }
}

const RANK: Record<SignalState, number> = { green: 0, yellow: 1, red: 2 };

/**
 * The state shown to a car at `line` at time t that will take the movement
 * onto `nextRoadId` (undefined if unknown): that movement's light, else the
 * most restrictive light of the line.
 */
export function signalStateFor(line: LaneStopLine, nextRoadId: string | undefined, t: number): SignalState {
  if (nextRoadId !== undefined) {
    for (const l of line.lights) if (l.connectingRoads.has(nextRoadId)) return l.controller.stateAt(l.signalGroup, t);
  }
  let worst: SignalState = 'green';
  for (const l of line.lights) {
    const s = l.controller.stateAt(l.signalGroup, t);
    if (RANK[s] > RANK[worst]) worst = s;
  }
  return worst;
}

/**
 * Stop or go at a signal. `distanceM` is from the front bumper to the stop
 * line, `committedGo` whether the car already chose to go on this yellow.
 * Returns 'stop' or 'go'.
 */
export function signalDecision(state: SignalState, speedMps: number, distanceM: number, committedGo: boolean, comfortDecelMps2 = COMFORT_STOP_DECEL_MPS2): 'stop' | 'go' {
  if (state === 'green') return 'go';
  if (committedGo) return 'go';
  if (state === 'red') return 'stop';
  // Yellow: stop if it can be done comfortably.
  const d = Math.max(distanceM, 1e-6);
  return (speedMps * speedMps) / (2 * d) <= comfortDecelMps2 ? 'stop' : 'go';
}
