/**
 * The recorder: follows a `Run` (its world's `tick$` and `events$`) and, at
 * the end, produces the run's recording (scenarios/record/format.ts). It
 * only reads: the run's result and state hash are the same with and without
 * it (tests/record/recorder.test.ts).
 *
 * Attach it before the first step: the initial state is the first sample.
 * Samples are taken every `round(1 / (rateHz dt))` physics steps, plus the
 * final state when `finish` is called. No Node imports: the browser's
 * simulation worker can record too.
 */
import type { SimEvent } from '../../sim/snapshot.ts';
import { LiveMetrics, type MetricChannel } from '../metrics/live.ts';
import type { LoadedScenario } from '../loader.ts';
import type { RunResult } from '../result.ts';
import { startRun, type Run, type RunOptions } from '../runner.ts';
import {
  actorRecord,
  DEFAULT_RECORD_HZ,
  encodeDeltas,
  POSITION_QUANTUM_M,
  QUAT_QUANTUM,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  roundMetric,
  SKYLANE_VERSION,
  type RecordingDoc,
} from './format.ts';

export interface RecorderOptions {
  /** Sample rate of poses and metrics, Hz (default 20; quantised to whole physics steps). */
  rateHz?: number;
  /**
   * The scenario file's text. Default: the parsed document as JSON (a YAML
   * reader reads it back to the same document).
   */
  source?: string;
  /** The run options used besides seed, backend and clock (user agents, teaching switches); must be plain JSON. */
  extras?: Record<string, unknown>;
}

export class Recorder {
  readonly metrics: LiveMetrics;
  readonly periodSteps: number;
  private readonly steps: number[] = [];
  private readonly positions: number[][];
  private readonly rotations: number[][];
  private readonly goneFrom: (number | null)[];
  private readonly dynamic: boolean[];
  private readonly values: Map<MetricChannel, (number | null)[]>;
  private readonly events: SimEvent[] = [];
  private readonly rateHz: number;
  private doc: RecordingDoc | null = null;
  /** The first failure while sampling (kept, not thrown: a throw in an rxjs subscriber would escape asynchronously). */
  private failure: string | null = null;

  constructor(private readonly run: Run, private readonly opts: RecorderOptions = {}) {
    const world = run.world;
    const rateHz = opts.rateHz ?? DEFAULT_RECORD_HZ;
    if (!(rateHz > 0) || !Number.isFinite(rateHz)) throw new RangeError(`recording rate must be a positive number of Hz, got ${rateHz}`);
    this.periodSteps = Math.max(1, Math.round(1 / (rateHz * world.dt)));
    this.rateHz = 1 / (this.periodSteps * world.dt);
    const n = world.snapshot.actors.length;
    this.positions = Array.from({ length: n }, () => []);
    this.rotations = Array.from({ length: n }, () => []);
    this.goneFrom = new Array<number | null>(n).fill(null);
    const actors = world.actors();
    this.dynamic = actors.map((a) => !a.descriptor.isStatic);
    this.metrics = new LiveMetrics(run);
    this.values = new Map(this.metrics.channels.map((c) => [c, []]));
    if (world.stepCount === 0) this.sample();
    world.tick$.subscribe((snap) => {
      if (snap.step % this.periodSteps === 0 && this.failure === null) this.guardedSample();
    });
    world.events$.subscribe((e) => this.events.push(structuredClone(e)));
  }

  private guardedSample(): void {
    try {
      this.sample();
    } catch (err) {
      this.failure = `at t=${this.run.world.time.toFixed(2)} s: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private sample(): void {
    const world = this.run.world;
    const snap = world.snapshot;
    if (snap.actors.length !== this.positions.length) throw new Error(`recorder: the world had ${this.positions.length} actors at the start and has ${snap.actors.length} now; actors added mid-run are not recorded`);
    const k = this.steps.length;
    this.steps.push(world.stepCount);
    for (let i = 0; i < snap.actors.length; i++) {
      const s = snap.actors[i]!;
      if (!s.present && this.goneFrom[i] === null) this.goneFrom[i] = k;
      if (!this.dynamic[i] && k > 0) continue;
      this.positions[i]!.push(s.position[0], s.position[1], s.position[2]);
      this.rotations[i]!.push(s.rotation[0], s.rotation[1], s.rotation[2], s.rotation[3]);
    }
    const m = this.metrics.sample();
    for (const [ch, list] of this.values) list.push(roundMetric(m.values[ch]));
  }

  /** The recording, with the run's final state and result (default: `run.result()`). Idempotent. */
  finish(result: RunResult = this.run.result()): RecordingDoc {
    if (this.doc) return this.doc;
    const world = this.run.world;
    if (this.failure === null && this.steps[this.steps.length - 1] !== world.stepCount) this.guardedSample();
    // The run itself is unaffected; the recording is not made rather than made partial.
    if (this.failure !== null) throw new Error(`recording ${this.run.scenario.name} seed ${this.run.seed} failed ${this.failure}`);
    const loaded = this.run.loaded;
    const airspace = (this.run.scenario.world as { airspace?: { origin?: { latDeg: number; lonDeg: number; altM: number } } }).airspace;
    const driven = new Set(world.agentDriven());
    this.doc = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      header: {
        skylane: SKYLANE_VERSION,
        scenario: this.run.scenario.name,
        file: loaded.file,
        source: this.opts.source ?? JSON.stringify(loaded.raw, null, 1),
        dataFiles: Object.fromEntries(loaded.airspaceFiles ?? []),
        seed: this.run.seed,
        backend: this.run.backend,
        extras: structuredClone(this.opts.extras ?? {}),
        rateHz: this.rateHz,
        dt: world.dt,
        origin: airspace?.origin ? { latDeg: airspace.origin.latDeg, lonDeg: airspace.origin.lonDeg, altM: airspace.origin.altM } : null,
      },
      actors: world.actors().map((a) => actorRecord(a.descriptor, driven.has(a.id))),
      steps: [...this.steps],
      tracks: this.positions.map((p, i) => ({
        p: encodeDeltas(p, 3, POSITION_QUANTUM_M),
        q: encodeDeltas(this.rotations[i]!, 4, QUAT_QUANTUM),
        goneFrom: this.goneFrom[i]!,
      })),
      events: this.events,
      metrics: { channels: [...this.values.keys()], values: Object.fromEntries(this.values) },
      result: structuredClone(result),
    };
    return this.doc;
  }
}

/** Run a scenario to its verdict while recording it; frees the world. */
export async function recordScenario(loaded: LoadedScenario, opts: RunOptions & RecorderOptions = {}): Promise<{ result: RunResult; recording: RecordingDoc }> {
  const { rateHz, source, extras, ...runOpts } = opts;
  const run = await startRun(loaded, { ...(extras ?? {}), ...runOpts } as RunOptions);
  try {
    const rec = new Recorder(run, { ...(rateHz !== undefined ? { rateHz } : {}), ...(source !== undefined ? { source } : {}), ...(extras ? { extras } : {}) });
    const result = run.runToEnd();
    return { result, recording: rec.finish(result) };
  } finally {
    run.dispose();
  }
}
