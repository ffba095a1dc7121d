/**
 * `lane-departure` and `off-road`: where the ego's footprint (its four
 * corners) lies on the road network each tick.
 *
 * - Lane departure: a corner crosses a marking that may not be crossed
 *   (solid, or a double line with a solid side: `markPermitsLaneChange` in
 *   vehicles/road/lane.ts) between the lane of the ego's centre and the lane
 *   the corner is in, or a corner (or the centre) is on no drivable lane of
 *   any road (onto a shoulder, a sidewalk, off the road).
 * - Off-road: a corner is on no driving lane and no shoulder of any road
 *   (nuPlan drivable_area_compliance: every corner of the ego inside the
 *   drivable area; here a shoulder counts as drivable, so an MRM onto the
 *   shoulder is not off-road).
 * Each counts episodes: one per entry into the condition. Corners are
 * looked up on the centre's road first and then on any road, so a car
 * inside a junction, where connecting roads overlap, is judged on whichever
 * road holds it.
 */
import type { TickSnapshot } from '../../../sim/snapshot.ts';
import { DRIVABLE_LANE_TYPES, markPermitsLaneChange, type Lane } from '../../../vehicles/road/lane.ts';
import { newLanePosition } from '../../../vehicles/road/road.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from '../criterion.ts';
import { footprintCorners, headingOf, type DrivingContext } from './context.ts';
import { NetworkLocator, type NetworkHit } from './network-locator.ts';

const drivable = (l: Lane) => DRIVABLE_LANE_TYPES.has(l.type);
const drivableOrShoulder = (l: Lane) => DRIVABLE_LANE_TYPES.has(l.type) || l.type === 'shoulder';
const _pos = newLanePosition();

/** The marks a corner crosses going from lane `a` to lane `b` of one section: does any forbid it? */
function forbiddenMarkBetween(hit: NetworkHit, b: number): boolean {
  const sec = hit.road.sections[hit.sectionIndex]!;
  const ds = hit.s - sec.s;
  const a = hit.laneId;
  const forbids = (id: number) => {
    const m = sec.lane(id)?.roadMarkAt(ds);
    return m !== undefined && !markPermitsLaneChange(m.type);
  };
  // Each lane's mark is on its outer border: crossing from |k| to |k| + 1 on one side crosses lane k's mark.
  const side = (from: number, to: number, sign: number) => {
    for (let k = Math.min(from, to); k < Math.max(from, to); k++) if (k > 0 && forbids(sign * k)) return true;
    return false;
  };
  if (Math.sign(a) === Math.sign(b)) return side(Math.abs(a), Math.abs(b), Math.sign(a));
  return forbids(0) || side(0, Math.abs(a), Math.sign(a)) || side(0, Math.abs(b), Math.sign(b));
}

abstract class FootprintCriterion extends Criterion {
  protected readonly locator: NetworkLocator;
  protected readonly cornerLocator: NetworkLocator;
  private readonly threshold: ThresholdChoice;
  private readonly corners = new Float64Array(8);
  private inside = false;
  private episodes = 0;
  private first = '';
  /** Start time of each episode, s (live state for viewers; the verdict reads only the count). */
  readonly episodeTimes: number[] = [];

  constructor(name: string, protected readonly ctx: DrivingContext, maxEpisodes: number | undefined, seed: 'miit-2a-lane-departures' | 'miit-2a-off-road', private readonly what: string) {
    super(name, false);
    this.threshold = thresholdFrom(maxEpisodes, seed);
    this.locator = new NetworkLocator(ctx.network);
    this.cornerLocator = new NetworkLocator(ctx.network);
  }

  get count(): number {
    return this.episodes;
  }

  get egoId(): string {
    return this.ctx.egoId;
  }

  /** Why the footprint is in the condition now, or null. */
  protected abstract check(corners: Float64Array, x: number, y: number): string | null;

  override observe(snap: TickSnapshot): void {
    const s = this.world.stateOf(this.ctx.egoId);
    if (!s.present) return;
    footprintCorners(s.position[0], s.position[1], headingOf(s), this.ctx.egoFootprint, this.corners);
    const why = this.check(this.corners, s.position[0], s.position[1]);
    if (why !== null && !this.inside) {
      this.episodes++;
      this.episodeTimes.push(snap.time);
      if (!this.first) this.first = `${why} at t=${snap.time.toFixed(2)} s`;
      if (this.episodes > this.threshold.value) this.fail(`${this.episodes} ${this.what} episode(s); first: ${this.first}`);
    }
    this.inside = why !== null;
  }

  result(): CriterionResult {
    const passed = this.episodes <= this.threshold.value;
    return this.record({
      value: this.episodes,
      threshold: this.threshold.value,
      unit: 'episodes',
      passed,
      reason: passed ? (this.episodes === 0 ? `no ${this.what} by ${this.ctx.egoId}` : `${this.episodes} ${this.what} episode(s), within the allowed ${this.threshold.value}; first: ${this.first}`) : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}

export class LaneDeparture extends FootprintCriterion {
  readonly type = 'lane-departure';

  constructor(name: string, ctx: DrivingContext, maxDepartures?: number) {
    super(name, ctx, maxDepartures, 'miit-2a-lane-departures', 'lane departure');
  }

  protected check(c: Float64Array, x: number, y: number): string | null {
    const centre = this.locator.locate(x, y, drivable);
    if (!centre) return `${this.ctx.egoId}'s centre left the drivable lanes`;
    const { road, sectionIndex, laneId } = centre;
    for (let i = 0; i < 4; i++) {
      const cx = c[2 * i]!, cy = c[2 * i + 1]!;
      const p = road.locate(cx, cy, _pos);
      const lane = p.inRange && p.laneId !== undefined && p.sectionIndex === sectionIndex ? road.sections[sectionIndex]!.lane(p.laneId) : undefined;
      if (lane && drivable(lane)) {
        if (lane.id !== laneId && forbiddenMarkBetween(centre, lane.id)) return `${this.ctx.egoId} crossed a solid marking from lane ${laneId} into lane ${lane.id} of road ${road.id}`;
        continue;
      }
      // Not on a drivable lane of the centre's road: another road (a junction, the next road) may hold it.
      if (!this.cornerLocator.locate(cx, cy, drivable)) return `a corner of ${this.ctx.egoId} left the drivable lanes${lane ? ` onto a ${lane.type}` : ''} near road ${road.id}`;
    }
    return null;
  }
}

export class OffRoad extends FootprintCriterion {
  readonly type = 'off-road';

  constructor(name: string, ctx: DrivingContext, maxEpisodes?: number) {
    super(name, ctx, maxEpisodes, 'miit-2a-off-road', 'off-road');
  }

  protected check(c: Float64Array): string | null {
    for (let i = 0; i < 4; i++) {
      if (!this.cornerLocator.locate(c[2 * i]!, c[2 * i + 1]!, drivableOrShoulder)) return `a corner of ${this.ctx.egoId} was off every driving lane and shoulder`;
    }
    return null;
  }
}
