/**
 * path-efficiency and cross-track-error (FlightBench-style path quality,
 * issue #4 section 7), each shown failing and passing on the rover crossing
 * (24 m from start to goal, around pillars), and the polyline distance.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { distanceToPolyline } from '../../scenarios/criteria/path-quality.ts';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { runScenario } from '../../scenarios/runner.ts';
import { editedText, expectScenarioError, FIXTURES, LIBRARY, scenarioErrorOf } from '../helpers.ts';

const CROSSING = readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8');
const WALL = readFileSync(`${FIXTURES}/blind-rover-hits-wall.yaml`, 'utf8');

async function judge(base: string, criteria: unknown[]) {
  const r = await runScenario(loadScenarioText(editedText(base, (d) => (d.criteria = criteria)), 'p.yaml'), { backend: 'rapier' });
  return r.criteria;
}

describe('path-efficiency', () => {
  it('passes a detour within the ratio, fails it under a tighter one, and reports the same ratio both times', async () => {
    const goal = { center: [12, 0], radiusM: 0.6 };
    const [loose, tight] = await judge(CROSSING, [
      { type: 'path-efficiency', name: 'loose', actor: 'ego', goal, maxRatio: 1.5 },
      { type: 'path-efficiency', name: 'tight', actor: 'ego', goal, maxRatio: 1.0 },
    ]);
    expect(loose!.passed).toBe(true);
    expect(tight!.passed).toBe(false);
    // Around the pillars, but not by much: longer than straight, well under 1.5.
    expect(loose!.value!).toBeGreaterThan(1.0);
    expect(loose!.value!).toBeLessThan(1.5);
    expect(tight!.value).toBe(loose!.value);
  });

  it('fails when the goal is never reached, however short the path', async () => {
    const [c] = await judge(WALL, [{ type: 'path-efficiency', actor: 'ego', goal: { center: [12, 0], radiusM: 0.5 }, maxRatio: 10 }]);
    expect(c!.passed).toBe(false);
    expect(c!.reason).toMatch(/never reached the goal/);
  });
});

describe('cross-track-error', () => {
  it('passes within a loose corridor around the straight route and fails a tight one', async () => {
    const route = [[-12, 0], [12, 0]];
    const [loose, tight] = await judge(CROSSING, [
      { type: 'cross-track-error', name: 'loose', actor: 'ego', route, maxM: 5 },
      { type: 'cross-track-error', name: 'tight', actor: 'ego', route, maxM: 0.05 },
    ]);
    expect(loose!.passed).toBe(true);
    expect(tight!.passed).toBe(false);
    expect(loose!.value!).toBeGreaterThan(0.05);
    expect(loose!.reason).toMatch(/RMS/);
  });

  it('measures the distance to a polyline in 2D (ground track) and 3D', () => {
    expect(distanceToPolyline([[0, 0], [10, 0]], 5, 3, 7)).toBeCloseTo(3, 12);
    expect(distanceToPolyline([[0, 0, 0], [10, 0, 0]], 5, 3, 4)).toBeCloseTo(5, 12);
    expect(distanceToPolyline([[0, 0], [10, 0], [10, 10]], 12, 5, 0)).toBeCloseTo(2, 12);
    expect(distanceToPolyline([[0, 0], [10, 0]], -3, 4, 0)).toBeCloseTo(5, 12);
  });

  it('loader: a route needs two points, and the judged actor must exist', () => {
    const err = (c: unknown) => scenarioErrorOf(() => loadScenarioText(editedText(CROSSING, (d) => (d.criteria = [c])), 'p.yaml'));
    expectScenarioError(err({ type: 'cross-track-error', actor: 'ego', route: [[0, 0]], maxM: 1 }), 'p.yaml', 'criteria[0].route', /2/);
    expectScenarioError(err({ type: 'cross-track-error', actor: 'ghost', route: [[0, 0], [1, 0]], maxM: 1 }), 'p.yaml', 'criteria[0].actor', /ghost/);
  });
});
