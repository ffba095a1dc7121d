/** Shared test helpers: load scenario files and run them in-process. */
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../scenarios/node-io.ts';
import { runScenario, type RunOptions } from '../scenarios/runner.ts';
import type { RunResult } from '../scenarios/result.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const LIBRARY = `${ROOT}scenarios/library`;
export const FIXTURES = `${ROOT}tests/fixtures`;

export async function runFile(path: string, opts: RunOptions = {}): Promise<RunResult> {
  return runScenario(loadScenarioFile(path), opts);
}

export function criterion(r: RunResult, name: string) {
  const c = r.criteria.find((x) => x.name === name);
  if (!c) throw new Error(`no criterion ${name} in ${r.scenario}: ${r.criteria.map((x) => x.name).join(', ')}`);
  return c;
}

/** A run without its wall time, for equality across workers. */
export function withoutWallTime(r: RunResult): Omit<RunResult, 'wallTime'> {
  const { wallTime: _w, ...rest } = r;
  return rest;
}
