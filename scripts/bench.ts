/**
 * `npm run bench`: Skylane's performance figures on this machine.
 *
 *   1. rover-crossing on each backend: steps per wall second, real-time factor.
 *   2. Framework overhead: the Skylane step against the bare backend step for
 *      the same bodies on the same trajectory, and where the Skylane step goes.
 *   3. Ray casting (issue #4, section 4): rays per second of Skylane's own
 *      caster (sim/perception/: a BVH over static primitives, exact analytic
 *      tests) beside PhysicsBackend.castRay on Rapier and cannon-es, on the
 *      same rays, in the rover-crossing world (its range ring) and in a
 *      seeded forest of 200 pillars (a 16 x 90 lidar pattern).
 *   4. Worker scaling: a batch of runs through runJobs with 1 and N workers
 *      (each in a fresh process, scripts/bench-pool.ts), and whether the
 *      results are identical.
 *   5. Memory: RSS and heap over 500 consecutive short runs in one process
 *      (a child process, scripts/bench-memory.ts).
 *   6. Dense highway (issue #3, section 10): the ego car on full dynamics
 *      (raycast vehicle, ha-pilot, five sensors) among 36 kinematic IDM/MOBIL
 *      NPC cars (tests/fixtures/cars/bench-dense-highway.yaml): real-time
 *      factor against the >= 100x goal, the bare engine step for the same
 *      bodies on the same trajectory, and where the step goes; both in wall
 *      time and in CPU time (the machine may be shared).
 *   7. One drone (issue #4, section 10): a PX4 SITL Iris flown by uav-pilot
 *      (estimator + flight stack at 250 Hz, IMU, GNSS, barometer, the 360 deg
 *      lidar-3d at 10 Hz) through scenarios/library/uav/pillar-band.yaml:
 *      real-time factor against the >= 100x goal, the bare engine step for
 *      the same body on the same trajectory, where the step goes, and the
 *      lidar's own rays per second (noise and all) beside section 3's casters.
 *   8. A 50-drone swarm (issue #4, section 10): real-time factor against the
 *      >= 10x goal, the same figures as section 7, on the library's
 *      scenarios/library/uav/swarm-50-crossing.yaml: 50 `swarm` agents (each
 *      its own estimator, flight stack, IMU, GNSS, barometer and V2X radio)
 *      swapping across a circle with ORCA.
 *   9. Gimbal (issue #5), scenarios/library/gimbal/hover-light.yaml: the
 *      gimbal sub-simulation alone in microseconds per simulated millisecond
 *      (Gimbal.advance replayed over the airframe motion recorded from a run,
 *      per controller: gimbal-stabilizer, gimbal-pid-basic, none; split into
 *      dynamics, controller and vibration), and the scenario's real-time
 *      factor on both backends with its gimbal block removed, with one gimbal
 *      (`compare: []`) and as in the library (three gimbals).
 *
 * Figures are medians over trials; the compared measurements of a section are
 * interleaved inside each trial (alternating order) so they see the same noise.
 * Options: --trials N (default 5), --quick (3 trials, shorter memory soak),
 * --only 1,2,... (run some sections only, 1-9). Progress goes to stderr, results to stdout.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { executeJob, type JobOutcome } from '../scenarios/cli/execute.ts';
import type { Job } from '../scenarios/jobs.ts';
import { addGimbals } from '../scenarios/gimbal-build.ts';
import { loadScenarioText, type LoadedScenario } from '../scenarios/loader.ts';
import { loadScenarioFile } from '../scenarios/node-io.ts';
import { createWorld, startRun } from '../scenarios/runner.ts';
import { GIMBAL_CRITERION_TYPES } from '../scenarios/schema.ts';
import type { Agent } from '../sim/agent.ts';
import { DEG, quatFromYaw, rotateVec, type Pose, type Quat, type Vec3 } from '../sim/math.ts';
import type { BackendId, BodyHandle, PhysicsBackend, VehicleHandle } from '../sim/physics/backend.ts';
import { createBackend } from '../sim/physics/create.ts';
import { RayCaster as FastCaster } from '../sim/perception/ray-caster.ts';
import { newSceneHit, StaticScene } from '../sim/perception/static-scene.ts';
import { Rng } from '../sim/rng.ts';
import { VLP_16 } from '../sim/sensors/lidar-3d.ts';
import type { Sensor } from '../sim/sensor.ts';
import type { ActorState } from '../sim/snapshot.ts';
import { World, type AttachOptions } from '../sim/world.ts';
import { Gimbal } from '../uav/gimbal/gimbal.ts';
import { gimbalsOf, type GimbalService } from '../uav/gimbal/service.ts';
import type { Multirotor } from '../uav/multirotor/multirotor.ts';
import type { MemoryReport } from './bench-memory.ts';
import type { PoolReport } from './bench-pool.ts';

// ------------------------------------------------------------------ setup

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LIBRARY = resolve(ROOT, 'scenarios/library');
const CROSSING = resolve(LIBRARY, 'rover-crossing.yaml');
const LIBRARY_FILES = ['rover-crossing.yaml', 'rover-moving-obstacle.yaml', 'rover-random-field.yaml'].map((f) => resolve(LIBRARY, f));
const BACKENDS: BackendId[] = ['rapier', 'cannon'];
const EGO = 'ego';
const DENSE = resolve(ROOT, 'tests/fixtures/cars/bench-dense-highway.yaml');
/** Issue #3, section 10: the dense highway's headless real-time factor on one core. */
const DENSE_RTF_GOAL = 100;
/** Section 7: one drone with its 360-degree lidar among obstacles. */
const ONE_DRONE = resolve(LIBRARY, 'uav/pillar-band.yaml');
/** Issue #4, section 10: one drone, control >= 250 Hz and the 360-degree sensor at 10 Hz, >= 100x real time. */
const ONE_DRONE_RTF_GOAL = 100;
/** Section 8: the 50-drone swarm (swap for scenarios/library/uav/swarm-50-crossing.yaml once it lands). */
const SWARM = resolve(ROOT, 'scenarios/library/uav/swarm-50-crossing.yaml');
/** Issue #4, section 10: a 50-drone swarm >= 10x real time. */
const SWARM_RTF_GOAL = 10;
/** gym-pybullet-drones' published figures (Panerati et al., IROS 2021, Table II / README): context, not a goal. */
/** Section 9: the gimbal acceptance scenario (issue #5): one drone hovering in light turbulence, three gimbals (`compare`). */
const GIMBAL_HOVER = resolve(LIBRARY, 'gimbal/hover-light.yaml');
/** The controllers section 9 times alone: the reference, the baseline and none (the library file's three). */
const GIMBAL_BENCH_CONTROLLERS = ['gimbal-stabilizer', 'gimbal-pid-basic', 'none'];
const GYM_PYBULLET_DRONES = '15.5x for one drone at 240 Hz, 0.8x for 80 drones (Panerati et al. 2021, "Learning to Fly", gym-pybullet-drones)';

const USAGE = 'usage: npm run bench -- [--trials N] [--quick] [--only 1,2,3,4,5,6,7,8,9]';
let argv: { trials?: string; quick?: boolean; only?: string; help?: boolean };
try {
  argv = parseArgs({
    options: {
      trials: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(2);
}
if (argv.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}
const TRIALS = argv.trials !== undefined ? Number(argv.trials) : argv.quick ? 3 : 5;
if (!(Number.isSafeInteger(TRIALS) && TRIALS >= 1)) {
  process.stderr.write(`bench: --trials expects a positive integer, got "${argv.trials}"\n`);
  process.exit(2);
}
const ONLY = new Set((argv.only ?? '1,2,3,4,5,6,7,8,9').split(',').map((s) => Number(s.trim())));
if ([...ONLY].some((n) => !(Number.isInteger(n) && n >= 1 && n <= 9))) {
  process.stderr.write(`bench: --only expects section numbers 1-9, got "${argv.only}"\n${USAGE}\n`);
  process.exit(2);
}
const MEMORY_RUNS = argv.quick ? 200 : 500;
const MEMORY_EVERY = 50;
const MEMORY_STEPS = 300;
const SCALING_SEEDS = 6;
/** The larger worker-scaling batch: 3 scenarios x seeds 1..LARGE_SEEDS. */
const LARGE_SEEDS = 20;
/** Skylane/raw run pairs per trial in sections 1-2 (summed): longer measurements, same interleaving. */
const REPEAT = 3;

/**
 * Source files' modification times when the bench starts. Worker threads and
 * the memory child load the code afresh, so an edit made while the bench runs
 * (other people work in this tree) can make their results differ: it is reported.
 */
const SOURCE_DIRS = ['sim', 'scenarios', 'agents', 'vehicles', 'uav', 'seeds'];
function sourceTimes(): Map<string, number> {
  const times = new Map<string, number>();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      try {
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (/\.(ts|js|ya?ml|json)$/.test(name)) times.set(relative(ROOT, p), st.mtimeMs);
      } catch {
        times.set(relative(ROOT, p), -1);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(resolve(ROOT, d));
  return times;
}
const SOURCES_AT_START = sourceTimes();
function changedSources(): string[] {
  const nowTimes = sourceTimes();
  const changed = new Set<string>();
  for (const [f, t] of nowTimes) if (SOURCES_AT_START.get(f) !== t) changed.add(f);
  for (const f of SOURCES_AT_START.keys()) if (!nowTimes.has(f)) changed.add(f);
  return [...changed].sort();
}

const now = () => performance.now();
/**
 * CPU time of this process, ms. On a machine shared with other work, wall
 * time also counts the time this thread waited for a core; CPU time does not
 * (it still includes V8's helper threads, e.g. concurrent GC). Section 6
 * reports both.
 */
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const progress = (s: string) => process.stderr.write(`  … ${s}\n`);
const out = (s = '') => process.stdout.write(s + '\n');

// ------------------------------------------------------------------ formatting

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Half the min-max range relative to the median, as "±x %". */
function spread(xs: readonly number[]): string {
  if (xs.length < 2) return '';
  const m = median(xs);
  return `±${((50 * (Math.max(...xs) - Math.min(...xs))) / m).toFixed(0)} %`;
}

function num(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function loadavg(): string {
  const [a, b, c] = os.loadavg();
  return `load average ${num(a ?? 0, 2)} / ${num(b ?? 0, 2)} / ${num(c ?? 0, 2)} (1/5/15 min)`;
}

function mib(bytes: number): string {
  return num(bytes / 2 ** 20, 1);
}

function signedMib(bytes: number): string {
  const s = mib(bytes);
  return bytes >= 0 ? `+${s}` : s;
}

/** Aligned plain-text table: columns of numbers (with an optional unit such as x or %) right-aligned. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = (c: string) => /^[-+±~]?[\d,.]+ ?(x|×|%)?$/.test(c);
  const neutral = (c: string) => c === '' || c === 'n/a';
  const right = head.map((_, i) => rows.some((r) => numeric(r[i] ?? '')) && rows.every((r) => numeric(r[i] ?? '') || neutral(r[i] ?? '')));
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd();
  return [line(head), '  ' + widths.map((w) => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n');
}

function mdTable(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function heading(s: string): void {
  out();
  out(s);
  out('='.repeat(s.length));
}

function note(s: string): void {
  // Wrap at ~100 columns with a hanging indent.
  const words = s.split(/\s+/);
  let line = '  note:';
  for (const w of words) {
    if (line.length + 1 + w.length > 100) {
      out(line);
      line = '       ' + w;
    } else line += ' ' + w;
  }
  out(line);
}

// ------------------------------------------------------------------ the recorded trajectory

/**
 * One force/velocity operation the Skylane run applied to the physics world
 * in a given step (the "act" phase): replaying them in the bare loop drives
 * the bodies along exactly the same trajectory.
 */
type OpKind = 0 | 1 | 2 | 3 | 4 | 5;
const OP_FORCE = 0, OP_FORCE_AT = 1, OP_TORQUE = 2, OP_LINVEL = 3, OP_ANGVEL = 4;
/** setWheelInput(vehicle, wheel, engineForce, brake, steeringRad): handle = vehicle, x = wheel, y = engine force, z = brake, px = steering. */
const OP_WHEEL = 5;
const OP_WIDTH = 9; // step, kind, handle, x, y, z, px, py, pz

interface Recording {
  backend: BackendId;
  steps: number;
  simTime: number;
  stateHash: string;
  verdict: string;
  endReason: string;
  ops: Float64Array;
  opCount: number;
  roverBody: BodyHandle;
  /** The rover's pose after every step (for ray origins along the route). */
  route: Pose[];
  finalPosition: Vec3;
  finalRotation: Quat;
}

async function record(loaded: LoadedScenario, backend: BackendId, egoId = EGO): Promise<Recording> {
  const run = await startRun(loaded, { backend });
  try {
    const world = run.world;
    const physics = world.physics;
    const ops: number[] = [];
    const push = (kind: OpKind, h: BodyHandle, v: Vec3, p?: Vec3) =>
      ops.push(world.stepCount, kind, h, v[0], v[1], v[2], p ? p[0] : NaN, p ? p[1] : NaN, p ? p[2] : NaN);
    // Instance-level wrappers on this run's backend only (the recording run is never timed).
    const wrap = <K extends 'applyForce' | 'applyTorque' | 'setLinearVelocity' | 'setAngularVelocity'>(key: K, log: (...a: Parameters<PhysicsBackend[K]>) => void) => {
      const orig = physics[key].bind(physics) as (...a: Parameters<PhysicsBackend[K]>) => void;
      (physics as unknown as Record<string, unknown>)[key] = (...a: Parameters<PhysicsBackend[K]>) => {
        log(...a);
        orig(...a);
      };
    };
    wrap('applyForce', (h, f, p) => push(p ? OP_FORCE_AT : OP_FORCE, h, f, p));
    wrap('applyTorque', (h, t) => push(OP_TORQUE, h, t));
    wrap('setLinearVelocity', (h, v) => push(OP_LINVEL, h, v));
    wrap('setAngularVelocity', (h, w) => push(OP_ANGVEL, h, w));
    // The raycast-vehicle car's actuator (section 6): wheel inputs, consumed by the engine's vehicle update in step().
    const setWheelInput = physics.setWheelInput.bind(physics);
    physics.setWheelInput = (veh, wheel, engine, brake, steer) => {
      ops.push(world.stepCount, OP_WHEEL, veh as number, wheel, engine, brake, steer, NaN, NaN);
      setWheelInput(veh, wheel, engine, brake, steer);
    };
    (physics as unknown as Record<string, unknown>).applyImpulse = () => {
      throw new Error('bench: applyImpulse is not recorded; the raw loop cannot replay this scenario');
    };
    (physics as unknown as Record<string, unknown>).setPose = () => {
      throw new Error('bench: setPose is not recorded; the raw loop cannot replay this scenario');
    };
    const ego = world.stateOf(egoId);
    const route: Pose[] = [];
    while (!run.done) {
      run.step(1);
      route.push({ position: [...ego.position], rotation: [...ego.rotation] });
    }
    const res = run.result();
    if (res.verdict === 'error') throw new Error(`recording run failed: ${res.error ?? res.endReason}`);
    return {
      backend,
      steps: res.steps,
      simTime: res.simTime,
      stateHash: res.stateHash,
      verdict: res.verdict,
      endReason: res.endReason,
      ops: Float64Array.from(ops),
      opCount: ops.length / OP_WIDTH,
      roverBody: world.actor(egoId).body,
      route,
      finalPosition: [...ego.position],
      finalRotation: [...ego.rotation],
    };
  } finally {
    run.dispose();
  }
}

// ------------------------------------------------------------------ section 1/2 measurements

interface FullTiming {
  buildMs: number;
  stepMs: number;
  /** CPU time of the stepping, ms. */
  cpuMs: number;
  steps: number;
  simTime: number;
  stateHash: string;
}

/** The Skylane run as the CLI does it: startRun, step to the end, result. Only the stepping is timed. */
async function timeSkylane(loaded: LoadedScenario, backend: BackendId): Promise<FullTiming> {
  const t0 = now();
  const run = await startRun(loaded, { backend });
  const t1 = now();
  const c1 = cpuNow();
  try {
    while (run.step(1000));
    const t2 = now();
    const c2 = cpuNow();
    const res = run.result();
    if (res.verdict === 'error') throw new Error(`run errored: ${res.error ?? res.endReason}`);
    return { buildMs: t1 - t0, stepMs: t2 - t1, cpuMs: c2 - c1, steps: res.steps, simTime: res.simTime, stateHash: res.stateHash };
  } finally {
    run.dispose();
  }
}

interface RawTiming {
  stepMs: number;
  /** CPU time of the loop, ms. */
  cpuMs: number;
  steps: number;
  /** The rover's final pose equals the Skylane run's, bit for bit. */
  sameTrajectory: boolean;
  /** With `instrument`: time inside physics.step alone (same wrapper as the breakdown). */
  physicsMs: number;
}

/**
 * The bare loop: the same world built by buildWorld (identical bodies), then
 * only the recorded per-step forces/velocities and `physics.step(dt)`. No
 * sensors, agents, criteria, ground-truth read-back, events or snapshots.
 */
async function timeRaw(loaded: LoadedScenario, rec: Recording, instrument = false): Promise<RawTiming> {
  const { world } = await createWorld(loaded, loaded.scenario.seed, rec.backend);
  const physics = world.physics;
  try {
    const dt = world.dt;
    const ops = rec.ops;
    const n = rec.opCount;
    const v: Vec3 = [0, 0, 0];
    const p: Vec3 = [0, 0, 0];
    const phys: Acc = { t: 0, n: 0 };
    if (instrument) wrapTimed(physics, 'step', phys);
    const t0 = now();
    const c0 = cpuNow();
    let j = 0;
    for (let k = 0; k < rec.steps; k++) {
      while (j < n && ops[j * OP_WIDTH] === k) {
        const o = j * OP_WIDTH;
        const h = ops[o + 2]!;
        v[0] = ops[o + 3]!;
        v[1] = ops[o + 4]!;
        v[2] = ops[o + 5]!;
        switch (ops[o + 1]) {
          case OP_FORCE:
            physics.applyForce(h, v);
            break;
          case OP_FORCE_AT:
            p[0] = ops[o + 6]!;
            p[1] = ops[o + 7]!;
            p[2] = ops[o + 8]!;
            physics.applyForce(h, v, p);
            break;
          case OP_TORQUE:
            physics.applyTorque(h, v);
            break;
          case OP_LINVEL:
            physics.setLinearVelocity(h, v);
            break;
          case OP_ANGVEL:
            physics.setAngularVelocity(h, v);
            break;
          case OP_WHEEL:
            physics.setWheelInput(h as VehicleHandle, v[0], v[1], v[2], ops[o + 6]!);
            break;
        }
        j++;
      }
      physics.step(dt);
    }
    const t1 = now();
    const c1 = cpuNow();
    const pose = physics.getPose(rec.roverBody, { position: [0, 0, 0], rotation: [0, 0, 0, 1] });
    const same = pose.position.every((x, i) => x === rec.finalPosition[i]) && pose.rotation.every((x, i) => x === rec.finalRotation[i]);
    return { stepMs: t1 - t0, cpuMs: c1 - c0, steps: rec.steps, sameTrajectory: same, physicsMs: phys.t };
  } finally {
    world.dispose();
  }
}

// ------------------------------------------------------------------ section 2 breakdown (instrumented run)

interface Acc {
  t: number;
  n: number;
}

function wrapTimed(obj: object, key: string, acc: Acc): void {
  const target = obj as Record<string, unknown>;
  const f = target[key] as (...a: unknown[]) => unknown;
  target[key] = function (this: unknown, ...args: unknown[]): unknown {
    const t0 = performance.now();
    try {
      return f.apply(this, args);
    } finally {
      acc.t += performance.now() - t0;
      acc.n++;
    }
  };
}

/** Cost of the timing wrapper itself, ms per call: measured inside the wrapper, and in total. */
function calibrateWrapper(): { inside: number; total: number } {
  const N = 200_000;
  const make = () => ({ f: (x: number) => (x * 7) % 13 });
  const bench = (o: { f: (x: number) => number }) => {
    let s = 0;
    const t0 = now();
    for (let i = 0; i < N; i++) s += o.f(i);
    const t = now() - t0;
    if (s === -1) out('');
    return t;
  };
  const insides: number[] = [], totals: number[] = [];
  for (let r = 0; r < 5; r++) {
    const plain = make();
    const wrapped = make();
    const acc: Acc = { t: 0, n: 0 };
    wrapTimed(wrapped, 'f', acc);
    bench(plain);
    bench(wrapped);
    acc.t = 0;
    acc.n = 0;
    const tp = bench(plain);
    const tw = bench(wrapped);
    insides.push(acc.t / acc.n);
    totals.push(Math.max(0, tw - tp) / N);
  }
  return { inside: median(insides), total: median(totals) };
}

type PhaseKey = string;
interface Breakdown {
  steps: number;
  totalMs: number;
  phases: Map<PhaseKey, Acc>;
  rays: number;
}

/** Every phase seen in `runs`, sorted by `order`, then by name. */
function phaseKeys(runs: Iterable<readonly Breakdown[]>, order: readonly string[]): string[] {
  const keys: string[] = [];
  for (const list of runs) for (const bd of list) for (const k of bd.phases.keys()) if (!keys.includes(k)) keys.push(k);
  return keys.sort((a, b) => {
    const ia = order.indexOf(a), ib = order.indexOf(b);
    return (ia < 0 ? 100 : ia) - (ib < 0 ? 100 : ib) || a.localeCompare(b);
  });
}

/**
 * Medians over instrumented runs: the wrapper-corrected µs/step of each phase
 * in `keys`, "other" (the rest of the step), and the corrected whole-step estimate.
 */
function phaseMedians(
  runs: readonly Breakdown[],
  keys: readonly string[],
  cal: { inside: number; total: number },
): { perPhase: Map<string, number>; estimateUs: number } {
  const samples = new Map<string, number[]>();
  const others: number[] = [], estimates: number[] = [];
  for (const bd of runs) {
    let sum = 0, calls = 0;
    for (const k of keys) {
      const a = bd.phases.get(k) ?? { t: 0, n: 0 };
      const corrected = Math.max(0, a.t - a.n * cal.inside);
      sum += corrected;
      calls += a.n;
      const arr = samples.get(k) ?? [];
      arr.push((1000 * corrected) / bd.steps);
      samples.set(k, arr);
    }
    const estimate = bd.totalMs - calls * cal.total;
    others.push((1000 * Math.max(0, estimate - sum)) / bd.steps);
    estimates.push((1000 * estimate) / bd.steps);
  }
  const perPhase = new Map<string, number>();
  for (const k of keys) perPhase.set(k, median(samples.get(k) ?? [0]));
  perPhase.set('other', median(others));
  return { perPhase, estimateUs: median(estimates) };
}

/**
 * A Skylane run with every phase timed from outside: sensors, agents and the
 * actuator/ground-truth methods of moving actors (captured through
 * World.addActor while the run is built), the criteria's observe/onEvent, and
 * the backend's step. Nothing in the repository is modified; the wrappers are
 * own properties of this run's objects.
 */
async function timeInstrumented(loaded: LoadedScenario, backend: BackendId): Promise<Breakdown> {
  const phases = new Map<PhaseKey, Acc>();
  const acc = (k: PhaseKey): Acc => {
    let a = phases.get(k);
    if (!a) phases.set(k, (a = { t: 0, n: 0 }));
    return a;
  };
  const captured: { sensors: Sensor[]; agent: Agent | undefined }[] = [];
  const addActor = World.prototype.addActor;
  World.prototype.addActor = function (this: World, actor, opts: AttachOptions = {}) {
    captured.push({ sensors: opts.sensors ?? [], agent: opts.agent });
    return addActor.call(this, actor, opts);
  };
  let run;
  try {
    run = await startRun(loaded, { backend });
  } finally {
    World.prototype.addActor = addActor;
  }
  try {
    const world = run.world;
    let beams = 0;
    for (const c of captured) {
      for (const s of c.sensors) {
        wrapTimed(s, 'sample', acc(`sense: ${s.type}`));
        if (s.type === 'range-ring') beams = (s as unknown as { angles: Float64Array }).angles.length;
      }
      if (c.agent) wrapTimed(c.agent, 'act', acc('agent'));
    }
    for (const a of world.actors()) {
      if (a.descriptor.isStatic) continue;
      const npc = a as unknown as { driver?: object; car?: object };
      if (npc.driver && npc.car && typeof (npc.driver as { step?: unknown }).step === 'function') {
        // An NPC car (scenarios/build.ts NpcCar): its driver runs inside applyCommand; time the driver and the bicycle model apart.
        wrapTimed(npc.driver, 'step', acc('npc drivers'));
        wrapTimed(npc.car, 'applyCommand', acc('act: npc'));
      } else wrapTimed(a, 'applyCommand', acc('act'));
      wrapTimed(a, 'groundTruth', acc('ground truth'));
    }
    for (const c of run.criteria) {
      wrapTimed(c, 'observe', acc(`criteria: ${c.type}`));
      wrapTimed(c, 'onEvent', acc(`criteria: ${c.type}`));
    }
    wrapTimed(world.physics, 'step', acc('physics'));
    const t0 = now();
    while (run.step(1000));
    const totalMs = now() - t0;
    const res = run.result();
    if (res.verdict === 'error') throw new Error(`instrumented run errored: ${res.error ?? res.endReason}`);
    return { steps: res.steps, totalMs, phases, rays: (phases.get('sense: range-ring')?.n ?? 0) * beams };
  } finally {
    run.dispose();
  }
}

// ------------------------------------------------------------------ section 3 rays

interface RayCaster {
  /** Row label. */
  label: string;
  /** Closest hit or not; the engines build their RayHit as in a sensor, ours writes a reused SceneHit. */
  cast(origin: Vec3, dir: Vec3, maxDistance: number, exclude: BodyHandle): boolean;
}

interface RayWorkload {
  origins: Vec3[];
  dirs: Vec3[][];
  maxRangeM: number;
  exclude: BodyHandle;
}

/** 90 beams of the scenario's range ring from `poses` rover poses evenly spaced along the recorded route. */
function rayWorkload(loaded: LoadedScenario, rec: Recording, poses: number): RayWorkload {
  const actor = loaded.scenario.actors.find((a) => a.id === EGO);
  const ring = actor && actor.kind === 'rover' ? actor.sensors.find((s) => s.type === 'range-ring') : undefined;
  if (!ring || ring.type !== 'range-ring') throw new Error(`${EGO} has no range-ring sensor in ${loaded.file}`);
  const full = ring.fovDeg >= 360 - 1e-9;
  const fov = (ring.fovDeg * Math.PI) / 180;
  const stepRad = full ? fov / ring.beams : ring.beams > 1 ? fov / (ring.beams - 1) : 0;
  const start = full ? 0 : -fov / 2;
  const mountQ = quatFromYaw((ring.mount.yawDeg * Math.PI) / 180);
  const origins: Vec3[] = [], dirs: Vec3[][] = [];
  for (let i = 0; i < poses; i++) {
    const pose = rec.route[Math.min(rec.route.length - 1, Math.floor(((i + 0.5) * rec.route.length) / poses))]!;
    const o = rotateVec(pose.rotation, ring.mount.position as Vec3, [0, 0, 0]);
    origins.push([o[0] + pose.position[0], o[1] + pose.position[1], o[2] + pose.position[2]]);
    const ds: Vec3[] = [];
    for (let b = 0; b < ring.beams; b++) {
      const a = start + b * stepRad;
      const body = rotateVec(mountQ, [Math.cos(a), Math.sin(a), 0], [0, 0, 0]);
      ds.push(rotateVec(pose.rotation, body, [0, 0, 0]));
    }
    dirs.push(ds);
  }
  return { origins, dirs, maxRangeM: ring.maxRangeM ?? 12, exclude: rec.roverBody };
}

interface RayTiming {
  rays: number;
  hits: number;
  ms: number;
}

function timeRays(caster: RayCaster, w: RayWorkload, reps: number): RayTiming {
  let rays = 0, hits = 0;
  const t0 = now();
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < w.origins.length; i++) {
      const o = w.origins[i]!, ds = w.dirs[i]!;
      for (let b = 0; b < ds.length; b++) {
        if (caster.cast(o, ds[b]!, w.maxRangeM, w.exclude)) hits++;
        rays++;
      }
    }
  }
  return { rays, hits, ms: now() - t0 };
}

/** The rover-crossing world, built by buildWorld and stepped once so the backend's query structures are current. */
async function rayWorld(loaded: LoadedScenario, backend: BackendId): Promise<World> {
  const { world } = await createWorld(loaded, loaded.scenario.seed, backend);
  world.physics.step(world.dt);
  return world;
}

/**
 * The forest: 200 upright pillars, radius 0.5-0.7 m and 4 m tall, scattered
 * uniformly (seeded, overlaps allowed) over 40 x 20 m on a ground slab: the
 * random-pillar maps EGO-Planner (Zhou et al., RA-L 2021) benchmarks in.
 */
const FOREST = { pillars: 200, sizeM: [40, 20] as const, radiusM: [0.5, 0.7] as const, heightM: 4, seed: 1 };

interface ForestWorld {
  physics: PhysicsBackend;
  scene: StaticScene;
  pillars: { x: number; y: number; r: number }[];
}

async function forestWorld(backend: BackendId): Promise<ForestWorld> {
  const physics = await createBackend(backend);
  const rng = Rng.stream(FOREST.seed, 'bench/forest');
  const statics: Parameters<typeof StaticScene.build>[0][number][] = [];
  const identity = (): Pose => ({ position: [0, 0, 0], rotation: [0, 0, 0, 1] });
  const groundShape = { type: 'box' as const, halfExtents: [FOREST.sizeM[0] / 2 + 10, FOREST.sizeM[1] / 2 + 10, 0.5] as Vec3 };
  const ground = physics.addBody({ type: 'static', position: [0, 0, -0.5], colliders: [{ shape: groundShape }] });
  statics.push({ descriptor: { id: 'ground', parts: [{ shape: groundShape, offset: identity() }] }, body: ground, pose: { position: [0, 0, -0.5], rotation: [0, 0, 0, 1] } });
  const pillars: ForestWorld['pillars'] = [];
  for (let i = 0; i < FOREST.pillars; i++) {
    const x = rng.uniform(-FOREST.sizeM[0] / 2, FOREST.sizeM[0] / 2), y = rng.uniform(-FOREST.sizeM[1] / 2, FOREST.sizeM[1] / 2);
    const r = rng.uniform(FOREST.radiusM[0], FOREST.radiusM[1]);
    const shape = { type: 'cylinder' as const, radius: r, halfHeight: FOREST.heightM / 2 };
    const position: Vec3 = [x, y, FOREST.heightM / 2];
    const body = physics.addBody({ type: 'static', position, colliders: [{ shape }] });
    statics.push({ descriptor: { id: `pillar${i}`, parts: [{ shape, offset: identity() }] }, body, pose: { position, rotation: [0, 0, 0, 1] } });
    pillars.push({ x, y, r });
  }
  physics.step(0.01); // statics only: this just makes Rapier's query structure current
  return { physics, scene: StaticScene.build(statics), pillars };
}

/**
 * A VLP-16-like pattern (16 layers from -15 to +15 deg, 90 azimuths 4 deg
 * apart, 100 m range; sim/sensors/lidar-3d.ts) from `poses` seeded points in
 * free space 1.5 m up, at least 0.5 m from any pillar: a drone among the trees.
 */
function forestWorkload(f: ForestWorld, poses: number): RayWorkload {
  const rng = Rng.stream(FOREST.seed, 'bench/forest/poses');
  const origins: Vec3[] = [], dirs: Vec3[][] = [];
  const pattern: Vec3[] = [];
  for (let l = 0; l < 16; l++) {
    const e = ((-15 + 2 * l) * Math.PI) / 180;
    for (let b = 0; b < 90; b++) {
      const a = (b * 4 * Math.PI) / 180;
      pattern.push([Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)]);
    }
  }
  while (origins.length < poses) {
    const o: Vec3 = [rng.uniform(-FOREST.sizeM[0] / 2 + 2, FOREST.sizeM[0] / 2 - 2), rng.uniform(-FOREST.sizeM[1] / 2 + 2, FOREST.sizeM[1] / 2 - 2), 1.5];
    if (f.pillars.some((p) => Math.hypot(o[0] - p.x, o[1] - p.y) < p.r + 0.5)) continue;
    origins.push(o);
    dirs.push(pattern);
  }
  return { origins, dirs, maxRangeM: 100, exclude: -1 };
}

/** Our caster as a bench row: the allocation-free cast into one reused hit. */
function fastRow(label: string, cast: (o: Vec3, d: Vec3, m: number, e: BodyHandle, out: ReturnType<typeof newSceneHit>) => boolean): RayCaster {
  const hit = newSceneHit();
  return { label, cast: (o, d, m, e) => cast(o, d, m, e, hit) };
}

// ------------------------------------------------------------------ section 4 workers

/** Run a scripts/ child with tsx and return the JSON it prints after `marker`. */
function runChild<T>(script: string, args: string[], marker: string, nodeFlags: string[] = []): Promise<T> {
  const full = [...nodeFlags, '--import', 'tsx', resolve(ROOT, 'scripts', script), ...args];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, full, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(marker + ' '));
      if (code !== 0 || !line) {
        reject(new Error(`child (node ${full.map((a) => relative(ROOT, a) || a).join(' ')}) exited with ${code}:\n${stderr.trim().split('\n').slice(-15).join('\n')}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(line.slice(marker.length + 1)) as T);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

/** One batch through runJobs in a fresh process (both worker counts start cold, as a CLI invocation does). */
async function timeBatch(files: string[], seeds: string, workers: number): Promise<PoolReport> {
  return runChild<PoolReport>('bench-pool.ts', ['--workers', String(workers), '--seeds', seeds, '--backend', 'rapier', ...files], 'BENCH_POOL_JSON');
}

/**
 * How much CPU throughput k busy threads get at this moment, relative to one:
 * a pure-JS loop in k plain worker threads for `ms`. On an idle 2-core machine
 * 2 threads give ~2x; other processes or SMT siblings lower it. This bounds
 * what any worker pool can gain here, independently of Skylane.
 */
async function cpuCapacity(k: number, ms: number): Promise<number> {
  const code =
    "const { parentPort } = require('node:worker_threads');" +
    'parentPort.on("message", (ms) => { const t0 = performance.now(); let n = 0, x = 0;' +
    ' while (performance.now() - t0 < ms) { for (let i = 0; i < 10000; i++) x += Math.sqrt(i ^ n); n++; }' +
    ' parentPort.postMessage(x > -1 ? n : 0); });';
  const run = async (threads: number): Promise<number> => {
    const ws = Array.from({ length: threads }, () => new Worker(code, { eval: true }));
    try {
      const ask = (w: Worker, t: number) =>
        new Promise<number>((res, rej) => {
          w.once('message', res);
          w.once('error', rej);
          w.postMessage(t);
        });
      await Promise.all(ws.map((w) => ask(w, 50)));
      const counts = await Promise.all(ws.map((w) => ask(w, ms)));
      return counts.reduce((a, b) => a + b, 0);
    } finally {
      await Promise.all(ws.map((w) => w.terminate()));
    }
  };
  const one = await run(1);
  const many = await run(k);
  return many / one;
}

/**
 * `runs` jobs one after the other in one brand-new pool worker
 * (scenarios/cli/worker-entry.js, the pool's own entry): the time to its first
 * reply minus that run, and each run's own wallTime (they show the warm-up).
 */
async function timeFreshWorker(job: Job, runs: number): Promise<{ startMs: number; runMs: number[] }> {
  const t0 = now();
  const w = new Worker(new URL('../scenarios/cli/worker-entry.js', import.meta.url));
  try {
    const runMs: number[] = [];
    let startMs = 0;
    for (let i = 0; i < runs; i++) {
      const reply = await new Promise<unknown>((res, rej) => {
        const onError = (err: Error) => rej(err);
        w.once('error', onError);
        w.once('message', (m) => {
          w.off('error', onError);
          res(m);
        });
        w.postMessage(job);
      });
      const r = reply as { ok?: boolean; outcome?: JobOutcome; message?: string };
      if (!r.ok || !r.outcome || !('result' in r.outcome)) throw new Error(`worker reply: ${r.message ?? JSON.stringify(r).slice(0, 200)}`);
      runMs.push(r.outcome.result.wallTime * 1000);
      if (i === 0) startMs = now() - t0 - runMs[0]!;
    }
    return { startMs, runMs };
  } finally {
    await w.terminate();
  }
}

// ------------------------------------------------------------------ section 5 memory (child process)

function runMemoryChild(): Promise<MemoryReport> {
  const args = ['--runs', String(MEMORY_RUNS), '--steps', String(MEMORY_STEPS), '--every', String(MEMORY_EVERY), '--backend', 'rapier'];
  return runChild<MemoryReport>('bench-memory.ts', args, 'BENCH_MEMORY_JSON', ['--expose-gc']);
}

// ------------------------------------------------------------------ section 9 gimbal

/**
 * One run of the gimbal scenario as its gimbals saw it: the airframe's state
 * and rotor speeds handed to `Gimbal.advance` at every physics tick (taken
 * from the first gimbal's calls, so exactly what the service passed), and
 * how to build fresh gimbals identical to the run's (same plant draw,
 * vibration phases and noise streams).
 */
interface GimbalRecording {
  ticks: number;
  simTime: number;
  /** The state given to `begin` before the first tick. */
  initial: ActorState;
  /** Per tick: the end time, the airframe's state and its rotor speeds (prebuilt, so the timed loop only calls advance). */
  times: Float64Array;
  states: ActorState[];
  rotors: Float64Array[];
  /** Controllers of the run's gimbals (judged first), and each one's final camera attitude and saturated ticks. */
  controllers: string[];
  finalCamera: Map<string, Quat>;
  finalSaturated: Map<string, number[]>;
  /** A fresh gimbal with `controller`, as the scenario builds it. */
  make(controller: string): Gimbal;
}

function copyState(s: Readonly<ActorState>): ActorState {
  return { id: s.id, kind: s.kind, position: [...s.position], rotation: [...s.rotation], linearVelocity: [...s.linearVelocity], angularVelocity: [...s.angularVelocity], present: s.present };
}

async function recordGimbal(loaded: LoadedScenario, backend: BackendId): Promise<GimbalRecording> {
  const times: number[] = [], states: ActorState[] = [], rotors: Float64Array[] = [];
  let first: Gimbal | undefined;
  let initial: ActorState | undefined;
  // Prototype-level wrappers for the recording run only (restored below; the recording is never timed).
  const proto = Gimbal.prototype;
  const begin = proto.begin, advance = proto.advance;
  proto.begin = function (this: Gimbal, s) {
    if (!first) first = this;
    if (this === first && !initial) initial = copyState(s);
    begin.call(this, s);
  };
  proto.advance = function (this: Gimbal, timeEnd, s, rotorRadPerS, target) {
    if (target !== undefined) throw new Error('bench: the gimbal recording does not replay a point-at target');
    if (this === first) {
      times.push(timeEnd);
      states.push(copyState(s));
      rotors.push(Float64Array.from(rotorRadPerS));
    }
    advance.call(this, timeEnd, s, rotorRadPerS, target);
  };
  let run: Awaited<ReturnType<typeof startRun>> | undefined;
  try {
    run = await startRun(loaded, { backend });
    const world = run.world;
    const spec = run.scenario.actors.find((a) => a.kind === 'uav' && a.gimbal);
    if (!spec || spec.kind !== 'uav' || !spec.gimbal) throw new Error(`${relative(ROOT, loaded.file)} has no uav carrying a gimbal`);
    const uav = world.actor(spec.id) as Multirotor;
    while (run.step(1000));
    const res = run.result();
    if (res.verdict === 'error') throw new Error(`recording run failed: ${res.error ?? res.endReason}`);
    if (!initial) throw new Error('bench: the recording run stepped no gimbal');
    const gimbals = gimbalsOf(uav);
    const controllers = gimbals.map((g) => g.controllerName);
    const finalCamera = new Map(gimbals.map((g) => [g.controllerName, [...g.dynamics.cameraRotation] as Quat]));
    const finalSaturated = new Map(gimbals.map((g) => [g.controllerName, [...g.saturatedTicks]]));
    const input = spec.gimbal, heading = spec.pose.yawDeg * DEG, seed = run.seed, dt = world.dt;
    // addGimbals reads only the world's seeded streams and its step; the service only collects the gimbal.
    const streams = { rng: (name: string) => Rng.stream(seed, name), dt } as unknown as World;
    const airframe = { id: uav.id, airframe: uav.airframe } as unknown as Multirotor;
    const make = (controller: string): Gimbal => {
      const made: Gimbal[] = [];
      const collect = { add: (_u: Multirotor, g: Gimbal) => made.push(g) } as unknown as GimbalService;
      addGimbals(streams, collect, airframe, { ...input, controller, compare: [] }, heading);
      return made[0]!;
    };
    return { ticks: times.length, simTime: res.simTime, initial, times: Float64Array.from(times), states, rotors, controllers, finalCamera, finalSaturated, make };
  } finally {
    proto.begin = begin;
    proto.advance = advance;
    run?.dispose();
  }
}

interface GimbalReplay {
  ms: number;
  cpuMs: number;
  /** The replayed gimbal ends bit-identical to the recorded run's (camera attitude and saturation counts). */
  same: boolean;
  /** With `instrument`: time inside the dynamics substep, the controller and the vibration synthesis. */
  parts?: { dynamics: Acc; controller: Acc; vibration: Acc };
}

/** Replays the recorded airframe motion through a fresh gimbal: only `Gimbal.advance` is timed. */
function replayGimbal(rec: GimbalRecording, controller: string, instrument: boolean): GimbalReplay {
  const g = rec.make(controller);
  let parts: GimbalReplay['parts'];
  if (instrument) {
    parts = { dynamics: { t: 0, n: 0 }, controller: { t: 0, n: 0 }, vibration: { t: 0, n: 0 } };
    // Instance-level wrappers on this gimbal's own parts (private fields reached by name: the bench only).
    const inner = g as unknown as { controller: object; vibration: object };
    wrapTimed(g.dynamics, 'step', parts.dynamics);
    wrapTimed(inner.controller, 'step', parts.controller);
    wrapTimed(inner.vibration, 'step', parts.vibration);
  }
  g.begin(rec.initial);
  const { times, states, rotors } = rec;
  const t0 = now();
  const c0 = cpuNow();
  for (let k = 0; k < rec.ticks; k++) g.advance(times[k]!, states[k]!, rotors[k]!, undefined);
  const t1 = now();
  const c1 = cpuNow();
  const cam = rec.finalCamera.get(controller), sat = rec.finalSaturated.get(controller);
  const same = !!cam && !!sat && cam.every((x, i) => x === g.dynamics.cameraRotation[i]) && sat.every((x, i) => x === g.saturatedTicks[i]);
  return { ms: t1 - t0, cpuMs: c1 - c0, same, ...(parts ? { parts } : {}) };
}

/** The scenario with its gimbal block removed ('none'), with one gimbal (`compare: []`), or as in the library. */
type GimbalVariant = 'no gimbal' | 'one gimbal' | 'library';
function gimbalVariant(loaded: LoadedScenario, variant: GimbalVariant): LoadedScenario {
  if (variant === 'library') return loaded;
  const raw = structuredClone(loaded.raw) as { actors: { gimbal?: { compare?: unknown[] } }[]; criteria?: { type: string }[] };
  for (const a of raw.actors) {
    if (!a.gimbal) continue;
    if (variant === 'no gimbal') delete a.gimbal;
    else a.gimbal.compare = [];
  }
  // The gimbal criteria need a gimbal; the others (no-collision) stay.
  if (variant === 'no gimbal' && raw.criteria) raw.criteria = raw.criteria.filter((c) => !(GIMBAL_CRITERION_TYPES as readonly string[]).includes(c.type));
  return loadScenarioText(JSON.stringify(raw), `${loaded.file} (${variant})`);
}

// ------------------------------------------------------------------ main

interface ReadmeParts {
  s1?: string;
  s2?: string;
  s3?: string;
  s4?: string;
  s5?: string;
  s6?: string;
  s7?: string;
  s8?: string;
  s9?: string;
}

async function main(): Promise<number> {
  const started = now();
  const cpus = os.cpus();
  const cores = os.availableParallelism();
  const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cores} core${cores === 1 ? '' : 's'} (${cpus.length} logical CPUs), ${num(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
  out('Skylane benchmark');
  out('=================');
  out(`  machine:  ${machine}`);
  out(`  method:   median of ${TRIALS} trials after a warm-up; compared measurements interleaved in each trial (order alternates)`);
  out(`  timing:   performance.now(), stepping only; no forced GC between measurements (a forced GC shrinks V8's young generation and slows the next one)`);
  if ([1, 2, 3].some((n) => ONLY.has(n))) out(`  scenario: ${relative(ROOT, CROSSING)} (seed 1, to its end)${ONLY.has(6) ? '; section 6: its own (see there)' : ''}`);
  out(`  load:     ${loadavg().replace('load average ', '')} at start (other processes share these cores; compare with the load at the end)`);

  const failures: string[] = [];
  const readme: ReadmeParts = {};
  const section = async (n: number, name: string, body: () => Promise<void>) => {
    if (!ONLY.has(n)) return;
    progress(`section ${n}: ${name}`);
    try {
      await body();
    } catch (err) {
      const msg = err instanceof Error ? err.stack ?? err.message : String(err);
      failures.push(`section ${n} (${name}): ${err instanceof Error ? err.message : String(err)}`);
      out();
      out(`  !! section ${n} (${name}) failed:`);
      for (const l of msg.split('\n').slice(0, 12)) out(`  !!   ${l}`);
    }
  };

  const loaded = loadScenarioFile(CROSSING);
  const recordings = new Map<BackendId, Recording>();
  const getRecording = async (b: BackendId) => {
    let r = recordings.get(b);
    if (!r) recordings.set(b, (r = await record(loaded, b)));
    return r;
  };

  // ---------------- sections 1 and 2: one interleaved set of trials
  const skylane = new Map<BackendId, FullTiming[]>();
  const raw = new Map<BackendId, RawTiming[]>();
  const wantFull = ONLY.has(1) || ONLY.has(2);
  let fullError: unknown = null;
  if (wantFull) {
    try {
      progress('recording the reference trajectories and warming up');
      for (const b of BACKENDS) {
        const rec = await getRecording(b);
        skylane.set(b, []);
        raw.set(b, []);
        await timeSkylane(loaded, b);
        await timeRaw(loaded, rec);
      }
      for (let t = 0; t < TRIALS; t++) {
        progress(`sections 1-2: trial ${t + 1}/${TRIALS}`);
        const order = t % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
        for (const b of order) {
          const rec = recordings.get(b)!;
          // REPEAT Skylane/raw pairs back to back (alternating which goes first), summed into one trial figure.
          const s: FullTiming[] = [], r: RawTiming[] = [];
          for (let i = 0; i < REPEAT; i++) {
            for (const which of (t + i) % 2 === 0 ? ['skylane', 'raw'] : ['raw', 'skylane']) {
              if (which === 'skylane') {
                const x = await timeSkylane(loaded, b);
                if (x.stateHash !== rec.stateHash) throw new Error(`${b}: the timed run's stateHash ${x.stateHash} differs from the recording's ${rec.stateHash} (non-deterministic?)`);
                s.push(x);
              } else r.push(await timeRaw(loaded, rec));
            }
          }
          const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
          skylane.get(b)!.push({
            buildMs: median(s.map((x) => x.buildMs)),
            stepMs: sum(s.map((x) => x.stepMs)),
            cpuMs: sum(s.map((x) => x.cpuMs)),
            steps: sum(s.map((x) => x.steps)),
            simTime: sum(s.map((x) => x.simTime)),
            stateHash: rec.stateHash,
          });
          raw.get(b)!.push({ stepMs: sum(r.map((x) => x.stepMs)), cpuMs: sum(r.map((x) => x.cpuMs)), steps: sum(r.map((x) => x.steps)), sameTrajectory: r.every((x) => x.sameTrajectory), physicsMs: 0 });
        }
      }
    } catch (err) {
      fullError = err;
    }
  }

  await section(1, 'scenario step rate', async () => {
    if (fullError) throw fullError;
    heading('1. Scenario step rate: rover-crossing, full Skylane run (sensors, agent, criteria)');
    const rows: string[][] = [];
    const md: string[][] = [];
    for (const b of BACKENDS) {
      const ts = skylane.get(b)!;
      const rec = recordings.get(b)!;
      const rates = ts.map((x) => x.steps / (x.stepMs / 1000));
      const rtfs = ts.map((x) => x.simTime / (x.stepMs / 1000));
      const usPerStep = median(ts.map((x) => (1000 * x.stepMs) / x.steps));
      rows.push([
        b,
        num(rec.steps),
        num(rec.simTime, 2),
        `${rec.verdict} (${rec.endReason})`,
        num(median(ts.map((x) => (x.stepMs * rec.steps) / x.steps)), 0),
        num(median(rates)),
        spread(rates),
        num(usPerStep, 1),
        `${num(median(rtfs), 1)}x`,
        num(median(ts.map((x) => x.buildMs)), 1),
      ]);
      md.push([b, num(median(rates)), `${num(median(rtfs), 0)}×`, num(usPerStep, 0), num(median(ts.map((x) => x.buildMs)), 1)]);
    }
    out(table(['backend', 'steps', 'sim s', 'verdict', 'wall ms/run', 'steps/s', 'spread', 'us/step', 'real-time', 'build ms'], rows));
    note(
      `Stepping only (Run.step to the end, at 100 Hz physics), ${REPEAT} runs per trial interleaved with section 2's bare loop; "build ms" is startRun ` +
        '(instantiate, backend, buildWorld, criteria) timed separately. ' +
        'real-time = simulated seconds per wall second. spread = half the min-max range over trials.',
    );
    readme.s1 = mdTable(['backend', 'steps/s', 'real-time factor', 'µs/step', 'build (ms)'], md);
  });

  await section(2, 'framework overhead', async () => {
    if (fullError) throw fullError;
    heading('2. Framework overhead: Skylane step vs bare backend step, same bodies, same trajectory');
    const rows: string[][] = [];
    const md: string[][] = [];
    const ratios = new Map<BackendId, number>();
    const skylaneUs = new Map<BackendId, number>();
    const rawUs = new Map<BackendId, number>();
    for (const b of BACKENDS) {
      const ts = skylane.get(b)!;
      const rs = raw.get(b)!;
      // Per-trial ratios (the pair ran back to back) and their median.
      const r = ts.map((x, i) => x.stepMs / x.steps / (rs[i]!.stepMs / rs[i]!.steps));
      const sUs = median(ts.map((x) => (1000 * x.stepMs) / x.steps));
      const rUs = median(rs.map((x) => (1000 * x.stepMs) / x.steps));
      ratios.set(b, median(r));
      skylaneUs.set(b, sUs);
      rawUs.set(b, rUs);
      const same = rs.every((x) => x.sameTrajectory);
      rows.push([b, num(recordings.get(b)!.steps), num(sUs, 1), num(rUs, 1), num(sUs - rUs, 1), `${num(median(r), 2)}x`, spread(r), same ? 'yes, bit-identical' : 'NO']);
      md.push([b, num(sUs, 0), num(rUs, 0), `${num(median(r), 2)}×`]);
    }
    out(table(['backend', 'steps', 'Skylane us/step', 'raw us/step', 'overhead us', 'ratio', 'spread', 'same final pose'], rows));
    out(`  goal: ratio <= 1.25x`);
    note(
      'raw = the same world built by buildWorld (identical bodies), then a loop of only physics.step(dt) with the force and torque ' +
        'that the rover actuator applied in each step of a recorded Skylane run re-applied through applyForce/applyTorque, so the rover drives ' +
        'the same route with the same contacts (checked: its final pose equals the Skylane run\'s bit for bit). The ratio therefore charges to ' +
        'Skylane everything the tick adds around the engine: sensing (range ring of 90 castRay beams at 10 Hz, GNSS), the agent, the rover ' +
        'actuator model, ground-truth read-back, contact draining and collision events, the rxjs tick$/events$ publication, the criteria, and ' +
        'Run.step bookkeeping. World construction and the final state hash are excluded.',
    );

    // Breakdown
    progress('section 2: instrumented breakdown');
    const cal = calibrateWrapper();
    const perBackend = new Map<BackendId, Breakdown[]>();
    // The bare loop with the same wrapper on physics.step: the engine's own step time outside Skylane.
    const rawPhysics = new Map<BackendId, number[]>();
    // Plain Skylane runs in the same trials: checks that the instrumented sum (timers removed) matches.
    const plain = new Map<BackendId, number[]>();
    for (const b of BACKENDS) {
      perBackend.set(b, []);
      rawPhysics.set(b, []);
      plain.set(b, []);
      await timeInstrumented(loaded, b); // warm-up
      await timeRaw(loaded, recordings.get(b)!, true);
    }
    for (let t = 0; t < TRIALS; t++) {
      const order = t % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
      for (const b of order) {
        const rec = recordings.get(b)!;
        for (let i = 0; i < 3; i++) {
          const which = (t + i) % 3;
          if (which === 0) perBackend.get(b)!.push(await timeInstrumented(loaded, b));
          else if (which === 1) {
            const r = await timeRaw(loaded, rec, true);
            rawPhysics.get(b)!.push((1000 * (r.physicsMs - r.steps * cal.inside)) / r.steps);
          } else {
            const r = await timeSkylane(loaded, b);
            plain.get(b)!.push((1000 * r.stepMs) / r.steps);
          }
        }
      }
    }
    // Phase order for display.
    const order = ['physics', 'sense: range-ring', 'sense: gnss', 'agent', 'act', 'ground truth'];
    const table2: Map<BackendId, Map<string, number>> = new Map();
    const extra = new Map<BackendId, { rays: number; estimateUs: number }>();
    const keys = phaseKeys(perBackend.values(), order);
    for (const b of BACKENDS) {
      const list = perBackend.get(b)!;
      const r = phaseMedians(list, keys, cal);
      table2.set(b, r.perPhase);
      extra.set(b, { rays: list[0]!.rays / list[0]!.steps, estimateUs: r.estimateUs });
    }
    const label: Record<string, string> = {
      physics: 'physics (backend step)',
      'sense: range-ring': 'sensing: range ring (90 beams, 10 Hz)',
      'sense: gnss': 'sensing: GNSS (10 Hz)',
      agent: 'agent: go-to-goal (10 Hz)',
      act: 'act: rover actuator model',
      'ground truth': 'ground-truth read-back',
      other: 'other: timeline, contacts/events, rxjs, Run.step',
    };
    const allKeys = [...keys, 'other'];
    const brows: string[][] = [];
    for (const k of allKeys) {
      const row = [label[k] ?? k];
      for (const b of BACKENDS) {
        const m = table2.get(b)!;
        const total = [...m.values()].reduce((s, x) => s + x, 0);
        const v = m.get(k) ?? 0;
        row.push(num(v, 1), `${num((100 * v) / total, 1)} %`);
      }
      brows.push(row);
    }
    const totalRow = ['sum (timer overhead removed)'];
    for (const b of BACKENDS) {
      const m = table2.get(b)!;
      totalRow.push(num([...m.values()].reduce((s, x) => s + x, 0), 1), '100.0 %');
    }
    brows.push(totalRow);
    out();
    out('  Where the Skylane step goes (instrumented run, us per step averaged over the whole run):');
    out(table(['phase', ...BACKENDS.flatMap((b) => [`${b} us`, 'share'])], brows));
    const crows: string[][] = [];
    const erows: string[][] = [];
    const without = new Map<BackendId, [number, number, number]>();
    for (const b of BACKENDS) {
      const m = table2.get(b)!;
      const total = [...m.values()].reduce((s, x) => s + x, 0);
      const share = (pred: (k: string) => boolean) => [...m.entries()].filter(([k]) => pred(k)).reduce((s, [, v]) => s + v, 0) / total;
      const fSense = share((k) => k.startsWith('sense:'));
      const fCrit = share((k) => k.startsWith('criteria:'));
      const fAgent = share((k) => k === 'agent');
      // The shares come from the instrumented runs; applied to the headline (interleaved, uninstrumented) ratio.
      const ratio = ratios.get(b)!;
      const e = extra.get(b)!;
      without.set(b, [ratio * (1 - fSense), ratio * (1 - fSense - fCrit), ratio * (1 - fSense - fCrit - fAgent)]);
      crows.push([
        b,
        `${num(ratio, 2)}x`,
        `${num(ratio * (1 - fSense), 2)}x`,
        `${num(ratio * (1 - fSense - fCrit), 2)}x`,
        `${num(ratio * (1 - fSense - fCrit - fAgent), 2)}x`,
        num(e.rays, 1),
        num(e.estimateUs, 1),
        num(median(plain.get(b)!), 1),
      ]);
      const bare = median(rawPhysics.get(b)!);
      const inside = m.get('physics') ?? NaN;
      erows.push([b, num(bare, 1), num(inside, 1), `${inside - bare >= 0 ? '+' : ''}${num(inside - bare, 1)}`]);
    }
    out();
    out(table(['backend', 'ratio', 'w/o sensing', '... and criteria', '... and agent', 'rays/step', 'instrumented us (timers removed)', 'uninstrumented us (same trials)'], crows));
    out();
    out('  The engine step itself (physics.step, same wrapper), us per step:');
    out(table(['backend', 'in the bare loop', 'inside the Skylane loop', 'difference'], erows));
    note(
      `Phases are timed by wrapping this run's own objects (sensor.sample, agent.act, actor.applyCommand/groundTruth, each criterion's ` +
        `observe/onEvent, backend.step) with performance.now(); the wrapper's cost (${num(cal.inside * 1e6, 0)} ns inside, ` +
        `${num(cal.total * 1e6, 0)} ns in total per call, calibrated) is subtracted. "other" is the rest of World.step and Run.step. ` +
        `The "w/o" ratios remove the sensing share (then also criteria, then also the agent) of the instrumented step from the headline ratio; ` +
        `the last one is Skylane's plumbing alone (tick loop, actuator, ground truth, events, rxjs). ` +
        `"act" includes the rover's applyForce/applyTorque, which the bare loop also pays. A positive engine-step difference is ` +
        `time the engine itself loses when Skylane's work runs between its steps (caches, GC), counted in the overhead too.`,
    );
    const r = table2.get('rapier')!;
    const rt = [...r.values()].reduce((s, x) => s + x, 0);
    readme.s2 =
      mdTable(['backend', 'Skylane µs/step', 'bare backend µs/step', 'ratio (goal ≤ 1.25×)'], md) +
      '\n\nWithout the range-ring sensing the ratio would be ' +
      BACKENDS.map((b) => `${num(without.get(b)![0], 2)}× (${b})`).join(', ') +
      '; without sensing and criteria ' +
      BACKENDS.map((b) => `${num(without.get(b)![1], 2)}×`).join(', ') +
      '; Skylane\'s plumbing alone (no sensing, criteria or agent) ' +
      BACKENDS.map((b) => `${num(without.get(b)![2], 2)}×`).join(', ') +
      '.' +
      '\n\nWhere a rover-crossing step goes on Rapier:\n\n' +
      mdTable(
        ['phase', 'µs/step', 'share'],
        allKeys.map((k) => [label[k] ?? k, num(r.get(k) ?? 0, 1), `${num((100 * (r.get(k) ?? 0)) / rt, 0)} %`]),
      );
  });

  await section(3, 'ray casting', async () => {
    heading('3. Ray casting: Skylane\'s caster vs the engines\' castRay, same rays (rover-crossing ring; forest of 200 pillars)');
    interface Row { world: string; caster: RayCaster; workload: RayWorkload; engine: string }
    const rows: Row[] = [];
    const disposers: (() => void)[] = [];
    const POSES = 12;
    try {
      // Rover-crossing: the scenario's world on each engine; ours is built from the Rapier one (same actors, same poses).
      for (const b of BACKENDS) {
        const rec = await getRecording(b);
        const world = await rayWorld(loaded, b);
        disposers.push(() => world.dispose());
        const workload = rayWorkload(loaded, rec, POSES);
        const physics = world.physics;
        if (b === 'rapier') {
          const fast = FastCaster.fromWorld(world);
          rows.push({ world: 'rover-crossing', engine: 'skylane', workload, caster: fastRow('Skylane caster (BVH + analytic)', (o, d, m, e, h) => fast.cast(o, d, m, h, e)) });
        }
        rows.push({ world: 'rover-crossing', engine: b, workload, caster: { label: `backend castRay (${b})`, cast: (o, d, m, e) => physics.castRay(o, d, m, e) !== null } });
      }
      // The forest: the same seeded pillars in each engine; ours over the Rapier build's descriptors.
      for (const b of BACKENDS) {
        const f = await forestWorld(b);
        disposers.push(() => f.physics.free());
        const workload = forestWorkload(f, POSES);
        if (b === 'rapier') {
          rows.push({ world: 'forest', engine: 'skylane', workload, caster: fastRow('Skylane caster (BVH + analytic)', (o, d, m, e, h) => f.scene.cast(o, d, m, h, e)) });
          // lidar-3d's path: RayCaster.castDistance (the range only: no hit point, normal or owner).
          const rc = new FastCaster(f.scene);
          rows.push({ world: 'forest', engine: 'skylane-distance', workload, caster: { label: 'Skylane castDistance (lidar-3d path)', cast: (o, d, m, e) => rc.castDistance(o, d, m, e) < Infinity } });
        }
        rows.push({ world: 'forest', engine: b, workload, caster: { label: `backend castRay (${b})`, cast: (o, d, m, e) => f.physics.castRay(o, d, m, e) !== null } });
      }
      // Warm-up and calibration: pick reps so one measurement takes ~250 ms.
      const reps = rows.map((r) => {
        timeRays(r.caster, r.workload, 1);
        const probe = timeRays(r.caster, r.workload, 2);
        return Math.max(1, Math.round((250 / probe.ms) * 2));
      });
      const res: RayTiming[][] = rows.map(() => []);
      for (let t = 0; t < TRIALS; t++) {
        progress(`section 3: trial ${t + 1}/${TRIALS}`);
        const order = rows.map((_, i) => i);
        if (t % 2 === 1) order.reverse();
        for (const i of order) res[i]!.push(timeRays(rows[i]!.caster, rows[i]!.workload, reps[i]!));
      }
      const rate = (i: number) => median(res[i]!.map((x) => x.rays / (x.ms / 1000)));
      // Ratios per trial (ours / engine within the same trial: the same noise), then their median.
      const ratio = (i: number, j: number) => median(res[i]!.map((x, t) => (x.rays / x.ms) / (res[j]![t]!.rays / res[j]![t]!.ms)));
      const tableRows: string[][] = [];
      const md: string[][] = [];
      for (const w of ['rover-crossing', 'forest']) {
        const idx = rows.map((r, i) => (r.world === w ? i : -1)).filter((i) => i >= 0);
        const ours = idx.find((i) => rows[i]!.engine === 'skylane')!;
        const rapierRow = idx.find((i) => rows[i]!.engine === 'rapier')!;
        for (const i of idx) {
          const r = rows[i]!;
          const rates = res[i]!.map((x) => x.rays / (x.ms / 1000));
          const hitPct = (100 * res[i]![0]!.hits) / res[i]![0]!.rays;
          // The distance-only row is compared with Rapier's castRay; the engines with our full cast.
          const distanceRow = r.engine === 'skylane-distance';
          const vs = i === ours ? '1' : distanceRow ? `${num(ratio(i, rapierRow), 1)}x vs rapier` : `${num(ratio(ours, i), 1)}x`;
          tableRows.push([w, r.caster.label, num(rate(i)), spread(rates), vs, `${num(hitPct, 1)} %`]);
          md.push([w, r.caster.label, num(rate(i)), i === ours ? '' : distanceRow ? `${num(ratio(i, rapierRow), 1)}× Rapier's` : `${num(ratio(ours, i), 1)}×`]);
        }
      }
      out(table(['world', 'ray caster', 'rays/s', 'spread', 'ours is faster by', 'hit rate'], tableRows));
      note(
        `Rover-crossing: the scenario's range ring (90 beams, 360 deg, 12 m, mount z = 0.2 m) from ${POSES} rover poses evenly spaced along ` +
          'the recorded route, excluding the rover\'s body, in worlds built by buildWorld and stepped once (so Rapier\'s query structure is current); ' +
          'Skylane\'s caster is RayCaster.fromWorld over the Rapier build (static props in the BVH, moving actors tested from ground truth). ' +
          `Forest: ${FOREST.pillars} upright pillars (radius ${FOREST.radiusM[0]}-${FOREST.radiusM[1]} m, ${FOREST.heightM} m tall) over ` +
          `${FOREST.sizeM[0]} x ${FOREST.sizeM[1]} m on a ground slab, seed ${FOREST.seed}; a 16 x 90 lidar pattern (-15..+15 deg, 100 m) from ${POSES} free-space ` +
          'points 1.5 m up; Skylane\'s caster is the StaticScene over the same descriptors. The engines return their RayHit object (as a sensor gets it); ' +
          'ours writes a reused one. "castDistance" is the lidar-3d sensor\'s path (RayCaster.castDistance: the range only, no point, normal ' +
          'or owner; compared with Rapier\'s castRay). Equal hit rates per world show the casters answer alike (tests/sim/perception/ checks distances). ' +
          '"ours is faster by" is the median over trials of the within-trial ratio.',
      );
      readme.s3 = mdTable(['world', 'ray caster', 'rays/s', 'ours is faster by'], md);
    } finally {
      for (const d of disposers) d();
    }
  });

  await section(4, 'worker scaling', async () => {
    heading(`4. Worker scaling: runJobs, 3 library scenarios x seeds on rapier, 1 vs ${cores} workers`);
    const files = LIBRARY_FILES.map((f) => relative(ROOT, f));
    // The brief's batch (18 runs), and a larger one that amortises the workers' warm-up.
    const batches = [
      { seeds: `1..${SCALING_SEEDS}`, runs: files.length * SCALING_SEEDS },
      { seeds: `1..${LARGE_SEEDS}`, runs: files.length * LARGE_SEEDS },
    ];
    const N = cores;
    const modes = N > 1 ? [1, N] : [1];
    const trials = Math.min(TRIALS, 3);
    let identical = true;
    const diffs: string[] = [];
    const capacity: number[] = [];
    const rows: string[][] = [];
    const md: string[][] = [];
    for (const batch of batches) {
      const res = new Map<number, PoolReport[]>();
      for (const w of modes) res.set(w, []);
      let reference: string[] | null = null;
      for (let t = 0; t < trials; t++) {
        progress(`section 4: ${batch.runs} runs, trial ${t + 1}/${trials}`);
        if (N > 1) capacity.push(await cpuCapacity(N, 400));
        const order = t % 2 === 0 ? modes : [...modes].reverse();
        for (const w of order) {
          const r = await timeBatch(files, batch.seeds, w);
          reference ??= r.results;
          r.results.forEach((h, i) => {
            if (h !== reference![i]) {
              identical = false;
              if (diffs.length < 5) diffs.push(`    run ${i} of seeds ${batch.seeds}, ${w} worker(s): ${h} vs ${reference![i]}`);
            }
          });
          res.get(w)!.push(r);
        }
      }
      const base = median(res.get(1)!.map((x) => x.ms));
      for (const w of modes) {
        const ts = res.get(w)!;
        const ms = median(ts.map((x) => x.ms));
        const rps = ts.map((x) => batch.runs / (x.ms / 1000));
        rows.push([
          `${batch.runs} runs (seeds ${batch.seeds})`,
          String(w),
          num(ms / 1000, 2),
          num(median(rps), 2),
          spread(rps),
          `${num(base / ms, 2)}x`,
          num(median(ts.map((x) => x.cpuS)), 2),
          num(median(ts.map((x) => x.cpuS / (x.ms / 1000))), 2),
          num(median(ts.map((x) => x.busyS)), 2),
        ]);
        md.push([`${batch.runs}`, String(w), num(median(rps), 2), `${num(base / ms, 2)}×`]);
      }
    }
    out(table(['batch', 'workers', 'wall s', 'runs/s', 'spread', 'speed-up', 'CPU s', 'cores used', 'sum of run wall s'], rows));
    out(
      `  stateHash (and steps, verdict) per run identical between 1 and ${N} workers, every trial of both batches: ` +
        (identical ? `yes (${batches.map((b) => b.runs).join(' + ')} runs)` : 'NO'),
    );
    for (const d of diffs) out(d);
    if (capacity.length) {
      out(
        `  machine capacity in the same trials: ${N} busy threads got ${num(median(capacity), 2)}x the CPU throughput of 1 ` +
          `(pure-JS probe; min ${num(Math.min(...capacity), 2)}x, max ${num(Math.max(...capacity), 2)}x; ${N}x = ${N} free cores)`,
      );
    }
    // What a fresh worker costs: start-up, then slow first runs until the JIT and Rapier's WASM tiers are warm.
    let warmup = '';
    try {
      progress('section 4: worker warm-up');
      const job: Job = { index: 0, file: files[0]!, seed: 1, backend: 'rapier' };
      const K = 8;
      const warm: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = now();
        const o = await executeJob(job);
        if (!('result' in o)) throw new Error(o.inputError);
        warm.push(now() - t0);
      }
      const fresh = await timeFreshWorker(job, K);
      const warmMs = median(warm.slice(-5));
      const extra = fresh.startMs + fresh.runMs.reduce((a, x) => a + Math.max(0, x - warmMs), 0);
      warmup = `${num(extra / 1000, 1)} s`;
      out(
        `  a fresh worker: ${num(fresh.startMs, 0)} ms to start (thread, tsx, modules, Rapier init); its first ${K} runs of ` +
          `${files[0]} take ${fresh.runMs.map((x) => num(x, 0)).join(', ')} ms vs ${num(warmMs, 0)} ms warm: ` +
          `~${num(extra / 1000, 1)} s of warm-up per worker`,
      );
    } catch (err) {
      out(`  (worker warm-up not measured: ${err instanceof Error ? err.message : String(err)})`);
    }
    note(
      `Each measurement is a fresh process (scripts/bench-pool.ts) timing one runJobs call, so both sides start cold as a ` +
        `\`skylane run --workers K\` does: with 1 worker the jobs run in that process's main thread, with ${N} in ${N} new worker threads, ` +
        `each paying its own start-up and JIT/WASM warm-up. Median of ${trials} trials (at most 3 here, to stay short); the worker ` +
        `counts alternate within each trial. "CPU s" is the process's CPU time (all threads) during the call and "cores used" = CPU s / wall s: ` +
        `with ${N} workers it can reach ${N} only if the machine gives the process ${N} cores. "sum of run wall s" adds up the runs' own wallTime: ` +
        `it rises when threads share cores and with every cold thread. The speed-up is bounded by the capacity probe and needs batches long ` +
        `enough to amortise each worker's warm-up.` +
        (N <= 1 ? ' This machine reports 1 core: only the 1-worker row is measured.' : ''),
    );
    readme.s4 =
      mdTable(['runs', 'workers', 'runs/s', 'speed-up'], md) +
      `\n\nResults (stateHash per run) identical between 1 and ${N} workers: ${identical ? 'yes' : 'NO'}.` +
      (capacity.length ? ` During these trials ${N} busy threads got ${num(median(capacity), 2)}× the CPU throughput of one (other load on the machine).` : '') +
      (warmup ? ` Each fresh worker spends ~${warmup} starting and warming up.` : '');
    if (!identical) {
      const changed = changedSources();
      if (changed.length) {
        out(`  !! source files changed while the bench ran (${changed.slice(0, 6).join(', ')}${changed.length > 6 ? ', ...' : ''}):`);
        out('  !! every measurement loads the code afresh, so this mismatch may come from the edit; re-run on a quiet tree.');
      }
      throw new Error(`results differ between 1 and ${N} workers (see above)${changed.length ? '; sources changed during the bench' : ''}`);
    }
  });

  await section(5, 'memory', async () => {
    heading(`5. Memory: ${MEMORY_RUNS} consecutive rover-crossing runs (${MEMORY_STEPS} steps each, rapier) in one process`);
    progress(`section 5: ${MEMORY_RUNS} runs in a child process`);
    const rep = await runMemoryChild();
    const s0 = rep.samples[0]!;
    const label = (n: number) => (n === 0 ? 'start (modules loaded)' : n === -1 ? 'engine initialised' : `after run ${num(n)}`);
    const wasm = (x: number | null) => (x === null ? 'n/a' : mib(x));
    const rows = rep.samples.map((s) => [
      label(s.runs),
      mib(s.rss),
      signedMib(s.rss - s0.rss),
      mib(s.heapUsed),
      mib(s.heapTotal),
      mib(s.external),
      wasm(s.wasmMemory),
    ]);
    out(table(['sample', 'RSS MiB', 'RSS vs start', 'heapUsed MiB', 'heapTotal MiB', 'external MiB', 'Rapier WASM memory MiB'], rows));
    const at = (n: number) => rep.samples.find((s) => s.runs === n);
    const s100 = at(100), sEnd = rep.samples[rep.samples.length - 1]!;
    let growth = '';
    if (s100 && sEnd.runs > 100) {
      const runs = sEnd.runs - 100;
      growth =
        `RSS ${signedMib(sEnd.rss - s100.rss)} MiB (${num((sEnd.rss - s100.rss) / runs / 1024, 1)} KiB/run), ` +
        `heapUsed ${signedMib(sEnd.heapUsed - s100.heapUsed)} MiB (${num((sEnd.heapUsed - s100.heapUsed) / runs / 1024, 1)} KiB/run), ` +
        `Rapier WASM memory ${s100.wasmMemory === null || sEnd.wasmMemory === null ? 'n/a' : `${signedMib(sEnd.wasmMemory - s100.wasmMemory)} MiB`}`;
      out(`  growth from run 100 to run ${sEnd.runs}: ${growth}`);
    }
    out(`  ${num(rep.runs)} runs, ${num(rep.totalSteps)} steps in ${num(rep.wallS, 1)} s; samples taken after a forced GC: ${rep.gcForced ? 'yes' : 'no'}`);
    note(
      `Fresh child process (scripts/bench-memory.ts); each run is startRun (seed = run number), up to ${MEMORY_STEPS} steps, result(), dispose(). ` +
        '"Rapier WASM memory" is the engine\'s linear memory (captured when the module is instantiated; not part of external/arrayBuffers): ' +
        'it grows on demand and never shrinks, so it must plateau, which it does when world.dispose() frees the Rapier objects. ' +
        'The one-time RSS rise during the first run is neither JS heap nor Rapier\'s linear memory: it comes with code warm-up (V8 compiling ' +
        'Rapier\'s WebAssembly and the JS, and the allocator keeping the compilers\' memory). A steady per-run rise after run 100 would be a leak.',
    );
    if (s100) {
      readme.s5 =
        mdTable(
          ['sample', 'RSS (MiB)', 'heapUsed (MiB)', 'Rapier WASM memory (MiB)'],
          rep.samples
            .filter((s) => s.runs <= 1 || s.runs === 100 || s.runs === sEnd.runs)
            .map((s) => [label(s.runs), mib(s.rss), mib(s.heapUsed), wasm(s.wasmMemory)]),
        ) + `\n\nGrowth from run 100 to run ${sEnd.runs}: ${growth}.`;
    }
  });

  await section(6, 'dense highway', async () => {
    const dense = loadScenarioFile(DENSE);
    const sc = dense.scenario;
    const npcs = sc.actors.filter((a) => a.kind === 'car' && (a as { driver?: unknown }).driver !== undefined).length;
    heading(`6. Dense highway (issue #3): ego on full dynamics + ${npcs} NPC cars, headless, ${sc.duration} s simulated`);
    progress('section 6: recording the reference trajectories and warming up');
    const recs = new Map<BackendId, Recording>();
    const full = new Map<BackendId, FullTiming[]>();
    const bare = new Map<BackendId, RawTiming[]>();
    const inst = new Map<BackendId, Breakdown[]>();
    /** physics.step alone in the bare loop, µs/step (the bare loop's replayed setters excluded). */
    const engineOnly = new Map<BackendId, number[]>();
    const cal = calibrateWrapper();
    for (const b of BACKENDS) {
      const rec = await record(dense, b);
      recs.set(b, rec);
      full.set(b, []);
      bare.set(b, []);
      inst.set(b, []);
      engineOnly.set(b, []);
      await timeSkylane(dense, b);
      await timeRaw(dense, rec);
      await timeInstrumented(dense, b);
    }
    for (let t = 0; t < TRIALS; t++) {
      progress(`section 6: trial ${t + 1}/${TRIALS}`);
      const order = t % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
      for (const b of order) {
        const rec = recs.get(b)!;
        // Skylane run, bare loop, instrumented run and bare loop with physics.step timed, back to back; which goes first rotates with the trial.
        for (let i = 0; i < 4; i++) {
          const which = (t + i) % 4;
          if (which === 0) {
            const x = await timeSkylane(dense, b);
            if (x.stateHash !== rec.stateHash) throw new Error(`${b}: the timed run's stateHash ${x.stateHash} differs from the recording's ${rec.stateHash} (non-deterministic?)`);
            full.get(b)!.push(x);
          } else if (which === 1) bare.get(b)!.push(await timeRaw(dense, rec));
          else if (which === 2) inst.get(b)!.push(await timeInstrumented(dense, b));
          else {
            const r = await timeRaw(dense, rec, true);
            engineOnly.get(b)!.push((1000 * (r.physicsMs - r.steps * cal.inside)) / r.steps);
          }
        }
      }
    }
    const rows: string[][] = [];
    const md: string[][] = [];
    const cpuRows: string[][] = [];
    const cpuMd: string[][] = [];
    const headline = new Map<BackendId, { rtf: number; us: number; bareUs: number; ratio: number }>();
    for (const b of BACKENDS) {
      const rec = recs.get(b)!;
      const ts = full.get(b)!;
      const rs = bare.get(b)!;
      const rates = ts.map((x) => x.steps / (x.stepMs / 1000));
      const rtfs = ts.map((x) => x.simTime / (x.stepMs / 1000));
      const us = median(ts.map((x) => (1000 * x.stepMs) / x.steps));
      const bareUs = median(rs.map((x) => (1000 * x.stepMs) / x.steps));
      const bareRtf = median(rs.map((x) => (x.steps * rec.simTime) / rec.steps / (x.stepMs / 1000)));
      const ratios = ts.map((x, i) => x.stepMs / x.steps / (rs[i]!.stepMs / rs[i]!.steps));
      const rtf = median(rtfs);
      // The same from CPU time: what a core of its own would give, less exposed to the machine's other load.
      const cpuRtf = median(ts.map((x) => x.simTime / (x.cpuMs / 1000)));
      const cpuRatio = median(ts.map((x, i) => x.cpuMs / x.steps / (rs[i]!.cpuMs / rs[i]!.steps)));
      headline.set(b, { rtf, us, bareUs, ratio: median(ratios) });
      cpuRows.push([b, num(median(ts.map((x) => (1000 * x.cpuMs) / x.steps)), 1), `${num(cpuRtf, 1)}x`, num(median(rs.map((x) => (1000 * x.cpuMs) / x.steps)), 1), `${num(cpuRatio, 2)}x`]);
      cpuMd.push([b, `${num(cpuRtf, 0)}×`, num(median(ts.map((x) => (1000 * x.cpuMs) / x.steps)), 0), `${num(cpuRatio, 2)}×`]);
      const same = rs.every((x) => x.sameTrajectory);
      rows.push([
        b,
        num(rec.steps),
        `${rec.verdict} (${rec.endReason})`,
        num(median(rates)),
        spread(rates),
        num(us, 1),
        `${num(rtf, 1)}x`,
        rtf >= DENSE_RTF_GOAL ? 'yes' : 'NO',
        num(bareUs, 1),
        `${num(bareRtf, 0)}x`,
        `${num(median(ratios), 2)}x`,
        same ? 'yes' : 'NO',
        num(median(ts.map((x) => x.buildMs)), 1),
      ]);
      md.push([b, num(median(rates)), `${num(rtf, 0)}×`, num(us, 0), num(bareUs, 0), `${num(median(ratios), 2)}×`, rtf >= DENSE_RTF_GOAL ? 'yes' : 'no']);
    }
    out(table(['backend', 'steps', 'verdict', 'steps/s', 'spread', 'us/step', 'real-time', `>= ${DENSE_RTF_GOAL}x`, 'bare us/step', 'bare real-time', 'ratio', 'same final pose', 'build ms'], rows));
    out(`  goal (issue #3 section 10): real-time factor >= ${DENSE_RTF_GOAL}x on one core`);
    out('  the same runs timed in CPU time (process.cpuUsage: excludes waiting for a core, includes V8 helper threads):');
    out(table(['backend', 'cpu us/step', 'real-time (cpu)', 'bare cpu us/step', 'ratio (cpu)'], cpuRows));
    note(
      `${relative(ROOT, DENSE)}, seed ${sc.seed}, ${num(sc.world.physicsHz)} Hz physics, run to its ${sc.duration} s end on one thread: the ego is a ` +
        `raycast-vehicle car (model: dynamic) driven by ha-pilot with object-list, radar, IMU, wheel odometry and GNSS; ${npcs} NPC cars are ` +
        'kinematic bicycles driven by IDM/MOBIL (world-side drivers, inside the act phase). "bare" = the same world built by createWorld ' +
        '(identical bodies), then only physics.step(dt) with the recorded per-step inputs of a Skylane run replayed: each NPC\'s ' +
        'setLinearVelocity/setAngularVelocity and the ego\'s four setWheelInput calls, so every body moves on the same trajectory (checked: the ' +
        'ego\'s final pose is bit-identical). ratio = Skylane us/step / bare us/step per trial, median. "bare real-time" is the ceiling the ' +
        'engine alone allows. build ms (startRun) is not in the step figures.',
    );

    // Breakdown: corrected µs/step per phase, medians over the instrumented runs.
    const order = ['physics', 'sense: object-list', 'sense: radar', 'sense: imu', 'sense: wheel-odometry', 'sense: gnss', 'agent', 'npc drivers', 'act', 'act: npc', 'ground truth'];
    const perB = new Map<BackendId, Map<string, number>>();
    const instUs = new Map<BackendId, number>();
    const keys = phaseKeys(inst.values(), order);
    for (const b of BACKENDS) {
      const r = phaseMedians(inst.get(b)!, keys, cal);
      perB.set(b, r.perPhase);
      instUs.set(b, r.estimateUs);
    }
    const allKeys = [...keys, 'other'];
    const label: Record<string, string> = {
      physics: 'physics (backend step: raycast vehicle + bodies)',
      'sense: object-list': 'sensing: object list (occlusion raycasts)',
      'sense: radar': 'sensing: radar',
      'sense: imu': 'sensing: IMU',
      'sense: wheel-odometry': 'sensing: wheel odometry',
      'sense: gnss': 'sensing: GNSS',
      agent: 'agent: ha-pilot',
      'npc drivers': `NPC drivers: IDM/MOBIL (${npcs} cars)`,
      act: 'act: ego car actuator (wheel inputs)',
      'act: npc': `act: NPC kinematic bicycles (${npcs} cars)`,
      'ground truth': 'ground-truth read-back (all cars)',
      other: 'other: timeline, contacts/events, rxjs, Run.step',
    };
    const total = (m: Map<string, number>) => [...m.values()].reduce((s, x) => s + x, 0);
    const brows: string[][] = allKeys.map((k) => [label[k] ?? k, ...BACKENDS.flatMap((b) => {
      const m = perB.get(b)!;
      const v = m.get(k) ?? 0;
      return [num(v, 1), `${num((100 * v) / total(m), 1)} %`];
    })]);
    brows.push(['sum (timer overhead removed)', ...BACKENDS.flatMap((b) => [num(total(perB.get(b)!), 1), '100.0 %'])]);
    out();
    out('  Where the dense-highway step goes (instrumented runs, us per step averaged over the whole run):');
    out(table(['phase', ...BACKENDS.flatMap((b) => [`${b} us`, 'share'])], brows));
    const grp = (m: Map<string, number>, pred: (k: string) => boolean) => [...m.entries()].filter(([k]) => pred(k)).reduce((s, [, v]) => s + v, 0);
    const groups: [string, (k: string) => boolean][] = [
      ['physics', (k) => k === 'physics'],
      ['sensing', (k) => k.startsWith('sense:')],
      ['agent + NPC drivers', (k) => k === 'agent' || k === 'npc drivers'],
      ['criteria', (k) => k.startsWith('criteria:')],
      ['act + ground truth + other', (k) => k === 'act' || k === 'act: npc' || k === 'ground truth' || k === 'other'],
    ];
    const grows = groups.map(([g, pred]) => [g, ...BACKENDS.flatMap((b) => {
      const m = perB.get(b)!;
      const v = grp(m, pred);
      return [num(v, 1), `${num((100 * v) / total(m), 1)} %`];
    })]);
    out();
    out(table(['group', ...BACKENDS.flatMap((b) => [`${b} us`, 'share'])], grows));
    out(
      '  instrumented us/step (timers removed) vs uninstrumented: ' +
        BACKENDS.map((b) => `${b} ${num(instUs.get(b)!, 1)} vs ${num(headline.get(b)!.us, 1)}`).join(', '),
    );
    // What the goal needs: the step budget at 100x, and the biggest shares.
    const budgetUs = 1e6 / (sc.world.physicsHz * DENSE_RTF_GOAL);
    for (const b of BACKENDS) {
      const h = headline.get(b)!;
      out(
        `  ${b}: ${num(h.us, 1)} us/step against a budget of ${num(budgetUs, 1)} us/step for ${DENSE_RTF_GOAL}x at ${num(sc.world.physicsHz)} Hz; ` +
          `the bare loop is ${num(h.bareUs, 1)} us (${num((100 * h.bareUs) / budgetUs, 0)} % of the budget), of which physics.step ` +
          `${num(median(engineOnly.get(b)!), 1)} us (inside the Skylane loop: ${num(perB.get(b)!.get('physics') ?? NaN, 1)} us); the rest is ` +
          `the replayed velocity/wheel setters`,
      );
    }
    note(
      'Same timing wrappers as section 2 (sensor.sample per sensor type, agent.act, each NPC driver\'s step and kinematic-bicycle applyCommand ' +
        'apart from the ego actuator, groundTruth, each criterion\'s observe/onEvent, backend.step), wrapper cost subtracted. ' +
        'Sensing is the object list, radar, IMU, wheel odometry and GNSS at their scenario rates.',
    );
    const r = perB.get('rapier')!;
    readme.s6 =
      mdTable(['backend', 'steps/s', 'real-time factor', 'µs/step', 'bare backend µs/step', 'ratio', `≥ ${DENSE_RTF_GOAL}× (goal)`], md) +
      `\n\nThe same runs in CPU time (waiting for a core excluded):\n\n` +
      mdTable(['backend', 'real-time factor (CPU)', 'CPU µs/step', 'ratio (CPU)'], cpuMd) +
      `\n\nWhere a dense-highway step goes on Rapier:\n\n` +
      mdTable(['phase', 'µs/step', 'share'], allKeys.map((k) => [label[k] ?? k, num(r.get(k) ?? 0, 1), `${num((100 * (r.get(k) ?? 0)) / total(r), 0)} %`]));
  });

  /**
   * Sections 7 and 8: a UAV scenario on both backends: the full Skylane run
   * (timed in wall and CPU time), the bare engine loop on the same trajectory
   * (the recorded per-step force and torque of every drone replayed), and an
   * instrumented run for where the step goes.
   */
  const uavSection = async (n: number, file: string, goal: number, what: string): Promise<string> => {
    const loaded = loadScenarioFile(file);
    const sc = loaded.scenario;
    const drones = sc.actors.filter((a) => a.kind === 'uav');
    const ego = drones[0]?.id;
    if (!ego) throw new Error(`${relative(ROOT, file)} has no uav actor`);
    const lidar = drones.flatMap((a) => (a.kind === 'uav' ? a.sensors : [])).find((x) => x.type === 'lidar-3d');
    heading(`${n}. ${what}: ${relative(ROOT, file)}, ${drones.length} drone${drones.length === 1 ? '' : 's'}, ${sc.duration} s simulated`);
    progress(`section ${n}: recording the reference trajectories and warming up`);
    const recs = new Map<BackendId, Recording>();
    const full = new Map<BackendId, FullTiming[]>();
    const bare = new Map<BackendId, RawTiming[]>();
    const inst = new Map<BackendId, Breakdown[]>();
    const cal = calibrateWrapper();
    for (const b of BACKENDS) {
      const rec = await record(loaded, b, ego);
      recs.set(b, rec);
      full.set(b, []);
      bare.set(b, []);
      inst.set(b, []);
      await timeSkylane(loaded, b);
      await timeRaw(loaded, rec);
    }
    for (let t = 0; t < TRIALS; t++) {
      progress(`section ${n}: trial ${t + 1}/${TRIALS}`);
      const order = t % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
      for (const b of order) {
        const rec = recs.get(b)!;
        for (let i = 0; i < 3; i++) {
          const which = (t + i) % 3;
          if (which === 0) {
            const x = await timeSkylane(loaded, b);
            if (x.stateHash !== rec.stateHash) throw new Error(`${b}: the timed run's stateHash ${x.stateHash} differs from the recording's ${rec.stateHash} (non-deterministic?)`);
            full.get(b)!.push(x);
          } else if (which === 1) bare.get(b)!.push(await timeRaw(loaded, rec));
          else inst.get(b)!.push(await timeInstrumented(loaded, b));
        }
      }
    }
    const rows: string[][] = [], md: string[][] = [];
    const headline = new Map<BackendId, { rtf: number; cpuRtf: number }>();
    for (const b of BACKENDS) {
      const rec = recs.get(b)!;
      const ts = full.get(b)!, rs = bare.get(b)!;
      const rtfs = ts.map((x) => x.simTime / (x.stepMs / 1000));
      const rtf = median(rtfs);
      const cpuRtf = median(ts.map((x) => x.simTime / (x.cpuMs / 1000)));
      const us = median(ts.map((x) => (1000 * x.stepMs) / x.steps));
      const bareUs = median(rs.map((x) => (1000 * x.stepMs) / x.steps));
      const bareRtf = median(rs.map((x) => (x.steps * rec.simTime) / rec.steps / (x.stepMs / 1000)));
      const ratio = median(ts.map((x, i) => x.stepMs / x.steps / (rs[i]!.stepMs / rs[i]!.steps)));
      const cpuRatio = median(ts.map((x, i) => x.cpuMs / x.steps / (rs[i]!.cpuMs / rs[i]!.steps)));
      headline.set(b, { rtf, cpuRtf });
      const same = rs.every((x) => x.sameTrajectory);
      rows.push([
        b, num(rec.steps), `${rec.verdict} (${rec.endReason})`, num(us, 1), `${num(rtf, 1)}x`, spread(rtfs), `${num(cpuRtf, 1)}x`,
        rtf >= goal ? 'yes' : 'NO', num(bareUs, 1), `${num(bareRtf, 0)}x`, `${num(ratio, 2)}x`, `${num(cpuRatio, 2)}x`, same ? 'yes' : 'NO',
      ]);
      md.push([b, `${num(rtf, 0)}×`, `${num(cpuRtf, 0)}×`, num(us, 1), num(bareUs, 1), `${num(ratio, 2)}×`, rtf >= goal ? 'yes' : 'no']);
    }
    out(table(['backend', 'steps', 'verdict', 'us/step', 'real-time', 'spread', 'real-time (cpu)', `>= ${goal}x`, 'bare us/step', 'bare real-time', 'ratio', 'ratio (cpu)', 'same final pose'], rows));
    out(`  goal (issue #4 section 10): real-time factor >= ${goal}x on one core; for context, gym-pybullet-drones reports ${GYM_PYBULLET_DRONES}`);
    note(
      `${num(sc.world.physicsHz)} Hz physics, seed ${sc.seed}, run to its end on one thread. Each drone: its agent (estimator + PX4-style flight ` +
        'stack at 250 Hz on IMU, GNSS and barometer), the multirotor model (motors, drag, ground-effect ray) and its sensors at their scenario ' +
        'rates. "bare" = the same world built by createWorld (identical bodies), then only physics.step(dt) with the recorded per-step force and ' +
        `torque of every drone replayed (checked: ${ego}'s final pose is bit-identical). ratio = Skylane us/step / bare us/step per trial, median. ` +
        '"(cpu)" = the same runs in process CPU time (excludes waiting for a core on this shared machine).',
    );
    // Breakdown
    const order = ['physics', 'sense: lidar-3d', 'sense: imu', 'sense: gnss', 'sense: barometer', 'agent', 'act', 'ground truth'];
    const keys = phaseKeys(inst.values(), order);
    const perB = new Map<BackendId, Map<string, number>>();
    const lidarRays = new Map<BackendId, number>();
    for (const b of BACKENDS) {
      const r = phaseMedians(inst.get(b)!, keys, cal);
      perB.set(b, r.perPhase);
      if (lidar && lidar.type === 'lidar-3d') {
        // Rays per second inside the lidar's sample() (casting, noise, the range array), from the instrumented runs.
        const raysPerScan = (lidar.beams ?? VLP_16.beams) * (lidar.layers ?? VLP_16.layers);
        lidarRays.set(b, median(inst.get(b)!.map((bd) => {
          const a = bd.phases.get('sense: lidar-3d');
          return a && a.n > 0 ? (raysPerScan * a.n) / (Math.max(1e-9, a.t - a.n * cal.inside) / 1000) : NaN;
        })));
      }
    }
    const allKeys = [...keys, 'other'];
    const label: Record<string, string> = {
      physics: 'physics (backend step)',
      'sense: lidar-3d': 'sensing: lidar-3d (360 deg)',
      'sense: imu': 'sensing: IMU',
      'sense: gnss': 'sensing: GNSS',
      'sense: barometer': 'sensing: barometer',
      agent: 'agents (estimator, flight stack, guidance)',
      act: 'act: multirotor model (motors, drag, ground-effect ray, force/torque)',
      'ground truth': 'ground-truth read-back',
      other: 'other: contacts/events, rxjs, Run.step',
    };
    const total = (m: Map<string, number>) => [...m.values()].reduce((acc, x) => acc + x, 0);
    const brows = allKeys.map((k) => [label[k] ?? k, ...BACKENDS.flatMap((b) => {
      const m = perB.get(b)!;
      const v = m.get(k) ?? 0;
      return [num(v, 1), `${num((100 * v) / total(m), 1)} %`];
    })]);
    brows.push(['sum (timer overhead removed)', ...BACKENDS.flatMap((b) => [num(total(perB.get(b)!), 1), '100.0 %'])]);
    out();
    out(`  Where the step goes (instrumented runs, us per step averaged over the whole run):`);
    out(table(['phase', ...BACKENDS.flatMap((b) => [`${b} us`, 'share'])], brows));
    if (lidar && lidar.type === 'lidar-3d') {
      out(
        `  lidar-3d (${lidar.beams ?? VLP_16.beams} x ${lidar.layers ?? VLP_16.layers} rays at ${num(lidar.rateHz ?? VLP_16.rateHz)} Hz, Skylane's caster + range noise): ` +
          BACKENDS.map((b) => `${b} ${num(lidarRays.get(b)!)} rays/s`).join(', ') + ' inside the sensor (section 3 compares the casters alone with castRay)',
      );
    }
    const r = perB.get('rapier')!;
    let md2 =
      mdTable(['backend', 'real-time factor', 'real-time factor (CPU)', 'µs/step', 'bare backend µs/step', 'ratio', `≥ ${goal}× (goal)`], md) +
      `\n\nWhere the step goes on Rapier:\n\n` +
      mdTable(['phase', 'µs/step', 'share'], allKeys.map((k) => [label[k] ?? k, num(r.get(k) ?? 0, 1), `${num((100 * (r.get(k) ?? 0)) / total(r), 0)} %`]));
    if (lidarRays.size) md2 += `\n\nThe lidar-3d sensor itself: ${BACKENDS.map((b) => `${num(lidarRays.get(b)!)} rays/s (${b} run)`).join(', ')}.`;
    return md2;
  };

  await section(7, 'one drone', async () => {
    readme.s7 = await uavSection(7, ONE_DRONE, ONE_DRONE_RTF_GOAL, 'One drone with its 360-degree lidar (issue #4)');
  });

  await section(8, '50-drone swarm', async () => {
    readme.s8 = await uavSection(8, SWARM, SWARM_RTF_GOAL, 'A 50-drone swarm (issue #4)');
  });

  await section(9, 'gimbal', async () => {
    const loaded = loadScenarioFile(GIMBAL_HOVER);
    const sc = loaded.scenario;
    heading(`9. Gimbal (issue #5): ${relative(ROOT, GIMBAL_HOVER)}, ${sc.duration} s simulated, ${num(sc.world.physicsHz)} Hz physics`);
    // ---- 9a: Gimbal.advance alone, over the recorded airframe motion.
    progress('section 9: recording the airframe motion the gimbals see, and warming up');
    const rec = await recordGimbal(loaded, 'rapier');
    const controllers = GIMBAL_BENCH_CONTROLLERS.filter((c) => rec.controllers.includes(c));
    if (controllers.length !== GIMBAL_BENCH_CONTROLLERS.length) throw new Error(`${relative(ROOT, GIMBAL_HOVER)} runs ${rec.controllers.join(', ')}; section 9 expects ${GIMBAL_BENCH_CONTROLLERS.join(', ')}`);
    const cal = calibrateWrapper();
    const clean = new Map<string, GimbalReplay[]>(controllers.map((c) => [c, []]));
    const inst = new Map<string, GimbalReplay[]>(controllers.map((c) => [c, []]));
    for (const c of controllers) replayGimbal(rec, c, false);
    const simMs = rec.simTime * 1000;
    const perSimMs = (ms: number) => (1000 * ms) / simMs;
    // ---- 9b: the whole scenario, with no gimbal, one, and the library's three.
    const variants: GimbalVariant[] = ['no gimbal', 'one gimbal', 'library'];
    const loadedOf = new Map(variants.map((v) => [v, gimbalVariant(loaded, v)]));
    const gimbalCount = (v: GimbalVariant) => {
      const g = loadedOf.get(v)!.scenario.actors.flatMap((a) => (a.kind === 'uav' && a.gimbal ? [a.gimbal] : []));
      return g.reduce((n, x) => n + 1 + x.compare.length, 0);
    };
    const full = new Map<string, FullTiming[]>();
    const hashes = new Map<string, string>();
    const key = (b: BackendId, v: GimbalVariant) => `${b}/${v}`;
    for (const b of BACKENDS) for (const v of variants) {
      full.set(key(b, v), []);
      hashes.set(key(b, v), (await timeSkylane(loadedOf.get(v)!, b)).stateHash);
    }
    for (let t = 0; t < TRIALS; t++) {
      progress(`section 9: trial ${t + 1}/${TRIALS}`);
      // Gimbal alone: each controller clean, then instrumented, in alternating order.
      for (const c of t % 2 === 0 ? controllers : [...controllers].reverse()) {
        clean.get(c)!.push(replayGimbal(rec, c, false));
        inst.get(c)!.push(replayGimbal(rec, c, true));
      }
      // The scenario: backends alternate, the variants rotate.
      for (const b of t % 2 === 0 ? BACKENDS : [...BACKENDS].reverse()) {
        for (let i = 0; i < variants.length; i++) {
          const v = variants[(t + i) % variants.length]!;
          const x = await timeSkylane(loadedOf.get(v)!, b);
          if (x.stateHash !== hashes.get(key(b, v))) throw new Error(`${b}, ${v}: the timed run's stateHash ${x.stateHash} differs from the warm-up's ${hashes.get(key(b, v))} (non-deterministic?)`);
          full.get(key(b, v))!.push(x);
        }
      }
    }

    // 9a table.
    out(`  9a. The gimbal sub-simulation alone: Gimbal.advance over ${num(rec.ticks)} recorded physics ticks (rapier run), one fresh gimbal per controller`);
    const corrected = (a: Acc) => Math.max(0, a.t - a.n * cal.inside);
    const rowsA: string[][] = [], mdA: string[][] = [];
    for (const c of controllers) {
      const xs = clean.get(c)!, ys = inst.get(c)!;
      const us = xs.map((x) => perSimMs(x.ms));
      const cpuUs = median(xs.map((x) => perSimMs(x.cpuMs)));
      const part = (k: 'dynamics' | 'controller' | 'vibration') => median(ys.map((y) => perSimMs(corrected(y.parts![k]))));
      const instTotal = median(ys.map((y) => perSimMs(y.ms - (y.parts!.dynamics.n + y.parts!.controller.n + y.parts!.vibration.n) * cal.total)));
      const dyn = part('dynamics'), ctl = part('controller'), vib = part('vibration');
      const rest = Math.max(0, instTotal - dyn - ctl - vib);
      const same = xs.every((x) => x.same) && ys.every((y) => y.same);
      const rtf = rec.simTime / (median(xs.map((x) => x.ms)) / 1000);
      rowsA.push([c, num(median(us), 2), spread(us), num(cpuUs, 2), `${num(rtf, 0)}x`, num(dyn, 2), num(ctl, 2), num(vib, 2), num(rest, 2), num(instTotal, 2), same ? 'yes' : 'NO']);
      mdA.push([c, num(median(us), 1), `${num(rtf, 0)}×`, num(dyn, 1), num(ctl, 1), num(vib, 1), num(rest, 1)]);
    }
    out(table(['controller', 'us/sim ms', 'spread', 'cpu us/sim ms', 'gimbal real-time', 'dynamics', 'controller', 'vibration', 'rest', 'instrumented sum', 'same as run'], rowsA));
    const spec0 = rec.make(controllers[0]!);
    note(
      `us/sim ms = wall microseconds of Gimbal.advance per simulated millisecond (${num(spec0.substeps)} substeps of the coupled 6-DOF ` +
        `mount + chain solve per ${num(1000 / sc.world.physicsHz)} ms tick, i.e. ${num(spec0.logHz / 1000)} per ms, and one control tick per ` +
        `${num(spec0.controlEvery)} substeps), median of ${TRIALS}; 1000 / it is the gimbal's own real-time factor. The airframe states and rotor speeds ` +
        'the first gimbal received in a rapier run of the scenario are replayed through fresh gimbals built as the scenario builds them; ' +
        '"same as run" checks that each replay ends bit-identical to the run\'s own gimbal with that controller (camera attitude, saturation counts). ' +
        'The split comes from separate instrumented replays (timer overhead removed): dynamics = GimbalDynamics.step, controller = its step ' +
        '(at controlHz), vibration = RotorVibration.step, rest = interpolation of the airframe motion, IMU and encoder models, command generators, error log. ' +
        'The wrappers cost more than the calibrated timer overhead (they stop V8 inlining the wrapped calls), so the instrumented sum exceeds the ' +
        'clean figure: read the split as proportions.',
    );

    // 9b table.
    out();
    out(`  9b. The whole scenario headless (full Skylane run to its end), without the gimbal, with one, and with the library's ${gimbalCount('library')}`);
    const rowsB: string[][] = [], mdB: string[][] = [];
    for (const b of BACKENDS) {
      const base = full.get(key(b, 'no gimbal'))!;
      for (const v of variants) {
        const ts = full.get(key(b, v))!;
        const n = gimbalCount(v);
        const rtfs = ts.map((x) => x.simTime / (x.stepMs / 1000));
        const cpuRtf = median(ts.map((x) => x.simTime / (x.cpuMs / 1000)));
        const us = median(ts.map((x) => (1000 * x.stepMs) / x.steps));
        // Ratios inside each trial (the variants ran back to back), then the median.
        const ratio = median(ts.map((x, i) => x.stepMs / base[i]!.stepMs));
        const share = median(ts.map((x, i) => 1 - base[i]!.stepMs / x.stepMs));
        const perGimbal = n > 0 ? median(ts.map((x, i) => (1000 * (x.stepMs - base[i]!.stepMs)) / n / (x.simTime * 1000))) : NaN;
        rowsB.push([
          b, v, String(n), num(us, 1), `${num(median(rtfs), 1)}x`, spread(rtfs), `${num(cpuRtf, 1)}x`, `${num(ratio, 2)}x`,
          n > 0 ? `${num(100 * share, 0)} %` : 'n/a', n > 0 ? num(perGimbal, 2) : 'n/a',
          hashes.get(key(b, v)) === hashes.get(key(b, 'no gimbal')) ? 'yes' : 'NO',
        ]);
        mdB.push([b, v, String(n), `${num(median(rtfs), 0)}×`, `${num(cpuRtf, 0)}×`, `${num(ratio, 2)}×`, n > 0 ? `${num(100 * share, 0)} %` : '–', n > 0 ? num(perGimbal, 1) : '–']);
      }
    }
    out(table(['backend', 'scenario', 'gimbals', 'us/step', 'real-time', 'spread', 'real-time (cpu)', 'x no gimbal', 'gimbal share', 'us/sim ms per gimbal', 'same flight'], rowsB));
    note(
      `"no gimbal" = the library file with the drone's gimbal block and the gimbal criteria removed; "one gimbal" = its gimbal with ` +
        '`compare: []` (the judged gimbal-stabilizer alone); "library" = the file as shipped (the judged gimbal plus its `compare` baselines, ' +
        'each a full gimbal on the same airframe). x no gimbal = step time / the no-gimbal run\'s in the same trial; gimbal share = 1 - no-gimbal ' +
        'time / this time; us/sim ms per gimbal = the time added over the no-gimbal run, per gimbal and simulated millisecond (compare with 9a: ' +
        'it also counts the gimbal criteria and the service). "(cpu)" = process CPU time. Each timed run\'s stateHash equals its warm-up run\'s; ' +
        '"same flight" = its stateHash (every actor\'s state at the end) equals the no-gimbal run\'s on that backend: the gimbals do not ' +
        'push back on the airframe, so the three variants time the same flight.',
    );
    readme.s9 =
      mdTable(['controller', 'µs per simulated ms', 'gimbal real-time factor', 'dynamics', 'controller', 'vibration', 'rest'], mdA) +
      `\n\nThe scenario headless, with and without its gimbals:\n\n` +
      mdTable(['backend', 'scenario', 'gimbals', 'real-time factor', 'real-time factor (CPU)', '× no gimbal', 'gimbal share', 'µs per simulated ms per gimbal'], mdB);
  });

  // ---------------- README block
  out();
  out('--- README figures (markdown) ---');
  out(`Measured with \`npm run bench\` on ${machine} (medians of ${TRIALS} trials).`);
  const parts: [keyof ReadmeParts, string][] = [
    ['s1', '**Step rate**, rover-crossing to its goal (sensors, agent and criteria included):'],
    ['s2', '**Framework overhead**, the same bodies on the same trajectory, Skylane step vs bare `physics.step`:'],
    ['s3', `**Ray casting** (issue #4), the same rays through Skylane's caster (\`sim/perception/\`: a BVH over the static primitives, exact analytic tests) and each engine's \`castRay\`: the 90-beam range ring in the rover-crossing world, and a 16 × 90 lidar pattern in a forest of ${FOREST.pillars} pillars (${FOREST.sizeM[0]} × ${FOREST.sizeM[1]} m):`],
    ['s4', `**Worker scaling**, the 3 library scenarios × ${SCALING_SEEDS} and × ${LARGE_SEEDS} seeds on Rapier through the worker pool (\`runJobs\` in a fresh process, workers' start-up and warm-up included):`],
    ['s5', `**Memory**, ${MEMORY_RUNS} short runs in one process (Rapier):`],
    ['s6', `**Dense highway** (issue #3), ${relative(ROOT, DENSE)}: the ego on full dynamics (raycast vehicle, ha-pilot, object list, radar, IMU, wheel odometry, GNSS) among its NPC cars (kinematic, IDM/MOBIL), headless on one core, against the bare engine step for the same bodies on the same trajectory:`],
    ['s7', `**One drone** (issue #4), ${relative(ROOT, ONE_DRONE)}: a PX4 SITL Iris flown by uav-pilot (estimator and flight stack at 250 Hz, IMU, GNSS, barometer, the 360° lidar-3d at 10 Hz) among pillars, against the bare engine step for the same body on the same trajectory; gym-pybullet-drones reports ${GYM_PYBULLET_DRONES}:`],
    ['s8', `**${'50 drones'}** (issue #4), ${relative(ROOT, SWARM)}, each with its own estimator, flight stack, IMU, GNSS, barometer and V2X radio:`],
    ['s9', `**Gimbal** (issue #5), ${relative(ROOT, GIMBAL_HOVER)}: the gimbal sub-simulation alone (\`Gimbal.advance\` over the recorded airframe motion, per controller), then the whole scenario headless with no gimbal, one, and the library's three:`],
  ];
  for (const [k, title] of parts) {
    const body = readme[k];
    if (!body) continue;
    out();
    out(title);
    out();
    out(body);
  }
  out('--- end README figures ---');
  out();
  out(`load average at the end: ${loadavg()}`);
  const changed = changedSources();
  if (changed.length) {
    out(`warning: source files changed while the bench ran (${changed.slice(0, 6).join(', ')}${changed.length > 6 ? ', ...' : ''}); ` +
      'worker threads and the memory child load the code afresh, so their figures may mix versions.');
  }
  out(`bench finished in ${num((now() - started) / 1000, 1)} s${failures.length ? `; ${failures.length} section(s) failed:` : ''}`);
  for (const f of failures) out(`  - ${f}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
