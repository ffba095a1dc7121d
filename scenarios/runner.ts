/**
 * The runner: builds a World from a scenario for one seed and backend, hooks
 * the criteria to its streams, steps it to the end (or to an early stop) and
 * returns a `RunResult`. The CLI, the worker pool and the browser all use
 * `startRun`; the CLI loops `step` to the end, the browser steps it per frame.
 */
import { hashSnapshot } from '../sim/hash.ts';
import type { BackendId } from '../sim/physics/backend.ts';
import { createBackend } from '../sim/physics/create.ts';
import type { World } from '../sim/world.ts';
import { buildScene, type BuildHooks, type RoadScene } from './build.ts';
import { applyBreakIt, isBroken, validateBreakIt, type BreakIt } from './break-it.ts';
import { swapBuiltInAgents } from './agent-swaps.ts';
import { userAgentHooks, type UserAgentReport } from './user-agents.ts';
import type { UserAgentSource } from '../agents/user/user-agent.ts';
import type { SandboxFactory } from '../agents/user/sandbox.ts';
import { groundTruthGrants } from './ground-truth-grants.ts';
import type { Criterion, CriterionResult } from './criteria/criterion.ts';
import { buildCriteria } from './criteria/index.ts';
import { instantiate, type LoadedScenario } from './loader.ts';
import type { RunResult, Verdict } from './result.ts';
import type { Scenario } from './schema.ts';

export interface RunOptions {
  /** Default: the scenario file's seed. */
  seed?: number;
  backend?: BackendId;
  /**
   * Wall clock in seconds, only for the report's `wallTime`. Injected by the
   * CLI and the web app so that the simulation path never reads a clock; without
   * it `wallTime` is 0.
   */
  clock?: () => number;
  /**
   * Teaching mode's "break it" switches (scenarios/break-it.ts), applied when
   * the world is built and recorded on the result's `breakIt`.
   */
  breakIt?: BreakIt;
  /**
   * User agents (issue #7 section 4) by actor id: each replaces that actor's
   * scenario agent. Plain data, so the web worker can receive it in a message.
   */
  agents?: Record<string, UserAgentSource>;
  /**
   * Where user agents run: the CLI passes agents/user/sandbox-node.ts's
   * `nodeSandbox`, the web worker sandbox-worker.ts's `workerSandbox`.
   * Without it, user agents are refused (this module stays browser-safe).
   */
  sandbox?: SandboxFactory;
  /** Per-call wall-time budget of a user agent, ms (default agents/user/reasons.ts DEFAULT_AGENT_BUDGET_MS). */
  agentBudgetMs?: number;
  /**
   * Built-in agent swaps, actor id -> registry name (a deep link's `agent=ego:idm-only`;
   * scenarios/agent-swaps.ts): applied to the scenario before the world is built.
   */
  agentSwaps?: Record<string, string>;
}

const noClock = () => 0;

export class Run {
  readonly criteria: Criterion[];
  private errorMessage: string | null = null;
  private ended = false;
  private readonly started: number;
  private readonly endsRun: Criterion[];
  private finalResult: RunResult | null = null;
  /** Built-in agent swaps the scenario was run with (RunOptions.agentSwaps), for the report. */
  agentSwaps: Record<string, string> | undefined = undefined;

  constructor(
    readonly loaded: LoadedScenario,
    readonly scenario: Scenario,
    readonly world: World,
    readonly seed: number,
    readonly backend: string,
    private readonly clock: () => number,
    /** The road network, lane graph and lane index, when the scenario has a road (see `RoadScene`). */
    readonly road: RoadScene | undefined = undefined,
    /** The break-it switches the world was built with (recorded on the result when any is on). */
    readonly breakIt: BreakIt | undefined = undefined,
    /** The user agents driving actors in this run (file and sha256 of the source), for the report. */
    readonly userAgents: UserAgentReport[] = [],
  ) {
    this.started = clock();
    // Driving criteria read the road scene; they share one DrivingContext per ego and route.
    this.criteria = buildCriteria({ scenario, world, road });
    for (const c of this.criteria) c.attach(world);
    // Criteria are called here, each guarded: an exception in a scorer must make the run an
    // error, not vanish into rxjs's asynchronous error reporting and leave a verdict standing.
    world.tick$.subscribe((snap) => {
      for (const c of this.criteria) this.guard(c, () => c.observe(snap));
    });
    world.events$.subscribe((e) => {
      for (const c of this.criteria) this.guard(c, () => c.onEvent(e));
      if (e.type === 'agent-error') this.errorMessage ??= `agent of '${e.actor}' failed at t=${e.time.toFixed(2)} s: ${e.detail}`;
    });
    this.endsRun = this.criteria.filter((c) => c.endsRun);
  }

  private guard(c: Criterion, f: () => void): void {
    try {
      f();
    } catch (err) {
      this.errorMessage ??= `criterion ${c.name} threw at t=${this.world.time.toFixed(2)} s: ${err instanceof Error ? err.message : String(err)}`;
      this.world.stop(`error: ${this.errorMessage}`);
    }
  }

  get done(): boolean {
    return this.ended;
  }

  get time(): number {
    return this.world.time;
  }

  /** Advance up to `n` steps; returns true while the run goes on. */
  step(n = 1): boolean {
    for (let i = 0; i < n && !this.ended; i++) {
      try {
        this.world.step();
      } catch (err) {
        this.errorMessage ??= `t=${this.world.time.toFixed(2)} s: ${err instanceof Error ? err.message : String(err)}`;
        this.world.stop(`error: ${this.errorMessage}`);
      }
      if (!this.world.stopped && this.endsRun.length > 0 && this.endsRun.every((c) => c.status === 'passed')) {
        this.world.stop('goal reached');
      }
      if (this.world.stopped || this.world.time >= this.scenario.duration - 1e-9) this.ended = true;
    }
    return !this.ended;
  }

  /** Run to the end and return the result. */
  runToEnd(): RunResult {
    while (this.step(1000));
    return this.result();
  }

  /** Live criterion values (mid-run they are provisional). */
  liveCriteria(): CriterionResult[] {
    return this.criteria.map((c) => c.result());
  }

  /** The final result; ends the run if it is still going. Idempotent. */
  result(): RunResult {
    if (this.finalResult) return this.finalResult;
    this.ended = true;
    const endTime = this.world.time;
    // Why the run ended, before the criteria's final verdicts (a failure found at the end does not end anything).
    const endReason = this.world.stoppedBecause ?? 'duration';
    for (const c of this.criteria) this.guard(c, () => c.finish(endTime));
    const criteria = this.criteria.map((c): CriterionResult => {
      try {
        return c.result();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        this.errorMessage ??= `criterion ${c.name} threw while reporting: ${why}`;
        return { name: c.name, type: c.type, value: null, threshold: null, unit: '', passed: false, reason: `threw: ${why}`, thresholdSource: '' };
      }
    });
    const verdict: Verdict = this.errorMessage ? 'error' : criteria.every((c) => c.passed) ? 'pass' : 'fail';
    const grants = groundTruthGrants(this.scenario);
    const expect = this.scenario.expect;
    const expectedFailure = expect
      ? { failing: expect.failing, why: expect.why, met: verdict === 'fail' && criteria.every((c) => !expect.failing.includes(c.name) || !c.passed) }
      : undefined;
    this.finalResult = {
      scenario: this.scenario.name,
      file: this.loaded.file,
      seed: this.seed,
      backend: this.backend,
      verdict,
      criteria,
      simTime: round(endTime, 9),
      wallTime: round(this.clock() - this.started, 3),
      stateHash: hashSnapshot(this.world.snapshot),
      steps: this.world.stepCount,
      endReason,
      ...(grants.length ? { groundTruth: grants } : {}),
      ...(isBroken(this.breakIt) ? { breakIt: { ...this.breakIt } } : {}),
      ...(this.userAgents.length ? { userAgents: this.userAgents } : {}),
      ...(this.agentSwaps && Object.keys(this.agentSwaps).length ? { agentSwaps: { ...this.agentSwaps } } : {}),
      ...(expectedFailure ? { expectedFailure } : {}),
      ...(this.errorMessage ? { error: this.errorMessage } : {}),
    };
    return this.finalResult;
  }

  dispose(): void {
    this.world.dispose();
  }
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/**
 * The concrete scenario and its World for one (scenario, seed, backend), with
 * no criteria attached. Throws ScenarioError on impossible input; the engine is
 * freed if building fails.
 */
export async function createWorld(loaded: LoadedScenario, seed: number, backend: BackendId, breakIt?: BreakIt, hooks: BuildHooks = {}): Promise<{ scenario: Scenario; world: World; road: RoadScene | undefined }> {
  const scenario = applyBreakIt(instantiate(loaded, seed), breakIt, loaded.file);
  const physics = await createBackend(backend);
  try {
    return { scenario, ...buildScene(scenario, physics, seed, loaded.file, { ...hooks, zonesIgnored: breakIt?.zonesIgnored === true }) };
  } catch (err) {
    physics.free();
    throw err;
  }
}

/** Build the world for one (scenario, seed, backend) and attach its criteria. */
export async function startRun(loaded: LoadedScenario, opts: RunOptions = {}): Promise<Run> {
  if (opts.agentSwaps && Object.keys(opts.agentSwaps).length > 0) loaded = swapBuiltInAgents(loaded, opts.agentSwaps);
  const seed = opts.seed ?? loaded.scenario.seed;
  const backendId = opts.backend ?? 'rapier';
  const breakIt = opts.breakIt === undefined ? undefined : validateBreakIt(opts.breakIt);
  // User agents are loaded (and refused on bad input, as ScenarioError) before the world is built.
  const user = userAgentHooks(loaded, opts);
  const { scenario, world, road } = await createWorld(loaded, seed, backendId, breakIt, user.hooks);
  const run = new Run(loaded, scenario, world, seed, backendId, opts.clock ?? noClock, road, breakIt, user.reports);
  if (opts.agentSwaps && Object.keys(opts.agentSwaps).length > 0) run.agentSwaps = { ...opts.agentSwaps };
  return run;
}

/** Run one scenario to its verdict and free the world. */
export async function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): Promise<RunResult> {
  const run = await startRun(loaded, opts);
  try {
    return run.runToEnd();
  } finally {
    run.dispose();
  }
}
