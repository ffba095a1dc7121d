/**
 * `min-separation`: the closest centre-to-centre ground-truth distance
 * between any two judged UAVs. Two straight-line Iris fly towards each other
 * on parallel tracks: 3 m apart the criterion passes, 1 m apart it fails,
 * naming the pair and the time; its threshold defaults to the agents'
 * configured minSeparationM, else to seeds/.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { minSeparationTarget } from '../../scenarios/criteria/index.ts';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { runScenario } from '../../scenarios/runner.ts';
import { criterion, editedText, expectScenarioError, FIXTURES, scenarioErrorOf } from '../helpers.ts';

const F = 'sep.yaml';
const sensors = [{ type: 'imu', rateHz: 250 }, { type: 'gnss' }, { type: 'barometer' }];
const pair = (gapM: number) => `
name: uav-two-tracks
description: Two straight-line Iris fly towards each other on parallel tracks.
family: uav
seed: 1
duration: 12
world:
  physicsHz: 500
  ground: { centerM: [0, 0], sizeM: [40, 40] }
actors:
  - { id: a, kind: uav, airframe: iris, pose: { position: [-8, 0] }, sensors: ${JSON.stringify(sensors)},
      agent: { type: straight-line, params: { waypoints: [[-8, 0, 3], [8, 0, 3]], cruiseSpeedMps: 3, land: false } } }
  - { id: b, kind: uav, airframe: iris, pose: { position: [8, ${gapM}] }, sensors: ${JSON.stringify(sensors)},
      agent: { type: straight-line, params: { waypoints: [[8, ${gapM}, 3], [-8, ${gapM}, 3]], cruiseSpeedMps: 3, land: false } } }
criteria:
  - { type: min-separation }
`;

describe('min-separation criterion', () => {
  it('passes when the tracks are 3 m apart (closest approach about 3 m, at the crossing)', async () => {
    const r = await runScenario(loadScenarioText(pair(3), F), { backend: 'rapier' });
    const c = criterion(r, 'min-separation');
    expect(c.passed).toBe(true);
    expect(c.value).toBeGreaterThan(2.7);
    expect(c.value).toBeLessThan(3.3);
    expect(c.reason).toMatch(/closest pair a and b: .* m centre to centre at t=/);
    // No swarm agent configures a separation: the seeds/ default.
    expect(c.threshold).toBe(1.5);
    expect(c.thresholdSource).toBe('seeds:miit-2c-swarm-separation');
  });

  it('fails when the tracks are 1 m apart, naming the pair, the distance and the time', async () => {
    const r = await runScenario(loadScenarioText(pair(1), F), { backend: 'rapier' });
    const c = criterion(r, 'min-separation');
    expect(c.passed).toBe(false);
    expect(c.value).toBeLessThan(1.3);
    expect(c.reason).toMatch(/^a and b came within \d\.\d{3} m \(centre to centre\) at t=\d+\.\d\d s \(need >= 1.5 m\)$/);
  });

  it('takes a threshold from the scenario: 4 m fails the 3 m tracks', async () => {
    const text = editedText(pair(3), (d) => (d.criteria[0].thresholdM = 4));
    const c = criterion(await runScenario(loadScenarioText(text, F), { backend: 'rapier' }), 'min-separation');
    expect(c.passed).toBe(false);
    expect(c.threshold).toBe(4);
  });

  it('refuses to judge fewer than two UAVs, or an actor that is not a UAV', () => {
    const one = editedText(pair(3), (d) => (d.criteria[0].actors = ['a']));
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(one, F)), F, 'criteria[0].actors', /2/);
    const solo = editedText(pair(3), (d) => d.actors.pop());
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(solo, F)), F, 'criteria[0]', /judges pairs of UAVs, and there is one/);
    const box = editedText(pair(3), (d) => {
      d.actors.push({ id: 'box', kind: 'obstacle', shape: { type: 'box', sizeM: [1, 1, 1] }, pose: { position: [0, 10] } });
      d.criteria[0].actors = ['a', 'box'];
    });
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(box, F)), F, 'criteria[0].actors[1]', /"box" is an obstacle; min-separation judges UAVs/);
    const ghost = editedText(pair(3), (d) => (d.criteria[0].actors = ['a', 'zz']));
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(ghost, F)), F, 'criteria[0].actors[1]', /no actor with id "zz"/);
  });

  it("defaults its threshold to the smallest separation the swarm's agents are configured for", () => {
    const text = editedText(readFileSync(`${FIXTURES}/uav/swarm-4-swap.yaml`, 'utf8'), (d) => (d.swarms[0].agent.params.minSeparationM = 1.2));
    const s = loadScenarioText(text, F).scenario;
    const spec = s.criteria.find((c) => c.type === 'min-separation')!;
    if (spec.type !== 'min-separation') throw new Error('unreachable');
    const t = minSeparationTarget(spec, s);
    expect(t.actorIds).toEqual(['uav-00', 'uav-01', 'uav-02', 'uav-03']);
    expect(t.thresholdM).toBe(1.2);
    expect(t.source).toMatch(/minSeparationM/);
  });
});
