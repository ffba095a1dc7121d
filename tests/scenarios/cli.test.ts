import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../scenarios/result.ts';
import { FIXTURES, LIBRARY, ROOT, skylane } from '../helpers.ts';

/** Scenario files in the library and its subfolders (one run each at its own seed). */
const N_LIBRARY = readdirSync(LIBRARY, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.split(sep).includes('data')).length;
/** Library files that are negative controls (`expect:`): they count as failed as expected. */
const N_XFAIL = readdirSync(LIBRARY, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f) && /^expect:/m.test(readFileSync(`${LIBRARY}/${f}`, 'utf8'))).length;



let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skylane-cli-'));
});

describe('skylane run', () => {
  it('runs the library: exit 0, one JUnit testcase per run, JSON report shape', async () => {
    const r = await skylane('run', 'scenarios/library', '--junit', `${dir}/r.xml`, '--json', `${dir}/r.json`, '--workers', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The library's negative controls (cars/v2x-off-occluded-intersection, uav/swarm-10-crossing-no-avoidance, ...) fail as expected; everything else passes.
    expect(N_XFAIL).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toContain(`${N_LIBRARY - N_XFAIL} passed, 0 failed, ${N_XFAIL} failed as expected (${N_LIBRARY} runs`);
    const xml = readFileSync(`${dir}/r.xml`, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml);
    const cases = doc.testsuites.testsuite.flatMap((s: { testcase: unknown[] }) => s.testcase);
    expect(cases).toHaveLength(N_LIBRARY);
    expect(doc.testsuites['@_tests']).toBe(String(N_LIBRARY));
    expect(doc.testsuites['@_failures']).toBe('0');
    const report = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')) as Report;
    expect(report.runs).toHaveLength(N_LIBRARY);
    for (const x of report.runs) {
      expect(Object.keys(x)).toEqual(expect.arrayContaining(['scenario', 'file', 'seed', 'backend', 'verdict', 'criteria', 'simTime', 'wallTime', 'stateHash']));
      expect(x.verdict).toBe(x.expectedFailure ? 'fail' : 'pass');
      if (x.expectedFailure) expect(x.expectedFailure.met).toBe(true);
      expect(x.stateHash).toMatch(/^[0-9a-f]{32}$/);
      for (const c of x.criteria) expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'value', 'threshold', 'passed', 'reason']));
    }
    // The library holds a 50-drone swarm (uav/swarm-50-crossing, ~80 s simulated): more than the default 60 s on a shared 2-core machine.
  }, 300_000);

  it('a failing fixture exits 1, names the failed criterion, and JUnit lists it in <failure>', async () => {
    const r = await skylane('run', `${FIXTURES}/blind-rover-hits-wall.yaml`, '--junit', `${dir}/f.xml`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+no-collision=1 collisions/);
    const xml = readFileSync(`${dir}/f.xml`, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toMatch(/<failure message="no-collision: 1 collisions \(threshold 0\); reach-goal: none \(threshold 18\)" type="CriteriaFailed">/);
  });

  it('a malformed file exits 2, names the file and the field, writes no report and runs nothing', async () => {
    const bad = `${dir}/bad.yaml`;
    writeFileSync(bad, readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8').replace('duration: 60', 'duration: ten'));
    const r = await skylane('run', bad, `${LIBRARY}/rover-crossing.yaml`, '--json', `${dir}/never.json`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: duration: expected number, received string/);
    expect(r.stderr).toMatch(/nothing was run/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(() => readFileSync(`${dir}/never.json`)).toThrow();
  });

  it('impossible geometry found while building exits 2 with the scatter named, and no report', async () => {
    const bad = `${dir}/crowded.yaml`;
    const text = readFileSync(`${LIBRARY}/rover-random-field.yaml`, 'utf8').replace('count: 14', 'count: 400');
    writeFileSync(bad, text);
    const r = await skylane('run', bad, '--json', `${dir}/crowded.json`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/crowded\.yaml: world\.scatter\[0\]: impossible geometry: placed only \d+ of 400 obstacles.*\(seed 7\)/);
    expect(r.stderr).toMatch(/nothing was run/);
    expect(() => readFileSync(`${dir}/crowded.json`)).toThrow();
  });

  it('usage errors exit 2 with the usage text', async () => {
    const r = await skylane('run', 'scenarios/library', '--seeds', '5..1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seeds expects A <= B/);
    expect((await skylane('frobnicate')).code).toBe(2);
    expect((await skylane('run', 'scenarios/library', '--backend', 'bullet')).stderr).toMatch(/--backend expects one of rapier, cannon/);
  });

  it('a missing file exits 2 naming it', async () => {
    const r = await skylane('run', 'nope/missing.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\/missing\.yaml: file or folder not found/);
  });

  it('--seeds sweeps and --shard splits the run list; merge restores the whole', async () => {
    const file = `${LIBRARY}/rover-random-field.yaml`;
    const whole = await skylane('run', file, '--seeds', '1..4', '--json', `${dir}/whole.json`, '--workers', '1');
    const s1 = await skylane('run', file, '--seeds', '1..4', '--shard', '1/2', '--json', `${dir}/s1.json`, '--workers', '1');
    const s2 = await skylane('run', file, '--seeds', '1..4', '--shard', '2/2', '--json', `${dir}/s2.json`, '--workers', '1');
    expect(whole.stdout).toMatch(/\(4 runs, pass rate/);
    expect(s1.stdout).toMatch(/\(2 runs/);
    expect(s2.stdout).toMatch(/\(2 runs/);
    const merged = await skylane('merge', `${dir}/s2.json`, `${dir}/s1.json`, '--json', `${dir}/merged.json`, '--junit', `${dir}/merged.xml`);
    expect([0, 1]).toContain(merged.code);
    const strip = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as Report).runs.map(({ wallTime: _w, ...rest }) => rest);
    expect(strip(`${dir}/merged.json`)).toEqual(strip(`${dir}/whole.json`));
    expect(XMLValidator.validate(readFileSync(`${dir}/merged.xml`, 'utf8'))).toBe(true);
    const dup = await skylane('merge', `${dir}/s1.json`, `${dir}/s1.json`);
    expect(dup.code).toBe(2);
    const partial = await skylane('merge', `${dir}/s1.json`, '--json', `${dir}/partial.json`);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toMatch(/2 of 4 runs of the sweep are in none of these reports/);
    expect(() => readFileSync(`${dir}/partial.json`)).toThrow();
    expect((await skylane('merge', `${dir}/s1.json`, '--allow-partial')).stdout).toMatch(/\(2 runs/);
  });

  it('an unwritable report path exits 2 before anything runs', async () => {
    const r = await skylane('run', `${LIBRARY}/rover-crossing.yaml`, '--junit', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--junit .*: is a folder; expected a file path/);
    expect(r.stdout).toBe('');
  });
});

describe('skylane validate and list', () => {
  it('validate accepts the library and exits 0', async () => {
    const r = await skylane('validate', 'scenarios/library');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${N_LIBRARY} scenario file(s) valid`);
  });

  it('list shows scenarios, agents, criteria and where defaults come from', async () => {
    const r = await skylane('list');
    expect(r.code).toBe(0);
    for (const s of ['rover-crossing', 'go-to-goal', 'no-collision', 'min-clearance', 'seeds/miit-2c-avoidance-collisions', 'miit-2c-gimbal-precision']) {
      expect(r.stdout).toContain(s);
    }
  });
});
