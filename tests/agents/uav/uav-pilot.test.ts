/**
 * `uav-pilot` against the `straight-line` baseline on a band of seeded
 * pillars across the route (tests/fixtures/uav/pillar-row.yaml), seen only by
 * the 360-degree lidar: the pilot gets through without touching a pillar and
 * keeps 0.3 m of clearance; the baseline flies into them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { runScenario } from '../../../scenarios/runner.ts';
import { FIXTURES } from '../../helpers.ts';

const ROW = readFileSync(`${FIXTURES}/uav/pillar-row.yaml`, 'utf8');
const SEEDS = [1, 2, 3, 4, 5, 6];

async function verdicts(text: string): Promise<string[]> {
  const loaded = loadScenarioText(text, 'pillar-row.yaml');
  const out: string[] = [];
  for (const seed of SEEDS) out.push((await runScenario(loaded, { seed, backend: 'rapier' })).verdict);
  return out;
}

describe('uav-pilot vs straight-line through a pillar band', () => {
  it('uav-pilot passes every seed; straight-line fails most', async () => {
    const pilot = await verdicts(ROW);
    const baseline = await verdicts(ROW.replace('type: uav-pilot', 'type: straight-line'));
    console.log(`[uav-pilot] pilot ${pilot.join(' ')}; straight-line ${baseline.join(' ')}`);
    expect(pilot).toEqual(SEEDS.map(() => 'pass'));
    expect(baseline.filter((v) => v === 'fail').length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});

describe('uav-pilot vs straight-line when a drone overtakes from behind (library: uav/approach-from-behind)', () => {
  it('uav-pilot sees it behind with the 360-degree lidar and sidesteps; straight-line is hit', async () => {
    const text = readFileSync(new URL('../../../scenarios/library/uav/approach-from-behind.yaml', import.meta.url), 'utf8');
    const run = async (t: string) => {
      const loaded = loadScenarioText(t, 'approach-from-behind.yaml');
      const out: string[] = [];
      for (const seed of [1, 2, 3, 4]) out.push((await runScenario(loaded, { seed, backend: 'rapier' })).verdict);
      return out;
    };
    const pilot = await run(text);
    const baseline = await run(text.replace('type: uav-pilot', 'type: straight-line'));
    console.log(`[uav-pilot] from behind: pilot ${pilot.join(' ')}; straight-line ${baseline.join(' ')}`);
    expect(pilot).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(baseline.filter((v) => v === 'fail').length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
