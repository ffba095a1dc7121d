/**
 * The recording format (`.skyrec.json.gz`): one JSON document, gzip
 * compressed, holding everything needed to show a run again (poses,
 * events, live metrics, the verdict) and to re-simulate it anywhere (the
 * scenario's own text and its data files, seed, backend, run extras).
 *
 * Tracks are sampled at a fixed rate (`header.rateHz`, a whole number of
 * physics steps apart) plus the final state. Per actor, positions are
 * quantised to 1 mm (`POSITION_QUANTUM_M`) and quaternion components to
 * 1e-5 (`QUAT_QUANTUM`, about 0.001 deg of rotation), stored as integer
 * deltas from the previous sample (lossless in the quantised domain: no
 * drift, and small numbers that gzip packs well). A static actor keeps one
 * sample. Velocities are not stored (the metrics carry the ego's speed).
 *
 * This module has no Node imports: the browser's player uses it too. Gzip
 * lives in scenarios/record/file.ts (Node) and in the player (a passed-in
 * function or DecompressionStream).
 */
import { z } from 'zod';
import type { ActorDescriptor } from '../../sim/actor.ts';
import type { SimEvent } from '../../sim/snapshot.ts';
import type { RunResult } from '../result.ts';
import { METRIC_CHANNELS, type MetricChannel } from '../metrics/channels.ts';

export const RECORDING_FORMAT = 'skylane-recording';
export const RECORDING_VERSION = 1;
/** package.json's version (tests/record/format.test.ts checks they agree). */
export const SKYLANE_VERSION = '0.1.0';
export const RECORDING_EXTENSION = '.skyrec.json.gz';
/** Default sample rate of tracks and metrics, Hz. */
export const DEFAULT_RECORD_HZ = 20;
export const POSITION_QUANTUM_M = 1e-3;
export const QUAT_QUANTUM = 1e-5;
/** Metric values are rounded to this many decimals (0.1 mm, 0.1 ms, 0.0001 deg). */
export const METRIC_DECIMALS = 4;

/** A bad recording: names the file, the field path and what was expected. */
export class RecordingError extends Error {
  constructor(readonly file: string, readonly field: string, readonly problem: string) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'RecordingError';
  }
}

const finite = () => z.number().refine(Number.isFinite, 'expected a finite number');
const vec3 = z.tuple([finite(), finite(), finite()]);
const quat = z.tuple([finite(), finite(), finite(), finite()]);
const int = () => z.number().int();

const shapeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('box'), halfExtents: vec3 }),
  z.object({ type: z.literal('sphere'), radius: finite() }),
  z.object({ type: z.literal('cylinder'), radius: finite(), halfHeight: finite() }),
]);

const actorSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  color: z.string().optional(),
  isStatic: z.boolean(),
  isTerrain: z.boolean(),
  agentDriven: z.boolean(),
  parts: z.array(z.object({ shape: shapeSchema, offset: z.object({ position: vec3, rotation: quat }) })),
});

const trackSchema = z.object({
  /** Quantised position deltas, [dx dy dz] per sample, units of POSITION_QUANTUM_M. */
  p: z.array(int()),
  /** Quantised quaternion deltas, [dx dy dz dw] per sample, units of QUAT_QUANTUM. */
  q: z.array(int()),
  /** First sample index at which the actor is no longer present (removed by the timeline); null: present to the end. */
  goneFrom: int().nonnegative().nullable(),
});

const geoSchema = z.object({ latDeg: finite(), lonDeg: finite(), altM: finite() });

const headerSchema = z.object({
  skylane: z.string(),
  scenario: z.string().min(1),
  /** The scenario file as the recorder named it (display path). */
  file: z.string(),
  /** The scenario file's text, verbatim. */
  source: z.string().min(1),
  /** Data files the scenario names (world.airspace.files), by the path as written. */
  dataFiles: z.record(z.string(), z.string()),
  seed: int().nonnegative(),
  backend: z.string().min(1),
  /** The run options used besides seed and backend (user agents, teaching switches), opaque JSON. */
  extras: z.record(z.string(), z.unknown()),
  rateHz: finite().positive(),
  /** Physics step, s. */
  dt: finite().positive(),
  /** The scenario's geographic origin (world.airspace.origin), when it has one. */
  origin: geoSchema.nullable(),
});

export const recordingSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(RECORDING_VERSION),
  header: headerSchema,
  actors: z.array(actorSchema),
  /** Physics step index of each sample (time = step * dt), increasing. */
  steps: z.array(int().nonnegative()),
  /** One per actor, in `actors` order. */
  tracks: z.array(trackSchema),
  events: z.array(z.object({ type: z.string(), time: finite() }).passthrough()),
  metrics: z.object({
    channels: z.array(z.enum(METRIC_CHANNELS)),
    /** Per channel, one value per sample (null: nothing to measure then). */
    values: z.record(z.string(), z.array(finite().nullable())),
  }),
  result: z.object({
    scenario: z.string(),
    seed: int(),
    backend: z.string(),
    verdict: z.enum(['pass', 'fail', 'error']),
    stateHash: z.string(),
    simTime: finite(),
    criteria: z.array(z.object({ name: z.string(), passed: z.boolean() }).passthrough()),
  }).passthrough(),
});

export type RecordedActor = z.infer<typeof actorSchema>;
export type RecordingHeader = z.infer<typeof headerSchema>;
export type RecordedTrack = z.infer<typeof trackSchema>;

/** A recording as stored (JSON). */
export interface RecordingDoc {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  header: RecordingHeader;
  actors: RecordedActor[];
  steps: number[];
  tracks: RecordedTrack[];
  events: SimEvent[];
  metrics: { channels: MetricChannel[]; values: Partial<Record<MetricChannel, (number | null)[]>> };
  result: RunResult;
}

/** A recording decoded for use: poses as Float64Arrays, sample times in seconds. */
export interface Recording {
  doc: RecordingDoc;
  header: RecordingHeader;
  actors: RecordedActor[];
  /** Sample times, s. */
  times: Float64Array;
  /** Per actor: [x y z qx qy qz qw] per sample (a static actor: one sample). */
  poses: Float64Array[];
  /** Per actor: first sample index at which it is gone, or Infinity. */
  goneFrom: number[];
  events: SimEvent[];
  metrics: RecordingDoc['metrics'];
  result: RunResult;
}

export function actorRecord(d: ActorDescriptor, agentDriven: boolean): RecordedActor {
  return {
    id: d.id,
    kind: d.kind,
    ...(d.color !== undefined ? { color: d.color } : {}),
    isStatic: d.isStatic,
    isTerrain: d.isTerrain,
    agentDriven,
    parts: d.parts.map((p) => ({ shape: structuredClone(p.shape), offset: { position: [...p.offset.position], rotation: [...p.offset.rotation] } })),
  };
}

/** Delta-encode a flat list of values quantised by `quantum`, `width` values per sample. */
export function encodeDeltas(values: ArrayLike<number>, width: number, quantum: number): number[] {
  const out = new Array<number>(values.length);
  const prev = new Array<number>(width).fill(0);
  for (let i = 0; i < values.length; i++) {
    const k = i % width;
    const qv = Math.round(values[i]! / quantum);
    out[i] = qv - prev[k]!;
    prev[k] = qv;
  }
  return out;
}

/** Inverse of `encodeDeltas`, into `out` at stride `stride`, offset `offset` (width values per sample). */
export function decodeDeltas(deltas: readonly number[], width: number, quantum: number, out: Float64Array, stride: number, offset: number): void {
  const acc = new Array<number>(width).fill(0);
  const n = deltas.length / width;
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < width; k++) {
      acc[k] = acc[k]! + deltas[s * width + k]!;
      out[s * stride + offset + k] = acc[k]! * quantum;
    }
  }
}

/** Round a metric value for storage. */
export function roundMetric(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const k = 10 ** METRIC_DECIMALS;
  return Math.round(v * k) / k;
}

function describeIssue(file: string, issue: z.core.$ZodIssue): RecordingError {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  const m = /^Invalid input: expected (.+), received undefined$/.exec(issue.message);
  return new RecordingError(file, path, m ? `missing; expected ${m[1]}` : issue.message);
}

/**
 * Validate a parsed recording document and decode its tracks. Throws a
 * RecordingError naming `file`, the field and what was expected.
 */
export function decodeRecording(raw: unknown, file: string): Recording {
  if (raw === null || typeof raw !== 'object') throw new RecordingError(file, '', 'expected a JSON object (a Skylane recording)');
  const r = raw as Record<string, unknown>;
  if (r.format !== RECORDING_FORMAT) throw new RecordingError(file, 'format', `expected "${RECORDING_FORMAT}", got ${JSON.stringify(r.format) ?? 'nothing'}: not a Skylane recording`);
  if (r.version !== RECORDING_VERSION) throw new RecordingError(file, 'version', `this Skylane reads recording version ${RECORDING_VERSION}, the file is version ${JSON.stringify(r.version) ?? 'missing'}`);
  const parsed = recordingSchema.safeParse(raw);
  if (!parsed.success) throw describeIssue(file, parsed.error.issues[0]!);
  const doc = parsed.data as unknown as RecordingDoc;
  const n = doc.steps.length;
  if (n === 0) throw new RecordingError(file, 'steps', 'expected at least one sample');
  for (let i = 1; i < n; i++) if (!(doc.steps[i]! > doc.steps[i - 1]!)) throw new RecordingError(file, `steps[${i}]`, `sample steps must increase, got ${doc.steps[i]} after ${doc.steps[i - 1]}`);
  if (doc.tracks.length !== doc.actors.length) throw new RecordingError(file, 'tracks', `expected one track per actor (${doc.actors.length}), got ${doc.tracks.length}`);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = doc.steps[i]! * doc.header.dt;
  const poses = doc.tracks.map((t, i) => {
    const samples = doc.actors[i]!.isStatic ? 1 : n;
    if (t.p.length !== 3 * samples) throw new RecordingError(file, `tracks[${i}].p`, `expected ${3 * samples} numbers (${samples} samples x 3), got ${t.p.length}`);
    if (t.q.length !== 4 * samples) throw new RecordingError(file, `tracks[${i}].q`, `expected ${4 * samples} numbers (${samples} samples x 4), got ${t.q.length}`);
    if (t.goneFrom !== null && t.goneFrom > n) throw new RecordingError(file, `tracks[${i}].goneFrom`, `expected a sample index <= ${n}, got ${t.goneFrom}`);
    const out = new Float64Array(7 * samples);
    decodeDeltas(t.p, 3, POSITION_QUANTUM_M, out, 7, 0);
    decodeDeltas(t.q, 4, QUAT_QUANTUM, out, 7, 3);
    return out;
  });
  for (const ch of doc.metrics.channels) {
    const v = doc.metrics.values[ch];
    if (!v) throw new RecordingError(file, `metrics.values.${ch}`, 'missing: every listed channel needs its values');
    if (v.length !== n) throw new RecordingError(file, `metrics.values.${ch}`, `expected ${n} values (one per sample), got ${v.length}`);
  }
  return {
    doc,
    header: doc.header,
    actors: doc.actors,
    times,
    poses,
    goneFrom: doc.tracks.map((t) => t.goneFrom ?? Infinity),
    events: doc.events,
    metrics: doc.metrics,
    result: doc.result,
  };
}

/** Parse recording JSON text (already decompressed) and decode it. */
export function parseRecordingText(text: string, file: string): Recording {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RecordingError(file, '', `not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return decodeRecording(raw, file);
}

/**
 * The conventional file name of a run's recording; a run with teaching
 * switches on (`broken`: "v2x-off,noise-x10", scenarios/break-it.ts
 * formatBreakWords) says so in its name.
 */
export function recordingFileName(scenario: string, seed: number, backend: string, broken?: string | null): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${safe(scenario)}-seed${seed}-${backend}${broken ? `-broken-${safe(broken.replace(/,/g, '+'))}` : ''}${RECORDING_EXTENSION}`;
}
