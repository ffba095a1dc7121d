/**
 * The replay's frames, in Node: a recording's frame at a time carries every
 * actor of the view at its recorded pose (matched by id, whatever the
 * view's order), velocities from the track, the events in between; the
 * recorded run's spec is the header's; the plots' data adapter takes both
 * frame metric shapes.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { recordScenario } from '../../scenarios/record/recorder.ts';
import { decodeRecording, type Recording } from '../../scenarios/record/format.ts';
import { poseAt } from '../../scenarios/record/player.ts';
import { startRun } from '../../scenarios/runner.ts';
import { Capture } from '../../web/capture.ts';
import { eventsBetween, recordedFrame, recordedIndexes, recordedRunSpec } from '../../web/replay-source.ts';
import { POSE_STRIDE, type ViewInit } from '../../web/sim-protocol.ts';
import { MetricSeries, metricSamples, referenceLines } from '../../web/plots-data.ts';

const FILE = 'scenarios/library/rover-moving-obstacle.yaml';

/** The file's run recorded once (seed 1, Rapier), with the ViewInit the worker would post for it; shared by both blocks. */
let fixture: Promise<{ rec: Recording; init: ViewInit }> | null = null;
function recorded(): Promise<{ rec: Recording; init: ViewInit }> {
  fixture ??= (async () => {
    const loaded = loadScenarioFile(FILE);
    const { recording } = await recordScenario(loaded, { seed: 1, backend: 'rapier' });
    const rec = decodeRecording(JSON.parse(JSON.stringify(recording)), 'r.skyrec.json.gz');
    const run = await startRun(loaded, { seed: 1, backend: 'rapier' });
    const init = new Capture(run, loaded.scenario.name).init;
    run.dispose();
    return { rec, init };
  })();
  return fixture;
}

describe('replay frames from a recording', async () => {
  const { rec, init } = await recorded();

  it('places each view actor at its recorded pose, by id, with a velocity along its track', () => {
    const idx = recordedIndexes(rec, init);
    expect(idx.every((i) => i >= 0)).toBe(true);
    const t = rec.times[Math.floor(rec.times.length / 2)]! + 0.013;
    const f = recordedFrame(rec, init, idx, t, undefined);
    expect(f.time).toBe(t);
    expect(f.step).toBe(Math.round(t / init.dt));
    let moving = 0;
    for (let k = 0; k < init.actors.length; k++) {
      const a = init.actors[k]!;
      const p = poseAt(rec, idx[k]!, t);
      const o = POSE_STRIDE * a.index;
      expect(Array.from(f.actors.pose.subarray(o, o + 3))).toEqual(p.position);
      expect(f.actors.present[a.index]).toBe(p.present ? 1 : 0);
      const v = Math.hypot(f.actors.pose[o + 7]!, f.actors.pose[o + 8]!, f.actors.pose[o + 9]!);
      if (a.descriptor.isStatic) expect(v).toBe(0);
      else if (v > 0.1) moving++;
    }
    expect(moving).toBeGreaterThan(0);
  });

  it('hands the events of an interval to the frame, and the recorded run spec to the worker', () => {
    const end = rec.times[rec.times.length - 1]!;
    expect(eventsBetween(rec, -Infinity, end).length).toBe(rec.events.length);
    expect(eventsBetween(rec, end, end + 1)).toEqual([]);
    const spec = recordedRunSpec(rec, 'r');
    expect(spec).toMatchObject({ seed: 1, backend: 'rapier', file: rec.header.file });
    expect(spec.source).toBe(rec.header.source);
    const bad = { ...rec, header: { ...rec.header, backend: 'havok' } };
    expect(() => recordedRunSpec(bad, 'x.skyrec.json.gz')).toThrow(/x\.skyrec\.json\.gz: header\.backend: expected one of .*got "havok"/);
  });
});

describe('plots data', () => {
  it('takes a frame record or a sample list, and keeps samples at most every 50 ms of sim time', () => {
    expect(metricSamples({ speedMps: 3, bogus: 1, ttcS: NaN }, 2)).toEqual([{ t: 2, values: { speedMps: 3, ttcS: null } }]);
    const list = [{ t: 1, values: { clearanceM: 2 } }];
    expect(metricSamples(list, 5)).toBe(list);
    expect(metricSamples(undefined, 1)).toEqual([]);
    const s = new MetricSeries();
    for (let i = 0; i < 60; i++) s.push(metricSamples({ speedMps: i }, i / 60));
    expect(s.t.length).toBe(20);
    expect(s.channels).toEqual(['speedMps']);
    // A channel that appears late is null before; going back in time restarts the series.
    s.push([{ t: 2, values: { speedMps: 1, ttcS: 4 } }]);
    expect(s.values.get('ttcS')!.slice(-2)).toEqual([null, 4]);
    s.push([{ t: 0, values: { speedMps: 0 } }]);
    expect(s.t).toEqual([0]);
  });

  it('draws the run thresholds: min-ttc, min-clearance, the jitter band, the zone edge', () => {
    const row = (type: string, threshold: number) => ({ status: 'running' as const, result: { name: type, type, value: null, threshold, unit: '', passed: true, reason: '', thresholdSource: 'scenario' } });
    const refs = referenceLines([row('min-ttc', 1.5), row('min-clearance', 0.5)]);
    expect(refs.ttcS).toEqual([{ value: 1.5, label: 'min-ttc 1.5 s', style: 'line' }]);
    expect(refs.clearanceM![0]!.value).toBe(0.5);
    expect(refs.gimbalJitterDeg![0]).toMatchObject({ value: 0.005, style: 'band' });
    expect(refs.zoneMarginM![0]!.value).toBe(0);
    expect(referenceLines([]).ttcS).toBeUndefined();
  });
});

describe('events to jump to', () => {
  it('lists an unauthorised zone entry as a breach and an authorised one as an entry', async () => {
    const { eventsOf } = await import('../../scenarios/record/player.ts');
    const rec = {
      actors: [],
      events: [
        { type: 'airspace', time: 2, actor: 'd', zone: 'A', kind: 'entry', detail: 'entered PROHIBITED zone A' },
        { type: 'airspace', time: 1, actor: 'd', zone: 'B', kind: 'entry', detail: 'entered REQ_AUTHORISATION zone B (authorised)' },
        { type: 'airspace', time: 3, actor: 'd', zone: 'A', kind: 'exit', detail: 'left A' },
      ],
    } as unknown as Parameters<typeof eventsOf>[0];
    expect(eventsOf(rec).map((e) => [e.time, e.kind])).toEqual([[1, 'entry'], [2, 'breach']]);
  });
});

describe('RecordingFrameSource', async () => {
  const { RecordingFrameSource } = await import('../../web/replay-source.ts');
  const { rec, init } = await recorded();

  /** A stand-in for the simulation worker: records what it is sent; the test answers for it. */
  function fakeWorker() {
    const sent: unknown[] = [];
    const w = { sent, onmessage: null as ((e: { data: unknown }) => void) | null, onerror: null, postMessage: (m: unknown) => sent.push(m), terminate: () => {} };
    return w;
  }

  function setup() {
    const calls: string[] = [];
    const frames: number[] = [];
    const verifies: unknown[] = [];
    const w = fakeWorker();
    const handlers = {
      onProgress: () => calls.push('progress'),
      onInit: () => calls.push('init'),
      onFrame: (f: { time: number }) => frames.push(f.time),
      onResult: (r: { verdict: string }) => calls.push(`result ${r.verdict}`),
      onError: (m: string) => calls.push(`error ${m}`),
    };
    const src = new RecordingFrameSource(rec, 'r.skyrec.json.gz', handlers as never, { onVerify: (v) => verifies.push(v) }, () => w as unknown as Worker);
    return { src, w, calls, frames, verifies };
  }

  it('asks for the view, shows the recorded verdict at t = 0, then asks to verify; a different hash DIFFERS', () => {
    const { src, w, calls, frames, verifies } = setup();
    src.open(1);
    expect(w.sent[0]).toMatchObject({ type: 'view', run: { seed: 1, backend: 'rapier', source: rec.header.source } });
    w.onmessage!({ data: { type: 'init', init } });
    expect(calls).toEqual(['progress', 'init', `result ${rec.result.verdict}`]);
    expect(frames).toEqual([0]);
    expect(w.sent[1]).toMatchObject({ type: 'verify' });
    src.seek(1.234);
    src.step();
    expect(frames.slice(1)).toEqual([1.234, 1.234 + 1 / rec.header.rateHz]);
    src.seek(1e9);
    expect(src.time).toBe(src.duration);
    w.onmessage!({ data: { type: 'verified', result: { ...rec.result, stateHash: 'other' } } });
    expect(verifies.at(-1)).toMatchObject({ state: 'done', verdictMatches: true, hashMatches: false });
    expect(src.verifyState).toMatchObject({ state: 'done' });
  });

  it('reports a view that cannot be built as the run error, naming the file; a failed verification as a verify error', () => {
    const a = setup();
    a.src.open(1);
    a.w.onmessage!({ data: { type: 'error', message: 'no such backend' } });
    expect(a.calls.at(-1)).toBe('error r.skyrec.json.gz: no such backend');
    const b = setup();
    b.src.open(1);
    b.w.onmessage!({ data: { type: 'init', init } });
    b.w.onmessage!({ data: { type: 'error', message: 'boom' } });
    expect(b.verifies.at(-1)).toEqual({ state: 'error', message: 'boom' });
  });
});
