/**
 * The recording format, the recorder and the player: a round trip through
 * gzip, validation errors that name the field, the recorder leaving the run
 * untouched, interpolated poses, jump-to events, metrics at a time.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadScenarioText, type LoadedScenario } from '../../scenarios/loader.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { runScenario, startRun } from '../../scenarios/runner.ts';
import { gzipRecording } from '../../scenarios/record/file.ts';
import {
  decodeRecording,
  encodeDeltas,
  decodeDeltas,
  POSITION_QUANTUM_M,
  RecordingError,
  recordingFileName,
  SKYLANE_VERSION,
  type Recording,
  type RecordingDoc,
} from '../../scenarios/record/format.ts';
import { actorIndexOf, durationOf, eventsOf, metricsAt, openRecording, packRecording, poseAt } from '../../scenarios/record/player.ts';
import { Recorder, recordScenario } from '../../scenarios/record/recorder.ts';
import { replayRecording } from '../../scenarios/record/replay.ts';
import { FIXTURES, LIBRARY, ROOT } from '../helpers.ts';

const gunzip = (b: Uint8Array) => new Uint8Array(gunzipSync(b));

/** The blind rover drives into a wall (a collision event), and a crate is removed at 2 s (a track that ends). */
const WALL_YAML = readFileSync(`${FIXTURES}/blind-rover-hits-wall.yaml`, 'utf8')
  .replace("  - { id: wall, kind: obstacle", "  - { id: crate, kind: obstacle, shape: { type: box, sizeM: [0.5, 0.5, 0.5] }, pose: { position: [0, 6] } }\n  - { id: wall, kind: obstacle")
  .replace('criteria:', 'events:\n  - { type: remove, actor: crate, at: 2 }\ncriteria:');
const wallScenario = (): LoadedScenario => loadScenarioText(WALL_YAML, 'wall-and-crate.yaml');

async function roundTrip(doc: RecordingDoc): Promise<Recording> {
  return openRecording(gzipRecording(doc), 'x.skyrec.json.gz', gunzip);
}

describe('recording format', () => {
  it('SKYLANE_VERSION is package.json\'s version', () => {
    expect(SKYLANE_VERSION).toBe(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
  });

  it('delta coding is lossless at the quantum and does not drift', () => {
    const xs = Array.from({ length: 3000 }, (_, i) => 100 * Math.sin(i / 50) + i * 0.0123456);
    const out = new Float64Array(xs.length);
    decodeDeltas(encodeDeltas(xs, 3, POSITION_QUANTUM_M), 3, POSITION_QUANTUM_M, out, 3, 0);
    for (let i = 0; i < xs.length; i++) expect(Math.abs(out[i]! - xs[i]!)).toBeLessThanOrEqual(POSITION_QUANTUM_M / 2 + 1e-12);
  });

  it('names the recording file after scenario, seed and backend', () => {
    expect(recordingFileName('uav-hover-calm', 3, 'rapier')).toBe('uav-hover-calm-seed3-rapier.skyrec.json.gz');
    expect(recordingFileName('cars-cut-in', 1, 'cannon', 'v2x-off,noise-x10')).toBe('cars-cut-in-seed1-cannon-broken-v2x-off_noise-x10.skyrec.json.gz');
  });

  it('round-trips a run through gzip: header, actors, poses within 1 mm of ground truth, events, metrics, result', async () => {
    const loaded = loadScenarioFile(`${LIBRARY}/rover-crossing.yaml`);
    const run = await startRun(loaded);
    const rec = new Recorder(run, { source: readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8'), extras: { note: 'kept verbatim' } });
    const truth: { t: number; p: number[] }[] = [];
    run.world.tick$.subscribe((s) => {
      if (s.step % 50 === 0) truth.push({ t: s.time, p: [...run.world.stateOf('ego').position] });
    });
    const result = run.runToEnd();
    const doc = rec.finish(result);
    const endPos = [...run.world.stateOf('ego').position];
    run.dispose();
    const r = await roundTrip(doc);
    expect(r.header.scenario).toBe('rover-crossing');
    expect(r.header.seed).toBe(1);
    expect(r.header.backend).toBe('rapier');
    expect(r.header.rateHz).toBe(20);
    expect(r.header.extras).toEqual({ note: 'kept verbatim' });
    expect(r.header.source).toContain('name: rover-crossing');
    expect(r.result.stateHash).toBe(result.stateHash);
    expect(r.result.verdict).toBe('pass');
    // One sample every 5 steps of 10 ms from t = 0, plus the final state.
    expect(r.times[0]).toBe(0);
    expect(r.times[1]).toBeCloseTo(0.05, 12);
    expect(durationOf(r)).toBeCloseTo(result.simTime, 9);
    const ego = actorIndexOf(r, 'ego');
    expect(r.actors[ego]!.agentDriven).toBe(true);
    expect(r.actors.find((a) => a.id === 'pillar-a')!.isStatic).toBe(true);
    for (const x of truth) {
      const p = poseAt(r, ego, x.t).position;
      for (let k = 0; k < 3; k++) expect(Math.abs(p[k]! - x.p[k]!)).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
    const last = poseAt(r, ego, durationOf(r)).position;
    for (let k = 0; k < 3; k++) expect(Math.abs(last[k]! - endPos[k]!)).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(r.metrics.channels).toEqual(['speedMps', 'clearanceM']);
    expect(r.metrics.values.speedMps).toHaveLength(r.times.length);
    // The clearance criterion's minimum is the smallest recorded clearance, to the sampling: sampled at 20 Hz it can only be larger.
    const minRecorded = Math.min(...(r.metrics.values.clearanceM as number[]));
    const crit = result.criteria.find((c) => c.type === 'min-clearance')!.value!;
    expect(minRecorded).toBeGreaterThanOrEqual(crit - 1e-4);
    expect(minRecorded).toBeLessThan(crit + 0.1);
  });

  it('the recorder changes nothing: same result and state hash with and without it', async () => {
    // A gimbal hover cut to 3 s (judged after 1 s) covers the gimbal channels' per-tick reading.
    const gimbal = parseYaml(readFileSync(`${LIBRARY}/gimbal/hover-calm.yaml`, 'utf8')) as { duration: number; criteria: { settleS?: number }[] };
    gimbal.duration = 3;
    for (const c of gimbal.criteria) if (c.settleS !== undefined) c.settleS = 1;
    const scenarios = [
      loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`),
      loadScenarioFile(`${LIBRARY}/airspace/airport-circle-straight-line.yaml`),
      loadScenarioText(stringifyYaml(gimbal), 'hover-calm-3s.yaml'),
    ];
    for (const loaded of scenarios) {
      const plain = await runScenario(loaded);
      const { result, recording } = await recordScenario(loaded);
      const { wallTime: _a, ...p } = plain;
      const { wallTime: _b, ...q } = result;
      expect(q).toEqual(p);
      expect(recording.result.stateHash).toBe(plain.stateHash);
    }
  });

  it('a recording replays to the same verdict and state hash, from its header alone', async () => {
    const { recording } = await recordScenario(wallScenario(), { source: WALL_YAML });
    const r = await roundTrip(recording);
    const out = await replayRecording(r);
    expect(out.replayed.verdict).toBe('fail');
    expect(out.matches).toBe(true);
    // A tampered hash is caught.
    const bad = await roundTrip({ ...recording, result: { ...recording.result, stateHash: '0'.repeat(32) } });
    expect((await replayRecording(bad)).hashMatches).toBe(false);
  });

  it("opens gzip bytes with the platform's DecompressionStream by default (as the browser does)", async () => {
    const { recording } = await recordScenario(wallScenario(), { source: WALL_YAML });
    const r = await openRecording(gzipRecording(recording), 'x.skyrec.json.gz');
    expect(r.result.stateHash).toBe(recording.result.stateHash);
    expect(r.times.length).toBe(recording.steps.length);
    // And the browser's way of writing one (CompressionStream) reads back with Node's zlib.
    const packed = await packRecording(recording);
    expect(JSON.parse(gunzipSync(packed).toString('utf8'))).toEqual(JSON.parse(JSON.stringify(recording)));
  });

  it('a run with teaching switches records them and replays with them (and a bad switch in a recording is refused)', async () => {
    const loaded = loadScenarioFile(`${LIBRARY}/rover-crossing.yaml`);
    const plain = await runScenario(loaded);
    const { result, recording } = await recordScenario(loaded, { extras: { breakIt: { sensorNoiseScale: 10 } } });
    expect(result.breakIt).toEqual({ sensorNoiseScale: 10 });
    expect(result.stateHash).not.toBe(plain.stateHash); // the noise changed the drive
    const r = await roundTrip(recording);
    expect(r.header.extras).toEqual({ breakIt: { sensorNoiseScale: 10 } });
    const out = await replayRecording(r);
    expect(out.matches).toBe(true);
    const bad = await roundTrip({ ...recording, header: { ...recording.header, extras: { breakIt: { sensorNoiseScale: 'lots' } } } });
    await expect(replayRecording(bad, {}, 'bad.skyrec.json.gz')).rejects.toThrow(/^bad\.skyrec\.json\.gz: header\.extras: breakIt\.sensorNoiseScale: expected a finite number >= 0/);
  });

  it('refuses bad recordings with the file, the field and what was expected', async () => {
    const { recording } = await recordScenario(wallScenario(), { source: WALL_YAML });
    const err = async (doc: unknown, bytes?: Uint8Array): Promise<RecordingError> => {
      try {
        if (bytes) await openRecording(bytes, 'bad.skyrec.json.gz', gunzip);
        else decodeRecording(doc, 'bad.skyrec.json.gz');
      } catch (e) {
        if (e instanceof RecordingError) return e;
        throw e;
      }
      throw new Error('expected a RecordingError');
    };
    expect((await err({ hello: 1 })).message).toBe('bad.skyrec.json.gz: format: expected "skylane-recording", got nothing: not a Skylane recording');
    expect((await err({ ...recording, version: 99 })).message).toMatch(/^bad\.skyrec\.json\.gz: version: this Skylane reads recording version 1, the file is version 99/);
    expect((await err({ ...recording, header: { ...recording.header, seed: 'one' } })).message).toMatch(/^bad\.skyrec\.json\.gz: header\.seed: .*number/);
    const tracks = structuredClone(recording.tracks);
    tracks[1]!.p.pop();
    expect((await err({ ...recording, tracks })).message).toMatch(/^bad\.skyrec\.json\.gz: tracks\[1\]\.p: expected \d+ numbers/);
    expect((await err({ ...recording, metrics: { ...recording.metrics, values: { ...recording.metrics.values, speedMps: [1] } } })).message).toMatch(/metrics\.values\.speedMps: expected \d+ values/);
    const gz = gzipRecording(recording);
    expect((await err(null, gz.slice(0, 200))).message).toMatch(/^bad\.skyrec\.json\.gz: not a readable gzip file/);
    expect((await err(null, new Uint8Array([0xff, 0xfe, 0x00])))).toBeInstanceOf(RecordingError);
  });
});

describe('player', () => {
  it('interpolates poses between samples, keeps static actors still, and ends a removed actor', async () => {
    const { recording } = await recordScenario(wallScenario(), { source: WALL_YAML });
    const r = await roundTrip(recording);
    const ego = actorIndexOf(r, 'ego');
    const i = 10;
    const a = poseAt(r, ego, r.times[i]!).position, b = poseAt(r, ego, r.times[i + 1]!).position;
    const mid = poseAt(r, ego, (r.times[i]! + r.times[i + 1]!) / 2);
    for (let k = 0; k < 3; k++) expect(mid.position[k]).toBeCloseTo((a[k]! + b[k]!) / 2, 9);
    expect(Math.hypot(...mid.rotation)).toBeCloseTo(1, 9);
    // Clamped outside the recording.
    expect(poseAt(r, ego, -5).position).toEqual(poseAt(r, ego, 0).position);
    const wall = actorIndexOf(r, 'wall');
    expect(poseAt(r, wall, 3).position).toEqual(poseAt(r, wall, 0).position);
    expect(poseAt(r, wall, 3).position[0]).toBeCloseTo(0, 3);
    const crate = actorIndexOf(r, 'crate');
    expect(poseAt(r, crate, 1).present).toBe(true);
    expect(poseAt(r, crate, 2.5).present).toBe(false);
    expect(() => poseAt(r, 99, 0)).toThrow(/no actor 99/);
  });

  it('lists the events to jump to, in time order, with the collision and the criterion failure', async () => {
    const { recording } = await recordScenario(wallScenario(), { source: WALL_YAML });
    const r = await roundTrip(recording);
    const ev = eventsOf(r);
    const kinds = ev.map((e) => e.kind);
    expect(kinds).toContain('collision');
    expect(kinds).toContain('criterion');
    expect(kinds).toContain('timeline');
    for (let i = 1; i < ev.length; i++) expect(ev[i]!.time).toBeGreaterThanOrEqual(ev[i - 1]!.time);
    const hit = ev.find((e) => e.kind === 'collision')!;
    expect(hit.label).toMatch(/collision (ego - wall|wall - ego)/);
    // At the collision the rover is at the wall (x = 0 minus half the wall and the rover's half length).
    const x = poseAt(r, actorIndexOf(r, 'ego'), hit.time).position[0];
    expect(x).toBeGreaterThan(-1);
    expect(x).toBeLessThan(0);
  });

  it('gives the metrics at any time, interpolated, null where nothing was measured', async () => {
    const { recording } = await recordScenario(wallScenario(), { source: WALL_YAML });
    const r = await roundTrip(recording);
    const s = r.metrics.values.speedMps as number[];
    expect(metricsAt(r, r.times[20]!).speedMps).toBe(s[20]);
    expect(metricsAt(r, (r.times[20]! + r.times[21]!) / 2).speedMps).toBeCloseTo((s[20]! + s[21]!) / 2, 9);
    expect(Object.keys(metricsAt(r, 1))).toEqual(r.metrics.channels);
    const withNull: Recording = { ...r, metrics: { channels: ['ttcS'], values: { ttcS: r.times.length ? Array.from(r.times, (_, i) => (i === 21 ? null : 1)) : [] } } };
    expect(metricsAt(withNull, (r.times[20]! + r.times[21]!) / 2).ttcS).toBeNull();
    expect(metricsAt(withNull, r.times[20]!).ttcS).toBe(1);
  });
});

// Keep the parsed YAML honest: the edited fixture really has the crate and the removal.
it('the test scenario has a removal event', () => {
  const doc = parseYaml(WALL_YAML) as { events: unknown[]; actors: { id: string }[] };
  expect(doc.events).toHaveLength(1);
  expect(doc.actors.map((a) => a.id)).toContain('crate');
});
