/**
 * `speeding`: the ego's speed against the speed limit of the lane its centre
 * is in (the lane's record, else the road's; no limit, no judgement). The
 * value is the largest excess over the limit (0 if never over); the run
 * fails when it exceeds the tolerance. The time spent above limit +
 * tolerance is reported too. nuPlan's speed_limit_compliance is the model:
 * overspeed measured against the lane's limit at the ego's position.
 */
import type { TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { DRIVABLE_LANE_TYPES, type Lane } from '../../../vehicles/road/lane.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from '../criterion.ts';
import { speedOf, type DrivingContext } from './context.ts';
import { NetworkLocator } from './network-locator.ts';

const drivable = (l: Lane) => DRIVABLE_LANE_TYPES.has(l.type);

/** One stretch above limit + tolerance: when it began and the speed and limit then. */
export interface OverspeedEpisode {
  time: number;
  speedMps: number;
  limitMps: number;
}

export class Speeding extends Criterion {
  readonly type = 'speeding';
  private readonly threshold: ThresholdChoice;
  private readonly locator: NetworkLocator;
  private maxExcess = 0;
  private maxAt = 0;
  private maxLimit = 0;
  private timeOverS = 0;
  private lastTime = 0;
  private judgedTicks = 0;
  private over = false;
  /** Each stretch above limit + tolerance as it begins (live state for viewers; the verdict does not read it). */
  readonly episodes: OverspeedEpisode[] = [];
  /** The limit of the ego's lane at the last tick, m/s (NaN: none). */
  private limitNow = NaN;

  constructor(name: string, private readonly ctx: DrivingContext, toleranceMps?: number) {
    super(name, false);
    this.threshold = thresholdFrom(toleranceMps, 'miit-2a-speeding-tolerance');
    this.locator = new NetworkLocator(ctx.network);
  }

  get egoId(): string {
    return this.ctx.egoId;
  }

  /** The speed limit of the ego's lane at the last tick, m/s; NaN when its lane has none. */
  get currentLimitMps(): number {
    return this.limitNow;
  }

  /** Seconds spent above limit + tolerance. */
  get secondsOver(): number {
    return this.timeOverS;
  }

  override attach(world: World): void {
    super.attach(world);
    this.lastTime = world.time;
  }

  override observe(snap: TickSnapshot): void {
    const dt = snap.time - this.lastTime;
    this.lastTime = snap.time;
    const s = this.world.stateOf(this.ctx.egoId);
    if (!s.present) return;
    this.limitNow = NaN;
    const hit = this.locator.locate(s.position[0], s.position[1], drivable);
    if (!hit) {
      this.over = false;
      return;
    }
    const limit = hit.road.speedLimitAt(hit.sectionIndex, hit.laneId, hit.s);
    if (limit === undefined) {
      this.over = false;
      return;
    }
    this.limitNow = limit;
    this.judgedTicks++;
    const excess = speedOf(s) - limit;
    if (excess > this.maxExcess) {
      this.maxExcess = excess;
      this.maxAt = snap.time;
      this.maxLimit = limit;
    }
    const over = excess > this.threshold.value;
    if (over && !this.over) this.episodes.push({ time: snap.time, speedMps: speedOf(s), limitMps: limit });
    this.over = over;
    if (over) {
      this.timeOverS += dt;
      this.fail(`${this.ctx.egoId} at ${speedOf(s).toFixed(2)} m/s on a ${limit.toFixed(2)} m/s lane at t=${snap.time.toFixed(2)} s`);
    }
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed';
    return this.record({
      value: this.maxExcess,
      threshold: this.threshold.value,
      unit: 'm/s',
      passed,
      reason: !passed
        ? `${this.maxExcess.toFixed(2)} m/s over the ${this.maxLimit.toFixed(2)} m/s limit at t=${this.maxAt.toFixed(2)} s (tolerance ${this.threshold.value} m/s), ${this.timeOverS.toFixed(2)} s beyond it; first: ${this.failureReason}`
        : this.judgedTicks === 0
          ? `${this.ctx.egoId} was never on a lane with a speed limit`
          : this.maxExcess > 0
            ? `at most ${this.maxExcess.toFixed(2)} m/s over the limit, within the ${this.threshold.value} m/s tolerance`
            : `${this.ctx.egoId} kept to every speed limit`,
      thresholdSource: this.threshold.source,
    });
  }
}
