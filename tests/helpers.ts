/** Shared test helpers: load scenario files and run them in-process, or the CLI as a user does. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ScenarioError, type LoadedScenario } from '../scenarios/loader.ts';
import { resolvedAirspaceOf, setResolvedAirspace } from '../scenarios/airspace-resolve.ts';
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

/** The ScenarioError that `f` throws; fails the test if it throws something else or nothing. */
export function scenarioErrorOf(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw new Error(`expected a ScenarioError, got ${String(err)}`);
  }
  throw new Error('expected a ScenarioError, but it loaded');
}

/** Scenario text after `edit` changes its parsed document. */
export function editedText(base: string, edit: (doc: any) => void): string {
  const doc = parseYaml(base);
  edit(doc);
  return stringifyYaml(doc);
}

/** Expect one error line: the file, then the field path, then what was expected. */
export function expectScenarioError(e: ScenarioError, file: string, fieldPath: string, expected: RegExp): void {
  expect(e.file).toBe(file);
  expect(e.fieldPath).toBe(fieldPath);
  expect(e.expected).toMatch(expected);
  expect(e.message.startsWith(`${file}: ${fieldPath}: `)).toBe(true);
}

const execFileAsync = promisify(execFile);

/** Run the real `skylane` bin as a user does; never throws on a non-zero exit. */
export async function skylane(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [`${ROOT}bin/skylane.js`, ...args], { cwd: ROOT, env: { ...process.env, SKYLANE_DEBUG: '' }, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A library scenario (path under scenarios/library), cut to `durationS` when given, to keep the suite lean. */
export function libraryScenario(rel: string, durationS?: number): LoadedScenario {
  const l = loadScenarioFile(`${LIBRARY}/${rel}`);
  if (durationS === undefined) return l;
  (l.raw as { duration: number }).duration = durationS;
  const scenario = { ...l.scenario, duration: durationS };
  // The loader's resolved airspace is keyed on the Scenario object.
  const air = resolvedAirspaceOf(l.scenario);
  if (air) setResolvedAirspace(scenario, air);
  return { ...l, scenario };
}
