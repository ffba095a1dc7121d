/**
 * `skylane`: run, validate, list and merge scenario runs.
 *
 * Exit codes: 0 every run passed; 1 at least one run failed its criteria or
 * errored; 2 bad input or usage (nothing is run and no report is written).
 */
import { accessSync, constants, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { AGENTS } from '../../agents/registry.ts';
import { REQUIREMENTS } from '../../seeds/requirements.ts';
import { BACKEND_IDS, type BackendId } from '../../sim/physics/backend.ts';
import { CRITERIA } from '../criteria/index.ts';
import { expandJobs, parseSeeds, parseShard, shardJobs, type Job } from '../jobs.ts';
import { ScenarioError, type LoadedScenario } from '../loader.ts';
import { preflight } from '../build.ts';
import { displayPath, expandScenarioPaths, loadScenarioFile } from '../node-io.ts';
import { formatValue, toJUnit } from '../reports/junit.ts';
import { checkReport, sweepDrivingScore, toJson } from '../reports/json.ts';
import { runSucceeded, verdictLabel, type RunResult, type SweepInfo } from '../result.ts';
import { BREAK_WORDS_HELP, breakItLabels, formatBreakWords, isBroken, parseBreakWords } from '../break-it.ts';
import { runJobs } from './pool.ts';
import type { ExecJob, JobOutcome } from './execute.ts';
import { cmdExportMcap, cmdReplay, checkFolder } from './record-commands.ts';
import { recordingFileName } from '../record/format.ts';
import { preflightUserAgents } from '../user-agents.ts';
import { swapBuiltInAgents } from '../agent-swaps.ts';
import { locateSyntaxError, nodeSandbox } from '../../agents/user/sandbox-node.ts';
import { DEFAULT_AGENT_BUDGET_MS } from '../../agents/user/reasons.ts';
import { ACTOR_KINDS, SENSOR_TYPES } from '../schema.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const LIBRARY_DIR = resolve(HERE, '../library');

export class UsageError extends Error {}

const USAGE = `Usage:
  skylane run <files|dirs...> [--backend rapier|cannon|rapier-deterministic|all] [--seed N | --seeds A..B]
                              [--workers N] [--shard K/N] [--json FILE] [--junit FILE] [--quiet]
                              [--break v2x-off,noise-x10,stabiliser-off,zones-ignored]   (teaching mode: runs with a capability taken away)
                              [--agent ACTOR=FILE.ts ...] [--agent-budget-ms N] [--swap ACTOR=BUILTIN_AGENT ...]
                              [--record DIR] [--record-mcap DIR]
  skylane replay <recording.skyrec.json.gz>
  skylane export-mcap <recording.skyrec.json.gz> [-o OUT.mcap]
  skylane validate <files|dirs...>
  skylane list
  skylane merge <reports.json...> [--json FILE] [--junit FILE] [--allow-partial]

--record DIR writes one recording per run, DIR/<scenario>-seed<N>-<backend>[-broken-<switches>].skyrec.json.gz;
--record-mcap DIR writes its MCAP export (Foxglove schemas) as DIR/<scenario>-seed<N>-<backend>.mcap.
replay re-simulates a recording from its header and checks the verdict and state hash
(exit 0 they match, 1 they differ, 2 a bad file). See docs/recording.md.

Exit codes: 0 all runs pass, 1 a run fails or errors, 2 bad input or usage.`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  isTTY: Boolean(process.stderr.isTTY),
};

function loadAll(paths: string[], io: Io): LoadedScenario[] | null {
  if (paths.length === 0) throw new UsageError('no scenario files or folders given');
  let files: string[];
  try {
    files = expandScenarioPaths(paths);
  } catch (err) {
    if (err instanceof ScenarioError) {
      io.err(`error: ${err.message}`);
      return null;
    }
    throw err;
  }
  const loaded: LoadedScenario[] = [];
  let bad = 0;
  for (const f of files) {
    try {
      const l = loadScenarioFile(f);
      // Tolerated quirks of imported airspace files: reported, not fatal.
      for (const w of l.warnings) io.err(`warning: ${w}`);
      loaded.push(l);
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      io.err(`error: ${err.message}`);
      bad++;
    }
  }
  if (bad > 0) {
    io.err(`${bad} of ${files.length} scenario file(s) are invalid; nothing was run.`);
    return null;
  }
  return loaded;
}

function writeReport(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text);
}

/** Fail before running anything if a report could not be written. */
function checkWritable(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    st = null;
  }
  if (st?.isDirectory()) throw new UsageError(`${flag} ${path}: is a folder; expected a file path`);
  // The nearest existing ancestor must be a writable folder (missing folders are created).
  let dir = dirname(abs);
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: ${dir} is not a folder`);
      break;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${path}: cannot write in ${dir}`);
  }
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/**
 * One row per run. A `driving score` column appears when any run has a
 * `driving-score` criterion: the run's score, "-" for a run without one.
 */
export function summaryTable(runs: RunResult[]): string {
  const scored = runs.some((r) => r.criteria.some((c) => c.type === 'driving-score'));
  const score = (r: RunResult) => {
    const c = r.criteria.find((x) => x.type === 'driving-score');
    return c?.value != null ? c.value.toFixed(2) : '-';
  };
  const rows = runs.map((r) => [
    // A broken run (--break) never reads as the scenario's own.
    r.breakIt ? `${r.scenario} [broken: ${breakItLabels(r.breakIt).join(', ')}]` : r.scenario,
    String(r.seed),
    r.backend,
    verdictLabel(r),
    r.verdict === 'error' ? (r.error ?? r.endReason).slice(0, 60) : r.criteria.filter((c) => !c.passed).map((c) => `${c.name}=${formatValue(c)}`).join(', ') || '-',
    ...(scored ? [score(r)] : []),
    `${r.simTime.toFixed(2)} s`,
    `${r.wallTime.toFixed(2)} s`,
  ]);
  const head = ['scenario', 'seed', 'backend', 'verdict', 'failing criteria', ...(scored ? ['driving score'] : []), 'sim time', 'wall time'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** One line per scenario whose agents were granted ground truth: such a pass is not a perception result. */
function groundTruthNotes(runs: RunResult[]): string[] {
  const seen = new Map<string, string[]>();
  for (const r of runs) if (r.groundTruth && !seen.has(r.scenario)) seen.set(r.scenario, r.groundTruth);
  return [...seen].map(([name, grants]) => `note: ${name} grants its agents ground truth: ${grants.join('; ')}`);
}

function summaryLine(runs: RunResult[]): string {
  const passed = runs.filter((r) => r.verdict === 'pass').length;
  const xfail = runs.filter((r) => r.expectedFailure?.met && r.verdict === 'fail').length;
  const failed = runs.filter((r) => r.verdict === 'fail').length - xfail;
  const errors = runs.filter((r) => r.verdict === 'error').length;
  const rate = runs.length ? ((100 * passed) / runs.length).toFixed(1) : '0.0';
  const xpass = runs.filter((r) => r.expectedFailure && r.verdict === 'pass').length;
  const controls = xfail || xpass ? `, ${xfail} failed as expected${xpass ? `, ${xpass} passed but were expected to fail` : ''}` : '';
  return `${passed} passed, ${failed} failed${controls}${errors ? `, ${errors} errors` : ''} (${runs.length} runs, pass rate ${rate} %)`;
}

/**
 * The sweep's mean driving score, when any run has a `driving-score`
 * criterion (see `sweepDrivingScore`); per backend too when the sweep ran on
 * more than one. Null otherwise.
 */
export function drivingScoreLine(runs: readonly RunResult[]): string | null {
  const d = sweepDrivingScore(runs);
  if (!d) return null;
  const backends = Object.entries(d.byBackend);
  const per = backends.length > 1 ? ` (${backends.map(([b, m]) => `${b} ${m.mean.toFixed(2)}`).join(', ')})` : '';
  return `mean driving score ${d.mean.toFixed(2)} over ${d.runs} run${d.runs === 1 ? '' : 's'}${per}; an errored run scores 0`;
}

function progressBar(io: Io): ((done: number, total: number) => void) | undefined {
  if (!io.isTTY) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((width * done) / total);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs`);
    if (done === total) process.stderr.write('\r' + ' '.repeat(width + 24) + '\r');
  };
}

function parseBackends(s: string | undefined): BackendId[] {
  if (s === undefined) return ['rapier'];
  if (s === 'all') return ['rapier', 'cannon'];
  const ids = s.split(',');
  for (const id of ids) if (!(BACKEND_IDS as readonly string[]).includes(id)) throw new UsageError(`--backend expects one of ${BACKEND_IDS.join(', ')} or all, got "${id}"`);
  return ids as BackendId[];
}

function positiveInt(name: string, s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} expects a whole number >= 1, got "${s}"`);
  return n;
}

async function cmdRun(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      workers: { type: 'string' },
      shard: { type: 'string' },
      json: { type: 'string' },
      junit: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'recycle-after': { type: 'string' },
      break: { type: 'string' },
      record: { type: 'string' },
      'record-mcap': { type: 'string' },
      agent: { type: 'string', multiple: true },
      swap: { type: 'string', multiple: true },
      'agent-budget-ms': { type: 'string' },
    },
  });
  const breakIt = values.break === undefined
    ? undefined
    : parseBreakWords(values.break, (w) => {
      throw new UsageError(`--break: unknown switch "${w}"; expected a comma-separated list of ${BREAK_WORDS_HELP}`);
    });
  const agents = readAgentOptions(values.agent ?? []);
  const agentSwaps = readSwapOptions(values.swap ?? []);
  const agentBudgetMs = values['agent-budget-ms'] === undefined ? undefined : positiveInt('--agent-budget-ms', values['agent-budget-ms'], DEFAULT_AGENT_BUDGET_MS);
  if (values.seed !== undefined && values.seeds !== undefined) throw new UsageError('give --seed or --seeds, not both');
  let seeds: number[] | null = null;
  try {
    if (values.seed !== undefined) {
      const n = Number(values.seed);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--seed expects a whole number >= 0, got "${values.seed}"`);
      seeds = [n];
    } else if (values.seeds !== undefined) seeds = parseSeeds(values.seeds);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const backends = parseBackends(values.backend);
  const workers = positiveInt('--workers', values.workers, availableParallelism());
  const recycleAfter = positiveInt('--recycle-after', values['recycle-after'], 200);
  let shard = null;
  const shardArg = values.shard ?? (process.env.SKYLANE_SHARD || undefined);
  if (shardArg !== undefined) {
    try {
      shard = parseShard(shardArg);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }

  checkWritable('--json', values.json);
  checkWritable('--junit', values.junit);
  checkFolder('--record', values.record);
  checkFolder('--record-mcap', values['record-mcap']);
  const loaded = loadAll(positionals, io);
  if (!loaded) return 2;
  if (agentSwaps) {
    // Every swap must apply to every scenario (the actor exists, the agent drives its kind, its sensors are there).
    const bad: string[] = [];
    for (const l of loaded) {
      try {
        swapBuiltInAgents(l, agentSwaps);
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        bad.push(err.message);
      }
    }
    if (bad.length > 0) {
      for (const b of bad) io.err(`error: ${b}`);
      io.err('the --swap agents do not fit the scenarios; nothing was run.');
      return 2;
    }
  }
  if (agents) {
    // Every scenario must have the actors, of the right kind and with the sensors, before anything runs.
    const bad: string[] = [];
    for (const l of loaded) {
      try {
        preflightUserAgents(l, agents, nodeSandbox, agentBudgetMs, { locateSyntaxError });
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        bad.push(`${err.message} (scenario ${displayPath(l.file)})`);
      }
    }
    if (bad.length > 0) {
      for (const b of [...new Set(bad)]) io.err(`error: ${b}`);
      io.err('the user agents do not fit the scenarios; nothing was run.');
      return 2;
    }
  }
  const all = expandJobs(loaded.map((l) => ({ file: l.file, defaultSeed: l.scenario.seed })), seeds, backends, breakIt && isBroken(breakIt) ? breakIt : undefined)
    .map((j) => (agents ? { ...j, agents, ...(agentBudgetMs !== undefined ? { agentBudgetMs } : {}) } : j))
    .map((j) => (agentSwaps ? { ...j, agentSwaps } : j));
  const jobs: Job[] = shardJobs(all, shard);
  // Draw every run's varied values and obstacle field first: bad input must not cost a sweep.
  const byFile = new Map(loaded.map((l) => [l.file, l]));
  const checked = new Set<string>();
  const problems: string[] = [];
  for (const j of jobs) {
    const key = `${j.file}\u0000${j.seed}`;
    if (checked.has(key)) continue;
    checked.add(key);
    try {
      preflight(byFile.get(j.file)!, j.seed);
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      problems.push(`${err.message} (seed ${j.seed})`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems.slice(0, 20)) io.err(`error: ${p}`);
    if (problems.length > 20) io.err(`... and ${problems.length - 20} more`);
    io.err(`${problems.length} run(s) cannot be built from their scenario; nothing was run.`);
    return 2;
  }
  if (shard && !values.quiet) io.err(`shard ${shard.k}/${shard.n}: ${jobs.length} of ${all.length} runs`);
  const record = values.record !== undefined || values['record-mcap'] !== undefined
    ? { ...(values.record !== undefined ? { dir: resolve(values.record) } : {}), ...(values['record-mcap'] !== undefined ? { mcapDir: resolve(values['record-mcap']) } : {}) }
    : undefined;
  if (record) {
    // Recordings are named after scenario, seed and backend: two files with the same scenario name would overwrite each other.
    const names = new Map<string, string>();
    for (const j of jobs) {
      const name = recordingFileName(byFile.get(j.file)!.scenario.name, j.seed, j.backend, formatBreakWords(j.breakIt));
      const other = names.get(name);
      if (other !== undefined && other !== j.file) throw new UsageError(`--record: ${other} and ${j.file} are both named "${byFile.get(j.file)!.scenario.name}", so their recordings would overwrite each other (${name})`);
      names.set(name, j.file);
    }
    for (const d of [record.dir, record.mcapDir]) if (d) mkdirSync(d, { recursive: true });
  }
  const outcomes = await runJobs(record ? jobs.map((j): ExecJob => ({ ...j, record })) : jobs, { workers, recycleAfter, ...(values.quiet ? {} : { onProgress: progressBar(io) }) });

  const inputErrors = outcomes.filter((o): o is { index: number; inputError: string } => 'inputError' in o);
  if (inputErrors.length > 0) {
    for (const e of inputErrors) io.err(`error: ${e.inputError}`);
    io.err(`${inputErrors.length} run(s) could not be built from their scenario; no report was written.`);
    return 2;
  }
  const runs = outcomes.map((o, i) => ({ ...(o as { result: RunResult }).result, index: jobs[i]!.index }));
  const sweep: SweepInfo = { totalRuns: all.length, shard: shard ? `${shard.k}/${shard.n}` : null };
  if (!values.quiet) {
    io.out(summaryTable(runs));
    io.out('');
  }
  for (const note of groundTruthNotes(runs)) io.out(note);
  for (const note of userAgentNotes(runs)) io.out(note);
  io.out(summaryLine(runs));
  const score = drivingScoreLine(runs);
  if (score) io.out(score);
  if (values.json) writeReport(values.json, toJson(runs, sweep));
  if (values.junit) writeReport(values.junit, toJUnit(runs));
  if (record) {
    const files = outcomes.flatMap((o) => ('recorded' in o ? (o as Extract<JobOutcome, { result: RunResult }>).recorded ?? [] : []));
    const where = [record.dir, record.mcapDir].filter((d): d is string => d !== undefined).map(displayPath);
    io.out(`wrote ${files.length} recording file${files.length === 1 ? '' : 's'} to ${[...new Set(where)].join(' and ')}`);
  }
  return runs.every(runSucceeded) ? 0 : 1;
}

/** `--agent ACTOR=FILE` options: each file read once, here (the pool's workers get the text). Null when none. */
/** `--swap ACTOR=AGENT` (repeatable): a built-in agent drives that actor instead of the scenario's (the web's `agent=ego:idm-only`). */
function readSwapOptions(opts: string[]): Record<string, string> | null {
  if (opts.length === 0) return null;
  const out: Record<string, string> = {};
  for (const o of opts) {
    const m = /^([^=]+)=(.+)$/.exec(o);
    if (!m) throw new UsageError(`--swap expects ACTOR=AGENT (e.g. --swap ego=idm-only), got "${o}"`);
    const [, id, name] = m as unknown as [string, string, string];
    if (out[id]) throw new UsageError(`--swap ${id} is given twice`);
    if (!(name in AGENTS)) throw new UsageError(`--swap ${id}=${name}: unknown agent "${name}"; expected one of ${Object.keys(AGENTS).join(', ')}`);
    out[id] = name;
  }
  return out;
}

function readAgentOptions(opts: string[]): Record<string, { file: string; source: string }> | null {
  if (opts.length === 0) return null;
  const out: Record<string, { file: string; source: string }> = {};
  for (const o of opts) {
    const m = /^([^=]+)=(.+)$/.exec(o);
    if (!m) throw new UsageError(`--agent expects ACTOR=FILE (e.g. --agent ego=./my-agent.ts), got "${o}"`);
    const [, id, path] = m as unknown as [string, string, string];
    if (out[id]) throw new UsageError(`--agent ${id} is given twice`);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`--agent ${id}=${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    out[id] = { file: path, source };
  }
  return out;
}

/** Which user agent drove which actor (once per file and actor), and each run that ended in an error with its full reason. */
function userAgentNotes(runs: RunResult[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of runs) {
    for (const u of r.userAgents ?? []) {
      const key = `${u.actor}\u0000${u.file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`note: actor '${u.actor}' driven by user agent ${u.file} (sha256 ${u.sha256.slice(0, 16)}...)`);
    }
  }
  for (const r of runs) if (r.userAgents?.length && r.verdict === 'error') out.push(`error: ${r.scenario} seed ${r.seed} (${r.backend}): ${r.error ?? r.endReason}`);
  return out;
}

function cmdValidate(argv: string[], io: Io): number {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const loaded = loadAll(positionals, io);
  if (!loaded) return 2;
  for (const l of loaded) io.out(`ok  ${l.file}  (${l.scenario.name})`);
  io.out(`${loaded.length} scenario file(s) valid`);
  return 0;
}

function cmdList(io: Io): number {
  io.out('Scenarios (scenarios/library):');
  let files: string[] = [];
  try {
    files = expandScenarioPaths([LIBRARY_DIR]);
  } catch {
    /* empty library */
  }
  for (const f of files) {
    try {
      const l = loadScenarioFile(f);
      io.out(`  ${pad(l.scenario.name, 26)} ${l.scenario.description.split('\n')[0]}`);
    } catch (err) {
      io.out(`  ${pad(displayPath(f), 26)} INVALID: ${(err as Error).message}`);
    }
  }
  io.out('\nAgents:');
  for (const a of Object.values(AGENTS)) io.out(`  ${pad(a.name, 26)} ${a.description}`);
  io.out('\nCriteria (default threshold and where it comes from):');
  for (const c of CRITERIA) {
    const reqs = c.requirement ? [REQUIREMENTS[c.requirement]] : (c.requirements ?? []).map((id) => REQUIREMENTS[id]);
    const defs = reqs.length ? reqs.map((req) => `default ${req.comparison} ${req.threshold} ${req.unit} from seeds/${req.id} (plan section ${req.section})`) : ['no default: the scenario sets it'];
    io.out(`  ${pad(c.type, 26)} ${c.description}`);
    for (const def of defs) io.out(`  ${pad('', 26)} ${def}`);
  }
  io.out('\nRequirements (seeds/):');
  for (const r of Object.values(REQUIREMENTS)) io.out(`  ${pad(r.id, 30)} ${r.comparison} ${r.threshold} ${r.unit}: ${r.quantity}`);
  io.out(`\nActor kinds: ${ACTOR_KINDS.join(', ')}`);
  io.out(`Sensor types: ${SENSOR_TYPES.join(', ')}`);
  io.out(`Backends: ${BACKEND_IDS.join(', ')}`);
  return 0;
}

function cmdMerge(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'string' }, junit: { type: 'string' }, 'allow-partial': { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new UsageError('merge needs one or more JSON reports');
  checkWritable('--json', values.json);
  checkWritable('--junit', values.junit);
  const runs: RunResult[] = [];
  const totals = new Set<number>();
  let unswept = 0;
  for (const p of positionals) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(p, 'utf8'));
    } catch (err) {
      io.err(`error: ${displayPath(p)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not JSON: ${(err as Error).message}`}`);
      return 2;
    }
    const problem = checkReport(parsed);
    if (problem) {
      io.err(`error: ${displayPath(p)}: ${problem}`);
      return 2;
    }
    const rep = parsed as { runs: RunResult[]; sweep?: SweepInfo };
    if (rep.sweep) totals.add(rep.sweep.totalRuns);
    else unswept++;
    runs.push(...rep.runs);
  }
  const key = (r: RunResult) => `${r.file}\u0000${String(r.seed).padStart(16, '0')}\u0000${r.backend}`;
  const seen = new Set<string>();
  for (const r of runs) {
    if (seen.has(key(r))) {
      io.err(`error: the run ${r.file} seed ${r.seed} (${r.backend}) appears in more than one report`);
      return 2;
    }
    seen.add(key(r));
  }
  if (totals.size > 1) {
    io.err(`error: the reports come from different sweeps (${[...totals].join(', ')} runs in all)`);
    return 2;
  }
  const total = totals.size === 1 ? [...totals][0]! : null;
  if (total !== null && unswept === 0 && runs.every((r) => r.index !== undefined)) {
    // Shard reports of one sweep: restore the run-list order and check nothing is missing.
    runs.sort((a, b) => a.index! - b.index!);
    const missing = total - runs.length;
    if (missing > 0 && !values['allow-partial']) {
      io.err(`error: ${missing} of ${total} runs of the sweep are in none of these reports (a shard is missing?); pass --allow-partial to merge anyway`);
      return 2;
    }
  } else {
    runs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
  if (runs.length === 0) {
    io.err('error: the reports hold no runs');
    return 2;
  }
  const sweep: SweepInfo | undefined = total !== null ? { totalRuns: total, shard: null } : undefined;
  io.out(summaryLine(runs));
  const score = drivingScoreLine(runs);
  if (score) io.out(score);
  if (values.json) writeReport(values.json, toJson(runs, sweep));
  if (values.junit) writeReport(values.junit, toJUnit(runs));
  return runs.every(runSucceeded) ? 0 : 1;
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest, io);
      case 'validate':
        return cmdValidate(rest, io);
      case 'list':
        return cmdList(io);
      case 'merge':
        return cmdMerge(rest, io);
      case 'replay':
        return await cmdReplay(rest, io);
      case 'export-mcap':
        return await cmdExportMcap(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}
