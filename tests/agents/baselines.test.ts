/**
 * The car baselines (agents/baselines.ts) against the car library
 * (scenarios/library/cars/): each scenario is run at its own seed with the
 * ego's agent swapped, and each baseline must fail at least two scenarios
 * that ha-pilot passes, so the library tells the pilot's functions apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { runScenario } from '../../scenarios/runner.ts';

const CARS = fileURLToPath(new URL('../../scenarios/library/cars/', import.meta.url));
// Every car scenario but the negative controls (built to fail: `expect`).
const FILES = readdirSync(CARS).filter((f) => f.endsWith('.yaml') && !/^expect:/m.test(readFileSync(join(CARS, f), 'utf8'))).sort();

async function verdict(file: string, agent: string): Promise<string> {
  const doc = parse(readFileSync(join(CARS, file), 'utf8'));
  const ego = doc.actors.find((a: { id: string }) => a.id === 'ego');
  ego.agent = typeof ego.agent === 'string' ? agent : { ...ego.agent, type: agent };
  const r = await runScenario(loadScenarioText(stringify(doc, { aliasDuplicateObjects: false }), `scenarios/library/cars/${file}`), { backend: 'rapier' });
  const failing = r.criteria.filter((c) => !c.passed).map((c) => `${c.name}: ${c.reason}`);
  console.log(`[baselines] ${agent} on ${file}: ${r.verdict}${failing.length ? ` (${failing.join('; ')})` : ''}`);
  return r.verdict;
}

describe('car baselines on the car library', () => {
  it('each baseline fails at least two library scenarios that ha-pilot passes', async () => {
    const pilot = await Promise.all(FILES.map((f) => verdict(f, 'ha-pilot')));
    expect(pilot).toEqual(FILES.map(() => 'pass'));
    for (const agent of ['idm-only', 'lane-keep-only']) {
      const got = await Promise.all(FILES.map((f) => verdict(f, agent)));
      const failed = FILES.filter((_, i) => got[i] !== 'pass');
      console.log(`[baselines] ${agent} fails: ${failed.join(', ')}`);
      expect(got.every((v) => v !== 'error')).toBe(true);
      expect(failed.length).toBeGreaterThanOrEqual(2);
    }
  }, 300_000);
});
