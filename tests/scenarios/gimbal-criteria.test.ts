/**
 * The gimbal criteria (scenarios/criteria/gimbal.ts), each shown passing and
 * failing on one short hover of an Iris carrying the reference stabiliser,
 * with the basic PID and unpowered motors on identical copies beside it; and
 * the loader's refusals of gimbal input that cannot be judged.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { runScenario } from '../../scenarios/runner.ts';
import type { RunResult } from '../../scenarios/result.ts';
import { criterion, editedText, expectScenarioError, scenarioErrorOf } from '../helpers.ts';

const F = 'gimbal.yaml';
const hover = `
name: gimbal-short-hover
description: An Iris with a gimbal takes off and hovers in still air.
family: gimbal
seed: 3
duration: 22
world:
  physicsHz: 250
  ground: { centerM: [0, 0], sizeM: [40, 40] }
actors:
  - id: drone
    kind: uav
    airframe: iris
    pose: { position: [0, 0], yawDeg: 0 }
    agent: { type: straight-line, params: { waypoints: [[0, 0, 8]], land: false } }
    sensors: [{ type: imu, rateHz: 250 }, { type: gnss }, { type: barometer }]
    gimbal:
      controller: gimbal-stabilizer
      compare: [gimbal-pid-basic, none]
      mode: { type: follow, pitchDeg: -20 }
criteria:
  - { type: gimbal-jitter, actor: drone, settleS: 12 }
  - { type: gimbal-jitter, name: jitter-strict, actor: drone, settleS: 12, thresholdDeg: 0.0005 }
  - { type: gimbal-drift, actor: drone, settleS: 12 }
  - { type: gimbal-drift, name: drift-strict, actor: drone, settleS: 12, thresholdDeg: 0.01 }
  - { type: gimbal-pointing, actor: drone, settleS: 12 }
  - { type: gimbal-pointing, name: pointing-strict, actor: drone, settleS: 12, thresholdDeg: 0.02 }
`;

let run: RunResult | undefined;
async function hoverRun(): Promise<RunResult> {
  run ??= await runScenario(loadScenarioText(hover, F), { backend: 'rapier' });
  return run;
}

describe('gimbal criteria', () => {
  it('gimbal-jitter passes the reference within the plan\'s 0.005 deg (the seeds/ default), with the baselines beside it', async () => {
    const c = criterion(await hoverRun(), 'gimbal-jitter');
    expect(c.passed).toBe(true);
    expect(c.threshold).toBe(0.005);
    expect(c.thresholdSource).toBe('seeds:miit-2c-gimbal-precision');
    expect(c.unit).toBe('deg');
    expect(c.value).toBeGreaterThan(0.0005); // the gyro's noise alone: never perfect
    expect(c.value).toBeLessThanOrEqual(0.005);
    expect(c.reason).toMatch(/^peak [\d.]+\/[\d.]+\/[\d.]+ deg \(roll\/pitch\/yaw\), RMS .* <= 0.005 deg \(gimbal-stabilizer\); beside it: gimbal-pid-basic peak .*; none peak /);
    // Unpowered motors: at least an order of magnitude above the target on every axis, even in still air.
    const none = /none peak ([\d.]+)\/([\d.]+)\/([\d.]+) deg/.exec(c.reason)!;
    for (const v of none.slice(1)) expect(Number(v)).toBeGreaterThan(10 * 0.005);
  });

  it('gimbal-jitter fails against a threshold below what the gyro noise allows', async () => {
    const c = criterion(await hoverRun(), 'jitter-strict');
    expect(c.passed).toBe(false);
    expect(c.thresholdSource).toBe('scenario');
    expect(c.reason).toMatch(/> 0.0005 deg; beside it: gimbal-pid-basic/);
  });

  it('gimbal-drift passes at the seeds/ default and fails a 0.01 deg bound', async () => {
    const r = await hoverRun();
    const ok = criterion(r, 'gimbal-drift');
    expect(ok.passed).toBe(true);
    expect(ok.thresholdSource).toBe('seeds:miit-2c-gimbal-drift');
    expect(ok.value).toBeGreaterThan(0.01);
    const bad = criterion(r, 'drift-strict');
    expect(bad.passed).toBe(false);
    expect(bad.reason).toMatch(/^drift \(peak-to-peak below the cutoff\) .* > 0.01 deg/);
  });

  it('gimbal-pointing passes at the seeds/ default and fails a 0.02 deg bound', async () => {
    const r = await hoverRun();
    const ok = criterion(r, 'gimbal-pointing');
    expect(ok.passed).toBe(true);
    expect(ok.thresholdSource).toBe('seeds:miit-2c-gimbal-pointing');
    expect(ok.reason).toMatch(/none pointing error max \d+\.\d+ deg/);
    const bad = criterion(r, 'pointing-strict');
    expect(bad.passed).toBe(false);
    expect(bad.value).toBeGreaterThan(0.02);
  });

  it('names the saturated motor when the torque demand exceeds the limit', async () => {
    // A payload 12 mm ahead of the pitch axis on a weak (15 mN m) motor: gravity alone exceeds the torque.
    const text = editedText(hover, (d) => {
      d.actors[0].gimbal.payload = { massKg: 0.25, comOffsetM: [0.012, 0, 0] };
      d.actors[0].gimbal.motorMaxTorqueNm = 0.015;
      d.criteria = [{ type: 'gimbal-jitter', actor: 'drone', settleS: 12 }];
    });
    const c = criterion(await runScenario(loadScenarioText(text, F), { backend: 'rapier' }), 'gimbal-jitter');
    expect(c.passed).toBe(false);
    expect(c.reason).toMatch(/motor saturation: the pitch motor saturated in [\d.]+ % of the control ticks \(torque demand up to [\d.]+x its limit\)/);
  });
});

describe('gimbal input the loader refuses', () => {
  it('a gimbal criterion on a UAV with no gimbal', () => {
    const text = editedText(hover, (d) => delete d.actors[0].gimbal);
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(text, F)), F, 'criteria[0].actor', /"drone" carries no gimbal \(actors\[0\]\.gimbal\)/);
  });

  it('a settling time at or after the end of the run', () => {
    const text = editedText(hover, (d) => (d.criteria[0].settleS = 22));
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(text, F)), F, 'criteria[0].settleS', /not before the end of the run/);
  });

  it('an unknown controller, IMU or model', () => {
    for (const [path, value, field] of [
      ['controller', 'gimbal-pid', 'actors[0].gimbal.controller'],
      ['imu', 'icm-20602', 'actors[0].gimbal.imu'],
      ['model', 'ronin', 'actors[0].gimbal.model'],
    ] as const) {
      const text = editedText(hover, (d) => (d.actors[0].gimbal[path] = value));
      const e = scenarioErrorOf(() => loadScenarioText(text, F));
      expect(e.message).toContain(field);
    }
  });

  it('a point-at target that is no actor, or the UAV itself', () => {
    const missing = editedText(hover, (d) => (d.actors[0].gimbal.mode = { type: 'point-at', target: 'car' }));
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(missing, F)), F, 'actors[0].gimbal.mode.target', /no actor "car"/);
    const self = editedText(hover, (d) => (d.actors[0].gimbal.mode = { type: 'point-at', target: 'drone' }));
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(self, F)), F, 'actors[0].gimbal.mode.target', /the UAV itself/);
  });

  it('a non-finite point-at point and a pitch outside the controllable range', () => {
    const nan = editedText(hover, (d) => (d.actors[0].gimbal.mode = { type: 'point-at', target: [1, Number.NaN, 0] }));
    expect(scenarioErrorOf(() => loadScenarioText(nan, F)).message).toContain('actors[0].gimbal.mode.target');
    const pitch = editedText(hover, (d) => (d.actors[0].gimbal.mode.pitchDeg = -120));
    expect(scenarioErrorOf(() => loadScenarioText(pitch, F)).message).toContain('actors[0].gimbal.mode.pitchDeg');
  });
});
