/**
 * Memory soak for `npm run bench` (section 5), run in a fresh child process
 * so its "before" figure is not polluted by the other sections:
 *
 *   node --expose-gc --import tsx scripts/bench-memory.ts [--runs 500] [--steps 300] [--every 50] [--backend rapier]
 *
 * It performs `--runs` consecutive short runs of rover-crossing in this one
 * process (startRun, `--steps` steps, result, dispose; seed = run number so the
 * trajectories differ) and samples process.memoryUsage() before the first run
 * after the engine is initialised, after runs 1 and 10 and every `--every`
 * runs, after a forced GC when `--expose-gc` is on. Rapier's WebAssembly
 * linear memory is reported too (captured at instantiation).
 * The samples go to stdout as one line `BENCH_MEMORY_JSON {...}`.
 */
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_IDS, type BackendId } from '../sim/physics/backend.ts';
import { createBackend } from '../sim/physics/create.ts';
import { loadScenarioFile } from '../scenarios/node-io.ts';
import { startRun } from '../scenarios/runner.ts';

export interface MemorySample {
  /** Runs completed when the sample was taken; -1 for "backend initialised, no run yet". */
  runs: number;
  /** Total byteLength of the WebAssembly linear memories instantiated so far (Rapier's), or null if none was seen. */
  wasmMemory: number | null;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryReport {
  backend: string;
  runs: number;
  stepsPerRun: number;
  gcForced: boolean;
  wallS: number;
  /** Steps actually taken over all runs (a run may end early at its goal). */
  totalSteps: number;
  samples: MemorySample[];
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Rapier's linear memory is not visible through process.memoryUsage(); catch
 * the Memory objects its module exports as it is instantiated (Rapier is
 * loaded lazily by the first createBackend, after this runs).
 */
const wasmMemories: WebAssembly.Memory[] = [];
function watchWasmInstantiation(): void {
  const orig = WebAssembly.instantiate.bind(WebAssembly) as (...a: unknown[]) => Promise<unknown>;
  const grab = (inst: unknown) => {
    if (!(inst instanceof WebAssembly.Instance)) return;
    for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) wasmMemories.push(v);
  };
  (WebAssembly as unknown as { instantiate: (...a: unknown[]) => Promise<unknown> }).instantiate = async (...a: unknown[]) => {
    const r = await orig(...a);
    grab(r instanceof WebAssembly.Instance ? r : (r as { instance?: unknown }).instance);
    return r;
  };
}

function sample(runs: number, gc: (() => void) | undefined): MemorySample {
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  const wasmMemory = wasmMemories.length ? wasmMemories.reduce((s, x) => s + x.buffer.byteLength, 0) : null;
  return { runs, wasmMemory, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '500' },
      steps: { type: 'string', default: '300' },
      every: { type: 'string', default: '50' },
      backend: { type: 'string', default: 'rapier' },
      scenario: { type: 'string', default: resolve(ROOT, 'scenarios/library/rover-crossing.yaml') },
    },
  });
  const runs = Number(values.runs), steps = Number(values.steps), every = Number(values.every);
  if (![runs, steps, every].every((n) => Number.isSafeInteger(n) && n > 0)) throw new Error('--runs, --steps and --every must be positive integers');
  const backend = values.backend as BackendId;
  if (!BACKEND_IDS.includes(backend)) throw new Error(`--backend must be one of ${BACKEND_IDS.join(', ')}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  watchWasmInstantiation();
  const loaded = loadScenarioFile(values.scenario);

  const samples: MemorySample[] = [sample(0, gc)];
  // Load and initialise the engine (for Rapier: instantiate the WASM module) with one empty world.
  (await createBackend(backend)).free();
  samples.push(sample(-1, gc));
  let totalSteps = 0;
  const t0 = performance.now();
  for (let i = 1; i <= runs; i++) {
    const run = await startRun(loaded, { backend, seed: i });
    try {
      run.step(steps);
      totalSteps += run.result().steps;
    } finally {
      run.dispose();
    }
    if (i === 1 || i === 10 || i % every === 0 || i === runs) samples.push(sample(i, gc));
  }
  const report: MemoryReport = {
    backend,
    runs,
    stepsPerRun: steps,
    gcForced: gc !== undefined,
    wallS: (performance.now() - t0) / 1000,
    totalSteps,
    samples,
  };
  process.stdout.write(`BENCH_MEMORY_JSON ${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-memory: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
