/**
 * The `straight-line` UAV baseline end to end in the scenario format: IMU,
 * GNSS and barometer into the estimator, the PX4-style flight stack, the
 * waypoint mission. It flies the route and lands; with a pillar on the route
 * it flies into it, because it sees nothing (what the avoidance criteria
 * are there to catch).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { startRun } from '../../../scenarios/runner.ts';
import { editedText, FIXTURES } from '../../helpers.ts';

const ROUTE = readFileSync(`${FIXTURES}/uav/straight-line-route.yaml`, 'utf8');

describe('straight-line (UAV baseline)', () => {
  for (const backend of ['rapier', 'cannon'] as const) {
    it(`flies the L-shaped route and lands near its end, on its own estimate (${backend})`, async () => {
      const run = await startRun(loadScenarioText(ROUTE, 'route.yaml'), { backend });
      let maxZ = 0;
      run.world.tick$.subscribe(() => (maxZ = Math.max(maxZ, run.world.stateOf('drone').position[2])));
      const r = run.runToEnd();
      expect(r.verdict).toBe('pass');
      const end = run.world.stateOf('drone').position;
      expect(maxZ).toBeGreaterThan(4.5);
      expect(maxZ).toBeLessThan(5.6);
      // Landed within 1.5 m of the last waypoint, resting on the ground.
      expect(Math.hypot(end[0] - 20, end[1] - 20)).toBeLessThan(1.5);
      expect(end[2]).toBeLessThan(0.2);
      run.dispose();
    });
  }

  it('flies into a pillar standing on its route: no-collision fails', async () => {
    const text = editedText(ROUTE, (d) => {
      d.actors.push({ id: 'pillar', kind: 'obstacle', shape: { type: 'cylinder', radiusM: 0.6, heightM: 12 }, pose: { position: [10, 0] } });
      d.criteria = [{ type: 'no-collision' }];
    });
    const r = (await startRun(loadScenarioText(text, 'pillar.yaml'), { backend: 'rapier' })).runToEnd();
    expect(r.verdict).toBe('fail');
    expect(r.criteria[0]!.reason).toMatch(/pillar/);
  });
});
