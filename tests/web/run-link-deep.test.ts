/**
 * Deep links in the app (issue #7 section 1): web/params.ts parses the run
 * part (agent= swaps, break=) into RunExtras and writes it back, and
 * web/run-link.ts swapBuiltInAgents applies a swap to a loaded scenario the
 * same way in the browser worker and in Node.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { runScenario } from '../../scenarios/runner.ts';
import { extrasLinkParts, formatDeepLink, linkExtras, parseDeepLink, SPEEDS } from '../../web/params.ts';
import { swapBuiltInAgents } from '../../web/run-link.ts';
import { LIBRARY } from '../helpers.ts';

describe('the run part of a deep link', () => {
  it('turns agent= and break= into run extras (user agents left to the editor) and writes them back', () => {
    const link = parseDeepLink('?scenario=cars-lead-brake&seed=3&agent=ego:idm-only,npc:user&break=v2x-off,noise-x10');
    expect(link.warnings).toEqual([]);
    expect(link.agents).toEqual([{ actor: 'ego', agent: 'idm-only' }, { actor: 'npc', agent: 'user' }]);
    const extras = linkExtras(link);
    expect(extras).toEqual({ agentSwaps: { ego: 'idm-only' }, breakIt: { v2xOff: true, sensorNoiseScale: 10 } });
    const q = formatDeepLink({ scenario: 'cars-lead-brake', seed: 3, backend: 'rapier', speed: 1, camera: 'orbit', ...extrasLinkParts(extras) });
    const again = parseDeepLink(q);
    expect(linkExtras(again)).toEqual(extras);
    expect(new URLSearchParams(q).get('agent')).toBe('ego:idm-only');
    expect(new URLSearchParams(q).get('break')).toBe('v2x-off,noise-x10');
  });

  it('reports a bad agent or break word and keeps the rest of the link', () => {
    const link = parseDeepLink('?scenario=x&agent=ego:warp&break=gravity-off');
    expect(link.scenario).toBe('x');
    expect(linkExtras(link)).toEqual({});
    expect(link.warnings.join('\n')).toMatch(/unknown agent "warp"[\s\S]*break=gravity-off: expected/);
  });

  it('offers slow motion speeds', () => {
    expect(SPEEDS).toEqual(expect.arrayContaining([0.05, 0.1]));
    expect(parseDeepLink('?speed=0.1').speed).toBe(0.1);
  });
});

describe('swapBuiltInAgents', () => {
  it('changes the run (a different end state) and is deterministic', async () => {
    const loaded = loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`);
    const swapped = swapBuiltInAgents(loaded, { ego: 'idm-only' });
    expect(swapped.scenario.actors.find((a) => a.id === 'ego')).toMatchObject({ agent: { type: 'idm-only' } });
    // The loaded scenario itself is untouched.
    expect(loaded.scenario.actors.find((a) => a.id === 'ego')).toMatchObject({ agent: { type: 'ha-pilot' } });
    const a = await runScenario(swapped, { seed: 2 });
    const b = await runScenario(swapBuiltInAgents(loaded, { ego: 'idm-only' }), { seed: 2 });
    const own = await runScenario(loaded, { seed: 2 });
    expect(a.stateHash).toBe(b.stateHash);
    expect(a.stateHash).not.toBe(own.stateHash);
  });

  it('swaps in the raw document too when the scenario has vary (instantiate re-validates it)', () => {
    const loaded = loadScenarioFile(`${LIBRARY}/uav/approach-from-behind.yaml`);
    expect(loaded.scenario.vary.length).toBeGreaterThan(0);
    const id = loaded.scenario.actors.find((a) => a.kind === 'uav' && 'agent' in a && a.agent !== undefined)!.id;
    const swapped = swapBuiltInAgents(loaded, { [id]: 'straight-line' });
    const raw = (swapped.raw as { actors: { id: string; agent: { type: string } }[] }).actors.find((a) => a.id === id)!;
    expect(raw.agent.type).toBe('straight-line');
  });

  it('refuses a swap that cannot apply, naming the link part', () => {
    const loaded = loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`);
    expect(() => swapBuiltInAgents(loaded, { ghost: 'idm-only' })).toThrow(/agent=ghost:idm-only: cars-lead-brake has no actor "ghost"/);
    expect(() => swapBuiltInAgents(loaded, { ego: 'straight-line' })).toThrow(/straight-line drives uav/);
    expect(() => swapBuiltInAgents(loaded, { ego: 'user' })).toThrow(/user agent is given as RunExtras.agents/);
    expect(() => swapBuiltInAgents(loaded, { ego: 'go-to-goal' })).toThrow(/go-to-goal drives rover/);
    expect(swapBuiltInAgents(loaded, undefined)).toBe(loaded);
  });
});
