/**
 * `skylane run --agent` end to end, through the real bin: a sweep on 2
 * workers with an agent that hangs on one scenario and behaves on another
 * (the good runs pass, the hung ones end in error, the process exits 1
 * promptly), the report naming the user agent, and bad input exiting 2.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../scenarios/result.ts';
import { ROOT, skylane } from '../../helpers.ts';

const DIR = 'tests/fixtures/agents';


describe('skylane run --agent', () => {
  it('a sweep on 2 workers: the hanging agent errors on its scenario, the good runs pass, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skylane-agent-'));
    const r = await skylane('run', `${DIR}/short-road.yaml`, `${DIR}/short-road-fast.yaml`, '--seeds', '1..3', '--workers', '2', '--quiet',
      '--agent', `ego=${DIR}/loop-when-fast.ts`, '--json', `${dir}/r.json`, '--junit', `${dir}/r.xml`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const rep = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')) as Report;
    const sha = createHash('sha256').update(readFileSync(`${DIR}/loop-when-fast.ts`)).digest('hex');
    expect(rep.runs.map((x) => [x.scenario, x.verdict])).toEqual([
      ...[1, 2, 3].map(() => ['user-agent-short-road', 'pass']),
      ...[1, 2, 3].map(() => ['user-agent-short-road-fast', 'error']),
    ]);
    for (const run of rep.runs) expect(run.userAgents).toEqual([{ actor: 'ego', file: `${DIR}/loop-when-fast.ts`, sha256: sha }]);
    for (const run of rep.runs.filter((x) => x.verdict === 'error')) {
      expect(run.error).toMatch(/^agent of 'ego' failed at t=0\.00 s: user agent .*loop-when-fast\.ts: step of .*loop-when-fast\.ts did not return within its time budget of 500 ms/);
    }
    expect(r.stdout).toContain(`note: actor 'ego' driven by user agent ${DIR}/loop-when-fast.ts (sha256 ${sha.slice(0, 16)}...)`);
    expect(r.stdout).toMatch(/error: user-agent-short-road-fast seed 1 \(rapier\): agent of 'ego' failed at t=0\.00 s/);
    expect(readFileSync(`${dir}/r.xml`, 'utf8')).toContain(`<property name="userAgent.ego" value="${DIR}/loop-when-fast.ts sha256:${sha}"/>`);
  });

  it('--agent-budget-ms sets the budget', async () => {
    const r = await skylane('run', `${DIR}/short-road.yaml`, '--workers', '1', '--agent', `ego=${DIR}/slow.ts`, '--agent-budget-ms', '30');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/slow\.ts did not return within its time budget of 30 ms/);
  });

  it('bad input exits 2 and runs nothing: unknown actor, wrong kind, syntax error, missing file, bad option', async () => {
    const cases: [string[], RegExp][] = [
      [['--agent', `nobody=${DIR}/steady.ts`], /^error: tests\/fixtures\/agents\/steady\.ts: --agent nobody: scenario .* has no actor 'nobody'/m],
      [['--agent', 'ego=examples/agents/drone-waypoints.ts'], /--agent ego: the module is a uav agent \(kind 'uav'\) but actor 'ego' is a car/],
      [['--agent', `ego=${DIR}/syntax-error.ts.txt`], /^error: tests\/fixtures\/agents\/syntax-error\.ts\.txt:5:\d+: --agent ego: syntax error/m],
      [['--agent', `ego=${DIR}/needs-radar.ts`], /actor 'ego' has no radar sensor, which the agent requires/],
      [['--agent', `ego=${DIR}/no-such-file.ts`], /--agent ego=tests\/fixtures\/agents\/no-such-file\.ts: cannot read the file \(ENOENT\)/],
      [['--agent', 'ego'], /--agent expects ACTOR=FILE/],
    ];
    for (const [args, msg] of cases) {
      const r = await skylane('run', `${DIR}/short-road.yaml`, '--workers', '1', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
  });
});
