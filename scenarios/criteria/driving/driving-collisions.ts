/**
 * `driving-collisions`: the ego's collisions with pedestrians, vehicles and
 * static objects, de-duplicated (see collision-tally.ts). Twin of CARLA's
 * CollisionTest with the Leaderboard's three classes. The value is the count
 * in the judged categories (all three by default); `counts` has each.
 * A scenario that wants one verdict per class lists it three times, one
 * category each.
 */
import type { SimEvent } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from '../criterion.ts';
import { CollisionTally } from './collision-tally.ts';
import { DRIVING_CATEGORIES, type DrivingCategory, type DrivingContext } from './context.ts';

export interface DrivingCollisionsOptions {
  /** Categories judged; default all three. */
  categories?: readonly DrivingCategory[];
  /** Collisions allowed; default from seeds (0). */
  maxCollisions?: number;
  /** End the run on failure; default true (as `no-collision`). */
  terminate?: boolean;
}

export class DrivingCollisions extends Criterion {
  readonly type = 'driving-collisions';
  readonly tally: CollisionTally;
  private readonly threshold: ThresholdChoice;
  private readonly judged: ReadonlySet<DrivingCategory>;
  private count = 0;
  private first = '';

  constructor(name: string, private readonly ctx: DrivingContext, o: DrivingCollisionsOptions = {}) {
    super(name, o.terminate ?? true);
    this.tally = new CollisionTally(ctx);
    this.threshold = thresholdFrom(o.maxCollisions, 'miit-2a-driving-collisions');
    this.judged = new Set(o.categories ?? DRIVING_CATEGORIES);
    if (this.judged.size === 0) throw new Error(`${name}: needs at least one category`);
  }

  get egoId(): string {
    return this.ctx.egoId;
  }

  get counts(): Readonly<Record<DrivingCategory, number>> {
    return this.tally.counts;
  }

  override attach(world: World): void {
    super.attach(world);
    this.tally.attach(world);
  }

  override observe(): void {
    this.tally.observe();
  }

  override onEvent(e: SimEvent): void {
    const c = this.tally.onEvent(e);
    if (!c || !this.judged.has(c.category)) return;
    this.count++;
    if (!this.first) this.first = `${this.ctx.egoId} hit ${c.category} ${c.other} at t=${c.time.toFixed(2)} s`;
    if (this.count > this.threshold.value) this.fail(`${this.count} collision(s) (${this.tally.summary()}); first: ${this.first}`);
  }

  result(): CriterionResult {
    const passed = this.count <= this.threshold.value;
    const which = [...this.judged].join(', ');
    return this.record({
      value: this.count,
      threshold: this.threshold.value,
      unit: 'collisions',
      passed,
      reason: passed
        ? this.count === 0 ? `no collision of ${this.ctx.egoId} with any ${which}` : `${this.count} collision(s) (${this.tally.summary()}), within the allowed ${this.threshold.value}`
        : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}
