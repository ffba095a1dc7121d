/**
 * `position-hold`: the ground-truth horizontal and vertical distance of a
 * UAV from a setpoint over a window after settling: RMS, 95th percentile
 * (nearest rank) and largest, each with an optional bound (the scenario's).
 * A window with no sample fails: it judged nothing.
 */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, type CriterionResult } from './criterion.ts';

export interface HoldBounds {
  rmsM?: number | undefined;
  p95M?: number | undefined;
  maxM?: number | undefined;
}

export interface HoldStats {
  rmsM: number;
  p95M: number;
  maxM: number;
}

/** RMS, 95th percentile (nearest rank) and largest of a sample of errors. */
export function holdStats(errors: readonly number[]): HoldStats {
  if (errors.length === 0) return { rmsM: NaN, p95M: NaN, maxM: NaN };
  let ss = 0, max = 0;
  for (const e of errors) {
    ss += e * e;
    if (e > max) max = e;
  }
  const sorted = Float64Array.from(errors).sort();
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { rmsM: Math.sqrt(ss / errors.length), p95M: p95, maxM: max };
}

export class PositionHold extends Criterion {
  readonly type = 'position-hold';
  private readonly h: number[] = [];
  private readonly v: number[] = [];

  constructor(
    name: string,
    private readonly actor: string,
    private readonly setpoint: readonly [number, number, number],
    private readonly fromS: number,
    private readonly toS: number | undefined,
    private readonly horizontal: HoldBounds,
    private readonly vertical: HoldBounds,
  ) {
    super(name, false);
  }

  override observe(snap: TickSnapshot): void {
    if (snap.time < this.fromS || (this.toS !== undefined && snap.time > this.toS)) return;
    const p = this.world.stateOf(this.actor).position, sp = this.setpoint;
    this.h.push(Math.hypot(p[0] - sp[0], p[1] - sp[1]));
    this.v.push(Math.abs(p[2] - sp[2]));
  }

  get stats(): { horizontal: HoldStats; vertical: HoldStats; samples: number } {
    return { horizontal: holdStats(this.h), vertical: holdStats(this.v), samples: this.h.length };
  }

  private describe(): string {
    const { horizontal: h, vertical: v } = this.stats;
    const f = (s: HoldStats) => `RMS ${s.rmsM.toFixed(3)} m, p95 ${s.p95M.toFixed(3)} m, max ${s.maxM.toFixed(3)} m`;
    return `horizontal ${f(h)}; vertical ${f(v)}`;
  }

  override finish(endTime: number): void {
    if (this.h.length === 0) {
      this.fail(`no sample in the window from ${this.fromS} s (run ended at ${endTime.toFixed(2)} s)`);
      return;
    }
    const st = this.stats;
    const over: string[] = [];
    for (const [axis, bounds, s] of [['horizontal', this.horizontal, st.horizontal], ['vertical', this.vertical, st.vertical]] as const) {
      for (const k of ['rmsM', 'p95M', 'maxM'] as const) {
        const b = bounds[k];
        if (b !== undefined && !(s[k] <= b)) over.push(`${axis} ${k.replace('M', '')} ${s[k].toFixed(3)} m > ${b} m`);
      }
    }
    if (over.length) this.fail(`${this.actor} held ${this.describe()}: ${over.join(', ')}`);
    else this.succeed(`${this.actor} held ${this.describe()}`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    const h = this.stats.horizontal;
    return this.record({
      value: Number.isFinite(h.rmsM) ? h.rmsM : null,
      threshold: this.horizontal.rmsM ?? null,
      unit: 'm',
      passed,
      reason: this.status === 'running' ? 'holding' : passed ? `${this.actor} held ${this.describe()}` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}
