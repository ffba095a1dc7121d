/** `max-duration`: the run must end (its goals met) by a time limit; at the limit it fails and ends the run. CARLA's Timeout, as a criterion. */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, type CriterionResult } from './criterion.ts';

export class MaxDuration extends Criterion {
  readonly type = 'max-duration';
  private endTime = 0;

  constructor(name: string, private readonly thresholdS: number) {
    super(name, true);
  }

  override observe(snap: TickSnapshot): void {
    // Strictly later than the limit: a run that ends at exactly the limit is in time.
    if (snap.time > this.thresholdS + 1e-9) this.fail(`still running at ${snap.time.toFixed(2)} s, limit ${this.thresholdS} s`);
  }

  override finish(endTime: number): void {
    this.endTime = endTime;
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed';
    return this.record({
      value: this.endTime,
      threshold: this.thresholdS,
      unit: 's',
      passed,
      reason: passed ? `run ended at ${this.endTime.toFixed(2)} s, within ${this.thresholdS} s` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}
