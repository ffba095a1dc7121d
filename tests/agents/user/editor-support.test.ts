/** The agent editor's pure parts: sharing in the URL hash, and an error's line in the source. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asTemplate, decodeAgentHash, encodeAgentHash, errorLocation, fieldsAfter, MAX_SHARED_SOURCE_CHARS } from '../../../agents/user/editor-support.ts';
import { nodeSandbox } from '../../../agents/user/sandbox-node.ts';
import { loadScenarioFile } from '../../../scenarios/node-io.ts';
import { runScenario } from '../../../scenarios/runner.ts';

describe('share in the URL hash', () => {
  it('round-trips any UTF-8 source, URL-safe', () => {
    for (const src of ['', 'export default 1;\n', "const s = 'héllo wörld ✓ 🚁';\n// ünïcode\n", readFileSync('examples/agents/car-acc.ts', 'utf8')]) {
      const hash = encodeAgentHash(src);
      expect(hash).toMatch(/^#agent=[A-Za-z0-9_-]*$/);
      expect(decodeAgentHash(hash)).toEqual({ source: src });
      expect(decodeAgentHash(`#other=1&${hash.slice(1)}`)).toEqual({ source: src });
    }
  });

  it('a hash without an agent is null; a broken one is a clear error', () => {
    expect(decodeAgentHash('')).toBeNull();
    expect(decodeAgentHash('#scenario=cars/lead-brake')).toBeNull();
    expect(decodeAgentHash('#agent=abc*def')).toEqual({ error: expect.stringMatching(/not base64url text/) });
    expect(decodeAgentHash('#agent=abcde')).toEqual({ error: expect.stringMatching(/truncated/) });
    // 0xff 0xfe is not UTF-8.
    expect(decodeAgentHash('#agent=__4')).toEqual({ error: expect.stringMatching(/not UTF-8 text/) });
    expect(() => encodeAgentHash('x'.repeat(MAX_SHARED_SOURCE_CHARS + 1))).toThrow(/download it instead/);
  });
});

describe("an error's line in the source", () => {
  it('finds the last file:line:col of a message, or null', () => {
    expect(errorLocation("agent of 'ego' failed at t=0.50 s: user agent my-agent.ts: boom (my-agent.ts:6:34)", 'my-agent.ts')).toEqual({ line: 6, column: 34 });
    expect(errorLocation('my-agent.ts:5:13: syntax error: Unexpected token', 'my-agent.ts')).toEqual({ line: 5, column: 13 });
    expect(errorLocation('user agent my-agent.ts returned throttle = 3: expected 0..1', 'my-agent.ts')).toBeNull();
    expect(errorLocation('other.ts:3:1: x', 'my-agent.ts')).toBeNull();
  });

  it("a run's runtime error points at the line that threw, in the source as written (TypeScript)", async () => {
    const file = 'tests/fixtures/agents/throws.ts';
    const source = readFileSync(file, 'utf8');
    const r = await runScenario(loadScenarioFile('tests/fixtures/agents/short-road.yaml'), { agents: { ego: { file, source } }, sandbox: nodeSandbox });
    const at = errorLocation(r.error!, file);
    expect(at).not.toBeNull();
    expect(source.split('\n')[at!.line - 1]).toContain("throw new Error('boom from the agent')");
    expect(source.split('\n')[at!.line - 1]!.slice(at!.column - 1)).toMatch(/^(new )?Error|^throw/);
  });
});

describe('completion and templates', () => {
  it('offers the contract fields after input., ctx., limits. and estimate.', () => {
    expect(fieldsAfter('input').map((f) => f.name)).toEqual(expect.arrayContaining(['time', 'sensors', 'mission', 'random', 'limits', 'estimate']));
    expect(fieldsAfter('ctx').map((f) => f.name)).toEqual(expect.arrayContaining(['actorId', 'mission', 'params', 'sensors', 'random']));
    expect(fieldsAfter('limits').map((f) => f.name)).toContain('maxSteerRad');
    expect(fieldsAfter('somethingElse')).toEqual([]);
    for (const f of fieldsAfter('input')) expect(f.doc.length).toBeGreaterThan(5);
  });

  it("templates import the contract as 'skylane/agent'", () => {
    const t = asTemplate(readFileSync('examples/agents/drone-waypoints.ts', 'utf8'));
    expect(t).toContain("from 'skylane/agent'");
    expect(t).not.toContain('agents/user/contract.ts');
  });
});
