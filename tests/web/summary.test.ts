/** The printable run summary (web/summary.ts): one page with every criterion, the clauses, the hash and the CLI line. */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import type { RunResult } from '../../scenarios/result.ts';
import { runScenario } from '../../scenarios/runner.ts';
import { cliLine, formatValue, planClauses, summaryHtml } from '../../web/summary.ts';
import { LIBRARY } from '../helpers.ts';

describe('summaryHtml', () => {
  it('has a row per criterion, the verdict, the clauses, the state hash and the CLI line; no script', async () => {
    const loaded = loadScenarioFile(`${LIBRARY}/cars/v2x-occluded-intersection.yaml`);
    const s = loaded.scenario;
    const r = await runScenario(loaded, { seed: 3 });
    const html = summaryHtml(r, { scenario: { name: s.name, file: loaded.file, description: s.description }, seed: r.seed, backend: r.backend, agents: [{ actor: 'ego', agent: 'ha-pilot' }], clauses: planClauses(s.requirements), link: '?scenario=cars-v2x-occluded-intersection&seed=3' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('@page { size: A4');
    expect(html).not.toMatch(/<script/i);
    expect(r.criteria.length).toBeGreaterThan(3);
    for (const c of r.criteria) {
      const row = new RegExp(`<tr data-criterion="${c.name}">.*?</tr>`).exec(html)?.[0];
      expect(row, c.name).toBeDefined();
      expect(row).toContain(c.passed ? '>pass<' : '>FAIL<');
      expect(row).toContain(formatValue(c.value, c.unit).replace(/&/g, '&amp;'));
    }
    expect(html).toContain(`data-verdict="${r.verdict === 'pass' ? 'PASS' : 'FAIL'}"`);
    expect(html).toContain(r.stateHash);
    expect(html).toContain(`npx skylane run ${loaded.file} --seed 3 --backend rapier`);
    for (const id of s.requirements) expect(html).toContain(`data-clause="${id}"`);
    expect(html).not.toContain('data-broken');
  });

  it('marks a broken run above everything, and its CLI line breaks it the same way', async () => {
    const loaded = loadScenarioFile(`${LIBRARY}/cars/v2x-occluded-intersection.yaml`);
    const r = await runScenario(loaded, { breakIt: { v2xOff: true } });
    const html = summaryHtml(r, { scenario: { name: r.scenario, file: r.file }, seed: r.seed, backend: r.backend, agents: [], clauses: [] });
    expect(html.indexOf('data-broken')).toBeGreaterThan(0);
    expect(html.indexOf('data-broken')).toBeLessThan(html.indexOf('<h2>Criteria'));
    expect(html).toContain('Broken run (teaching mode): v2x off');
    expect(html).toContain(`npx skylane run ${r.file} --seed ${r.seed} --backend rapier --break v2x-off`);
    expect(html).toContain('data-verdict="FAIL"');
  });

  it('escapes what it quotes', () => {
    const r: RunResult = {
      scenario: 'x<y', file: 'a b.yaml', seed: 1, backend: 'rapier', verdict: 'error', simTime: 1, wallTime: 0, stateHash: 'h', steps: 1, endReason: 'error: <boom>',
      criteria: [{ name: 'c&d', type: 't', value: 0.5, threshold: 1, unit: 'm', passed: false, reason: '<img src=x onerror=alert(1)>', thresholdSource: 'scenario' }],
      error: '<b>bad</b>',
    };
    const html = summaryHtml(r, { scenario: { name: 'x<y', file: 'a b.yaml' }, seed: 1, backend: 'rapier', agents: [], clauses: planClauses(['no-such-id']) });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bad');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('unknown requirement id');
    expect(cliLine(r)).toBe("npx skylane run 'a b.yaml' --seed 1 --backend rapier");
  });
});
