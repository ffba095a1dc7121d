/** Worker-thread side of the pool: run jobs as they come, post outcomes back. */
import { parentPort } from 'node:worker_threads';
import type { Job } from '../jobs.ts';
import { executeJob } from './execute.ts';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', async (job: Job) => {
  try {
    port.postMessage({ ok: true, outcome: await executeJob(job) });
  } catch (err) {
    port.postMessage({ ok: false, index: job.index, message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
