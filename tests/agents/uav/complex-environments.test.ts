/**
 * `uav-pilot` against `straight-line` in the library's crossing-traffic,
 * narrow-gap and urban-canyon scenarios, a few seeds each (the 20-seed
 * figures come from `skylane run ... --seeds 1..20`): the pilot passes every
 * criterion; the baseline, flying the same mission without avoidance, fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { runScenario } from '../../../scenarios/runner.ts';
import { LIBRARY } from '../../helpers.ts';

/** The scenario flown by `straight-line`: the mission's parameters kept, the pilot's dropped. */
function baseline(text: string): string {
  const doc = parse(text) as { actors: { id: string; agent?: { type: string; params: Record<string, unknown> } }[] };
  const agent = doc.actors.find((a) => a.id === 'drone')!.agent!;
  const keep = ['airframe', 'waypoints', 'cruiseSpeedMps', 'acceptanceRadiusM', 'land', 'controlHz'];
  agent.type = 'straight-line';
  agent.params = Object.fromEntries(Object.entries(agent.params).filter(([k]) => keep.includes(k)));
  return stringify(doc);
}

async function verdicts(text: string, name: string, seeds: number[]): Promise<string[]> {
  const loaded = loadScenarioText(text, name);
  const out: string[] = [];
  for (const seed of seeds) out.push((await runScenario(loaded, { seed, backend: 'rapier' })).verdict);
  return out;
}

describe('uav-pilot vs straight-line in complex environments (library)', () => {
  for (const [name, seeds] of [['crossing-traffic', [1, 2, 3]], ['narrow-gap', [1, 3, 4]], ['urban-canyon', [1, 2]]] as const) {
    it(`${name}: uav-pilot passes seeds ${seeds.join(', ')}; straight-line fails them`, async () => {
      const text = readFileSync(`${LIBRARY}/uav/${name}.yaml`, 'utf8');
      const pilot = await verdicts(text, `${name}.yaml`, [...seeds]);
      const base = await verdicts(baseline(text), `${name}.yaml`, [...seeds]);
      console.log(`[${name}] uav-pilot ${pilot.join(' ')}; straight-line ${base.join(' ')}`);
      expect(pilot).toEqual(seeds.map(() => 'pass'));
      expect(base).toEqual(seeds.map(() => 'fail'));
    }, 180_000);
  }
});
