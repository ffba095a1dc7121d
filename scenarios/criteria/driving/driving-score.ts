/**
 * `driving-score`: the CARLA Leaderboard's driving score for one run, route
 * completion (%) times the product of one penalty coefficient per
 * infraction:
 *   collision with a pedestrian 0.50, with a vehicle 0.60, with a static
 *   object 0.65, red light run 0.70, stop sign run 0.80
 * (CARLA Leaderboard 1.0 infraction coefficients; collisions de-duplicated as
 * in `driving-collisions`). It owns its own measuring parts (route progress,
 * collision tally, stop-line monitor), so it needs no other criterion in the
 * scenario. Leaderboard 1.0 also subtracts the share of the route driven off
 * road from the completion; Skylane judges off-road separately (`off-road`).
 *
 * The score has no project default threshold: a scenario sets `minScore`.
 * `meanDrivingScore` averages it over the runs of a sweep, as the Leaderboard
 * averages over routes.
 */
import type { SimEvent, TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import type { RunResult } from '../../result.ts';
import { Criterion, type CriterionResult } from '../criterion.ts';
import { CollisionTally } from './collision-tally.ts';
import type { DrivingContext } from './context.ts';
import { RouteProgress } from './route-progress.ts';
import { StopLineMonitor } from './stop-line-monitor.ts';

/** CARLA Leaderboard 1.0 penalty coefficients, one factor per infraction. */
export const CARLA_PENALTIES = {
  pedestrian: 0.5,
  vehicle: 0.6,
  static: 0.65,
  redLight: 0.7,
  stopSign: 0.8,
} as const;

export type InfractionCounts = Record<keyof typeof CARLA_PENALTIES, number>;

/** Route completion (%) x the product of the penalties of `counts`. */
export function drivingScore(routeCompletionPercent: number, counts: InfractionCounts): number {
  let penalty = 1;
  for (const k of Object.keys(CARLA_PENALTIES) as (keyof typeof CARLA_PENALTIES)[]) penalty *= CARLA_PENALTIES[k] ** counts[k];
  return routeCompletionPercent * penalty;
}

export class DrivingScore extends Criterion {
  readonly type = 'driving-score';
  readonly route: RouteProgress;
  readonly collisions: CollisionTally;
  readonly stopLines: StopLineMonitor;

  constructor(name: string, private readonly ctx: DrivingContext, private readonly minScore: number) {
    super(name, false);
    if (!(minScore >= 0 && minScore <= 100)) throw new RangeError(`${name}: minScore must be in [0, 100], got ${minScore}`);
    this.route = new RouteProgress(ctx);
    this.collisions = new CollisionTally(ctx);
    this.stopLines = new StopLineMonitor(ctx);
  }

  get infractions(): InfractionCounts {
    const c = this.collisions.counts;
    return { pedestrian: c.pedestrian, vehicle: c.vehicle, static: c.static, redLight: this.stopLines.count('red-light'), stopSign: this.stopLines.count('stop-sign') };
  }

  get egoId(): string {
    return this.ctx.egoId;
  }

  /** The product of the penalty coefficients so far, 0..1 (the score is route % times this). */
  get penalty(): number {
    return drivingScore(1, this.infractions);
  }

  /** The score so far, 0..100. */
  get score(): number {
    return drivingScore(this.route.percent, this.infractions);
  }

  override attach(world: World): void {
    super.attach(world);
    this.route.attach(world);
    this.collisions.attach(world);
    this.stopLines.attach(world);
  }

  override observe(snap: TickSnapshot): void {
    this.route.observe();
    this.collisions.observe();
    this.stopLines.observe(snap);
  }

  override onEvent(e: SimEvent): void {
    this.collisions.onEvent(e);
  }

  override finish(): void {
    if (this.score < this.minScore) this.fail(this.describe());
  }

  private describe(): string {
    const i = this.infractions;
    const list = (Object.keys(i) as (keyof InfractionCounts)[]).filter((k) => i[k] > 0).map((k) => `${k} x${i[k]}`);
    return `score ${this.score.toFixed(1)} = route ${this.route.percent.toFixed(1)} % x penalties (${list.length ? list.join(', ') : 'no infraction'})`;
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed' && this.score >= this.minScore;
    return this.record({
      value: this.score,
      threshold: this.minScore,
      unit: 'score',
      passed,
      reason: this.status === 'failed' ? this.failureReason : this.describe(),
      thresholdSource: 'scenario',
    });
  }
}

/**
 * The mean driving score over runs (a sweep), from their reports: each run's
 * first criterion of type `driving-score` (or the one named `name`). A run
 * that errored, or has no such criterion, scores 0 (an error is not a
 * drive; Skylane's conservative choice); `runs` counts every run.
 */
export function meanDrivingScore(runs: readonly RunResult[], name?: string): { mean: number; runs: number } {
  if (runs.length === 0) return { mean: NaN, runs: 0 };
  let sum = 0;
  for (const r of runs) {
    const c = r.criteria.find((x) => x.type === 'driving-score' && (name === undefined || x.name === name));
    sum += r.verdict !== 'error' && c?.value != null ? c.value : 0;
  }
  return { mean: sum / runs.length, runs: runs.length };
}
