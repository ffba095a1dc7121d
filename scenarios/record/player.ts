/**
 * Pure helpers to play a recording back (the browser's replay view and
 * Node tools alike; no DOM, no Node imports): open one from its bytes, the
 * pose of an actor at any time (interpolated between samples), the events
 * to jump to, the metrics at a time.
 */
import type { SimEvent } from '../../sim/snapshot.ts';
import type { MetricChannel } from '../metrics/channels.ts';
import { parseRecordingText, RecordingError, type Recording, type RecordingDoc } from './format.ts';

/** Decompress gzip bytes; the browser passes DecompressionStream's, Node zlib's gunzip. */
export type Gunzip = (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** Gunzip through the web platform's DecompressionStream (browsers, Node >= 18). */
export async function gunzipWithStream(bytes: Uint8Array): Promise<Uint8Array> {
  const DS = (globalThis as { DecompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> }).DecompressionStream;
  if (!DS) throw new Error('this platform has no DecompressionStream; pass a gunzip function');
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DS('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Gzip through the web platform's CompressionStream (browsers, Node >= 18). */
export async function gzipWithStream(bytes: Uint8Array): Promise<Uint8Array> {
  const CS = (globalThis as { CompressionStream?: new (format: string) => TransformStream<Uint8Array, Uint8Array> }).CompressionStream;
  if (!CS) throw new Error('this platform has no CompressionStream; pass a gzip function');
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CS('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A recording's file bytes (`.skyrec.json.gz`), e.g. for a download from the
 * browser; Node's CLI writes the same through zlib (scenarios/record/file.ts).
 */
export async function packRecording(doc: RecordingDoc, gzip: (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array> = gzipWithStream): Promise<Uint8Array> {
  return gzip(new TextEncoder().encode(JSON.stringify(doc)));
}

/**
 * Open a recording from its bytes (gzip or plain JSON). `file` names it in
 * errors. Throws RecordingError for anything that is not a valid recording.
 */
export async function openRecording(data: ArrayBuffer | Uint8Array, file: string, gunzip: Gunzip = gunzipWithStream): Promise<Recording> {
  let bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzip(bytes);
    } catch (err) {
      throw new RecordingError(file, '', `not a readable gzip file (truncated or corrupted?): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RecordingError(file, '', 'neither gzip nor UTF-8 JSON: not a Skylane recording (.skyrec.json.gz)');
  }
  return parseRecordingText(text, file);
}

/** Duration of the recording, s (the last sample's time). */
export function durationOf(rec: Recording): number {
  return rec.times[rec.times.length - 1]!;
}

/** Index i of the sample interval [times[i], times[i+1]] holding t (clamped to the ends), and the fraction along it. */
export function sampleAt(rec: Recording, t: number): { i: number; f: number } {
  const ts = rec.times, n = ts.length;
  if (n === 1 || t <= ts[0]!) return { i: 0, f: 0 };
  if (t >= ts[n - 1]!) return { i: n - 1, f: 0 };
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! <= t) lo = mid;
    else hi = mid;
  }
  return { i: lo, f: (t - ts[lo]!) / (ts[hi]! - ts[lo]!) };
}

export interface PoseSample {
  position: [number, number, number];
  rotation: [number, number, number, number];
  present: boolean;
}

/**
 * The pose of actor `actorIndex` at time `t`: positions linearly
 * interpolated, rotations by normalised linear interpolation along the
 * shorter arc (samples are 50 ms apart, where nlerp and slerp differ by
 * far less than the 1e-5 quantum). Writes into `out` when given.
 */
export function poseAt(rec: Recording, actorIndex: number, t: number, out?: PoseSample): PoseSample {
  const poses = rec.poses[actorIndex];
  if (!poses) throw new RangeError(`no actor ${actorIndex} in the recording (it has ${rec.poses.length})`);
  const o = out ?? { position: [0, 0, 0], rotation: [0, 0, 0, 1], present: true };
  const { i, f } = sampleAt(rec, t);
  // Present as of the nearest sample (removal happens between two samples).
  o.present = (f < 0.5 ? i : i + 1) < rec.goneFrom[actorIndex]!;
  if (rec.actors[actorIndex]!.isStatic) {
    for (let k = 0; k < 3; k++) o.position[k] = poses[k]!;
    for (let k = 0; k < 4; k++) o.rotation[k] = poses[3 + k]!;
    return o;
  }
  const a = 7 * i, b = f > 0 ? 7 * (i + 1) : a;
  for (let k = 0; k < 3; k++) o.position[k] = poses[a + k]! + (poses[b + k]! - poses[a + k]!) * f;
  let dot = 0;
  for (let k = 0; k < 4; k++) dot += poses[a + 3 + k]! * poses[b + 3 + k]!;
  const s = dot < 0 ? -1 : 1;
  let norm = 0;
  for (let k = 0; k < 4; k++) {
    const v = poses[a + 3 + k]! * (1 - f) + s * poses[b + 3 + k]! * f;
    o.rotation[k] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < 4; k++) o.rotation[k] = o.rotation[k]! / norm;
  return o;
}

/** Index of an actor by id, -1 if none. */
export function actorIndexOf(rec: Recording, id: string): number {
  return rec.actors.findIndex((a) => a.id === id);
}

/** What a replay view can jump to. */
export type JumpKind = 'collision' | 'breach' | 'entry' | 'warning' | 'fault' | 'agent-error' | 'criterion' | 'timeline' | 'stop';

export interface JumpEvent {
  /** Simulation time, s. */
  time: number;
  kind: JumpKind;
  /** One line for people. */
  label: string;
  event: SimEvent;
}

const AUTHORISED_ENTRY = /\(authorised\)$/;

/**
 * The recording's events with their times, in time order, labelled for a
 * jump-to list: collisions (their starts), airspace breaches (entries
 * without authorisation), authorised entries, warnings, faults, agent errors, criterion results, timeline events and the
 * stop. Collision ends, contacts with terrain and airspace exits are left
 * out (nothing to jump to).
 */
export function eventsOf(rec: Recording): JumpEvent[] {
  const out: JumpEvent[] = [];
  const terrain = new Set(rec.actors.filter((a) => a.isTerrain).map((a) => a.id));
  for (const e of rec.events) {
    switch (e.type) {
      case 'collision':
        // Contacts with the ground and other terrain are not collisions (as for the no-collision criterion).
        if (e.started && !terrain.has(e.a) && !terrain.has(e.b)) out.push({ time: e.time, kind: 'collision', label: `collision ${e.a} - ${e.b}`, event: e });
        break;
      case 'airspace':
        // An authorised entry is no breach (uav/airspace/service.ts marks it "(authorised)" in the detail: the event has no other flag).
        if (e.kind === 'entry') out.push({ time: e.time, kind: AUTHORISED_ENTRY.test(e.detail) ? 'entry' : 'breach', label: `${e.actor}: ${e.detail}`, event: e });
        else if (e.kind === 'warning') out.push({ time: e.time, kind: 'warning', label: `${e.actor}: ${e.detail}`, event: e });
        break;
      case 'fault':
        out.push({ time: e.time, kind: 'fault', label: `fault ${e.actor}.${e.target}: ${e.detail}`, event: e });
        break;
      case 'agent-error':
        out.push({ time: e.time, kind: 'agent-error', label: `agent of ${e.actor} failed: ${e.detail}`, event: e });
        break;
      case 'criterion':
        out.push({ time: e.time, kind: 'criterion', label: `${e.name} ${e.passed ? 'passed' : 'failed'}: ${e.reason}`, event: e });
        break;
      case 'timeline':
        out.push({ time: e.time, kind: 'timeline', label: `${e.event}${e.detail ? ` (${e.detail})` : ''}`, event: e });
        break;
      case 'stop':
        out.push({ time: e.time, kind: 'stop', label: `stopped: ${e.reason}`, event: e });
        break;
    }
  }
  // Stable: events of the same time keep their order.
  return out.map((e, i) => [e, i] as const).sort((a, b) => a[0].time - b[0].time || a[1] - b[1]).map(([e]) => e);
}

/**
 * Each channel's value at time `t`, linearly interpolated between samples;
 * null where either neighbour is null (nothing measured then). Only the
 * recording's channels appear.
 */
export function metricsAt(rec: Recording, t: number): Partial<Record<MetricChannel, number | null>> {
  const { i, f } = sampleAt(rec, t);
  const out: Partial<Record<MetricChannel, number | null>> = {};
  for (const ch of rec.metrics.channels) {
    const v = rec.metrics.values[ch]!;
    const a = v[i] ?? null;
    if (f === 0) out[ch] = a;
    else {
      const b = v[i + 1] ?? null;
      out[ch] = a === null || b === null ? null : a + (b - a) * f;
    }
  }
  return out;
}
