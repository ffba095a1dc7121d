/**
 * A pool of worker threads running jobs in parallel. Results come back in
 * job order whatever the completion order, so reports from N workers equal
 * reports from 1. Each worker owns a Rapier WASM instance whose memory never
 * shrinks; a worker is therefore replaced after `recycleAfter` runs, which
 * keeps long sweeps flat (see docs/determinism.md).
 */
import { Worker } from 'node:worker_threads';
import type { Job } from '../jobs.ts';
import { executeJob, type JobOutcome } from './execute.ts';

export interface PoolOptions {
  workers: number;
  recycleAfter?: number;
  onProgress?: (done: number, total: number) => void;
}

export const MIN_RUNS_PER_WORKER = 4;

type Reply = { ok: true; outcome: JobOutcome } | { ok: false; index: number; message: string };

export async function runJobs(jobs: Job[], opts: PoolOptions): Promise<JobOutcome[]> {
  const total = jobs.length;
  const out: JobOutcome[] = new Array(total);
  let done = 0;
  // A worker thread costs ~0.5 s to start and ~0.7 s to warm up (tsx, Rapier's WASM, the JIT; see
  // npm run bench), so a small batch is not split below MIN_RUNS_PER_WORKER runs per thread.
  // Results do not depend on this: every run is independent and reports come back in job order.
  const workers = Math.max(1, Math.min(opts.workers, Math.ceil(total / MIN_RUNS_PER_WORKER)));
  if (workers === 1) {
    for (let i = 0; i < total; i++) {
      out[i] = await executeJob(jobs[i]!);
      opts.onProgress?.(++done, total);
    }
    return out;
  }
  const recycleAfter = opts.recycleAfter ?? 200;
  const position = new Map(jobs.map((j, i) => [j.index, i]));
  let next = 0;
  const entry = new URL('./worker-entry.js', import.meta.url);

  const lane = async (): Promise<void> => {
    let worker: Worker | null = null;
    let runs = 0;
    try {
      while (next < total) {
        const job = jobs[next++]!;
        if (!worker || runs >= recycleAfter) {
          if (worker) await worker.terminate();
          worker = new Worker(entry);
          runs = 0;
        }
        const w: Worker = worker;
        const reply = await new Promise<Reply>((resolve, reject) => {
          const onError = (err: Error) => reject(err);
          w.once('error', onError);
          w.once('message', (m: Reply) => {
            w.off('error', onError);
            resolve(m);
          });
          w.postMessage(job);
        });
        runs++;
        if (!reply.ok) throw new Error(`run ${job.file} seed ${job.seed} (${job.backend}) crashed:\n${reply.message}`);
        out[position.get(reply.outcome.index)!] = reply.outcome;
        opts.onProgress?.(++done, total);
      }
    } finally {
      if (worker) await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: workers }, lane));
  return out;
}
