/** `max-duration`: the run must end (its goals met) by a time limit; at the limit it fails and ends the run. CARLA's Timeout, as a criterion. */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, type CriterionResult } from './criterion.ts';

export class MaxDuration extends Criterion {
  readonly type = 'max-duration';
  private endTime: number | null = null;

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
    const ended = this.endTime !== null;
    const t = this.endTime ?? this.world.time;
    return this.record({
      value: t,
      threshold: this.thresholdS,
      unit: 's',
      passed,
      reason: !passed ? this.failureReason : ended ? `run ended at ${t.toFixed(2)} s, within ${this.thresholdS} s` : `running at ${t.toFixed(2)} s, limit ${this.thresholdS} s`,
      thresholdSource: 'scenario',
    });
  }
}
