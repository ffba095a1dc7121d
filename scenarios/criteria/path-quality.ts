/**
 * Path quality, FlightBench-style (Yu et al., "FlightBench: Benchmarking
 * learning-based methods for ego-vision-based quadrotors navigation", 2024,
 * reports path length ratios and completion; issue #4 section 7):
 *
 * - `path-efficiency`: the length the actor travelled divided by the
 *   straight-line distance from where it started to the goal (1 is a straight
 *   flight). Fails above `maxRatio`, and fails when the actor did not reach
 *   the goal disc: a short path that stops early is not efficient.
 * - `cross-track-error`: the largest horizontal distance from the actor's
 *   centre to a reference polyline (its planned route), and its RMS over the
 *   run. Fails when the largest exceeds `maxM`.
 *
 * Both read ground truth once per tick and allocate nothing per tick. Both
 * are 3D where the scenario gives z (a UAV's route), 2D otherwise.
 */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, type CriterionResult } from './criterion.ts';

export class PathEfficiency extends Criterion {
  readonly type = 'path-efficiency';
  private travelledM = 0;
  private last: [number, number, number] | null = null;
  private start: [number, number, number] | null = null;
  private reachedAt: number | null = null;

  constructor(
    name: string,
    private readonly actor: string,
    private readonly goal: readonly number[],
    private readonly radiusM: number,
    private readonly maxRatio: number,
  ) {
    super(name, false);
  }

  override observe(snap: TickSnapshot): void {
    if (this.reachedAt !== null) return;
    const p = this.world.stateOf(this.actor).position;
    const z = this.goal.length > 2 ? p[2] : 0;
    if (!this.last) {
      this.start = [p[0], p[1], z];
      this.last = [p[0], p[1], z];
    } else {
      this.travelledM += Math.hypot(p[0] - this.last[0], p[1] - this.last[1], z - this.last[2]);
      this.last[0] = p[0];
      this.last[1] = p[1];
      this.last[2] = z;
    }
    const gz = this.goal.length > 2 ? this.goal[2]! : 0;
    if (Math.hypot(p[0] - this.goal[0]!, p[1] - this.goal[1]!, z - gz) <= this.radiusM) this.reachedAt = snap.time;
  }

  /** Travelled length over the straight-line start-to-goal distance; NaN before the first tick. */
  get ratio(): number {
    if (!this.start) return NaN;
    const gz = this.goal.length > 2 ? this.goal[2]! : 0;
    const straight = Math.hypot(this.goal[0]! - this.start[0], this.goal[1]! - this.start[1], gz - this.start[2]);
    return straight > 0 ? this.travelledM / straight : NaN;
  }

  override finish(): void {
    if (this.status !== 'running') return;
    const r = this.ratio;
    if (this.reachedAt === null) this.fail(`${this.actor} never reached the goal (within ${this.radiusM} m), so its path has no efficiency`);
    else if (!(r <= this.maxRatio)) this.fail(`${this.actor} flew ${r.toFixed(3)} times the straight-line distance (limit ${this.maxRatio})`);
    else this.succeed(`${this.actor} flew ${r.toFixed(3)} times the straight-line distance`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    const r = this.ratio;
    return this.record({
      value: Number.isFinite(r) ? r : null,
      threshold: this.maxRatio,
      unit: 'ratio',
      passed,
      reason: this.status === 'running' ? `${Number.isFinite(r) ? r.toFixed(3) : '-'} so far` : passed ? `${this.actor} flew ${r.toFixed(3)} times the straight-line distance (limit ${this.maxRatio})` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}

export class CrossTrackError extends Criterion {
  readonly type = 'cross-track-error';
  private maxErr = 0;
  private sumSq = 0;
  private n = 0;

  constructor(
    name: string,
    private readonly actor: string,
    private readonly route: readonly (readonly number[])[],
    private readonly maxM: number,
  ) {
    super(name, false);
    if (route.length < 2) throw new RangeError(`${name}: the route needs at least two points`);
  }

  override observe(): void {
    const s = this.world.stateOf(this.actor);
    if (!s.present) return;
    const e = distanceToPolyline(this.route, s.position[0], s.position[1], s.position[2]);
    if (e > this.maxErr) this.maxErr = e;
    this.sumSq += e * e;
    this.n++;
  }

  get rmsM(): number {
    return this.n ? Math.sqrt(this.sumSq / this.n) : NaN;
  }

  override finish(): void {
    if (this.status !== 'running') return;
    if (this.maxErr > this.maxM) this.fail(`${this.actor} strayed ${this.maxErr.toFixed(2)} m from its route (limit ${this.maxM} m; RMS ${this.rmsM.toFixed(2)} m)`);
    else this.succeed(`${this.actor} kept within ${this.maxErr.toFixed(2)} m of its route (RMS ${this.rmsM.toFixed(2)} m)`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    return this.record({
      value: this.n ? this.maxErr : null,
      threshold: this.maxM,
      unit: 'm',
      passed,
      reason: this.status === 'running' ? `max ${this.maxErr.toFixed(2)} m so far` : passed ? `${this.actor} kept within ${this.maxErr.toFixed(2)} m of its route (RMS ${this.rmsM.toFixed(2)} m; limit ${this.maxM} m)` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}

/**
 * Distance from (x, y, z) to a polyline of [x, y] or [x, y, z] points
 * (2D points ignore z: the route is then a ground track).
 */
export function distanceToPolyline(route: readonly (readonly number[])[], x: number, y: number, z: number): number {
  let best = Infinity;
  for (let i = 0; i + 1 < route.length; i++) {
    const a = route[i]!, b = route[i + 1]!;
    const threeD = a.length > 2 && b.length > 2;
    const az = threeD ? a[2]! : 0, bz = threeD ? b[2]! : 0, pz = threeD ? z : 0;
    const dx = b[0]! - a[0]!, dy = b[1]! - a[1]!, dz = bz - az;
    const len2 = dx * dx + dy * dy + dz * dz;
    const u = len2 > 0 ? Math.min(Math.max(((x - a[0]!) * dx + (y - a[1]!) * dy + (pz - az) * dz) / len2, 0), 1) : 0;
    const d = Math.hypot(x - (a[0]! + u * dx), y - (a[1]! + u * dy), pz - (az + u * dz));
    if (d < best) best = d;
  }
  return best;
}
