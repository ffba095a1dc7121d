/** Deep links to runs (web/run-link.ts): agent swaps, break-it switches and the user agent's source in the hash. */
import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../agents/registry.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import {
  applyAgentOverrides, decodeBase64Url, encodeBase64Url, formatBreakParam, formatRunLink, parseAgentOverrides, parseBreakParam, parseRunLink, type AgentInfo,
} from '../../web/run-link.ts';
import { LIBRARY } from '../helpers.ts';

const KNOWN = Object.keys(AGENTS);
const INFO: Record<string, AgentInfo> = Object.fromEntries(Object.entries(AGENTS).map(([k, e]) => [k, { actorKinds: e.actorKinds, acceptsParams: (p: Record<string, unknown>) => e.params.safeParse(p).success }]));

describe('agent= overrides', () => {
  it('parses repeated and comma-separated actor:agent pairs', () => {
    expect(parseAgentOverrides(['ego:idm-only', 'b:user,c:straight-line'], KNOWN)).toEqual({
      agents: [{ actor: 'ego', agent: 'idm-only' }, { actor: 'b', agent: 'user' }, { actor: 'c', agent: 'straight-line' }],
      warnings: [],
    });
  });

  it('reports a missing colon, an unknown agent and a repeated actor, keeping the rest', () => {
    const r = parseAgentOverrides(['ego', 'ego:warp-drive', 'x:idm-only,x:lane-keep-only'], KNOWN);
    expect(r.agents).toEqual([{ actor: 'x', agent: 'idm-only' }]);
    expect(r.warnings[0]).toMatch(/agent=ego: expected <actor>:<agent>/);
    expect(r.warnings[1]).toMatch(/unknown agent "warp-drive" \(expected user or one of .*ha-pilot/);
    expect(r.warnings[2]).toMatch(/x already has an agent/);
  });
});

describe('break=', () => {
  it('round-trips every switch', () => {
    const b = { v2xOff: true, sensorNoiseScale: 10, stabiliserOff: true, zonesIgnored: true };
    const s = formatBreakParam(b)!;
    expect(s).toBe('v2x-off,noise-x10,stabiliser-off,zones-ignored');
    expect(parseBreakParam(s)).toEqual({ breakIt: b, warnings: [] });
    expect(formatBreakParam({ sensorNoiseScale: 1 })).toBeNull();
  });

  it('warns on an unknown word', () => {
    expect(parseBreakParam('gravity-off,v2x-off')).toEqual({ breakIt: { v2xOff: true }, warnings: [expect.stringMatching(/break=gravity-off: expected v2x-off/)] });
  });
});

describe('the user agent source in the hash', () => {
  const src = 'export default { act(o) { return { throttle: 1 }; } } // ü → 🚗\n';

  it('base64url round-trips any UTF-8 text', () => {
    const enc = encodeBase64Url(src);
    expect(enc).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeBase64Url(enc)).toBe(src);
    expect(() => decodeBase64Url('ab$c')).toThrow(/base64url characters/);
  });

  it('formats and parses a whole run link', () => {
    const link = formatRunLink('?scenario=cars-lead-brake&seed=7', { agents: [{ actor: 'ego', agent: 'user' }], breakIt: { v2xOff: true }, userSource: src });
    expect(link).toMatch(/^\?scenario=cars-lead-brake&seed=7&agent=ego%3Auser&break=v2x-off#agent=/);
    const [search, hash] = link.split('#');
    expect(parseRunLink(search!, `#${hash}`, KNOWN)).toEqual({ agents: [{ actor: 'ego', agent: 'user' }], breakIt: { v2xOff: true }, userSource: src, warnings: [] });
  });

  it('drops a user override without a source, and says why', () => {
    const r = parseRunLink('?agent=ego:user', '', KNOWN);
    expect(r.agents).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/needs the agent's source in the link's hash/)]);
    const bad = parseRunLink('?agent=ego:user', '#agent=%%%', KNOWN);
    expect(bad.warnings[0]).toMatch(/#agent=: the agent source does not decode/);
  });
});

describe('applyAgentOverrides', () => {
  it('swaps ego to idm-only keeping its ha-pilot params, and refuses NPCs of the wrong kind and unknown actors', () => {
    const s = loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`).scenario;
    const r = applyAgentOverrides(s, [{ actor: 'ego', agent: 'idm-only' }, { actor: 'ghost', agent: 'idm-only' }, { actor: 'ego2', agent: 'user' }], INFO);
    const ego = r.scenario.actors.find((a) => a.id === 'ego')!;
    expect('agent' in ego && ego.agent).toEqual({ type: 'idm-only', params: { maxSpeedMps: 27 } });
    expect(r.warnings[0]).toMatch(/has no actor "ghost"/);
    expect(r.warnings[1]).toMatch(/has no actor "ego2"/);
    // The scenario it came from is untouched.
    const orig = s.actors.find((a) => a.id === 'ego')!;
    expect('agent' in orig && typeof orig.agent === 'object' && orig.agent.type).toBe('ha-pilot');
    const uav = loadScenarioFile(`${LIBRARY}/airspace/airport-circle.yaml`).scenario;
    const w = applyAgentOverrides(uav, [{ actor: 'drone', agent: 'idm-only' }, { actor: 'drone', agent: 'user' }], INFO);
    expect(w.warnings).toEqual([expect.stringMatching(/idm-only drives car, and "drone" is a uav/)]);
    expect(w.user).toEqual(['drone']);
  });
});
