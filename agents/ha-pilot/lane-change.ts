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
import { halfExtents, type Track } from './object-tracks.ts';
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
    return gapSafe(leadGap, leadV, followGap, followV, v, egoIdm, bSafe);
  }
}

/**
 * MOBIL's safety criterion for a gap in the target lane: the new follower (gap behind, its speed) would
 * not brake harder than b_safe behind the ego, nor the ego behind the new leader (gap ahead, its speed).
 * Infinity gaps: no such car.
 */
export function gapSafe(leadGap: number, leadV: number, followGap: number, followV: number, v: number, egoIdm: Readonly<IdmParams>, bSafe: number): boolean {
  if (leadGap <= 0 || followGap <= 0) return false;
  if (followGap < Infinity && !(idmAccel(followV, followGap, followV - v, IDM_HIGHWAY) >= -bSafe)) return false;
  if (leadGap < Infinity && !(idmAccel(v, leadGap, v - leadV, egoIdm) >= -bSafe)) return false;
  return true;
}

const _rel: [number, number] = [0, 0];
const _ext: [number, number] = [0, 0];

/**
 * A lane change the lane-following pilot (no route) makes on its own: around a standing object that
 * blocks its lane (cones, a broken-down car revealed by a cut-out: a track never seen moving). Into the
 * adjacent lane of its direction (left first, the overtaking side) whose marking may be crossed, that is
 * not blocked by standing objects near the obstacle, and whose gap passes `gapSafe`. The lateral move is
 * a quintic (minimum-jerk) shift of the lane-centre reference over `EVASIVE_SHIFT_S`; at its end the
 * lane frame moves to the new lane.
 */
export class EvasiveLaneChange {
  /** Target lane id while a change runs, else 0. */
  targetLaneId = 0;
  /** Signed lateral distance from the old lane centre to the new one, m (+ left). */
  shiftM = 0;
  startS = NaN;

  reset(): void {
    this.targetLaneId = 0;
    this.shiftM = 0;
    this.startS = NaN;
  }

  get active(): boolean {
    return this.targetLaneId !== 0;
  }

  /** Offset of the reference from the old lane centre at time t, m. */
  offsetAt(t: number): number {
    if (!this.active) return 0;
    const u = Math.min(Math.max((t - this.startS) / EVASIVE_SHIFT_S, 0), 1);
    return this.shiftM * u * u * u * (10 - 15 * u + 6 * u * u);
  }

  /** True once the shift is complete (the caller then moves its lane frame to the target lane and resets). */
  done(t: number): boolean {
    return this.active && t - this.startS >= EVASIVE_SHIFT_S;
  }

  /**
   * Consider a change: `blocker` is the in-lane track that stands in the way, `candidates` the adjacent
   * lanes (id, lateral offset from the ego lane centre, width). Starts the change and returns true when
   * one is safe.
   */
  consider(
    lane: PathFrameLike, blocker: Track, blockerAheadM: number, candidates: readonly { laneId: number; offsetM: number; widthM: number }[],
    tracks: readonly Track[], t: number, v: number, egoLengthM: number, egoWidthM: number, egoIdm: Readonly<IdmParams>, bSafe: number,
  ): boolean {
    for (const c of candidates) {
      let leadGap = Infinity, leadV = 0, followGap = Infinity, followV = 0, blocked = false;
      for (const tr of tracks) {
        if (tr === blocker || tr.kind === 'pedestrian') continue;
        const age = t - tr.seenAt;
        lane.relative(tr.x + tr.vx * age, tr.y + tr.vy * age, _rel);
        halfExtents(tr, lane.laneHeadingRad, _ext);
        // Overlapping the car's path in the target lane (its width plus margin around the lane centre)?
        if (Math.abs(_rel[1] - c.offsetM) > _ext[1] + egoWidthM / 2 + 0.3) continue;
        const gap = Math.abs(_rel[0]) - _ext[0] - egoLengthM / 2;
        const speed = Math.hypot(tr.vx, tr.vy);
        if (!tr.movedSeen && _rel[0] > 0 && _rel[0] < blockerAheadM + 30) blocked = true;
        if (_rel[0] >= 0 && gap < leadGap) {
          leadGap = gap;
          leadV = speed;
        } else if (_rel[0] < 0 && gap < followGap) {
          followGap = gap;
          followV = speed;
        }
      }
      if (blocked || !gapSafe(leadGap, leadV, followGap, followV, v, egoIdm, bSafe)) continue;
      this.targetLaneId = c.laneId;
      this.shiftM = c.offsetM;
      this.startS = t;
      return true;
    }
    return false;
  }
}

/** Duration of an evasive lane change, s: shorter than a route's 5 s, since the obstacle is seen at <= 50 m; a 3.75 m shift in 3 s peaks at 5.77 x 3.75 / 9 = 2.4 m/s^2 lateral. */
export const EVASIVE_SHIFT_S = 3;

interface PathFrameLike {
  relative(x: number, y: number, out: [number, number]): [number, number];
  /** Heading of the lane at the ego, in the driving direction, rad. */
  readonly laneHeadingRad: number;
}
