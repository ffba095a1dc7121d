/**
 * `mission-completion`, FlightBench-style (Yu et al., "FlightBench: A
 * Comprehensive Benchmark of Spatial Planning Methods for Quadrotors", 2024,
 * arXiv 2406.05687; issue #4 section 7): success when the run ends with the
 * UAV within 1.5 m of its goal (seeds/ miit-2c-mission-completion-radius) and
 * it touched nothing but terrain on the way. Reports the final distance.
 */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import { thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';
import { dist, FlightCriterion } from './flight-tracker.ts';

export class MissionCompletion extends FlightCriterion {
  readonly type = 'mission-completion';
  private readonly threshold: ThresholdChoice;
  private finalM = NaN;

  constructor(name: string, actor: string, private readonly goal: readonly number[], radiusM: number | undefined) {
    super(name, actor);
    this.threshold = thresholdFrom(radiusM, 'miit-2c-mission-completion-radius');
  }

  override observe(snap: TickSnapshot): void {
    super.observe(snap);
    this.finalM = dist(this.world.stateOf(this.actor).position, this.goal);
  }

  override finish(): void {
    const r = this.threshold.value;
    if (this.track.collisions > 0) this.fail(`${this.track.collisions} collision(s); first: ${this.track.firstCollision} (ended ${this.finalM.toFixed(2)} m from the goal)`);
    else if (!(this.finalM <= r)) this.fail(`${this.actor} ended ${this.finalM.toFixed(2)} m from the goal (success within ${r} m)`);
    else this.succeed(`${this.actor} ended ${this.finalM.toFixed(2)} m from the goal with no collision`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    return this.record({
      value: Number.isFinite(this.finalM) ? this.finalM : null,
      threshold: this.threshold.value,
      unit: 'm',
      passed,
      reason: this.status === 'running' ? `${this.finalM.toFixed(2)} m from the goal so far` : passed ? `${this.actor} ended ${this.finalM.toFixed(2)} m from the goal (within ${this.threshold.value} m), no collision` : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}
