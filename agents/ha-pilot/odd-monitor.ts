/**
 * The pilot's operational design domain (ODD) checks and the minimal risk
 * manoeuvre's target, in the lane-following (v1) frame:
 *
 * - `roadClosedAhead`: every driving lane of the ego's direction is blocked
 *   ahead by a standing object the perception sees (a barrier, a line of
 *   cones, a closure that is not in the map). Beyond it there is no road the
 *   pilot may drive: an ODD exit (UN R157 §5.4: a planned or unplanned event
 *   the system cannot handle ends in a transition demand, here, with no
 *   driver, the MRM).
 * - `offTheMap`: the ego is no longer on the mapped lane it drives (more
 *   than a lane width off its centre) or has reached the end of a road with
 *   nothing mapped beyond: the HD map no longer covers where it is.
 * - `ShoulderTarget`: where the MRM stops. UN R157 §5.5 has ALKS stop in
 *   its lane; a level 4 pilot with a hard shoulder beside it leaves the
 *   running lane instead, onto the shoulder, where a broken-down vehicle is
 *   expected to stand (Skylane design choice). It moves there only from
 *   the lane next to a hard shoulder, and only if the object list sees
 *   nothing on it from `CLEAR_BEHIND_M` behind to `CLEAR_AHEAD_M` ahead;
 *   otherwise it stops in its lane. The lateral move is a quintic
 *   (minimum-jerk) profile over `SHIFT_S`.
 */
import { halfExtents, type Track } from './object-tracks.ts';
import type { LaneFrame } from './lane-frame.ts';

/** A track standing still (a closure, a parked car): slower than this, m/s. */
const STATIC_MPS = 0.5;
/** Closures are looked for this far ahead, m: within the object list's 50 m range. */
const CLOSURE_LOOKAHEAD_M = 50;
/** A lane counts as blocked when a standing object leaves less than the car's width plus this beside it, m. */
const PASS_MARGIN_M = 0.5;
/** The shoulder must be free from this far behind to this far ahead, m. */
const CLEAR_BEHIND_M = 20;
const CLEAR_AHEAD_M = 80;
/** Duration of the move onto the shoulder, s (a lane change's 4-6 s, Toledo & Zohar 2007). */
export const SHIFT_S = 5;

const _rel: [number, number] = [0, 0];
const _ext: [number, number] = [0, 0];

/**
 * Lateral offsets (in the ego lane frame, + left) and widths of the driving
 * lanes of the ego's direction at the ego, and of the hard shoulder on its
 * right if the ego's lane borders one.
 */
export function lanesAcross(lane: LaneFrame): { lanes: { laneId: number; offsetM: number; widthM: number }[]; shoulder: { offsetM: number; widthM: number } | undefined } {
  const road = lane.road!;
  const i = road.sectionIndexAt(lane.s);
  const sec = road.sections[i]!;
  const ds = lane.s - sec.s;
  const lo = road.laneOffsetAt(lane.s);
  const t0 = sec.centerT(lane.laneId, ds, lo);
  const side = lane.laneId < 0 ? sec.right : sec.left;
  const lanes: { laneId: number; offsetM: number; widthM: number }[] = [];
  let shoulder: { offsetM: number; widthM: number } | undefined;
  for (const l of side) {
    const off = lane.direction * (sec.centerT(l.id, ds, lo) - t0);
    if (l.drivable) lanes.push({ laneId: l.id, offsetM: off, widthM: l.widthAt(ds) });
    const rightOfEgo = lane.laneId < 0 ? l.id === lane.laneId - 1 : l.id === lane.laneId + 1;
    if (rightOfEgo && l.type === 'shoulder') shoulder = { offsetM: off, widthM: l.widthAt(ds) };
  }
  return { lanes, shoulder };
}

/** True when standing objects ahead block every driving lane of the ego's direction. */
export function roadClosedAhead(lane: LaneFrame, tracks: readonly Track[], t: number, egoWidthM: number): boolean {
  const { lanes } = lanesAcross(lane);
  if (lanes.length === 0) return false;
  const blocked = lanes.map(() => false);
  for (const tr of tracks) {
    if (tr.kind === 'pedestrian' || Math.hypot(tr.vx, tr.vy) > STATIC_MPS) continue;
    lane.relative(tr.x, tr.y, _rel);
    if (!(_rel[0] > 0 && _rel[0] < CLOSURE_LOOKAHEAD_M)) continue;
    lanes.forEach((l, k) => {
      // Free width beside the object inside this lane, on its wider side.
      const lo = l.offsetM - l.widthM / 2, hi = l.offsetM + l.widthM / 2;
      // Across the lane: the box's extent at its measured heading (a barrier lies across the road).
      const half = halfExtents(tr, lane.laneHeadingRad, _ext)[1];
      const a = _rel[1] - half, b = _rel[1] + half;
      if (b < lo || a > hi) return;
      const free = Math.max(a - lo, hi - b);
      if (free < egoWidthM + PASS_MARGIN_M) blocked[k] = true;
    });
  }
  return blocked.every((b) => b);
}

/** True when the ego has left the mapped lane it drives, or its road ends ahead with nothing mapped beyond. */
export function offTheMap(lane: LaneFrame, v: number, decelMps2: number, plannedShiftM = 0, jerkMps3 = Infinity): boolean {
  // Measured from where the pilot means to be: a planned shift (a lane change, the shoulder) is not a departure.
  if (Math.abs(lane.offsetM - plannedShiftM) > lane.laneWidthM) return true;
  const road = lane.road!;
  const next = lane.direction > 0 ? road.successor : road.predecessor;
  if (next) return false;
  // Distance left to the road's end in the driving direction: stop before it.
  const left = lane.direction > 0 ? road.lengthM - lane.s : lane.s;
  // Stopping distance of the MRM: its deceleration ramps in at jerkMps3 (v a / 2j more than a step to a), plus 5 m.
  return left < (v * v) / (2 * decelMps2) + (v * decelMps2) / (2 * jerkMps3) + 5;
}

/** The MRM's lateral target: the hard shoulder when it is there and clear, else the lane. */
export class ShoulderTarget {
  /** Offset of the stop position from the lane centre, m (0: stop in lane; < 0: on the shoulder to the right). */
  targetM = 0;
  startS = NaN;

  reset(): void {
    this.targetM = 0;
    this.startS = NaN;
  }

  /** Decide at the MRM's start. */
  plan(lane: LaneFrame, tracks: readonly Track[], t: number, egoWidthM: number): void {
    this.startS = t;
    this.targetM = 0;
    if (!lane.road) return;
    const { shoulder } = lanesAcross(lane);
    if (!shoulder || shoulder.widthM < egoWidthM + 2 * 0.3) return;
    for (const tr of tracks) {
      const age = t - tr.seenAt;
      lane.relative(tr.x + tr.vx * age, tr.y + tr.vy * age, _rel);
      if (_rel[0] < -CLEAR_BEHIND_M || _rel[0] > CLEAR_AHEAD_M) continue;
      if (Math.abs(_rel[1] - shoulder.offsetM) < shoulder.widthM / 2 + halfExtents(tr, lane.laneHeadingRad, _ext)[1]) return;
    }
    this.targetM = shoulder.offsetM;
  }

  /** The planned offset at time t: quintic (minimum-jerk) from 0 to the target over SHIFT_S. */
  offsetAt(t: number): number {
    if (this.targetM === 0 || Number.isNaN(this.startS)) return 0;
    const u = Math.min(Math.max((t - this.startS) / SHIFT_S, 0), 1);
    return this.targetM * u * u * u * (10 - 15 * u + 6 * u * u);
  }
}
