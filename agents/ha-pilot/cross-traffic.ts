/**
 * Yielding to vehicles that will cross the route: the red-light runner, the
 * car that ignores its stop sign, the one coming out of a hidden side
 * street. Each vehicle track moving across the path (heading more than
 * `CROSSING_MIN_ANGLE_RAD` off the route there) is predicted at constant
 * velocity over `PREDICT_S`; where it would enter the ego's corridor, two
 * questions are asked:
 *
 * 1. Can it still stop before our path comfortably? A driver who can is
 *    presumed to obey its light or sign and stop: otherwise every car
 *    slowing for its red line would make the pilot brake on its green.
 *    "Comfortably" is the dilemma-zone deceleration the signal rules use,
 *    3.0 m/s^2 (ITE 2020; vehicles/traffic/signal-compliance.ts): a car
 *    that would need more to stop is committed to crossing.
 * 2. If it cannot, do the two occupation intervals of the crossing point
 *    overlap (the ego's from its earliest arrival to its latest clearing,
 *    each widened by a second: `occupationOverlaps` in ./yielding.ts)?
 *    Then stop before the point.
 *
 * The tracks are the pilot's fused picture: the object list's and, when the
 * car has V2X, the BSM senders' (./v2x-objects.ts). A car hidden behind a
 * building is in the second long before the first: that is what V2X buys at
 * an occluded junction (library: cars/v2x-occluded-intersection).
 */
import { halfExtents, type Track } from './object-tracks.ts';
import type { RouteFrame } from './route-frame.ts';
import { occupationOverlaps } from './yielding.ts';

/** A crossing is a heading this far off the route's, rad (30 deg): lane changes and merges stay with the leader logic. */
const CROSSING_MIN_ANGLE_RAD = Math.PI / 6;
/** Tracks slower than this are standing or creeping and handled as leaders, m/s. */
const MIN_SPEED_MPS = 2;
/** Prediction horizon, s, and step. */
const PREDICT_S = 6;
const PREDICT_STEP_S = 0.1;
/** The dilemma-zone comfortable deceleration, m/s^2 (ITE 2020, 10 ft/s^2). */
const COMFORT_STOP_DECEL_MPS2 = 3.0;
/** Lateral margin beyond both half widths, m. */
const CORRIDOR_MARGIN_M = 0.5;
/** Stop this far before where the vehicle enters the corridor, m. */
const CLEARANCE_M = 2;

const _rel: [number, number] = [0, 0];
const _ext: [number, number] = [0, 0];

export class CrossTrafficYield {
  /** For tests and views: why the last stop was asked for. */
  reason = '';

  /** Path distance to stop before, m (Infinity: none). */
  stopPointM(route: RouteFrame, tracks: readonly Track[], t: number, v: number, egoFrontM: number, egoHalfWidthM: number, lengthM: number, maxAccelMps2: number): number {
    let stopAt = Infinity;
    this.reason = '';
    for (const tr of tracks) {
      if (tr.kind === 'pedestrian') continue;
      const speed = Math.hypot(tr.vx, tr.vy);
      if (speed < MIN_SPEED_MPS) continue;
      const age = t - tr.seenAt;
      const x0 = tr.x + tr.vx * age, y0 = tr.y + tr.vy * age;
      let tauIn = NaN, tauOut = NaN, along = NaN;
      for (let tau = 0; tau <= PREDICT_S + 1e-9; tau += PREDICT_STEP_S) {
        route.relative(x0 + tr.vx * tau, y0 + tr.vy * tau, _rel);
        const ahead = _rel[0] - egoFrontM;
        if (Number.isNaN(tauIn)) {
          if (ahead < -lengthM || ahead > 80) continue;
          // Crossing, not travelling with the route: compare headings where it meets the path.
          const h = route.headingAhead(_rel[0]);
          const dh = Math.atan2(tr.vy, tr.vx) - h;
          const off = Math.abs(Math.atan2(Math.sin(dh), Math.cos(dh)));
          if (off < CROSSING_MIN_ANGLE_RAD || off > Math.PI - CROSSING_MIN_ANGLE_RAD) continue;
          const reach = egoHalfWidthM + CORRIDOR_MARGIN_M + halfExtents(tr, h, _ext)[1];
          if (Math.abs(_rel[1]) < reach) {
            tauIn = tau;
            along = _rel[0];
          }
        } else {
          const reach = egoHalfWidthM + CORRIDOR_MARGIN_M + _ext[1];
          if (Math.abs(_rel[1]) >= reach) {
            tauOut = tau;
            break;
          }
        }
      }
      if (Number.isNaN(tauIn)) continue;
      // 1. Could it still stop comfortably before our path? Then it is presumed to.
      const distIn = speed * tauIn;
      if (distIn > 0 && (speed * speed) / (2 * distIn) <= COMFORT_STOP_DECEL_MPS2) continue;
      if (Number.isNaN(tauOut)) tauOut = Infinity;
      const d = along - egoFrontM;
      if (d < -0.5) continue; // the front is already past where it crosses: braking cannot help
      // 2. Occupation intervals.
      if (occupationOverlaps(Math.max(d, 0), v, lengthM, maxAccelMps2, tauIn, tauOut)) {
        const at = route.egoM + along - CLEARANCE_M;
        if (at < stopAt) {
          stopAt = at;
          this.reason = `vehicle track ${tr.id} crossing the path`;
        }
      }
    }
    return stopAt;
  }
}
