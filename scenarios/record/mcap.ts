/**
 * MCAP export of a recording, for Foxglove and Lichtblick: Foxglove's JSON
 * schemas (`@foxglove/schemas/jsonschema`) with JSON messages, written by
 * `@mcap/core`'s McapWriter (chunked, indexed, uncompressed chunks).
 *
 * Channels:
 * - `/tf` foxglove.FrameTransform: per actor, parent `world`, child the
 *   actor id, ENU (x east, y north, z up), one per recorded sample (a static
 *   actor: once, at the first sample), until the actor is removed.
 * - `/scene` foxglove.SceneUpdate: one entity per actor in its own frame
 *   (frame_locked), built from its parts (box -> cube, cylinder ->
 *   cylinder, sphere -> sphere). Sent at the first sample and again every
 *   `SCENE_REPEAT_S` of simulated time so that a viewer seeking anywhere
 *   has the scene; a removed actor gets a deletion.
 * - `/gps/<actor>` foxglove.LocationFix: every moving actor's position in
 *   WGS84, only when the scenario has a geographic origin
 *   (`world.airspace.origin`, through uav/geo/local-frame.ts); otherwise
 *   these channels are left out (a local ENU scene has no latitude).
 * - `/metrics`, `/events`, `/verdict`: plain JSON (schema encoding
 *   `jsonschema`, small Skylane schemas below): the live metrics per
 *   sample, each SimEvent at its time, the RunResult's verdict at the end.
 *
 * Time: log time = publish time = simulation time in ns from the Unix epoch
 * (`MCAP_EPOCH_NS` = 0; deterministic, a run starts at 1970-01-01T00:00:00Z
 * in the viewer's clock). No Node imports: the browser can export too.
 */
import { FrameTransform, LocationFix, SceneUpdate } from '@foxglove/schemas/jsonschema';
import { McapWriter, TempBuffer } from '@mcap/core';
import { LocalFrame } from '../../uav/geo/local-frame.ts';
import { METRIC_CHANNELS, METRIC_INFO } from '../metrics/channels.ts';
import type { RecordedActor, Recording } from './format.ts';

export const MCAP_EPOCH_NS = 0n;
/** The scene is re-sent every this many simulated seconds (for seeking). */
export const SCENE_REPEAT_S = 1;
export const WORLD_FRAME = 'world';

const encoder = new TextEncoder();

const METRICS_SCHEMA = {
  title: 'skylane.Metrics',
  description: 'Skylane live metrics at one sample, ground truth (scenarios/metrics/live.ts). A channel is absent when it does not apply; null when nothing is measured at that time.',
  type: 'object',
  properties: {
    t: { type: 'number', description: 'simulation time, s' },
    ...Object.fromEntries(METRIC_CHANNELS.map((c) => [c, { type: ['number', 'null'], description: `${METRIC_INFO[c].label}, ${METRIC_INFO[c].unit}` }])),
  },
  required: ['t'],
};

const EVENT_SCHEMA = {
  title: 'skylane.Event',
  description: 'A Skylane SimEvent (sim/snapshot.ts): collision, timeline, fault, criterion, agent-error, stop or airspace',
  type: 'object',
  properties: { type: { type: 'string' }, time: { type: 'number', description: 'simulation time, s' } },
  required: ['type', 'time'],
};

const VERDICT_SCHEMA = {
  title: 'skylane.Verdict',
  description: "A Skylane run's outcome (scenarios/result.ts RunResult, abridged)",
  type: 'object',
  properties: {
    scenario: { type: 'string' },
    seed: { type: 'integer' },
    backend: { type: 'string' },
    verdict: { type: 'string', enum: ['pass', 'fail', 'error'] },
    stateHash: { type: 'string' },
    endReason: { type: 'string' },
    simTime: { type: 'number' },
    criteria: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, passed: { type: 'boolean' }, value: { type: ['number', 'null'] }, threshold: { type: ['number', 'null'] }, unit: { type: 'string' }, reason: { type: 'string' } } } },
  },
  required: ['scenario', 'seed', 'backend', 'verdict', 'stateHash'],
};

/** Log time of a simulation time, ns. */
export function logTimeNs(t: number): bigint {
  return MCAP_EPOCH_NS + BigInt(Math.round(t * 1e9));
}

function stamp(t: number): { sec: number; nsec: number } {
  const ns = logTimeNs(t);
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}

/** '#rgb' or '#rrggbb' to a foxglove.Color (0..1); grey otherwise. */
export function colorOf(css: string | undefined, a = 1): { r: number; g: number; b: number; a: number } {
  const m = css ? /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim()) : null;
  if (!m) return { r: 0.6, g: 0.6, b: 0.6, a };
  let hex = m[1]!;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const v = parseInt(hex, 16);
  return { r: ((v >> 16) & 255) / 255, g: ((v >> 8) & 255) / 255, b: (v & 255) / 255, a };
}

/** One foxglove.SceneEntity for an actor, in the actor's frame. */
export function sceneEntity(actor: RecordedActor, t: number): Record<string, unknown> {
  const color = colorOf(actor.color, actor.isTerrain ? 0.6 : 1);
  const cubes: unknown[] = [], spheres: unknown[] = [], cylinders: unknown[] = [];
  for (const p of actor.parts) {
    const [x, y, z] = p.offset.position, [qx, qy, qz, qw] = p.offset.rotation;
    const pose = { position: { x, y, z }, orientation: { x: qx, y: qy, z: qz, w: qw } };
    const s = p.shape;
    if (s.type === 'box') cubes.push({ pose, size: { x: 2 * s.halfExtents[0], y: 2 * s.halfExtents[1], z: 2 * s.halfExtents[2] }, color });
    else if (s.type === 'sphere') spheres.push({ pose, size: { x: 2 * s.radius, y: 2 * s.radius, z: 2 * s.radius }, color });
    else cylinders.push({ pose, size: { x: 2 * s.radius, y: 2 * s.radius, z: 2 * s.halfHeight }, bottom_scale: 1, top_scale: 1, color });
  }
  return {
    timestamp: stamp(t),
    frame_id: actor.id,
    id: actor.id,
    lifetime: { sec: 0, nsec: 0 },
    frame_locked: true,
    metadata: [{ key: 'kind', value: actor.kind }, { key: 'agentDriven', value: String(actor.agentDriven) }],
    arrows: [],
    cubes,
    spheres,
    cylinders,
    lines: [],
    triangles: [],
    texts: [],
    models: [],
  };
}

/** The channels an export writes, for a recording (topic -> schema name). */
export function mcapTopics(rec: Recording): Record<string, string> {
  const t: Record<string, string> = { '/tf': 'foxglove.FrameTransform', '/scene': 'foxglove.SceneUpdate' };
  if (rec.header.origin) for (const a of rec.actors) if (!a.isStatic) t[`/gps/${a.id}`] = 'foxglove.LocationFix';
  t['/metrics'] = 'skylane.Metrics';
  t['/events'] = 'skylane.Event';
  t['/verdict'] = 'skylane.Verdict';
  return t;
}

/** Write a recording as an MCAP file; returns its bytes. */
export async function recordingToMcap(rec: Recording): Promise<Uint8Array> {
  const buf = new TempBuffer();
  const w = new McapWriter({ writable: buf });
  await w.start({ profile: '', library: `skylane ${rec.header.skylane}` });
  const schema = async (name: string, json: object) => w.registerSchema({ name, encoding: 'jsonschema', data: encoder.encode(JSON.stringify(json)) });
  const channel = async (topic: string, schemaId: number) => w.registerChannel({ topic, schemaId, messageEncoding: 'json', metadata: new Map() });
  const tfCh = await channel('/tf', await schema('foxglove.FrameTransform', FrameTransform));
  const sceneCh = await channel('/scene', await schema('foxglove.SceneUpdate', SceneUpdate));
  const gps = new Map<number, number>();
  const frame = rec.header.origin ? new LocalFrame(rec.header.origin) : null;
  if (frame) {
    const fixId = await schema('foxglove.LocationFix', LocationFix);
    for (let i = 0; i < rec.actors.length; i++) if (!rec.actors[i]!.isStatic) gps.set(i, await channel(`/gps/${rec.actors[i]!.id}`, fixId));
  }
  const metricsCh = await channel('/metrics', await schema('skylane.Metrics', METRICS_SCHEMA));
  const eventsCh = await channel('/events', await schema('skylane.Event', EVENT_SCHEMA));
  const verdictCh = await channel('/verdict', await schema('skylane.Verdict', VERDICT_SCHEMA));

  const seq = new Map<number, number>();
  const put = async (channelId: number, t: number, msg: unknown) => {
    const s = seq.get(channelId) ?? 0;
    seq.set(channelId, s + 1);
    const time = logTimeNs(t);
    await w.addMessage({ channelId, sequence: s, logTime: time, publishTime: time, data: encoder.encode(JSON.stringify(msg)) });
  };

  // Messages in time order: per sample, its events first (they happened during the step that ends there).
  const events = [...rec.events].map((e, i) => [e, i] as const).sort((a, b) => a[0].time - b[0].time || a[1] - b[1]).map(([e]) => e);
  let ev = 0;
  let nextScene = 0;
  const deleted = new Set<number>();
  const n = rec.times.length;
  for (let k = 0; k < n; k++) {
    const t = rec.times[k]!;
    while (ev < events.length && events[ev]!.time <= t + 1e-9) await put(eventsCh, events[ev]!.time, events[ev++]!);
    if (k === 0 || t >= nextScene - 1e-9) {
      nextScene = (Math.floor(t / SCENE_REPEAT_S + 1e-9) + 1) * SCENE_REPEAT_S;
      const present = rec.actors.filter((_, i) => k < rec.goneFrom[i]!);
      await put(sceneCh, t, { deletions: [], entities: present.map((a) => sceneEntity(a, t)) });
    }
    const gone: number[] = [];
    for (let i = 0; i < rec.actors.length; i++) {
      const a = rec.actors[i]!;
      if (k >= rec.goneFrom[i]!) {
        if (!deleted.has(i)) gone.push(i);
        continue;
      }
      if (a.isStatic && k > 0) continue;
      const p = rec.poses[i]!, o = a.isStatic ? 0 : 7 * k;
      // The stored quaternion is quantised (1e-5 per component): renormalise it for viewers.
      const qn = Math.hypot(p[o + 3]!, p[o + 4]!, p[o + 5]!, p[o + 6]!) || 1;
      await put(tfCh, t, {
        timestamp: stamp(t),
        parent_frame_id: WORLD_FRAME,
        child_frame_id: a.id,
        translation: { x: p[o]!, y: p[o + 1]!, z: p[o + 2]! },
        rotation: { x: p[o + 3]! / qn, y: p[o + 4]! / qn, z: p[o + 5]! / qn, w: p[o + 6]! / qn },
      });
      const g = gps.get(i);
      if (g !== undefined && frame) {
        const geo = frame.toGeodetic(p[o]!, p[o + 1]!, p[o + 2]!);
        await put(g, t, { timestamp: stamp(t), frame_id: a.id, latitude: geo.latDeg, longitude: geo.lonDeg, altitude: geo.altM, position_covariance: [0, 0, 0, 0, 0, 0, 0, 0, 0], position_covariance_type: 0 });
      }
    }
    if (gone.length > 0) {
      for (const i of gone) deleted.add(i);
      await put(sceneCh, t, { deletions: gone.map((i) => ({ timestamp: stamp(t), type: 0, id: rec.actors[i]!.id })), entities: [] });
    }
    const m: Record<string, number | null> = { t };
    for (const ch of rec.metrics.channels) m[ch] = rec.metrics.values[ch]![k] ?? null;
    await put(metricsCh, t, m);
  }
  const end = rec.times[n - 1]!;
  while (ev < events.length) await put(eventsCh, events[ev]!.time, events[ev++]!);
  const r = rec.result;
  await put(verdictCh, end, {
    scenario: r.scenario,
    seed: r.seed,
    backend: r.backend,
    verdict: r.verdict,
    stateHash: r.stateHash,
    endReason: r.endReason,
    simTime: r.simTime,
    criteria: r.criteria.map((c) => ({ name: c.name, passed: c.passed, value: c.value, threshold: c.threshold, unit: c.unit, reason: c.reason })),
  });
  await w.addMetadata({
    name: 'skylane',
    metadata: new Map([
      ['scenario', rec.header.scenario],
      ['seed', String(rec.header.seed)],
      ['backend', rec.header.backend],
      ['verdict', r.verdict],
      ['stateHash', r.stateHash],
      ['recordRateHz', String(rec.header.rateHz)],
    ]),
  });
  await w.end();
  return buf.get();
}
