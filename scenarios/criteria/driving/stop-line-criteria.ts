/**
 * `red-light` and `stop-sign`: the ego's red-light and stop-sign violations
 * (see stop-line-monitor.ts), twins of CARLA's RunningRedLightTest and
 * RunningStopTest. The value is the number of violations; the default
 * threshold, 0, comes from seeds. Neither ends the run.
 */
import type { TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from '../criterion.ts';
import type { DrivingContext } from './context.ts';
import { StopLineMonitor, type StopLineViolation } from './stop-line-monitor.ts';

abstract class StopLineCriterion extends Criterion {
  protected abstract readonly kind: StopLineViolation['kind'];
  readonly monitor: StopLineMonitor;
  private readonly threshold: ThresholdChoice;
  private seen = 0;

  constructor(name: string, protected readonly ctx: DrivingContext, maxViolations: number | undefined, seed: 'miit-2a-red-light-violations' | 'miit-2a-stop-sign-violations') {
    super(name, false);
    this.monitor = new StopLineMonitor(ctx);
    this.threshold = thresholdFrom(maxViolations, seed);
  }

  get egoId(): string {
    return this.ctx.egoId;
  }

  override attach(world: World): void {
    super.attach(world);
    this.monitor.attach(world);
  }

  override observe(snap: TickSnapshot): void {
    this.monitor.observe(snap);
    const n = this.monitor.count(this.kind);
    if (n !== this.seen) {
      this.seen = n;
      if (n > this.threshold.value) this.fail(`${n} ${this.kind} violation(s); first: ${this.describe(this.violationsOfKind()[0]!)}`);
    }
  }

  private violationsOfKind(): StopLineViolation[] {
    return this.monitor.violations.filter((v) => v.kind === this.kind);
  }

  private describe(v: StopLineViolation): string {
    return this.kind === 'red-light'
      ? `${this.ctx.egoId} crossed stop line ${v.stopLineId} on red (${v.lightId}) at t=${v.time.toFixed(2)} s`
      : `${this.ctx.egoId} crossed stop line ${v.stopLineId} without stopping at t=${v.time.toFixed(2)} s`;
  }

  result(): CriterionResult {
    const n = this.monitor.count(this.kind);
    const passed = n <= this.threshold.value;
    return this.record({
      value: n,
      threshold: this.threshold.value,
      unit: 'violations',
      passed,
      reason: passed ? (n === 0 ? `no ${this.kind} violation by ${this.ctx.egoId}` : `${n} ${this.kind} violation(s), within the allowed ${this.threshold.value}`) : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}

export class RedLightViolations extends StopLineCriterion {
  readonly type = 'red-light';
  protected readonly kind = 'red-light';

  constructor(name: string, ctx: DrivingContext, maxViolations?: number) {
    super(name, ctx, maxViolations, 'miit-2a-red-light-violations');
  }
}

export class StopSignViolations extends StopLineCriterion {
  readonly type = 'stop-sign';
  protected readonly kind = 'stop-sign';

  constructor(name: string, ctx: DrivingContext, maxViolations?: number) {
    super(name, ctx, maxViolations, 'miit-2a-stop-sign-violations');
  }
}
