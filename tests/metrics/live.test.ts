import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { LiveMetrics, type MetricSample } from '../../scenarios/metrics/live.ts';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { startRun, type Run } from '../../scenarios/runner.ts';
import { airspaceOf } from '../../uav/airspace/service.ts';
import { LIBRARY } from '../helpers.ts';

/** Step a run to `untilS` (or its end), sampling every `everySteps` steps. */
function sampleRun(run: Run, metrics: LiveMetrics, everySteps: number, untilS = Infinity): MetricSample[] {
  const out: MetricSample[] = [metrics.sample()];
  while (run.time < untilS - 1e-9 && run.step(everySteps)) out.push(metrics.sample());
  return out;
}

const finiteTtcs = (s: MetricSample[]) => s.filter((x) => typeof x.values.ttcS === 'number').map((x) => ({ t: x.t, v: x.values.ttcS as number }));

describe('LiveMetrics', () => {
  it('cars/lead-brake: TTC appears once the leader brakes and shrinks as the ego closes in; speed, clearance present', async () => {
    const run = await startRun(loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`));
    try {
      const m = new LiveMetrics(run);
      expect(m.channels).toEqual(['speedMps', 'ttcS', 'clearanceM']);
      const samples = sampleRun(run, m, 10);
      const ttc = finiteTtcs(samples);
      expect(ttc.length).toBeGreaterThan(5);
      // Cruising behind the leader at the same speed nothing is within the 3 s horizon.
      expect(ttc[0]!.t).toBeGreaterThan(10);
      // Closing: the first TTC seen is larger than the smallest later on.
      const min = Math.min(...ttc.map((x) => x.v));
      expect(ttc[0]!.v).toBeGreaterThan(min);
      expect(min).toBeGreaterThan(0);
      expect(min).toBeLessThanOrEqual(3);
      // The ego slows from ~27 m/s to a near stop behind the braking leader.
      const speeds = samples.map((s) => s.values.speedMps as number);
      expect(speeds[5]!).toBeGreaterThan(25);
      expect(speeds[speeds.length - 1]!).toBeLessThan(2);
      expect(samples.every((s) => typeof s.values.clearanceM === 'number' && s.values.clearanceM > 0)).toBe(true);
    } finally {
      run.dispose();
    }
  });

  it("its private TTC equals the min-ttc criterion's on the same run", async () => {
    // lead-brake has no min-ttc: LiveMetrics uses its own copy. Add the criterion and compare its minimum.
    const path = `${LIBRARY}/cars/lead-brake.yaml`;
    const doc = parseYaml(readFileSync(path, 'utf8')) as { criteria: unknown[] };
    doc.criteria.push({ type: 'min-ttc' });
    const withTtc = loadScenarioText(stringifyYaml(doc), 'lead-brake-with-ttc.yaml');
    const judged = await startRun(withTtc);
    const criterionMin = judged.runToEnd().criteria.find((c) => c.type === 'min-ttc')!.value;
    judged.dispose();
    expect(criterionMin).toBeGreaterThan(0);

    const run = await startRun(loadScenarioFile(path));
    try {
      const m = new LiveMetrics(run);
      const samples = sampleRun(run, m, 1); // every step: every 0.1 s evaluation is seen
      expect(Math.min(...finiteTtcs(samples).map((x) => x.v))).toBeCloseTo(criterionMin!, 9);
    } finally {
      run.dispose();
    }
  });

  it("rover-crossing: the smallest clearance sampled every step equals the min-clearance criterion's", async () => {
    const run = await startRun(loadScenarioFile(`${LIBRARY}/rover-crossing.yaml`));
    try {
      const m = new LiveMetrics(run);
      expect(m.channels).toEqual(['speedMps', 'clearanceM']);
      const s = sampleRun(run, m, 1);
      const criterion = run.result().criteria.find((c) => c.type === 'min-clearance')!;
      expect(Math.min(...s.map((x) => x.values.clearanceM as number))).toBeCloseTo(criterion.value!, 9);
    } finally {
      run.dispose();
    }
  });

  it('a UAV hover has speed but no TTC, clearance (nothing to be clear of), gimbal or zone channel', async () => {
    const run = await startRun(loadScenarioFile(`${LIBRARY}/uav/hover-turbulence-light.yaml`));
    try {
      const m = new LiveMetrics(run);
      expect(m.channels).toEqual(['speedMps']);
      const s = sampleRun(run, m, 20, 3);
      expect(s.every((x) => Object.keys(x.values).join() === 'speedMps')).toBe(true);
      expect(Math.max(...s.map((x) => x.values.speedMps as number))).toBeGreaterThan(0.5); // it takes off
    } finally {
      run.dispose();
    }
  });

  it("gimbal: the jitter channel sees every substep: its peak after settling bounds the gimbal-jitter criterion's per-axis peak", async () => {
    // hover-calm cut to 8 s, judged after 4 s.
    const doc = parseYaml(readFileSync(`${LIBRARY}/gimbal/hover-calm.yaml`, 'utf8')) as { duration: number; criteria: { settleS?: number }[] };
    doc.duration = 8;
    for (const c of doc.criteria) if (c.settleS !== undefined) c.settleS = 4;
    const run = await startRun(loadScenarioText(stringifyYaml(doc), 'hover-calm-short.yaml'));
    try {
      const m = new LiveMetrics(run);
      expect(m.channels).toEqual(['speedMps', 'gimbalErrorDeg', 'gimbalJitterDeg']);
      const s = sampleRun(run, m, 1).slice(1); // every physics tick: each sample is that tick's substeps
      for (const x of s) {
        expect(Number.isFinite(x.values.gimbalErrorDeg)).toBe(true);
        expect(x.values.gimbalErrorDeg).toBeLessThan(90);
      }
      const settled = s.filter((x) => x.t > 4 + 1e-9);
      const peak = Math.max(...settled.map((x) => x.values.gimbalJitterDeg as number));
      const judged = run.result().criteria.find((c) => c.type === 'gimbal-jitter')!.value!;
      expect(judged).toBeGreaterThan(0);
      // |hp error vector| >= its largest axis, <= sqrt(3) times it: same filter, same substeps.
      expect(peak).toBeGreaterThanOrEqual(judged * (1 - 1e-9));
      expect(peak).toBeLessThanOrEqual(Math.sqrt(3) * judged * (1 + 1e-9));
      // Jitter is the high-passed part: far below the raw error, which carries the slow offset.
      expect(peak).toBeLessThan(Math.max(...settled.map((x) => x.values.gimbalErrorDeg as number)));
    } finally {
      run.dispose();
    }
  });

  it('gimbal peaks are since the previous sample: sampling every 10 ticks gives the max of the per-tick values', async () => {
    const doc = parseYaml(readFileSync(`${LIBRARY}/gimbal/hover-calm.yaml`, 'utf8')) as { duration: number; criteria: { settleS?: number }[] };
    doc.duration = 2;
    for (const c of doc.criteria) if (c.settleS !== undefined) c.settleS = 1;
    const text = stringifyYaml(doc);
    const a = await startRun(loadScenarioText(text, 'a.yaml'));
    const b = await startRun(loadScenarioText(text, 'b.yaml'));
    try {
      const ma = new LiveMetrics(a), mb = new LiveMetrics(b);
      const fine = sampleRun(a, ma, 1).slice(1);
      const coarse = sampleRun(b, mb, 10).slice(1);
      coarse.forEach((c, i) => {
        const window = fine.slice(10 * i, 10 * i + 10);
        expect(c.t).toBeCloseTo(window[window.length - 1]!.t, 9);
        expect(c.values.gimbalJitterDeg).toBe(Math.max(...window.map((x) => x.values.gimbalJitterDeg as number)));
        expect(c.values.gimbalErrorDeg).toBe(Math.max(...window.map((x) => x.values.gimbalErrorDeg as number)));
      });
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('airspace: the zone margin is the horizontal distance to the nearest forbidden active zone, negative inside', async () => {
    // The straight-line baseline flies into the prohibited airport zone (it is that scenario's negative control).
    const run = await startRun(loadScenarioFile(`${LIBRARY}/airspace/airport-circle-straight-line.yaml`));
    try {
      const m = new LiveMetrics(run);
      expect(m.channels).toContain('zoneMarginM');
      const s = sampleRun(run, m, 10);
      const margins = s.map((x) => x.values.zoneMarginM).filter((v): v is number => typeof v === 'number');
      expect(margins.length).toBeGreaterThan(10);
      expect(Math.max(...margins)).toBeGreaterThan(0);
      const svc = airspaceOf(run.world)!;
      const entered = svc.incursions.some((i) => i.restriction === 'PROHIBITED');
      expect(entered).toBe(true);
      expect(Math.min(...margins)).toBeLessThan(0);
    } finally {
      run.dispose();
    }
  });
});
