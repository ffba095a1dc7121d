/**
 * The criterion base, after CARLA ScenarioRunner's atomic criteria, with the
 * shared parts written once: the outcome state, terminate-on-failure, the
 * `criterion` event, and the result record. A subclass observes ground truth
 * (`observe`, `onEvent`) and reports through `fail`, `succeed` and `result`.
 * Scorers read the world's ground truth, never an agent's beliefs.
 */
import type { World } from '../../sim/world.ts';
import type { SimEvent, TickSnapshot } from '../../sim/snapshot.ts';
import { REQUIREMENTS, type RequirementId } from '../../seeds/requirements.ts';

export interface CriterionResult {
  name: string;
  type: string;
  /** The measured value (null when there is none, e.g. a goal never reached). */
  value: number | null;
  threshold: number | null;
  unit: string;
  passed: boolean;
  /** One line, for people. */
  reason: string;
  /** Where the threshold comes from: `seeds:<id>` or `scenario`. */
  thresholdSource: string;
}

export type Outcome = 'running' | 'passed' | 'failed';

export interface ThresholdChoice {
  value: number;
  source: string;
}

/** The scenario's value if given, else the seeds/ default for `id`. */
export function thresholdFrom(given: number | undefined, id: RequirementId): ThresholdChoice {
  return given !== undefined ? { value: given, source: 'scenario' } : { value: REQUIREMENTS[id].threshold, source: `seeds:${id}` };
}

export abstract class Criterion {
  abstract readonly type: string;
  readonly name: string;
  /** When true, the runner may end the run once every such criterion has passed. */
  readonly endsRun: boolean = false;
  protected world!: World;
  private outcome: Outcome = 'running';
  private failReason = '';

  constructor(name: string, protected readonly terminateOnFailure: boolean) {
    this.name = name;
  }

  get status(): Outcome {
    return this.outcome;
  }

  attach(world: World): void {
    this.world = world;
  }

  observe(_snap: TickSnapshot): void {}
  onEvent(_e: SimEvent): void {}

  /** Called once at the end of the run, before `result`. */
  finish(_endTime: number): void {}

  abstract result(): CriterionResult;

  /** Record a definitive failure (the first reason wins); ends the run if the criterion terminates. */
  protected fail(reason: string): void {
    if (this.outcome === 'failed') return;
    this.outcome = 'failed';
    this.failReason = reason;
    this.world.emit({ type: 'criterion', time: this.world.time, name: this.name, passed: false, reason });
    if (this.terminateOnFailure) this.world.stop(`${this.name} failed: ${reason}`);
  }

  /** Record a definitive success (a goal reached); failure can still override it. */
  protected succeed(reason: string): void {
    if (this.outcome !== 'running') return;
    this.outcome = 'passed';
    this.world.emit({ type: 'criterion', time: this.world.time, name: this.name, passed: true, reason });
  }

  protected get failureReason(): string {
    return this.failReason;
  }

  /**
   * The result of a criterion that keeps a running minimum against a lower
   * bound (clearance, separation, TTC): the minimum as the value (null while
   * nothing was measured), `measured(value)` as the reason while it holds,
   * `failed` once it failed.
   */
  protected minimumResult(min: number, threshold: ThresholdChoice, unit: string, measured: (value: number) => string, failed = this.failureReason, unmeasured = 'running: nothing measured yet'): CriterionResult {
    const passed = this.status !== 'failed';
    const value = Number.isFinite(min) ? min : null;
    return this.record({
      value,
      threshold: threshold.value,
      unit,
      passed,
      reason: !passed ? failed : value === null ? unmeasured : measured(value),
      thresholdSource: threshold.source,
    });
  }

  protected record(r: Omit<CriterionResult, 'name' | 'type'>): CriterionResult {
    return { name: this.name, type: this.type, ...r };
  }
}
