/** Run one job in this thread: load the file, run, free. Shared by the CLI (1 worker) and the worker threads. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '../jobs.ts';
import { ScenarioError } from '../loader.ts';
import { loadScenarioFile } from '../node-io.ts';
import type { RunResult } from '../result.ts';
import { runScenario, startRun } from '../runner.ts';
import { decodeRecording, recordingFileName } from '../record/format.ts';
import { formatBreakWords } from '../break-it.ts';
import { writeRecordingFile } from '../record/file.ts';
import { recordingToMcap } from '../record/mcap.ts';
import { Recorder } from '../record/recorder.ts';
import { nodeSandbox } from '../../agents/user/sandbox-node.ts';

/** Where a run's recording goes (`skylane run --record DIR --record-mcap DIR`); plain data, it crosses to the worker threads. */
export interface RecordTarget {
  /** Folder for the `.skyrec.json.gz`. */
  dir?: string;
  /** Folder for the `.mcap`. */
  mcapDir?: string;
}

/** A job, optionally with where to write its recording. */
export type ExecJob = Job & { record?: RecordTarget };

export type JobOutcome = { index: number; result: RunResult; recorded?: string[] } | { index: number; inputError: string };

const wallClock = () => performance.now() / 1000;

export async function executeJob(job: ExecJob): Promise<JobOutcome> {
  try {
    const loaded = loadScenarioFile(job.file);
    // The run options besides seed, backend and clock (teaching switches, user agents): plain JSON, passed
    // to the run and kept in its recording's header so that `skylane replay` runs it the same way.
    const extras: Record<string, unknown> = {
      ...(job.breakIt ? { breakIt: job.breakIt } : {}),
      ...(job.agents ? { agents: job.agents } : {}),
      ...(job.agentBudgetMs !== undefined ? { agentBudgetMs: job.agentBudgetMs } : {}),
      ...(job.agentSwaps ? { agentSwaps: job.agentSwaps } : {}),
    };
    if (!job.record?.dir && !job.record?.mcapDir) {
      const result = await runScenario(loaded, { ...extras, ...(job.agents ? { sandbox: nodeSandbox } : {}), seed: job.seed, backend: job.backend, clock: wallClock });
      return { index: job.index, result };
    }
    return await executeRecorded(job, loaded, job.record, extras);
  } catch (err) {
    if (err instanceof ScenarioError) return { index: job.index, inputError: err.message };
    throw err;
  }
}

/** Run with a recorder attached, write the recording and/or its MCAP export. */
async function executeRecorded(job: ExecJob, loaded: ReturnType<typeof loadScenarioFile>, target: RecordTarget, extras: Record<string, unknown>): Promise<JobOutcome> {
  const run = await startRun(loaded, { ...extras, ...(job.agents ? { sandbox: nodeSandbox } : {}), seed: job.seed, backend: job.backend, clock: wallClock });
  let result: RunResult;
  const recorded: string[] = [];
  try {
    const recorder = new Recorder(run, { source: readFileSync(job.file, 'utf8'), extras });
    result = run.runToEnd();
    const doc = recorder.finish(result);
    const name = recordingFileName(result.scenario, job.seed, job.backend, formatBreakWords(job.breakIt));
    if (target.dir) {
      const path = join(target.dir, name);
      writeRecordingFile(path, doc);
      recorded.push(path);
    }
    if (target.mcapDir) {
      const path = join(target.mcapDir, name.replace(/\.skyrec\.json\.gz$/, '.mcap'));
      writeFileSync(path, await recordingToMcap(decodeRecording(JSON.parse(JSON.stringify(doc)), name)));
      recorded.push(path);
    }
  } finally {
    run.dispose();
  }
  return { index: job.index, result, recorded };
}
