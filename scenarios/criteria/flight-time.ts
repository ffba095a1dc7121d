/**
 * `flight-time`: from the take-off (the UAV 0.3 m above where it started) to
 * reaching a goal, or to the touchdown (flight-tracker.ts); an optional
 * maximum. Fails when the end is never reached.
 */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import type { CriterionResult } from './criterion.ts';
import { dist, FlightCriterion } from './flight-tracker.ts';

export type FlightEnd = { goal: readonly number[]; radiusM: number } | 'landing';

export class FlightTime extends FlightCriterion {
  readonly type = 'flight-time';
  private endAt: number | null = null;

  constructor(name: string, actor: string, private readonly until: FlightEnd, private readonly maxS: number | undefined) {
    super(name, actor);
  }

  override observe(snap: TickSnapshot): void {
    super.observe(snap);
    if (this.endAt !== null || this.track.takeoffAt === null) return;
    if (this.until === 'landing') {
      if (this.track.touchdownAt !== null) this.endAt = this.track.touchdownAt;
    } else if (dist(this.world.stateOf(this.actor).position, this.until.goal) <= this.until.radiusM) {
      this.endAt = snap.time;
    }
  }

  /** Flight time, s, or null before the end. */
  get seconds(): number | null {
    return this.endAt === null || this.track.takeoffAt === null ? null : this.endAt - this.track.takeoffAt;
  }

  private get what(): string {
    return this.until === 'landing' ? 'the touchdown' : 'the goal';
  }

  override finish(): void {
    const s = this.seconds;
    if (this.track.takeoffAt === null) this.fail(`${this.actor} never took off`);
    else if (s === null) this.fail(`${this.actor} never reached ${this.what}`);
    else if (this.maxS !== undefined && s > this.maxS) this.fail(`${this.actor} took ${s.toFixed(2)} s from the take-off to ${this.what} (limit ${this.maxS} s)`);
    else this.succeed(`${this.actor} took ${s.toFixed(2)} s from the take-off to ${this.what}`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    const s = this.seconds;
    return this.record({
      value: s,
      threshold: this.maxS ?? null,
      unit: 's',
      passed,
      reason: this.status === 'running' ? 'flying' : passed ? `${this.actor} took ${s!.toFixed(2)} s from the take-off to ${this.what}${this.maxS !== undefined ? ` (limit ${this.maxS} s)` : ''}` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}
