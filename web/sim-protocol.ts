/**
 * The messages between the browser's main thread (the views) and the
 * simulation worker (web/sim-worker.ts), and the plain data they carry.
 *
 * The worker owns the `Run`; the main thread never sees a `World`. Once per
 * run it receives a `ViewInit` (everything static the views draw), then
 * `ViewFrame`s (at most ~60 per second of wall time, whatever the sim speed)
 * and finally the `RunResult`. Everything in a frame but `time`, `step` and
 * `actors` is optional, so that a frame can also come from a recording
 * (poses, events and metrics only): views draw what a frame carries and keep
 * the rest as it was.
 *
 * Types and tiny pure helpers only: importable from Node, no DOM, no three.
 */
import type { RunOptions } from '../scenarios/runner.ts';
import type { RunResult } from '../scenarios/result.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { ActorDescriptor } from '../sim/actor.ts';
import type { SimEvent } from '../sim/snapshot.ts';
import type { BackendId } from '../sim/physics/backend.ts';
import type { CriterionResult } from '../scenarios/criteria/criterion.ts';
import type { GimbalSpec } from '../uav/gimbal/spec.ts';
import type { ZoneDescriptor } from '../uav/airspace/zone.ts';
import type { MetricChannel, MetricSample } from '../scenarios/metrics/channels.ts';

/**
 * Extra run options forwarded into `startRun` (user agents, built-in agent swaps, teaching switches, ...):
 * structured-cloneable, and kept in the run's recording so that a replay runs the same.
 */
export type RunExtras = Omit<RunOptions, 'seed' | 'backend' | 'clock' | 'sandbox'>;

/** What to run. */
export interface RunRequest {
  /** A library scenario's id (its `name`). */
  scenarioId: string;
  seed: number;
  backend: BackendId;
  extras?: RunExtras;
}

/** Optional, costlier frame parts the main thread asks for (what is shown). */
export interface FrameLayers {
  /** Range-sensor scans and object-list detections (the Rays overlay). */
  scans: boolean;
}

// ---------- main -> worker ----------

export type ToWorker =
  | { type: 'start'; request: RunRequest; layers: FrameLayers; speed: number; autoplay: boolean }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'speed'; speed: number }
  | { type: 'layers'; layers: FrameLayers }
  /** The main thread drew (an animation frame passed) since the last frame it received: the worker may post the next (backpressure). */
  | { type: 'drawn' }
  | { type: 'dispose' }
  /** Replay: build the recorded run's world and post its `init` only (no stepping), then free it. */
  | { type: 'view'; run: RecordedRunSpec }
  /** Replay: re-simulate the recorded run to its end, headless, posting `progress` and then `verified`. */
  | { type: 'verify'; run: RecordedRunSpec };

/** A recorded run, as a recording's header gives it (scenarios/record/format.ts RecordingHeader): enough to build it again. */
export interface RecordedRunSpec {
  /** The scenario file's text and its name as recorded. */
  source: string;
  file: string;
  /** The scenario's data files (world.airspace.files) by the path as written. */
  dataFiles: Record<string, string>;
  seed: number;
  backend: BackendId;
  /** Run options as recorded (user agents, built-in agent swaps, break-it switches): plain JSON. */
  extras: Record<string, unknown>;
}

// ---------- worker -> main ----------

export type FromWorker =
  | { type: 'progress'; stage: string; fraction: number }
  | { type: 'init'; init: ViewInit }
  | { type: 'frame'; frame: ViewFrame }
  | { type: 'result'; result: RunResult }
  | { type: 'error'; message: string }
  /** After a live run's `result`: its recording, packed (`.skyrec.json.gz` bytes; transferred). */
  | { type: 'recording'; name: string; bytes: ArrayBuffer }
  /** The recording could not be made (the run itself is unaffected). */
  | { type: 'recording-error'; message: string }
  /** A `verify` request's re-simulated result. */
  | { type: 'verified'; result: RunResult };

// ---------- static view data ----------

/** A range sensor the Rays overlay can draw. */
export interface SensorInit {
  actorId: string;
  name: string;
  type: string;
}

/** A drone's gimbal, as its 3D look and the gimbal panel need it. */
export interface GimbalInit {
  actorId: string;
  spec: GimbalSpec;
  /** Error log rate, Hz (the panel's decimation). */
  logHz: number;
}

/** One actor as drawn: its descriptor (parts, colours, flags) and what it exposes. */
export interface ActorInit {
  descriptor: ActorDescriptor;
  /** Index of its pose in `ViewFrame.actors`. */
  index: number;
  /** Exposes `brake`/`hazardLights` (a dynamic car): lamps follow them, not the deceleration. */
  hasLamps: boolean;
  /** Spin direction (+1/-1) of each rotor whose speed comes in `looks`; null: no rotors reported. */
  rotorSpins: number[] | null;
  /** Exposes the wind it feels. */
  hasWind: boolean;
}

/** A driving criterion readout's static part. */
export interface DrivingInit {
  egoId: string;
  label: string;
}

export interface ViewInit {
  /** The concrete scenario (seeded instantiation): the road spec, duration, names. */
  scenario: Scenario;
  scenarioId: string;
  file: string;
  seed: number;
  backend: string;
  /** Physics step, s. */
  dt: number;
  actors: ActorInit[];
  /** Actor ids driven by an agent, in world order. */
  agentDriven: string[];
  sensors: SensorInit[];
  /** Object-list sensors whose detections the Rays overlay draws (absent: none, or an older recording). */
  detectors?: SensorInit[];
  gimbals: GimbalInit[];
  /** Roadside V2X units (null: no V2X service in the run). */
  v2x: { rsus: { id: string; positionM: [number, number, number] }[] } | null;
  /** Airspace zones (null: none in the run). */
  airspace: { zones: ZoneDescriptor[]; originAmslM: number; uavIds: string[]; active: boolean[] } | null;
  driving: DrivingInit | null;
  /** Initial criteria rows. */
  criteria: CriterionRowData[];
  /**
   * The live metric channels frames carry (scenarios/metrics/live.ts; absent
   * channels do not apply to this run) and their sample rate, Hz (sim time).
   * Optional: a source without metrics leaves it out.
   */
  metrics?: { channels: MetricChannel[]; rateHz: number };
}

// ---------- per-frame data ----------

export type CriterionStatusData = 'running' | 'pass' | 'fail';
export interface CriterionRowData {
  result: CriterionResult;
  status: CriterionStatusData;
}

/**
 * Actor poses of one frame, packed: for actor i (ViewInit order),
 * `pose[POSE_STRIDE*i ..]` = position x y z, rotation x y z w, velocity x y z;
 * `present[i]` is 1 while it is in the world.
 */
export interface PoseBlock {
  pose: Float64Array;
  present: Uint8Array;
}

export const POSE_STRIDE = 10;

/** Per-actor look state (only actors that have any). */
export interface ActorLook {
  brake?: number;
  hazard?: boolean;
  rotorSpeedsRadPerS?: number[];
  windMps?: [number, number, number];
}

/** A range sensor's latest scan, already turned into world points (the pose it was taken from latched). */
export interface ScanFrame {
  actorId: string;
  sensor: string;
  /** Sensor's actor position when the scan was taken (colouring origin). */
  origin: [number, number, number];
  /** World points, xyz packed. */
  points: Float32Array;
  /** Ray segments (origin, hit), xyz xyz packed, subsampled. */
  rays: Float32Array;
}

/**
 * One object of an object-list reading (sim/sensors/object-list.ts
 * `Detection`), moved from the sensor frame to the world with the pose the
 * actor had when the reading was taken: what the agent believes is there
 * (noise, misses included), never the ground truth.
 */
export interface DetectionFrame {
  /** The sensor's own track id (not an actor id). */
  trackId: number;
  /** Reported class (the reading's `kind`). */
  kind: string;
  /** Box centre, world ENU, m. */
  position: [number, number, number];
  /** Ground velocity in the world frame, m/s. */
  velocity: [number, number, number];
  /** Box length, width, height, m (as reported). */
  size: [number, number, number];
  /** Heading of the box's x axis in the world, rad (counter-clockwise from east). */
  yawRad: number;
}

/** An object-list sensor's latest reading, in world coordinates. */
export interface DetectionListFrame {
  actorId: string;
  sensor: string;
  /** When the reading was taken (its stamp), s of sim time. */
  time: number;
  detections: DetectionFrame[];
}

/** A drone gimbal's pose for its 3D look. */
export interface GimbalPoseFrame {
  cameraPosition: [number, number, number];
  baseRotation: [number, number, number, number];
  cameraRotation: [number, number, number, number];
  q: [number, number, number];
}

/**
 * Gimbal error-log samples since the last frame: tick k's `samplesPerTick`
 * x y z triples (rad) at `log[3*samplesPerTick*k ..]`, its last one at
 * `lastTimes[k]` s (the arguments of GimbalTrace.push, per tick).
 */
export interface GimbalSamples {
  log: Float64Array;
  samplesPerTick: number;
  lastTimes: Float64Array;
}

export type AirspaceChipStateData = 'inside' | 'warning' | 'in-zone' | 'clear';
export interface AirspaceReadout {
  state: AirspaceChipStateData;
  text: string;
  agent?: { status: string; notes: string[] };
}

export interface DrivingFrame {
  score: string;
  detail: string;
  limit: string;
  ttcNow: string;
  ttcMin: string;
  ttcWarn: boolean;
  /** Infractions found since the last frame. */
  infractions: { time: number; kind: string; text: string }[];
}

/**
 * The TTC and clearance markers' data: the ego's TTC and the actor that sets
 * it (null while none is within the horizon), and the smallest clearance of
 * an agent-driven actor and the body it is measured to (null: none).
 */
export interface MarkerFrame {
  ttc: { actorId: string; otherId: string; valueS: number } | null;
  clearance: { actorId: string; otherId: string; valueM: number } | null;
}

export interface ViewFrame {
  /** Simulation time at the end of the last step, s. */
  time: number;
  step: number;
  actors: PoseBlock;
  looks?: Record<string, ActorLook>;
  scans?: ScanFrame[];
  /** New object-list readings since the last frame (only while the Rays layer, `FrameLayers.scans`, is on). */
  detections?: DetectionListFrame[];
  /** V2X deliveries to draw, [sender, receiver]. */
  v2xLinks?: [string, string][];
  gimbals?: Record<string, GimbalPoseFrame>;
  gimbalSamples?: Record<string, GimbalSamples>;
  /** Airspace: which zones are active (ViewInit order), each drone's readout. */
  airspace?: { active: boolean[]; readouts: Record<string, AirspaceReadout> };
  /** A drone's mission progress as its agent reports it. */
  progress?: Record<string, { phase: string; waypoint: number }>;
  /** Planned paths that changed since the last frame (world m). */
  plans?: Record<string, [number, number, number][] | null>;
  events?: SimEvent[];
  criteria?: CriterionRowData[];
  driving?: DrivingFrame;
  /**
   * Every live metric sample taken since the last frame, oldest first
   * (ground truth, at `ViewInit.metrics.rateHz` of sim time, so a plot loses
   * none however many steps a frame spans); absent when none was taken.
   */
  metrics?: MetricSample[];
  /** Who sets the TTC and the clearance now (the latest sample's partners); absent: unchanged since the last frame. */
  markers?: MarkerFrame;
  /** Per actor, its agent's own explanation of what it does (`explain()`), when it has one. */
  explain?: Record<string, string>;
  /** Worker wall time spent stepping since the last frame, ms, and the steps taken (live runs only; for the stats HUD). */
  stats?: {
    stepMs: number;
    steps: number;
    /** Sim time the worker gave up since the last frame to stay responsive (backlog past its slice budget, pauses over 0.25 s), s x speed: 0 while it keeps up. */
    droppedS?: number;
  };
}

// ---------- helpers ----------

/** Linear interpolation of packed poses: positions and velocities lerped, rotations slerped (shortest arc); writes `out`. */
export function interpolatePoses(a: Float64Array, b: Float64Array, alpha: number, out: Float64Array): Float64Array {
  const t = alpha < 0 ? 0 : alpha > 1 ? 1 : alpha;
  const n = Math.min(a.length, b.length, out.length);
  for (let i = 0; i + POSE_STRIDE <= n; i += POSE_STRIDE) {
    for (const k of [0, 1, 2, 7, 8, 9]) out[i + k] = a[i + k]! + (b[i + k]! - a[i + k]!) * t;
    slerpInto(a, b, i + 3, t, out);
  }
  return out;
}

/** Slerp of the quaternions at a[o..o+4] and b[o..o+4] (x y z w) into out[o..]. */
function slerpInto(a: Float64Array, b: Float64Array, o: number, t: number, out: Float64Array): void {
  const ax = a[o]!, ay = a[o + 1]!, az = a[o + 2]!, aw = a[o + 3]!;
  let bx = b[o]!, by = b[o + 1]!, bz = b[o + 2]!, bw = b[o + 3]!;
  let cos = ax * bx + ay * by + az * bz + aw * bw;
  if (cos < 0) {
    cos = -cos;
    bx = -bx; by = -by; bz = -bz; bw = -bw;
  }
  let ka: number, kb: number;
  if (cos > 0.9995) {
    ka = 1 - t;
    kb = t;
  } else {
    const th = Math.acos(cos), s = Math.sin(th);
    ka = Math.sin((1 - t) * th) / s;
    kb = Math.sin(t * th) / s;
  }
  let x = ka * ax + kb * bx, y = ka * ay + kb * by, z = ka * az + kb * bz, w = ka * aw + kb * bw;
  const len = Math.hypot(x, y, z, w) || 1;
  x /= len; y /= len; z /= len; w /= len;
  out[o] = x; out[o + 1] = y; out[o + 2] = z; out[o + 3] = w;
}

/**
 * Where between its two latest frames the view is, 0..1, rendering one frame
 * interval behind: `sinceLatestS` wall seconds after the latest arrived, the
 * two `intervalS` apart.
 */
export function interpolationAlpha(sinceLatestS: number, intervalS: number): number {
  if (!(intervalS > 0)) return 1;
  const a = sinceLatestS / intervalS;
  return a < 0 ? 0 : a > 1 ? 1 : a;
}

/** The typed arrays of a frame, to post it without copying. */
export function frameTransferables(f: ViewFrame): ArrayBuffer[] {
  const out: ArrayBuffer[] = [f.actors.pose.buffer as ArrayBuffer, f.actors.present.buffer as ArrayBuffer];
  for (const s of f.scans ?? []) out.push(s.points.buffer as ArrayBuffer, s.rays.buffer as ArrayBuffer);
  for (const g of Object.values(f.gimbalSamples ?? {})) out.push(g.log.buffer as ArrayBuffer, g.lastTimes.buffer as ArrayBuffer);
  return [...new Set(out)];
}
