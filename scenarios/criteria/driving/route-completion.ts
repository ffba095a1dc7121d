/**
 * `route-completion`: the share of its route the ego drove, 0..100 %, as
 * CARLA's RouteCompletionTest measures it (see route-progress.ts). Passes at
 * or above the threshold (default from seeds: 99 %, CARLA's). It succeeds as
 * soon as the route is complete and can then end the run (`endsRun`).
 */
import type { TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from '../criterion.ts';
import type { DrivingContext } from './context.ts';
import { RouteProgress } from './route-progress.ts';

export class RouteCompletion extends Criterion {
  readonly type = 'route-completion';
  override readonly endsRun: boolean;
  readonly progress: RouteProgress;
  private readonly threshold: ThresholdChoice;
  private completedAt: number | null = null;

  constructor(name: string, private readonly ctx: DrivingContext, o: { minPercent?: number; endsRun?: boolean } = {}) {
    super(name, false);
    this.progress = new RouteProgress(ctx);
    this.threshold = thresholdFrom(o.minPercent, 'miit-2a-route-completion');
    this.endsRun = o.endsRun ?? false;
  }

  get egoId(): string {
    return this.ctx.egoId;
  }

  override attach(world: World): void {
    super.attach(world);
    this.progress.attach(world);
  }

  override observe(snap: TickSnapshot): void {
    this.progress.observe();
    if (this.completedAt === null && this.progress.complete) {
      this.completedAt = snap.time;
      this.succeed(`${this.ctx.egoId} completed its ${this.progress.lengthM.toFixed(1)} m route at t=${snap.time.toFixed(2)} s`);
    }
  }

  override finish(endTime: number): void {
    if (this.progress.percent < this.threshold.value) {
      this.fail(`${this.ctx.egoId} drove ${this.progress.percent.toFixed(1)} % of its ${this.progress.lengthM.toFixed(1)} m route by t=${endTime.toFixed(2)} s (need ${this.threshold.value} %)`);
    }
  }

  result(): CriterionResult {
    const pct = this.progress.percent;
    const passed = this.status !== 'failed' && pct >= this.threshold.value;
    return this.record({
      value: pct,
      threshold: this.threshold.value,
      unit: '%',
      passed,
      reason: this.status === 'failed'
        ? this.failureReason
        : this.completedAt !== null
          ? `route completed at t=${this.completedAt.toFixed(2)} s`
          : `${pct.toFixed(1)} % of the ${this.progress.lengthM.toFixed(1)} m route so far`,
      thresholdSource: this.threshold.source,
    });
  }
}
