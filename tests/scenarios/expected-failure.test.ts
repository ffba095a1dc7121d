/**
 * Negative controls (`expect: { failing, why }`): a scenario built to show a
 * failure, such as the crash that V2X avoids when it is switched off. Failing
 * exactly the listed criteria is its success (XFAIL, exit 0, no JUnit
 * failure); passing (XPASS) or failing differently is a failure.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { editedText, expectScenarioError, FIXTURES, LIBRARY, ROOT, scenarioErrorOf } from '../helpers.ts';

const run = promisify(execFile);
const WALL = readFileSync(`${FIXTURES}/blind-rover-hits-wall.yaml`, 'utf8');
const CROSSING = readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8');

async function cli(text: string): Promise<{ code: number; out: string; junit: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'skylane-xfail-'));
  writeFileSync(join(dir, 's.yaml'), text);
  const args = [`${ROOT}bin/skylane.js`, 'run', join(dir, 's.yaml'), '--junit', join(dir, 'r.xml')];
  const r = await run('node', args).then((x) => ({ code: 0, out: x.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
  return { ...r, junit: readFileSync(join(dir, 'r.xml'), 'utf8') };
}

describe('negative controls (expect.failing)', () => {
  it('failing exactly the listed criteria is an expected failure: exit 0, XFAIL, no JUnit failure', async () => {
    const r = await cli(editedText(WALL, (d) => (d.expect = { failing: ['no-collision', 'reach-goal'], why: 'a blind rover hits the wall' })));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/XFAIL/);
    expect(r.out).toMatch(/0 passed, 0 failed, 1 failed as expected/);
    expect(r.junit).toContain('failures="0"');
    expect(r.junit).not.toContain('<failure');
    expect(r.junit).toContain('expectedFailure');
  });

  it('listing only some of the failing criteria is still met; a listed criterion that passes is a failure (exit 1)', async () => {
    expect((await cli(editedText(WALL, (d) => (d.expect = { failing: ['no-collision'], why: 'the collision' })))).code).toBe(0);
    const withPassing = editedText(WALL, (d) => {
      d.criteria.push({ type: 'max-duration', thresholdS: 100 });
      d.duration = 120;
      d.expect = { failing: ['no-collision', 'max-duration'], why: 'also too slow' };
    });
    const r = await cli(withPassing);
    expect(r.code).toBe(1);
    expect(r.junit).toMatch(/ExpectedFailureNotMet.*expected no-collision, max-duration to fail; failing: no-collision, reach-goal/s);
  });

  it('a negative control that passes is XPASS, a failure (exit 1)', async () => {
    const r = await cli(editedText(CROSSING, (d) => (d.expect = { failing: ['no-collision'], why: 'should crash' })));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/XPASS/);
    expect(r.out).toMatch(/1 passed but were expected to fail/);
  });

  it('loader: the listed names must be criteria of the scenario', () => {
    const e = scenarioErrorOf(() => loadScenarioText(editedText(WALL, (d) => (d.expect = { failing: ['no-colision'], why: 'typo' })), 'x.yaml'));
    expectScenarioError(e, 'x.yaml', 'expect.failing[0]', /no criterion named "no-colision"; expected one of/);
  });
});
