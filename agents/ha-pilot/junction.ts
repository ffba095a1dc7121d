/**
 * Junction rules for the pilot on its route: the stop lines it will cross
 * (traffic-light and stop-sign controlled), the lights that govern its
 * movement, its belief about their state from the traffic-light camera, and
 * the stop-or-go decision at each line. It answers one question each tick:
 * the path distance of the first line the car must stop at (Infinity: none).
 *
 * Traffic lights (the light of the movement the route takes: the one whose
 * junction connections include the route's next connecting road):
 * - green: go;
 * - yellow: vehicles/traffic/signal-compliance.ts's dilemma-zone rule (Gazis,
 *   Herman & Maradudin 1960, a_c = 3.0 m/s^2 from ITE 2020): stop if the
 *   car can stop before the line at <= 3.0 m/s^2, counting the distance it
 *   covers in one decision period plus the brake lag (the pilot, unlike an
 *   NPC, perceives and acts with delay); otherwise go, and hold that choice
 *   through the red that follows (it clears the junction in the all-red);
 * - red: stop, unless committed on the yellow;
 * - unknown (the head not seen by the camera for `LIGHT_HOLD_S`: out of
 *   range, hidden behind a truck, missed): treated as red. A light is never
 *   assumed green.
 * If a V2X SPaT source is present (agents/ha-pilot/v2x-objects.ts, when the
 * V2X engineer's module lands), `setSpat` feeds the same belief with the
 * controller's state and time to change; the camera still overrides it.
 *
 * A left turn on a green that is not a protected arrow yields to oncoming
 * vehicles that would reach the junction within the critical headway
 * (`PERMITTED_LEFT_CRITICAL_HEADWAY_S`), waiting at the line.
 *
 * Stop signs: stop fully (below 0.1 m/s with the front within 4 m of the
 * line for `STOP_HOLD_S`, above the 0.5 s the stop-sign criterion wants),
 * then go once no conflicting tracked vehicle is in the junction or will
 * reach it within the critical headway (see `JunctionArea.clear`).
 */
import { COMFORT_STOP_DECEL_MPS2, signalDecision } from '../../vehicles/traffic/signal-compliance.ts';
import type { RoadNetwork } from '../../vehicles/road/road-network.ts';
import { newRoadPose } from '../../vehicles/road/geometry.ts';
import type { Reading } from '../../sim/sensor.ts';
import type { TrafficLightReading } from '../../sim/sensors/traffic-lights.ts';
import type { RouteFrame } from './route-frame.ts';
import type { Track } from './object-tracks.ts';

export type LightBelief = 'red' | 'yellow' | 'green' | 'unknown';

/** A light unseen this long is unknown, s: three camera samples at 10 Hz (p_miss^3 ~ 1e-4 at p_d = 0.95). */
const LIGHT_HOLD_S = 0.35;
/** Held stop at a stop sign before it may go, s: the criterion's 0.5 s (CARLA RunningStopTest + Skylane) with margin for the speed estimate. */
const STOP_HOLD_S = 1.0;
/** Standstill speed, m/s (CARLA's 0.1 m/s). */
const STOPPED_MPS = 0.1;
/** The front must be this close to the line for a stop to count, m (CARLA PROXIMITY_THRESHOLD 4 m, less a margin). */
const STOP_PROXIMITY_M = 3.5;
/**
 * Critical headway for entering a junction from a stop sign, s: the HCM's
 * base critical headway for a minor-street through movement at a two-way
 * stop on a two-lane major street, 6.5 s (Highway Capacity Manual, TWSC
 * base critical headways; HCM 2000 ex. 17-5, kept in HCM 2010/2016). A
 * vehicle that would reach the junction area sooner than this is a
 * conflict.
 */
export const STOP_SIGN_CRITICAL_HEADWAY_S = 6.5;
/**
 * Critical headway for a permitted left turn across oncoming traffic, s:
 * 4.87 s, the mean critical headway measured over 2,500 left turns at 45
 * signalised approaches with permissive indication ("Impact of geometry
 * and operations on left-turn gap acceptance at signalized intersections
 * with permissive indication", Transp. Res. Rec., which reports that HCM
 * 2016's figures rest on 1970s data from five Texas intersections).
 */
export const PERMITTED_LEFT_CRITICAL_HEADWAY_S = 4.87;
/** A track slower than this approaching the junction is stopped (at its own line), not a conflict, m/s. */
const APPROACH_MIN_SPEED_MPS = 1;
/**
 * Hardest braking the pilot uses to stop at a red line it did not see in
 * time, m/s^2: two thirds of the 9 m/s^2 dry-road limit (vehicles/traffic/idm.ts);
 * beyond it the car is committed to crossing.
 */
const LATE_STOP_DECEL_MPS2 = 6;
/** Margin around the connecting roads that makes the junction area, m. */
const AREA_MARGIN_M = 2;

export interface RouteStopLine {
  id: string;
  /** Path distance of the line, m. */
  atM: number;
  kind: 'traffic-light' | 'stop-sign';
  /** Lights that govern the route's movement (traffic-light lines). */
  lightIds: string[];
  /** The junction the line guards (the next one on the route after it), if any. */
  junction: JunctionArea | undefined;
  /** Went on this yellow (held through its red). */
  committedGo: boolean;
  /** Time held stopped at the line, s (stop signs). */
  stoppedForS: number;
  /** Stop-sign procedure done: the car may cross. */
  released: boolean;
  /** The route turns left through the junction after the line (it must yield to oncoming traffic on a permitted green). */
  leftTurn: boolean;
  /** Heading of the route at the line, rad (what "oncoming" is measured against). */
  headingRad: number;
}

/** A junction as a disc around its connecting roads: what "in the junction" means to the pilot. */
export class JunctionArea {
  constructor(readonly id: string, readonly cx: number, readonly cy: number, readonly radiusM: number) {}

  /**
   * True when no conflicting vehicle track is in the area or will reach it
   * within `headwayS` at constant velocity. Tracks on the ego's own path
   * behind it (its followers) are not conflicts; nor are pedestrians (the
   * yielding logic's), nor slow tracks outside the area (stopped at their
   * own lines).
   */
  clear(tracks: readonly Track[], t: number, headwayS: number, ignore: (tr: Track) => boolean): boolean {
    for (const tr of tracks) {
      if (tr.kind === 'pedestrian' || ignore(tr)) continue;
      const age = t - tr.seenAt;
      const x = tr.x + tr.vx * age, y = tr.y + tr.vy * age;
      const dx = this.cx - x, dy = this.cy - y;
      const d = Math.hypot(dx, dy);
      if (d < this.radiusM) return false;
      const speed = Math.hypot(tr.vx, tr.vy);
      if (speed < APPROACH_MIN_SPEED_MPS) continue;
      const towards = (tr.vx * dx + tr.vy * dy) / d;
      if (towards > 0 && (d - this.radiusM) / towards < headwayS) return false;
    }
    return true;
  }
}

const _p = newRoadPose();

/** Junction areas by id, from the connecting roads' lane centres. */
function junctionAreas(net: RoadNetwork): Map<string, JunctionArea> {
  const pts = new Map<string, number[][]>();
  for (const r of net.roads) {
    if (r.junction === undefined) continue;
    const list = pts.get(r.junction) ?? [];
    for (let k = 0; k <= 4; k++) {
      r.referenceLine.poseAt((r.lengthM * k) / 4, _p);
      list.push([_p.x, _p.y]);
    }
    pts.set(r.junction, list);
  }
  const out = new Map<string, JunctionArea>();
  for (const [id, list] of pts) {
    const cx = list.reduce((a, p) => a + p[0]!, 0) / list.length;
    const cy = list.reduce((a, p) => a + p[1]!, 0) / list.length;
    const r = Math.max(...list.map((p) => Math.hypot(p[0]! - cx, p[1]! - cy)));
    out.set(id, new JunctionArea(id, cx, cy, r + AREA_MARGIN_M));
  }
  return out;
}

/** A connecting road that bends left overall (right-hand traffic: the turn across oncoming traffic). */
function turnsLeft(net: RoadNetwork, roadId: string): boolean {
  const r = net.road(roadId);
  r.referenceLine.poseAt(0, _p);
  const h0 = _p.headingRad;
  r.referenceLine.poseAt(r.lengthM, _p);
  const dh = Math.atan2(Math.sin(_p.headingRad - h0), Math.cos(_p.headingRad - h0));
  // Lanes driven against +s (left lanes) turn the other way.
  return dh > Math.PI / 4;
}

const AREAS = new WeakMap<RoadNetwork, Map<string, JunctionArea>>();

/** The stop lines the route crosses, in path order. */
export function routeStopLines(net: RoadNetwork, route: RouteFrame): RouteStopLine[] {
  let areas = AREAS.get(net);
  if (!areas) AREAS.set(net, (areas = junctionAreas(net)));
  const out: RouteStopLine[] = [];
  for (const sl of net.stopLines) {
    if (sl.control.kind === 'none') continue;
    for (let i = 0; i + 1 < route.n; i++) {
      if (route.roadIds[i] !== sl.roadId || route.roadIds[i + 1] !== sl.roadId) continue;
      if (!sl.laneIds.includes(route.laneIds[i]!)) continue;
      const s0 = route.roadS[i]!, s1 = route.roadS[i + 1]!;
      if (!((s0 - sl.s) * (s1 - sl.s) <= 0) || s0 === s1) continue;
      const u = (sl.s - s0) / (s1 - s0);
      const atM = route.dist[i]! + u * (route.dist[i + 1]! - route.dist[i]!);
      // The next connecting road on the route after the line, and its junction.
      let nextRoad: string | undefined, junctionId: string | undefined;
      for (let j = i + 1; j < route.n; j++) {
        const r = net.road(route.roadIds[j]!);
        if (r.junction !== undefined) {
          nextRoad = r.id;
          junctionId = r.junction;
          break;
        }
        if (route.dist[j]! - atM > 60) break;
      }
      let lightIds: string[] = [];
      if (sl.control.kind === 'traffic-light') {
        const ids = sl.control.trafficLightIds;
        const conn = new Set<string>();
        if (junctionId !== undefined) for (const c of net.junction(junctionId).connections) if (c.connectingRoad === nextRoad) conn.add(c.id);
        const lights = net.trafficLights.filter((l) => ids.includes(l.id) && l.laneIds.includes(route.laneIds[i]!));
        const mine = lights.filter((l) => l.connectionIds.some((c) => conn.has(c)));
        lightIds = (mine.length ? mine : lights).map((l) => l.id);
      }
      out.push({
        id: sl.id, atM, kind: sl.control.kind, lightIds,
        junction: junctionId !== undefined ? areas.get(junctionId) : undefined,
        committedGo: false, stoppedForS: 0, released: false,
        leftTurn: nextRoad !== undefined && turnsLeft(net, nextRoad), headingRad: route.headings[i]!,
      });
      break;
    }
  }
  return out.sort((a, b) => a.atM - b.atM);
}

/** The pilot's belief about each light: last seen state and when. */
export class LightBeliefs {
  private readonly seen = new Map<string, { state: 'red' | 'yellow' | 'green'; at: number }>();
  private lastSample = -Infinity;

  reset(): void {
    this.seen.clear();
    this.lastSample = -Infinity;
  }

  update(reading: Reading | undefined): void {
    if (!reading || !reading.healthy || !(reading.time > this.lastSample)) return;
    this.lastSample = reading.time;
    for (const l of (reading.value as TrafficLightReading).lights) this.seen.set(l.lightId, { state: l.state, at: reading.time });
  }

  /**
   * Hook for a V2X SPaT source: the state a controller broadcasts for a
   * light at time `at`. Kept as another sighting; the camera's next one
   * overrides it.
   */
  setSpat(lightId: string, state: 'red' | 'yellow' | 'green', at: number): void {
    const cur = this.seen.get(lightId);
    if (!cur || cur.at <= at) this.seen.set(lightId, { state, at });
  }

  /** The most restrictive state of `ids` (unknown if any is unknown). */
  state(ids: readonly string[], t: number): LightBelief {
    let worst: LightBelief = 'green';
    for (const id of ids) {
      const s = this.seen.get(id);
      if (!s || t - s.at > LIGHT_HOLD_S) return 'unknown';
      if (s.state === 'red') worst = 'red';
      else if (s.state === 'yellow' && worst === 'green') worst = 'yellow';
    }
    return worst;
  }
}

/**
 * Path distance of the first stop line the car must stop at, m (Infinity:
 * none), updating each line's state. `frontM` is the front bumper's path
 * distance, `reactionM` the distance covered before a decision takes effect.
 */
export function stopLineAhead(
  lines: RouteStopLine[], beliefs: LightBeliefs, tracks: readonly Track[], t: number, dt: number,
  v: number, frontM: number, reactionM: number, isFollower: (tr: Track) => boolean,
): number {
  for (const l of lines) {
    const d = l.atM - frontM;
    // Past the line with the front: committed, never stop inside the junction.
    if (d < -0.5) continue;
    if (l.kind === 'traffic-light') {
      const st = beliefs.state(l.lightIds, t);
      if (st === 'green') {
        l.committedGo = false;
        // A permitted (not protected) left turn: yield to oncoming vehicles that would reach the junction
        // within the critical headway; a protected arrow has none (their light is red), so this passes.
        if (l.leftTurn && l.junction) {
          const ch = Math.cos(l.headingRad), sh = Math.sin(l.headingRad);
          const notOncoming = (tr: Track): boolean => isFollower(tr) || tr.vx * ch + tr.vy * sh > -0.5 * Math.hypot(tr.vx, tr.vy);
          if (!l.junction.clear(tracks, t, PERMITTED_LEFT_CRITICAL_HEADWAY_S, notOncoming)) return l.atM;
        }
        continue;
      }
      if (l.committedGo) continue;
      if (st === 'yellow') {
        if (signalDecision('yellow', v, d - reactionM, false, COMFORT_STOP_DECEL_MPS2) === 'go') {
          l.committedGo = true;
          continue;
        }
        return l.atM;
      }
      // Red or unknown: stop, unless the line is too close to stop before at
      // all (a light hidden until the last moment): braking into the junction
      // mouth helps no one, so the car is then committed.
      if ((v * v) / (2 * Math.max(d - reactionM, 0.01)) > LATE_STOP_DECEL_MPS2) {
        l.committedGo = true;
        continue;
      }
      return l.atM;
    }
    // Stop sign.
    if (l.released) continue;
    if (v < STOPPED_MPS && d <= STOP_PROXIMITY_M) l.stoppedForS += dt;
    else if (v >= STOPPED_MPS) l.stoppedForS = 0;
    if (l.stoppedForS >= STOP_HOLD_S && (!l.junction || l.junction.clear(tracks, t, STOP_SIGN_CRITICAL_HEADWAY_S, isFollower))) {
      l.released = true;
      continue;
    }
    return l.atM;
  }
  return Infinity;
}
