/**
 * The `swarms` block: N identical UAVs declared once, expanded by the loader
 * into actors `<idPrefix>-00` ... with their missions, and one reach-goal
 * criterion each; bad blocks get one clear error naming the block's field.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instantiate, loadScenarioText } from '../../scenarios/loader.ts';
import { memberIds } from '../../scenarios/swarm-generator.ts';
import { editedText, expectScenarioError, FIXTURES, LIBRARY, scenarioErrorOf } from '../helpers.ts';

const SWAP = readFileSync(`${FIXTURES}/uav/swarm-4-swap.yaml`, 'utf8');
const F = 'swarm.yaml';
const edit = (f: (d: any) => void) => editedText(SWAP, f);

describe('swarms generator block', () => {
  it('expands into uav actors on the circle, each flying to the opposite point, with a reach-goal criterion each', () => {
    const s = loadScenarioText(SWAP, F).scenario;
    const uavs = s.actors.filter((a) => a.kind === 'uav');
    expect(uavs.map((a) => a.id)).toEqual(['uav-00', 'uav-01', 'uav-02', 'uav-03']);
    for (const a of uavs) {
      if (a.kind !== 'uav' || typeof a.agent !== 'object') throw new Error('expected a uav with an agent');
      const [start, goal] = a.agent.params.waypoints as number[][];
      expect(Math.hypot(start![0]!, start![1]!)).toBeCloseTo(5, 9);
      expect(goal![0]).toBeCloseTo(-start![0]!, 9);
      expect(goal![1]).toBeCloseTo(-start![1]!, 9);
      expect(start![2]).toBe(3);
      expect(a.pose.position.slice(0, 2)).toEqual(start!.slice(0, 2));
      expect(a.agent.params.airframe).toBe('iris');
      expect(a.agent.params.minSeparationM).toBe(1.5);
      expect(a.sensors.map((x) => x.type)).toEqual(['imu', 'gnss', 'barometer', 'v2x']);
    }
    const goals = s.criteria.filter((c) => c.type === 'reach-goal');
    expect(goals.map((c) => c.name)).toEqual(['reach-goal uav-00', 'reach-goal uav-01', 'reach-goal uav-02', 'reach-goal uav-03']);
    expect(goals.every((c) => c.type === 'reach-goal' && c.region.radiusM === 1.5 && c.withinS === 28)).toBe(true);
  });

  it('names members with two digits, more when the count needs them', () => {
    expect(memberIds('uav', 10).at(-1)).toBe('uav-09');
    expect(memberIds('cf', 150).slice(0, 2)).toEqual(['cf-000', 'cf-001']);
  });

  it('lets vary move the layout by seed (paths into the block)', () => {
    const text = edit((d) => (d.vary = [{ path: 'swarms.0.layout.radiusM', uniform: [6, 9] }]));
    const loaded = loadScenarioText(text, F);
    const r = (seed: number) => {
      const a = instantiate(loaded, seed).actors[0]!;
      if (a.kind !== 'uav') throw new Error('expected a uav');
      return Math.hypot(a.pose.position[0]!, a.pose.position[1]!);
    };
    expect(r(1)).toBeGreaterThanOrEqual(6);
    expect(r(1)).toBeLessThanOrEqual(9);
    expect(r(1)).not.toBeCloseTo(r(2), 6);
  });

  it('refuses a count below 2', () => {
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(edit((d) => (d.swarms[0].count = 1)), F)), F, 'swarms[0].count', /2/);
  });

  it('refuses an unknown layout type and a missing radius', () => {
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(edit((d) => (d.swarms[0].layout.type = 'grid')), F)), F, 'swarms[0].layout.type', /antipodal-circle/);
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(edit((d) => delete d.swarms[0].layout.radiusM), F)), F, 'swarms[0].layout.radiusM', /number/);
  });

  it('refuses waypoints in the agent params (the generator fills them in) and a mismatched airframe', () => {
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(edit((d) => (d.swarms[0].agent.params.waypoints = [[0, 0, 1]])), F)), F, 'swarms[0].agent.params.waypoints', /filled in by the generator/);
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(edit((d) => (d.swarms[0].agent.params.airframe = 'crazyflie2x')), F)), F, 'swarms[0].agent.params.airframe', /must match the block's airframe "iris"/);
  });

  it('refuses an id prefix whose member ids are taken', () => {
    const text = edit((d) => d.actors.push({ id: 'uav-02', kind: 'uav', airframe: 'iris', pose: { position: [12, 12] } }));
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(text, F)), F, 'swarms[0].idPrefix', /"uav-02" is already taken/);
  });

  it("reports a member's bad agent params against the block, naming the member", () => {
    const e = scenarioErrorOf(() => loadScenarioText(edit((d) => (d.swarms[0].agent.params.cruiseSpeedMps = -2)), F));
    expectScenarioError(e, F, 'swarms[0].agent.params.cruiseSpeedMps', /member "uav-00": expected > 0/);
  });

  it("reports a member the agent cannot fly (a sensor it needs is missing) against the block's sensors", () => {
    const e = scenarioErrorOf(() => loadScenarioText(edit((d) => (d.swarms[0].sensors = d.swarms[0].sensors.filter((x: { type: string }) => x.type !== 'v2x'))), F));
    expectScenarioError(e, F, 'swarms[0].sensors', /member "uav-00": agent "swarm" reads a v2x sensor named "v2x"/);
  });

  it('reports a member off the ground against the block', () => {
    const e = scenarioErrorOf(() => loadScenarioText(edit((d) => (d.swarms[0].layout.radiusM = 40)), F));
    expect(e.fieldPath).toMatch(/^swarms\[0\]/);
    expect(e.expected).toMatch(/member "uav-00": .*off the ground/);
  });

  it('the library swarm files load and expand to 10 and 50 members', () => {
    for (const [f, n] of [['swarm-10-crossing', 10], ['swarm-50-crossing', 50]] as const) {
      const s = loadScenarioText(readFileSync(`${LIBRARY}/uav/${f}.yaml`, 'utf8'), `${f}.yaml`).scenario;
      expect(s.actors.filter((a) => a.kind === 'uav')).toHaveLength(n);
      expect(s.criteria.filter((c) => c.type === 'reach-goal')).toHaveLength(n);
    }
  });
});
