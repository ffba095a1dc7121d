/** `reach-goal`: the actor's centre enters a disc in the ground plane by a deadline. Twin of CARLA's RouteCompletionTest for a point goal. */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, type CriterionResult } from './criterion.ts';

export class ReachGoal extends Criterion {
  readonly type = 'reach-goal';
  override readonly endsRun: boolean;
  private reachedAt: number | null = null;
  private closest = Infinity;

  constructor(
    name: string,
    private readonly actor: string,
    private readonly center: [number, number],
    private readonly radiusM: number,
    private readonly withinS: number,
    endsRun: boolean,
  ) {
    super(name, true);
    this.endsRun = endsRun;
  }

  override observe(snap: TickSnapshot): void {
    if (this.status !== 'running') return;
    const s = this.world.stateOf(this.actor);
    const d = Math.hypot(s.position[0] - this.center[0], s.position[1] - this.center[1]);
    if (d < this.closest) this.closest = d;
    if (d <= this.radiusM && s.present) {
      this.reachedAt = snap.time;
      this.succeed(`${this.actor} reached the goal at t=${snap.time.toFixed(2)} s`);
    } else if (snap.time >= this.withinS) {
      this.fail(`${this.actor} did not reach the goal by ${this.withinS} s (closest ${this.closest.toFixed(2)} m from its centre)`);
    }
  }

  override finish(endTime: number): void {
    if (this.status === 'running') {
      this.fail(`${this.actor} did not reach the goal (run ended at ${endTime.toFixed(2)} s, closest ${this.closest.toFixed(2)} m from its centre)`);
    }
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    return this.record({
      value: this.reachedAt,
      threshold: this.withinS,
      unit: 's',
      passed,
      reason: passed ? `${this.actor} reached the goal at ${this.reachedAt!.toFixed(2)} s (limit ${this.withinS} s)` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}
