/**
 * MCAP export read back with @mcap/core's McapIndexedReader from a file on
 * disk (through a small file IReadable): the Foxglove schema channels exist,
 * message counts match the recorded samples, a FrameTransform carries the
 * recorded pose, the verdict channel carries the run's verdict.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { FileReadable } from '../../scenarios/record/file.ts';
import { decodeRecording, type Recording } from '../../scenarios/record/format.ts';
import { colorOf, logTimeNs, mcapTopics, recordingToMcap, sceneEntity } from '../../scenarios/record/mcap.ts';
import { poseAt } from '../../scenarios/record/player.ts';
import { recordScenario } from '../../scenarios/record/recorder.ts';
import { LocalFrame } from '../../uav/geo/local-frame.ts';
import { FrameTransform, LocationFix, SceneUpdate } from '@foxglove/schemas/jsonschema';
import { LIBRARY } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'skylane-mcap-'));

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: { const: unknown }[];
}

/** Problems of a value against a JSON Schema's required fields, types and enums (the subset Foxglove's schemas use). */
function schemaProblems(schema: JsonSchema, v: unknown, at = '$'): string[] {
  const out: string[] = [];
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const typeOf = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'array' : Number.isInteger(x) ? 'integer' : typeof x);
  if (types.length && !types.some((t) => t === typeOf(v) || (t === 'number' && typeOf(v) === 'integer'))) out.push(`${at}: ${typeOf(v)}, expected ${types.join('|')}`);
  if (schema.oneOf && !schema.oneOf.some((o) => o.const === v)) out.push(`${at}: ${String(v)} not one of the enum`);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const r of schema.required ?? []) if (!(r in v)) out.push(`${at}.${r}: missing`);
    for (const [k, sub] of Object.entries(schema.properties ?? {})) if (k in v) out.push(...schemaProblems(sub, (v as Record<string, unknown>)[k], `${at}.${k}`));
  }
  if (Array.isArray(v) && schema.items) v.forEach((x, i) => out.push(...schemaProblems(schema.items!, x, `${at}[${i}]`)));
  return out;
}
const decoder = new TextDecoder();

interface Read {
  topics: Map<string, { schema: string; schemaEncoding: string; messageEncoding: string }>;
  messages: Map<string, { logTime: bigint; data: Record<string, unknown> }[]>;
}

async function exportAndRead(file: string): Promise<{ rec: Recording; read: Read }> {
  const { recording } = await recordScenario(loadScenarioFile(file));
  const rec = decodeRecording(JSON.parse(JSON.stringify(recording)), 'x');
  const path = join(dir, `${rec.header.scenario}.mcap`);
  writeFileSync(path, await recordingToMcap(rec));
  const readable = await FileReadable.open(path);
  try {
    const reader = await McapIndexedReader.Initialize({ readable });
    const topics = new Map<string, { schema: string; schemaEncoding: string; messageEncoding: string }>();
    const byId = new Map<number, string>();
    for (const c of reader.channelsById.values()) {
      const s = reader.schemasById.get(c.schemaId)!;
      topics.set(c.topic, { schema: s.name, schemaEncoding: s.encoding, messageEncoding: c.messageEncoding });
      byId.set(c.id, c.topic);
    }
    const messages = new Map<string, { logTime: bigint; data: Record<string, unknown> }[]>();
    for await (const m of reader.readMessages()) {
      const topic = byId.get(m.channelId)!;
      if (!messages.has(topic)) messages.set(topic, []);
      messages.get(topic)!.push({ logTime: m.logTime, data: JSON.parse(decoder.decode(m.data)) });
    }
    return { rec, read: { topics, messages } };
  } finally {
    await readable.close();
  }
}

describe('MCAP export', () => {
  it('draws each part as its Foxglove primitive with full sizes (box half extents and radii doubled, cylinder along z)', () => {
    const id = { position: [1, 2, 3] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };
    const e = sceneEntity({
      id: 'thing', kind: 'obstacle', color: '#ff8000', isStatic: true, isTerrain: false, agentDriven: false,
      parts: [
        { shape: { type: 'box', halfExtents: [0.5, 1, 1.5] }, offset: id },
        { shape: { type: 'cylinder', radius: 0.4, halfHeight: 0.75 }, offset: id },
        { shape: { type: 'sphere', radius: 0.2 }, offset: id },
      ],
    }, 2.5) as { cubes: { size: unknown; pose: { position: unknown }; color: unknown }[]; cylinders: { size: unknown }[]; spheres: { size: unknown }[]; timestamp: unknown; frame_locked: boolean };
    expect(e.cubes[0]!.size).toEqual({ x: 1, y: 2, z: 3 });
    expect(e.cubes[0]!.pose.position).toEqual({ x: 1, y: 2, z: 3 });
    expect(e.cubes[0]!.color).toEqual({ r: 1, g: 128 / 255, b: 0, a: 1 });
    expect(e.cylinders[0]!.size).toEqual({ x: 0.8, y: 0.8, z: 1.5 });
    expect(e.spheres[0]!.size).toEqual({ x: 0.4, y: 0.4, z: 0.4 });
    expect(e.timestamp).toEqual({ sec: 2, nsec: 500_000_000 });
    expect(e.frame_locked).toBe(true);
    expect(colorOf('#abc')).toEqual({ r: 0xaa / 255, g: 0xbb / 255, b: 0xcc / 255, a: 1 });
    expect(colorOf('tomato')).toEqual({ r: 0.6, g: 0.6, b: 0.6, a: 1 });
  });

  it('airspace run with a geographic origin: Foxglove channels, counts, poses, GPS fixes and the verdict read back', async () => {
    const { rec, read } = await exportAndRead(`${LIBRARY}/airspace/airport-circle-straight-line.yaml`);
    const uav = rec.actors.find((a) => a.agentDriven)!;
    expect(read.topics.get('/tf')).toEqual({ schema: 'foxglove.FrameTransform', schemaEncoding: 'jsonschema', messageEncoding: 'json' });
    expect(read.topics.get('/scene')?.schema).toBe('foxglove.SceneUpdate');
    expect(read.topics.get(`/gps/${uav.id}`)?.schema).toBe('foxglove.LocationFix');
    for (const t of ['/metrics', '/events', '/verdict']) expect(read.topics.get(t)?.schemaEncoding).toBe('jsonschema');
    expect([...read.topics.keys()].sort()).toEqual(Object.keys(mcapTopics(rec)).sort());

    const n = rec.times.length;
    // /tf: every moving actor at every sample, every static actor once.
    const expectedTf = rec.actors.reduce((s, a, i) => s + (a.isStatic ? 1 : Math.min(n, rec.goneFrom[i]!)), 0);
    expect(read.messages.get('/tf')).toHaveLength(expectedTf);
    expect(read.messages.get('/metrics')).toHaveLength(n);
    expect(read.messages.get(`/gps/${uav.id}`)).toHaveLength(n);
    expect(read.messages.get('/events')).toHaveLength(rec.events.length);

    // A FrameTransform of the UAV equals its recorded pose at that sample, log time = sim time.
    const k = Math.floor(n / 2);
    const ui = rec.actors.indexOf(uav);
    const tf = read.messages.get('/tf')!.filter((m) => m.data.child_frame_id === uav.id);
    expect(tf).toHaveLength(n);
    const at = tf[k]!;
    expect(at.logTime).toBe(logTimeNs(rec.times[k]!));
    expect(at.data.parent_frame_id).toBe('world');
    const pose = poseAt(rec, ui, rec.times[k]!);
    expect(at.data.translation).toEqual({ x: pose.position[0], y: pose.position[1], z: pose.position[2] });
    const q = at.data.rotation as { x: number; y: number; z: number; w: number };
    expect([q.x, q.y, q.z, q.w].map((v, i) => v - pose.rotation[i]!).every((d) => Math.abs(d) < 1e-9)).toBe(true);

    // The GPS fix is the same position in WGS84 about the scenario's origin.
    const fix = read.messages.get(`/gps/${uav.id}`)![k]!.data as { latitude: number; longitude: number; altitude: number };
    const back = new LocalFrame(rec.header.origin!).toEnu({ latDeg: fix.latitude, lonDeg: fix.longitude, altM: fix.altitude });
    for (let i = 0; i < 3; i++) expect(back[i]).toBeCloseTo(pose.position[i]!, 6);

    // Metrics as recorded.
    const m = read.messages.get('/metrics')![k]!.data;
    expect(m.t).toBeCloseTo(rec.times[k]!, 12);
    expect(m.speedMps).toBe(rec.metrics.values.speedMps![k]);

    // The scene: one entity per present actor, its parts as primitives.
    const scene = read.messages.get('/scene')![0]!.data as { entities: { id: string; frame_id: string; cubes: unknown[]; cylinders: unknown[]; spheres: unknown[] }[] };
    expect(scene.entities.map((e) => e.id)).toEqual(rec.actors.map((a) => a.id));
    const e = scene.entities.find((x) => x.id === uav.id)!;
    expect(e.frame_id).toBe(uav.id);
    expect(e.cubes.length + e.cylinders.length + e.spheres.length).toBe(uav.parts.length);

    // Every Foxglove message satisfies its schema (required fields, types, enums), the first scene and fix included.
    const check: [string, JsonSchema][] = [['/tf', FrameTransform as JsonSchema], ['/scene', SceneUpdate as JsonSchema], [`/gps/${uav.id}`, LocationFix as JsonSchema]];
    for (const [topic, schema] of check) {
      const problems = read.messages.get(topic)!.flatMap((msg) => schemaProblems(schema, msg.data));
      expect(problems.slice(0, 5)).toEqual([]);
    }
    expect(schemaProblems(FrameTransform as JsonSchema, { timestamp: { sec: 0, nsec: 0 }, translation: { x: 0 } }).length).toBeGreaterThan(0);

    const verdicts = read.messages.get('/verdict')!;
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]!.data.verdict).toBe(rec.result.verdict);
    expect(verdicts[0]!.data.stateHash).toBe(rec.result.stateHash);
    expect(rec.result.verdict).toBe('fail'); // the baseline flies into the prohibited zone
  });

  it('a scenario without a geographic origin has no /gps channels', async () => {
    const { rec, read } = await exportAndRead(`${LIBRARY}/rover-crossing.yaml`);
    expect(rec.header.origin).toBeNull();
    expect([...read.topics.keys()].filter((t) => t.startsWith('/gps'))).toEqual([]);
    expect(read.messages.get('/verdict')![0]!.data.verdict).toBe('pass');
  });
});
