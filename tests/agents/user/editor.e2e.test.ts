/**
 * The agent editor and the Worker sandbox in Chromium (one Vite build of the
 * harness page tests/fixtures/agents/editor-harness/): transpile errors are
 * shown at their line, a shared URL restores the agent, and in a real module
 * Web Worker the sandbox reports runtime errors at the source line the Node
 * sandbox reports, refuses the DOM, and the worker's own fetch is locked.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serve } from '../../e2e/static-server.ts';

const HARNESS = fileURLToPath(new URL('../../fixtures/agents/editor-harness', import.meta.url));
const OUT = join(HARNESS, '..', '..', '..', '..', 'web', 'dist-u-agent-editor');

let browser: Browser;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const { build } = await import('vite');
  await build({ root: HARNESS, configFile: false, base: './', logLevel: 'warn', server: { fs: { allow: ['../../../..'] } }, worker: { format: 'es' }, build: { outDir: OUT, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000 } });
  const s = await serve(OUT);
  url = s.url;
  browser = await launchChromium();
  close = async () => {
    await browser.close();
    await new Promise<void>((ok) => s.server.close(() => ok()));
    rmSync(OUT, { recursive: true, force: true });
  };
}, 150_000);
afterAll(async () => close?.());

async function open(hash = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url + hash);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  return { page, problems };
}

type H = { harness: { source(): { file: string; source: string }; setSource(s: string, f?: string): void; diagnostics(): { line: number; message: string }[]; runInWorker(f: string, s: string): Promise<Record<string, unknown>>; editor: { shareUrl(): string; showRuntimeError(m: string): number | null } } };

describe('agent editor (Chromium)', () => {
  it('starts on the car template and shows a syntax error at its line', async () => {
    const { page, problems } = await open();
    const src = await page.evaluate(() => (window as unknown as H).harness.source());
    expect(src.source).toContain("kind: 'car'");
    expect(src.source).toContain("from 'skylane/agent'");
    await page.evaluate((s) => (window as unknown as H).harness.setSource(s, 'bad.ts'), readFileSync('tests/fixtures/agents/syntax-error.ts.txt', 'utf8'));
    await page.waitForFunction(() => (window as unknown as H).harness.diagnostics().length > 0, undefined, { timeout: 30_000 });
    const diags = await page.evaluate(() => (window as unknown as H).harness.diagnostics());
    expect(diags[0]!.line).toBe(5);
    expect(diags[0]!.message).toMatch(/syntax error/);
    expect(problems).toEqual([]);
  });

  it('share: the URL hash restores the agent', async () => {
    const { page } = await open();
    const agent = "// shared ✓\nexport default { kind: 'car', rateHz: 10, step: () => ({ throttle: 0, brake: 0, steeringRad: 0 }) };\n";
    await page.evaluate((s) => (window as unknown as H).harness.setSource(s), agent);
    const shared = await page.evaluate(() => (window as unknown as H).harness.editor.shareUrl());
    expect(shared).toMatch(/#agent=[A-Za-z0-9_-]+$/);
    const { page: other } = await open(shared.slice(shared.indexOf('#')));
    expect((await other.evaluate(() => (window as unknown as H).harness.source())).source).toBe(agent);
  });

  it('the Worker sandbox: runtime error at the source line (as in Node), DOM refused, worker fetch locked', async () => {
    const { page } = await open();
    const run = (file: string) => page.evaluate(([f, s]) => (window as unknown as H).harness.runInWorker(f!, s!), [file, readFileSync(file, 'utf8')]);
    const good = await run('tests/fixtures/agents/steady.ts');
    expect(good).toEqual({ kind: 'car', outs: [{ throttle: 0.1, brake: 0, steeringRad: 0 }, { throttle: 0.1, brake: 0, steeringRad: 0 }], fetchLocked: expect.stringMatching(/fetch is unavailable in the simulation worker/) });
    const threw = await run('tests/fixtures/agents/throws.ts');
    expect(threw.error).toMatch(/^boom from the agent \(tests\/fixtures\/agents\/throws\.ts:6:\d+\)$/);
    const dom = await run('tests/fixtures/agents/dom.ts');
    expect(dom.error).toMatch(/^document is unavailable in an agent \(no DOM\) \(tests\/fixtures\/agents\/dom\.ts:7:\d+\)$/);
    const escape = await run('tests/fixtures/agents/constructor-escape.ts');
    expect(escape.error).toMatch(/Function constructor is unavailable/);
    const line = await page.evaluate((m) => (window as unknown as H).harness.editor.showRuntimeError(m), `agent of 'ego' failed at t=0.50 s: user agent car-agent.ts: x (car-agent.ts:12:3)`);
    expect(line).toBe(12);
  });
});
