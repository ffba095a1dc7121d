/**
 * Worker-pool timing for `npm run bench` (section 4), run in a fresh child
 * process per measurement so that 1 worker (the jobs run in this process's
 * main thread) and N workers (fresh worker threads) both start cold, as a
 * `skylane run --workers K` invocation does:
 *
 *   node --import tsx scripts/bench-pool.ts --workers K --seeds A..B [--backend rapier] files...
 *
 * Prints one line `BENCH_POOL_JSON {...}`: the wall time of the runJobs call
 * (module loading before it excluded), the process's CPU time during it, each
 * run's stateHash/steps/verdict in job order, and the sum of the runs' own
 * wall times.
 */
import { parseArgs } from 'node:util';
import { runJobs } from '../scenarios/cli/pool.ts';
import { expandJobs, parseSeeds } from '../scenarios/jobs.ts';
import { BACKEND_IDS, type BackendId } from '../sim/physics/backend.ts';

export interface PoolReport {
  workers: number;
  runs: number;
  ms: number;
  /** `${stateHash}/${steps}/${verdict}` per job, in job order. */
  results: string[];
  busyS: number;
  /** CPU seconds (user + system, all threads of this process) spent during the runJobs call. */
  cpuS: number;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      workers: { type: 'string', default: '1' },
      seeds: { type: 'string', default: '1..6' },
      backend: { type: 'string', default: 'rapier' },
    },
  });
  const workers = Number(values.workers);
  if (!(Number.isSafeInteger(workers) && workers >= 1)) throw new Error('--workers must be a positive integer');
  const backend = values.backend as BackendId;
  if (!BACKEND_IDS.includes(backend)) throw new Error(`--backend must be one of ${BACKEND_IDS.join(', ')}`);
  if (positionals.length === 0) throw new Error('no scenario files given');
  const jobs = expandJobs(
    positionals.map((file) => ({ file, defaultSeed: 1 })),
    parseSeeds(values.seeds),
    [backend],
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const outcomes = await runJobs(jobs, { workers });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuS = (c.user + c.system) / 1e6;
  let busyS = 0;
  const results = outcomes.map((o, i) => {
    if (!o) throw new Error(`job ${i} produced no outcome`);
    if ('inputError' in o) throw new Error(`job ${i} (${jobs[i]?.file}): ${o.inputError}`);
    busyS += o.result.wallTime;
    return `${o.result.stateHash}/${o.result.steps}/${o.result.verdict}`;
  });
  const report: PoolReport = { workers, runs: jobs.length, ms, results, busyS, cpuS };
  process.stdout.write(`BENCH_POOL_JSON ${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-pool: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
