/**
 * Yielding to pedestrians, from the object list's `pedestrian` tracks. It
 * answers, each tick, the path distance the car must stop before
 * (Infinity: none), for two rules:
 *
 * 1. Crosswalks on the route (the map's crosswalks the path crosses): stop
 *    before a crosswalk that a pedestrian is on (on its carriageway part)
 *    or will step onto within `CROSSWALK_LOOKAHEAD_S` at its current
 *    velocity. (Right of way at marked crossings: UNECE Vienna Convention
 *    on Road Traffic 1968 art. 21; PRC Road Traffic Safety Law art. 47.)
 *
 * 2. Anyone anywhere: each pedestrian track is predicted at constant
 *    velocity over `PREDICT_S`, and its interval inside the ego's corridor
 *    (half the car's width plus `CORRIDOR_MARGIN_M`) is compared with the
 *    interval the car would occupy that point: from its earliest arrival
 *    (accelerating at the pilot's maximum from its speed) to its latest
 *    clearing (at its current speed, or a walking pace when slower), each
 *    widened by `TIME_MARGIN_S`. Overlap: stop before the point where the
 *    pedestrian enters the corridor. Using the earliest arrival and latest
 *    clearing keeps the decision stable as the car slows (a car that stops
 *    does not conclude it would now arrive "after" the pedestrian and set
 *    off again while they are still crossing).
 */
import type { RoadNetwork } from '../../vehicles/road/road-network.ts';
import { newLanePosition } from '../../vehicles/road/road.ts';
import type { Track } from './object-tracks.ts';
import type { RouteFrame } from './route-frame.ts';

/** Horizon of the "about to step onto the crosswalk" test, s. */
const CROSSWALK_LOOKAHEAD_S = 2;
/** Pedestrian prediction horizon, s: a 10 m crossing at 1.2 m/s is ~8 s; 6 s covers the car's approach from 50 m. */
const PREDICT_S = 6;
const PREDICT_STEP_S = 0.2;
/** Lateral margin beyond the car's half width (and the pedestrian's half size) for the corridor, m. */
const CORRIDOR_MARGIN_M = 0.5;
/** Widening of both occupation intervals, s: the prediction's error grows with time; one second either side. */
const TIME_MARGIN_S = 1;
/** Slowest pace assumed for the car's clearing time, m/s. */
const MIN_CLEAR_SPEED_MPS = 1;
/** Pedestrian stop point clearance: stop this far before where they enter the corridor, m. */
const PED_CLEARANCE_M = 1;

export interface RouteCrosswalk {
  id: string;
  roadId: string;
  sStart: number;
  sEnd: number;
  /** Path distance where the route enters the band, m. */
  enterM: number;
  exitM: number;
}

/** The crosswalks the route crosses, in path order. */
export function routeCrosswalks(net: RoadNetwork, route: RouteFrame): RouteCrosswalk[] {
  const out: RouteCrosswalk[] = [];
  for (const cw of net.crosswalks) {
    let enter = NaN, exit = NaN;
    for (let i = 0; i < route.n; i++) {
      if (route.roadIds[i] !== cw.roadId) continue;
      const s = route.roadS[i]!;
      if (s >= cw.sStart && s <= cw.sEnd) {
        if (Number.isNaN(enter)) enter = route.dist[Math.max(0, i - 1)]!;
        exit = route.dist[Math.min(route.n - 1, i + 1)]!;
      }
    }
    if (!Number.isNaN(enter)) out.push({ id: cw.id, roadId: cw.roadId, sStart: cw.sStart, sEnd: cw.sEnd, enterM: enter, exitM: exit });
  }
  return out.sort((a, b) => a.enterM - b.enterM);
}

const _pos = newLanePosition();
const _rel: [number, number] = [0, 0];

export class PedestrianYield {
  /** For tests and views: why the last stop was asked for. */
  reason = '';

  /**
   * Path distance to stop before, m (Infinity: none). `egoFrontM` is the
   * front bumper's distance beyond the ego's reference point, `lengthM` the
   * car's length, `maxAccelMps2` its planned acceleration.
   */
  stopPointM(
    net: RoadNetwork, route: RouteFrame, crosswalks: readonly RouteCrosswalk[], tracks: readonly Track[], t: number,
    v: number, egoFrontM: number, egoHalfWidthM: number, lengthM: number, maxAccelMps2: number,
  ): number {
    let stopAt = Infinity;
    this.reason = '';
    const front = route.egoM + egoFrontM;
    for (const tr of tracks) {
      if (tr.kind !== 'pedestrian') continue;
      const age = t - tr.seenAt;
      const x0 = tr.x + tr.vx * age, y0 = tr.y + tr.vy * age;
      // 1. Crosswalks ahead that the front has not reached.
      for (const cw of crosswalks) {
        if (cw.enterM < front - 0.5 || cw.enterM - front > 60) continue;
        const road = net.road(cw.roadId);
        for (let tau = 0; tau <= CROSSWALK_LOOKAHEAD_S + 1e-9; tau += PREDICT_STEP_S) {
          road.locate(x0 + tr.vx * tau, y0 + tr.vy * tau, _pos);
          if (!_pos.inRange || _pos.laneId === undefined || _pos.laneId === 0) continue;
          if (_pos.s < cw.sStart - 0.5 || _pos.s > cw.sEnd + 0.5) continue;
          if (!road.sections[_pos.sectionIndex]!.lane(_pos.laneId)?.drivable) continue;
          if (cw.enterM < stopAt) {
            stopAt = cw.enterM;
            this.reason = `pedestrian on crosswalk ${cw.id}`;
          }
          break;
        }
      }
      // 2. Crossing the ego's corridor when the car gets there.
      const reach = egoHalfWidthM + CORRIDOR_MARGIN_M + tr.widthM / 2;
      let tauIn = NaN, tauOut = NaN, along = NaN;
      for (let tau = 0; tau <= PREDICT_S + 1e-9; tau += PREDICT_STEP_S) {
        route.relative(x0 + tr.vx * tau, y0 + tr.vy * tau, _rel);
        const ahead = _rel[0] - egoFrontM;
        const inside = Math.abs(_rel[1]) < reach && ahead > -lengthM && ahead < 80;
        if (inside && Number.isNaN(tauIn)) {
          tauIn = tau;
          along = _rel[0];
        }
        if (!inside && !Number.isNaN(tauIn)) {
          tauOut = tau;
          break;
        }
      }
      if (Number.isNaN(tauIn)) continue;
      if (Number.isNaN(tauOut)) tauOut = Infinity;
      const d = Math.max(along - egoFrontM, 0);
      if (along - egoFrontM < -0.5) continue; // already alongside or behind the front: the car cannot stop before it
      if (occupationOverlaps(d, v, lengthM, maxAccelMps2, tauIn, tauOut)) {
        const at = route.egoM + along - PED_CLEARANCE_M;
        if (at < stopAt) {
          stopAt = at;
          this.reason = `pedestrian track ${tr.id} crossing the path`;
        }
      }
    }
    return stopAt;
  }
}

/**
 * Whether the car and a road user crossing its path would be at the crossing
 * point together: the user inside the corridor over [tauIn, tauOut] s from
 * now, the car from its earliest arrival (accelerating at `maxAccelMps2` over
 * the `dM` to the point) to its latest clearing (its length past the point
 * at its current speed, or a walking pace when slower), both widened by
 * `TIME_MARGIN_S`. Earliest arrival and latest clearing keep the answer
 * stable as the car slows: a car that stops does not conclude it would now
 * arrive after the crossing and set off again while it is still going on.
 */
export function occupationOverlaps(dM: number, v: number, lengthM: number, maxAccelMps2: number, tauIn: number, tauOut: number): boolean {
  const tArrive = maxAccelMps2 > 0 ? (-v + Math.sqrt(v * v + 2 * maxAccelMps2 * dM)) / maxAccelMps2 : dM / Math.max(v, MIN_CLEAR_SPEED_MPS);
  const tClear = (dM + lengthM) / Math.max(v, MIN_CLEAR_SPEED_MPS);
  return tauIn <= tClear + TIME_MARGIN_S && tauOut >= tArrive - TIME_MARGIN_S;
}
