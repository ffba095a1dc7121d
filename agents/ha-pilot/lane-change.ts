/**
 * Gap acceptance for the lane changes a route requires (an on-ramp merge, a
 * lane drop, the turn lane before a junction). The path already holds the
 * change's minimum-jerk geometry (./route-frame.ts); this decides whether it
 * may be started now. Until the car is committed (its reference point past
 * the change's start by `COMMIT_M`), each tick checks MOBIL's safety
 * criterion (Kesting, Treiber & Helbing 2007, Transp. Res. Rec. 1999:86,
 * vehicles/traffic/mobil.ts) on the tracked vehicles in the target lane:
 * - the new follower, behind the ego in the target lane, must not have to
 *   brake harder than b_safe behind it (its IDM acceleration, from its
 *   tracked speed and the gap, >= -b_safe);
 * - the ego must not have to brake harder than b_safe behind the new leader.
 * b_safe is the pilot's comfort deceleration (2 m/s^2 by default), stricter
 * than MOBIL's 4 m/s^2 for NPC traffic: an automated car should not make
 * anyone brake hard. The follower's IDM is evaluated with the highway
 * parameters of Treiber & Kesting 2013 (vehicles/traffic/idm.ts), the
 * best guess at an unknown driver. No gap: the change is not started, and
 * the car holds its lane and stops before the change's start if it must
 * (the end of an acceleration lane is the last place it may change).
 */
import { idmAccel, IDM_HIGHWAY, type IdmParams } from '../../vehicles/traffic/idm.ts';
import type { RoadNetwork } from '../../vehicles/road/road-network.ts';
import { newLanePosition } from '../../vehicles/road/road.ts';
import type { Track } from './object-tracks.ts';
import type { PathLaneChange, RouteFrame } from './route-frame.ts';

/** Past the change's start by this, the car is committed: it completes the change, m. */
const COMMIT_M = 2;
/** How far ahead of a change the gap is judged, m: the object list's 50 m range. */
const LOOKAHEAD_M = 50;

const _pos = newLanePosition();

export class LaneChangeGate {
  /** For tests and views: the last verdict on the next change ahead. */
  lastSafe = true;

  /**
   * Path distance to hold before (the start of the first change ahead that
   * is not safe yet), or Infinity.
   */
  holdPointM(net: RoadNetwork, route: RouteFrame, tracks: readonly Track[], t: number, v: number, egoLengthM: number, egoIdm: Readonly<IdmParams>, bSafeMps2: number): number {
    for (const lc of route.laneChanges) {
      if (route.egoM > lc.startM + COMMIT_M) continue;
      if (lc.startM - route.egoM > LOOKAHEAD_M) break;
      const safe = this.safe(net, route, lc, tracks, t, v, egoLengthM, egoIdm, bSafeMps2);
      this.lastSafe = safe;
      return safe ? Infinity : lc.startM;
    }
    this.lastSafe = true;
    return Infinity;
  }

  private safe(net: RoadNetwork, route: RouteFrame, lc: PathLaneChange, tracks: readonly Track[], t: number, v: number, egoLengthM: number, egoIdm: Readonly<IdmParams>, bSafe: number): boolean {
    const road = net.road(lc.fromRoadId);
    const dir = lc.toLaneId < 0 ? 1 : -1;
    const egoS = route.roadS[route.egoIndex]!;
    let leadGap = Infinity, leadV = 0, followGap = Infinity, followV = 0;
    for (const tr of tracks) {
      if (tr.kind === 'pedestrian') continue;
      const age = t - tr.seenAt;
      road.locate(tr.x + tr.vx * age, tr.y + tr.vy * age, _pos);
      if (!_pos.inRange || _pos.laneId !== lc.toLaneId) continue;
      const ahead = dir * (_pos.s - egoS);
      const gap = Math.abs(ahead) - (tr.lengthM + egoLengthM) / 2;
      const speed = Math.hypot(tr.vx, tr.vy);
      if (ahead >= 0 && gap < leadGap) {
        leadGap = gap;
        leadV = speed;
      } else if (ahead < 0 && gap < followGap) {
        followGap = gap;
        followV = speed;
      }
    }
    if (leadGap <= 0 || followGap <= 0) return false;
    if (followGap < Infinity && !(idmAccel(followV, followGap, followV - v, IDM_HIGHWAY) >= -bSafe)) return false;
    if (leadGap < Infinity && !(idmAccel(v, leadGap, v - leadV, egoIdm) >= -bSafe)) return false;
    return true;
  }
}
