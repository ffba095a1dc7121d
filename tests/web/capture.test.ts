/**
 * The worker side of the browser's threading (web/capture.ts) and the pose
 * interpolation of the main thread (web/sim-protocol.ts, web/pose-buffer.ts):
 * what crosses postMessage is plain data that survives structuredClone, the
 * poses are the World's, nothing that happens between two frames is lost
 * (events, gimbal error samples), capturing never changes a state hash, and
 * the view interpolates between the two latest frames one interval behind.
 */
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { runScenario, startRun } from '../../scenarios/runner.ts';
import { Capture, METRICS_HZ } from '../../web/capture.ts';
import { LiveMetrics, type MetricSample } from '../../scenarios/metrics/live.ts';
import { PoseBuffer } from '../../web/pose-buffer.ts';
import { frameTransferables, interpolatePoses, interpolationAlpha, POSE_STRIDE, type ViewFrame } from '../../web/sim-protocol.ts';
import { LIBRARY } from '../helpers.ts';

/** A pose block of one actor. */
function block(p: [number, number, number], q: [number, number, number, number], present = 1) {
  return { pose: Float64Array.from([...p, ...q, 0, 0, 0]), present: Uint8Array.from([present]) };
}

describe('pose interpolation', () => {
  it('lerps positions and slerps rotations, unit length, along the shortest arc', () => {
    const s = Math.SQRT1_2;
    const a = block([0, 0, 0], [0, 0, 0, 1]).pose;
    const b = block([10, -4, 2], [0, 0, s, s]).pose; // 90 deg about z
    const out = interpolatePoses(a, b, 0.5, new Float64Array(POSE_STRIDE));
    expect([out[0], out[1], out[2]]).toEqual([5, -2, 1]);
    // Halfway: 45 deg about z.
    expect(out[5]).toBeCloseTo(Math.sin(Math.PI / 8), 12);
    expect(out[6]).toBeCloseTo(Math.cos(Math.PI / 8), 12);
    expect(Math.hypot(out[3]!, out[4]!, out[5]!, out[6]!)).toBeCloseTo(1, 12);
    // -q is the same rotation: interpolating towards it must not swing the long way round.
    const bNeg = block([10, -4, 2], [0, 0, -s, -s]).pose;
    const out2 = interpolatePoses(a, bNeg, 0.5, new Float64Array(POSE_STRIDE));
    expect(Math.abs(out2[5]!)).toBeCloseTo(Math.sin(Math.PI / 8), 12);
    expect(Math.abs(out2[6]!)).toBeCloseTo(Math.cos(Math.PI / 8), 12);
    // Ends and clamping.
    expect(Array.from(interpolatePoses(a, b, -1, new Float64Array(POSE_STRIDE)))).toEqual(Array.from(a));
    expect(Array.from(interpolatePoses(a, b, 2, new Float64Array(POSE_STRIDE))).map((x) => +x.toFixed(12))).toEqual(Array.from(b).map((x) => +x.toFixed(12)));
  });

  it('renders one frame interval behind the latest frame', () => {
    expect(interpolationAlpha(0, 0.1)).toBe(0);
    expect(interpolationAlpha(0.05, 0.1)).toBeCloseTo(0.5, 12);
    expect(interpolationAlpha(0.3, 0.1)).toBe(1);
    expect(interpolationAlpha(0.05, 0)).toBe(1);
  });

  it('PoseBuffer: the latest frame alone, then between the two latest; a long gap jumps', () => {
    const buf = new PoseBuffer();
    expect(buf.sample(0)).toBeNull();
    buf.push(1.0, block([0, 0, 0], [0, 0, 0, 1]), 10.0);
    expect(buf.sample(10.0)!.pose[0]).toBe(0);
    buf.push(1.1, block([2, 0, 0], [0, 0, 0, 1]), 10.02);
    // Just arrived: still drawing the previous frame; half an interval on, halfway; an interval on, the latest.
    expect(buf.sample(10.02)!.pose[0]).toBeCloseTo(0, 9);
    const mid = buf.sample(10.03)!;
    expect(mid.pose[0]).toBeCloseTo(1, 9);
    expect(mid.time).toBeCloseTo(1.05, 9);
    expect(buf.sample(10.05)!.pose[0]).toBeCloseTo(2, 9);
    // A step after a pause of seconds is drawn at once.
    buf.push(1.11, block([3, 0, 0], [0, 0, 0, 1]), 14.0);
    expect(buf.sample(14.0)!.pose[0]).toBe(3);
    // Removal shows with the frame that reports it.
    buf.push(1.12, block([4, 0, 0], [0, 0, 0, 1], 0), 14.02);
    expect(buf.sample(14.025)!.present[0]).toBe(1);
    expect(buf.sample(14.05)!.present[0]).toBe(0);
  });
});

describe('Capture on a real run', () => {
  it('every library scenario crosses the worker boundary: its init and a frame with every part survive structuredClone', async () => {
    const files = readdirSync(LIBRARY, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.split(sep).includes('data'));
    expect(files.length).toBeGreaterThan(40);
    const failed: string[] = [];
    for (const f of files) {
      const run = await startRun(loadScenarioFile(join(LIBRARY, f)), { backend: 'rapier' });
      const capture = new Capture(run, f);
      capture.layers = { scans: true };
      try {
        structuredClone(capture.init);
        run.step(30);
        structuredClone(capture.frame(true));
      } catch (err) {
        failed.push(`${f}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        capture.dispose();
        run.dispose();
      }
    }
    expect(failed).toEqual([]);
  }, 120_000);

  it('rover-crossing: init and frames survive structuredClone, poses are the World\'s, events arrive once, the hash is unchanged', async () => {
    const loaded = loadScenarioFile(`${LIBRARY}/rover-crossing.yaml`);
    const alone = await runScenario(loaded, { backend: 'rapier' });
    const run = await startRun(loaded, { backend: 'rapier' });
    const capture = new Capture(run, 'rover-crossing');
    try {
      const init = structuredClone(capture.init);
      expect(init.scenarioId).toBe('rover-crossing');
      expect(init.actors.map((a) => a.descriptor.id)).toEqual(run.world.actors().map((a) => a.id));
      expect(init.agentDriven).toEqual(run.world.agentDriven());
      expect(init.criteria.map((c) => c.result.name)).toEqual(run.criteria.map((c) => c.name));
      expect(init.actors.some((a) => a.descriptor.isTerrain)).toBe(true);

      const events: ViewFrame['events'] = [];
      let frames = 0;
      while (run.step(37)) {
        const f = structuredClone(capture.frame(frames % 3 === 0));
        frames++;
        const snap = run.world.snapshot;
        expect(f.time).toBe(snap.time);
        expect(f.step).toBe(snap.step);
        for (const a of init.actors) {
          const s = snap.actors[a.index]!;
          const o = POSE_STRIDE * a.index;
          expect(Array.from(f.actors.pose.subarray(o, o + 3))).toEqual(s.position);
          expect(Array.from(f.actors.pose.subarray(o + 3, o + 7))).toEqual(s.rotation);
          expect(f.actors.present[a.index]).toBe(s.present ? 1 : 0);
        }
        expect(f.metrics!.length).toBeGreaterThan(0);
        expect(Number.isFinite(f.metrics!.at(-1)!.values.speedMps)).toBe(true);
        if (frames % 3 === 1) expect(f.criteria).toHaveLength(run.criteria.length);
        else expect(f.criteria).toBeUndefined();
        events.push(...(f.events ?? []));
      }
      events.push(...(capture.frame().events ?? []));
      const result = run.result();
      // The verdict events the run published, each delivered once, in order.
      const criterionEvents = events.filter((e) => e.type === 'criterion');
      expect(criterionEvents.length).toBeGreaterThan(0);
      expect(new Set(criterionEvents.map((e) => JSON.stringify(e))).size).toBe(criterionEvents.length);
      expect(capture.frame().events).toBeUndefined();
      // Reading the run for the view changes nothing of it.
      expect(result.stateHash).toBe(alone.stateHash);
      expect(result.verdict).toBe(alone.verdict);
    } finally {
      capture.dispose();
      run.dispose();
    }
  }, 60_000);

  it('gimbal-hover-light: every tick\'s gimbal error samples reach the frame, however many ticks it spans', async () => {
    const run = await startRun(loadScenarioFile(`${LIBRARY}/gimbal/hover-light.yaml`), { backend: 'rapier' });
    const capture = new Capture(run, 'gimbal-hover-light');
    try {
      const g = capture.init.gimbals[0]!;
      expect(g).toBeDefined();
      capture.frame();
      const before = run.world.stepCount;
      run.step(25);
      const f = structuredClone(capture.frame());
      const s = f.gimbalSamples![g.actorId]!;
      expect(s.lastTimes.length).toBe(run.world.stepCount - before);
      expect(s.log.length).toBe(3 * s.samplesPerTick * s.lastTimes.length);
      for (let k = 1; k < s.lastTimes.length; k++) expect(s.lastTimes[k]!).toBeGreaterThan(s.lastTimes[k - 1]!);
      expect(f.gimbals![g.actorId]!.q).toHaveLength(3);
      // Transferables: each typed array's buffer once.
      const t = frameTransferables(f);
      expect(new Set(t).size).toBe(t.length);
      expect(t).toContain(f.actors.pose.buffer);
      expect(t).toContain(s.log.buffer);
    } finally {
      capture.dispose();
      run.dispose();
    }
  }, 60_000);

  it('lead-brake: frames carry every live metric sample since the last one (the same as a LiveMetrics of its own), and the TTC and clearance partners', async () => {
    const run = await startRun(loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`), { backend: 'rapier' });
    const capture = new Capture(run, 'cars-lead-brake');
    // An independent sampler at the same steps: what the frames carry must be exactly its samples, none lost or repeated.
    const own = new LiveMetrics(run);
    const period = Math.round(1 / (METRICS_HZ * run.world.dt));
    const expected: MetricSample[] = [own.sample()];
    const partners: (string | null)[] = [own.ttcWith];
    run.world.tick$.subscribe((snap) => {
      if (snap.step % period !== 0) return;
      expected.push(own.sample());
      partners.push(own.ttcWith);
    });
    try {
      expect(capture.init.metrics!.channels).toEqual(['speedMps', 'ttcS', 'clearanceM']);
      expect(capture.init.metrics!.rateHz).toBeCloseTo(1 / (period * run.world.dt), 9);
      const got: MetricSample[] = [];
      let ttcMarkers = 0;
      const ids = new Set(capture.init.actors.map((a) => a.descriptor.id));
      // Frames spanning 1 to 61 steps: a frame may hold no sample, one, or many.
      for (let k = 0; !run.done && run.world.time < 17; k++) {
        run.step(1 + ((k * 17) % 61));
        const f = structuredClone(capture.frame(false));
        if (f.metrics) got.push(...f.metrics);
        if (!f.markers) {
          expect(f.metrics).toBeUndefined();
          continue;
        }
        const last = f.metrics!.at(-1)!;
        if (f.markers.ttc) {
          ttcMarkers++;
          expect(f.markers.ttc.valueS).toBe(last.values.ttcS);
          expect(f.markers.ttc.actorId).toBe(run.world.agentDriven()[0]);
          expect(ids.has(f.markers.ttc.otherId)).toBe(true);
          expect(f.markers.ttc.otherId).toBe(partners[expected.length - 1]);
        } else expect(last.values.ttcS).toBeNull();
        expect(f.markers.clearance).not.toBeNull();
        expect(f.markers.clearance!.valueM).toBe(last.values.clearanceM);
        expect(run.world.agentDriven()).toContain(f.markers.clearance!.actorId);
        expect(ids.has(f.markers.clearance!.otherId)).toBe(true);
      }
      expect(got).toEqual(expected);
      expect(got.length).toBeGreaterThan(17 * METRICS_HZ * 0.9);
      for (let i = 1; i < got.length; i++) expect(got[i]!.t).toBeGreaterThan(got[i - 1]!.t);
      // The leader brakes in the ego's path: the TTC marker shows up.
      expect(ttcMarkers).toBeGreaterThan(0);
    } finally {
      capture.dispose();
      run.dispose();
    }
  }, 60_000);

  it('gimbal-hover-light: the gimbal channels are peaks since the capture\'s previous sample, whoever else samples', async () => {
    const run = await startRun(loadScenarioFile(`${LIBRARY}/gimbal/hover-light.yaml`), { backend: 'rapier' });
    const capture = new Capture(run, 'gimbal-hover-light');
    // Another consumer sampling every step must not reset the capture's peaks.
    const other = new LiveMetrics(run);
    run.world.tick$.subscribe(() => other.sample());
    try {
      expect(capture.init.metrics!.channels).toEqual(expect.arrayContaining(['gimbalErrorDeg', 'gimbalJitterDeg']));
      capture.frame();
      run.step(200);
      const f = capture.frame();
      expect(f.metrics!.length).toBeGreaterThanOrEqual(Math.floor(200 / Math.round(1 / (METRICS_HZ * run.world.dt))));
      for (const m of f.metrics!) {
        expect(m.values.gimbalErrorDeg).toBeGreaterThan(0);
        expect(m.values.gimbalJitterDeg).toBeGreaterThanOrEqual(0);
      }
    } finally {
      capture.dispose();
      run.dispose();
    }
  }, 60_000);
});
