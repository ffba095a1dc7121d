/**
 * The agent editor in the app, in Chromium (issue #7 sections 4 and 7):
 *
 * (a) on cars-lead-brake, the editor loads the car template (the file
 *     examples/agents/car-acc.ts), runs it in the simulation worker at 8x and
 *     shows its verdict and score; `skylane run --agent ego=examples/agents/car-acc.ts`
 *     (the CLI, in process) gives the same verdict and the same state hash;
 *     the Share link, opened in a new page, opens the editor on that source
 *     and runs it to the same hash; back on the scenario's own agent, an
 *     ordinary run in the same (locked, frozen) worker still passes.
 * (b-d) hostile agents end with verdict `error` and their reason: one that
 *     throws (shown at its line in the editor), one that touches the DOM,
 *     the network or the world's ground truth, and one that never returns
 *     (the watchdog stops the worker); the page stays responsive and the
 *     next run, in a fresh worker, completes.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, useApp } from './static-server.ts';
import { main } from '../../scenarios/cli/main.ts';
import type { Report } from '../../scenarios/result.ts';
import { asTemplate } from '../../agents/user/editor-support.ts';
import { formatRunLink } from '../../web/run-link.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const DIST = join(ARTIFACTS, 'dist-u2-editor');
const CAR_ACC = 'examples/agents/car-acc.ts';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

const panel = '[data-testid=editor-panel]';

/** Open cars-lead-brake at 8x, wait for it to be built, open the editor. */
async function openEditor(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?scenario=cars-lead-brake&speed=8`);
  await page.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.textContent === 'ready', null, { timeout: 90_000, polling: 250 });
  await page.click('[data-testid=editor-toggle]');
  await page.locator(`${panel} .cm-content`).waitFor({ timeout: 15_000 });
  await expect.poll(() => page.locator('[data-testid=editor-actor]').inputValue()).toBe('ego');
}

/** Replace the editor's text as a user pasting would. */
async function setSource(page: Page, source: string): Promise<void> {
  await page.click(`${panel} .cm-content`);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(source);
}

/** Press Run and wait for the editor's verdict; returns what the result box shows. */
async function runAndWait(page: Page, timeoutMs = 90_000): Promise<{ verdict: string; score: string; reason: string; hash: string; pageVerdict: string }> {
  await page.locator(panel).getByRole('button', { name: 'Run', exact: true }).click();
  try {
    await page.waitForFunction(() => /^(PASS|FAIL|ERROR|XFAIL|XPASS)$/.test(document.querySelector('[data-testid=editor-verdict]')?.textContent ?? ''), null, { timeout: timeoutMs, polling: 200 });
  } catch (err) {
    await page.screenshot({ path: join(ARTIFACTS, 'u2-editor-timeout.png') });
    const seen = await page.evaluate(() => ['run-status', 'overlay-text', 'editor-verdict', 'editor-reason'].map((id) => `${id}: ${document.querySelector(`[data-testid=${id}]`)?.textContent}`).join('\n') + '\n' + (document.getElementById('notices')?.textContent ?? ''));
    throw new Error(`no verdict in the editor within ${timeoutMs} ms; the page shows:\n${seen}`, { cause: err });
  }
  return page.evaluate(() => {
    const t = (id: string) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? '';
    return { verdict: t('editor-verdict'), score: t('editor-score'), reason: t('editor-reason'), hash: t('editor-hash').replace(/^state /, ''), pageVerdict: t('verdict') };
  });
}

/** The CLI on the same file, in process: its run's verdict and state hash. */
async function cliRun(seed: number): Promise<{ verdict: string; stateHash: string; code: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'skylane-u2-'));
  const out: string[] = [];
  const code = await main(['run', 'scenarios/library/cars/lead-brake.yaml', '--agent', `ego=${CAR_ACC}`, '--seed', String(seed), '--workers', '1', '--quiet', '--json', join(dir, 'r.json')], { out: (s) => out.push(s), err: (s) => out.push(s), isTTY: false });
  const rep = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  expect(rep.runs).toHaveLength(1);
  return { verdict: rep.runs[0]!.verdict, stateHash: rep.runs[0]!.stateHash, code };
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('agent editor in the app (Chromium e2e)', () => {
  const app = useApp(DIST);

  it('runs the car template to its verdict and score, as the CLI does (same verdict, same state hash); Share reproduces it', async () => {
    const { page, problems } = await app.newPage();
    await openEditor(page, app.url);
    // The template picker loads the repository's car example (import rewritten to 'skylane/agent').
    await page.locator(`${panel} .agent-editor-bar select`).selectOption('car');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(panel).getByRole('button', { name: 'Download', exact: true }).click()]);
    const saved = readFileSync((await download.path())!, 'utf8');
    expect(saved).toBe(asTemplate(readFileSync(join(ROOT, CAR_ACC), 'utf8')));
    expect(download.suggestedFilename()).toBe('car-agent.ts');

    const seed = Number(await page.locator('#seed').inputValue());
    const shown = await runAndWait(page);
    expect(shown.verdict).toBe('PASS');
    expect(shown.score).toMatch(/^driving score \d+\.\d\d$/);
    expect(shown.hash).toMatch(/^[0-9a-f]{16,}$/);
    expect(shown.pageVerdict).toBe('pass');
    expect(await page.locator('[data-testid=state-hash]').textContent()).toBe(shown.hash);
    expect(await page.locator('[data-testid=editor-driving]').textContent()).toContain('ego is driven by your agent (car-agent.ts)');
    expect(await page.locator('[data-testid=editor-cli]').textContent()).toBe(`$ skylane run scenarios/library/cars/lead-brake.yaml --seed ${seed} --backend rapier --agent ego=car-agent.ts`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'u2-editor-pass.png') });
    copyFileSync(join(ARTIFACTS, 'u2-editor-pass.png'), join(ROOT, 'docs', 'screenshot-editor.png'));

    // The same file with the CLI: same verdict, same final state.
    const cli = await cliRun(seed);
    expect(cli.code).toBe(0);
    expect(cli.verdict).toBe('pass');
    expect(cli.stateHash).toBe(shown.hash);

    // Share: the address bar holds the run with the agent; opened afresh it runs to the same state.
    await page.locator(panel).getByRole('button', { name: 'Share', exact: true }).click();
    const shared = await page.evaluate(() => location.href);
    expect(shared).toMatch(/[?&]agent=ego%3Auser(&|#)/);
    expect(shared).toMatch(/#agent=[A-Za-z0-9_-]+$/);
    const expected = formatRunLink(`?scenario=cars-lead-brake&seed=${seed}`, { agents: [{ actor: 'ego', agent: 'user' }], userSource: saved });
    expect(shared.slice(shared.indexOf('#'))).toBe(expected.slice(expected.indexOf('#')));

    // Back to the scenario's own agent, in the same (now locked, frozen) worker: an ordinary run still plays to its verdict.
    await page.click('[data-testid=editor-detach]');
    await page.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.textContent === 'ready', null, { timeout: 60_000, polling: 250 });
    expect(await page.locator('[data-testid=editor-driving]').textContent()).toContain("The scenario's own agents drive");
    await page.click('#btn-play');
    await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')?.textContent ?? '') !== '', null, { timeout: 90_000, polling: 250 });
    expect(await page.locator('[data-testid=verdict]').textContent()).toBe('pass');
    expect(await page.locator('[data-testid=editor-result]').getAttribute('data-state')).toBe('none');
    expect(problems).toEqual([]);
    await page.close();

    const { page: other, problems: otherProblems } = await app.newPage();
    await other.goto(shared);
    await other.waitForFunction(() => /^(PASS|FAIL|ERROR)$/.test(document.querySelector('[data-testid=editor-verdict]')?.textContent ?? ''), null, { timeout: 90_000, polling: 250 });
    expect(await other.locator('[data-testid=editor-panel]').isVisible()).toBe(true);
    expect(await other.locator('[data-testid=editor-verdict]').textContent()).toBe('PASS');
    expect(await other.locator('[data-testid=editor-hash]').textContent()).toBe(`state ${shown.hash}`);
    expect(otherProblems).toEqual([]);
    await other.close();
  }, 240_000);

  it('hostile agents end in error with their reasons (a throw at its line; DOM, network, ground truth; a loop stopped by the watchdog), and the page stays responsive', async () => {
    const { page } = await app.newPage();
    await openEditor(page, app.url);
    const head = "import { defineAgent } from 'skylane/agent';\n";

    // Load errors come back clean, with the file's line: a syntax error, a drone agent on a car.
    await setSource(page, `${head}export default defineAgent({\n  kind: 'car',\n  rateHz: 10 +,\n  step() { return { throttle: 0, brake: 0, steeringRad: 0 }; },\n});\n`);
    const syntax = await runAndWait(page);
    expect(syntax.verdict).toBe('ERROR');
    expect(syntax.reason).toMatch(/^cars-lead-brake could not start: car-agent\.ts:4:\d+: --agent ego: syntax error/);
    expect(await page.locator(panel).getAttribute('data-error-line')).toBe('4');
    await page.locator(`${panel} .agent-editor-bar select`).selectOption('drone');
    const kind = await runAndWait(page);
    expect(kind.verdict).toBe('ERROR');
    expect(kind.reason).toMatch(/^cars-lead-brake could not start: drone-agent\.ts: --agent ego: the module is a uav agent \(kind 'uav'\) but actor 'ego' is a car/);

    // (c) A throw: verdict error, the reason with file:line:col, a diagnostic at that line in the editor.
    await page.locator(`${panel} .agent-editor-bar select`).selectOption('car');
    await setSource(page, `${head}export default defineAgent({\n  kind: 'car',\n  rateHz: 10,\n  step(input) {\n    if (input.time >= 0.5) throw new Error('boom from my agent');\n    return { throttle: 0.1, brake: 0, steeringRad: 0 };\n  },\n});\n`);
    const threw = await runAndWait(page);
    expect(threw.verdict).toBe('ERROR');
    expect(threw.pageVerdict).toBe('error');
    expect(threw.reason).toMatch(/^agent of 'ego' failed at t=0\.50 s: user agent car-agent\.ts: boom from my agent \(car-agent\.ts:6:\d+\)$/);
    expect(await page.locator(panel).getAttribute('data-error-line')).toBe('6');
    const marked = () => page.evaluate(() => [...document.querySelectorAll('[data-testid=editor-panel] .cm-line')].findIndex((l) => l.querySelector('.cm-lintRange-error')) + 1);
    await expect.poll(marked, { timeout: 5000 }).toBe(6);
    expect(await page.locator(`${panel} .agent-editor-status`).textContent()).toMatch(/^line 6: /);
    await page.screenshot({ path: join(ARTIFACTS, 'u2-editor-throw.png') });

    // (d) The DOM, the network, the world's ground truth: each refused with its reason.
    const reach: [string, RegExp][] = [
      ['document.title = "pwned";', /document is unavailable in an agent \(no DOM\) \(car-agent\.ts:3:\d+\)$/],
      ["fetch('https://example.com/?leak=1');", /fetch is unavailable in an agent \(no network\) \(car-agent\.ts:3:\d+\)$/],
      ['const lead = world.actors;', /world is unavailable in an agent \(no ground truth: use input\.sensors\) \(car-agent\.ts:3:\d+\)$/],
    ];
    for (const [line, reason] of reach) {
      await setSource(page, `${head}export default defineAgent({ kind: 'car', rateHz: 10, step() {\n    ${line}\n    return { throttle: 0, brake: 0, steeringRad: 0 };\n  } });\n`);
      const r = await runAndWait(page);
      expect(r.verdict, line).toBe('ERROR');
      expect(r.reason, line).toMatch(reason);
    }
    expect(await page.title()).toBe('Skylane');

    // (b) Never returns: the watchdog stops the worker; the run ends in error with the agent's reason.
    await setSource(page, `${head}export default defineAgent({\n  kind: 'car',\n  rateHz: 10,\n  step() {\n    for (;;) { /* never returns */ }\n  },\n});\n`);
    const hung = await runAndWait(page, 60_000);
    expect(hung.verdict).toBe('ERROR');
    expect(hung.pageVerdict).toBe('error');
    expect(hung.reason).toMatch(/^agent of 'ego' \(car-agent\.ts\) did not return within \d+ ms: the simulation worker was stopped by the watchdog \(an infinite loop in the agent\?\)$/);
    // The page answers at once, and the next run (a fresh worker) completes.
    expect(await page.evaluate(() => document.querySelectorAll('[data-testid=scenario-item]').length)).toBeGreaterThan(0);
    await page.locator(`${panel} .agent-editor-bar select`).selectOption('car');
    const again = await runAndWait(page);
    expect(again.verdict).toBe('PASS');
    expect(again.pageVerdict).toBe('pass');
    await page.close();
  }, 240_000);
});
