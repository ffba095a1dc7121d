/**
 * The browser lab end to end (issue #7 sections 1 and 5), in Debian's
 * Chromium: the gallery is the landing page and lists every library
 * scenario by family; one scenario of each family opened from it runs to its
 * expected verdict; a deep link with seed, backend and an agent swap
 * reproduces the Node run's state hash; teaching mode explains the ego's
 * braking, a break-it switch turns a criterion from pass to fail with both
 * runs in the comparison table; the printable summary has a row per
 * criterion. One Vite build, three pages.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, useApp } from './static-server.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { runScenario } from '../../scenarios/runner.ts';
import { familyOf } from '../../web/gallery.ts';
import { swapBuiltInAgents } from '../../web/run-link.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIBRARY = join(ROOT, 'scenarios', 'library');
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const DOCS = join(ROOT, 'docs');
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

/** Every library scenario file (data/ folders excluded, as web/library.ts does), loaded in Node. */
function library(): { file: string; id: string; family: string; tests: boolean; clauses: boolean; expectFail: boolean }[] {
  return readdirSync(LIBRARY, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.split(sep).includes('data'))
    .map((f) => {
      const s = loadScenarioFile(join(LIBRARY, f)).scenario;
      return { file: f, id: s.name, family: familyOf(s), tests: Boolean(s.tests?.trim()), clauses: s.requirements.length > 0, expectFail: Boolean(s.expect) };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function waitVerdict(page: Page, timeout = 120_000): Promise<string> {
  await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')?.textContent ?? '') !== '', null, { timeout, polling: 250 });
  return (await page.locator('[data-testid=verdict]').textContent()) ?? '';
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('the browser lab: gallery, deep links, teaching mode (e2e)', () => {
  const app = useApp(join(ROOT, 'tests', 'artifacts', 'dist-g2'));

  it('lands on the gallery, lists every library scenario by family, and runs one of each family to its verdict', async () => {
    const lib = library();
    const { page, problems } = await app.newPage();
    await page.goto(app.url);

    // (a) The landing view is the gallery: no run is built until a card is opened.
    const gallery = page.locator('#lab-gallery [data-testid=gallery]');
    await gallery.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator('[data-testid=run-status]').textContent()).toBe('idle');
    const cards = page.locator('[data-testid=scenario-card]');
    const shown = await cards.evaluateAll((els) =>
      els.map((e) => ({
        id: (e as HTMLElement).dataset.scenario ?? '',
        family: (e as HTMLElement).dataset.family ?? '',
        section: (e.closest('section') as HTMLElement | null)?.dataset.family ?? '',
        svg: e.querySelector('.gallery-thumb svg') !== null,
        desc: (e.querySelector('.gallery-card-desc')?.textContent ?? '').trim().length > 0,
        tests: e.querySelector('.gallery-card-tests') !== null,
        clauses: e.querySelectorAll('.gallery-card-clauses code[data-clause]').length,
      })),
    );
    expect(shown.length).toBe(lib.length);
    expect(shown.map((c) => c.id).sort()).toEqual(lib.map((s) => s.id));
    for (const s of lib) {
      const c = shown.find((x) => x.id === s.id)!;
      expect({ id: c.id, family: c.family, section: c.section, svg: c.svg, desc: c.desc, tests: c.tests, clauses: c.clauses > 0 }).toEqual({ id: s.id, family: s.family, section: s.family, svg: true, desc: true, tests: s.tests, clauses: s.clauses });
    }
    // Families in order: cars, UAV, gimbal, airspace, then the rest.
    const sections = await page.locator('#lab-gallery section[data-family]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.family));
    expect(sections).toEqual(['cars', 'uav', 'gimbal', 'airspace', 'other']);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'g2-gallery.png') });
    copyFileSync(join(ARTIFACTS, 'g2-gallery.png'), join(DOCS, 'screenshot-gallery.png'));

    // (b) The shortest scenario of each family, opened from its card, runs at 8x to the expected verdict.
    await page.selectOption('[data-testid=speed]', '8');
    const picks = ['cars-hidden-pedestrian', 'uav-crossing-traffic', 'gimbal-hover-calm', 'airspace-takeoff-in-zone'];
    for (const [i, id] of picks.entries()) {
      if (i > 0) await page.click('[data-testid=gallery-button]');
      await gallery.waitFor({ state: 'visible' });
      await page.click(`[data-testid=scenario-card][data-scenario="${id}"] .gallery-open`);
      expect(await page.locator('#lab-gallery').isHidden()).toBe(true);
      await expect.poll(() => new URL(page.url()).searchParams.get('scenario'), { timeout: 10_000 }).toBe(id);
      await expect.poll(() => page.locator('[data-testid=run-status]').textContent(), { timeout: 60_000 }).toBe('ready');
      await page.click('[data-testid=play]');
      const expected = lib.find((s) => s.id === id)!.expectFail ? 'fail' : 'pass';
      expect(`${id}: ${await waitVerdict(page)}`).toBe(`${id}: ${expected}`);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 400_000);

  it('reproduces a deep link with seed, backend and an agent swap: the state hash is the Node run\'s', async () => {
    const { page, problems } = await app.newPage();
    await page.goto(`${app.url}?scenario=cars-lead-brake&seed=3&backend=cannon&agent=ego:idm-only&speed=8&autoplay=1`);
    const verdict = await waitVerdict(page);
    const hash = (await page.locator('[data-testid=state-hash]').textContent())?.trim() ?? '';
    // The URL bar keeps the whole link (the run part included).
    const q = new URL(page.url()).searchParams;
    expect([q.get('scenario'), q.get('seed'), q.get('backend'), q.get('agent')]).toEqual(['cars-lead-brake', '3', 'cannon', 'ego:idm-only']);

    const loaded = loadScenarioFile(join(LIBRARY, 'cars', 'lead-brake.yaml'));
    const swapped = await runScenario(swapBuiltInAgents(loaded, { ego: 'idm-only' }), { seed: 3, backend: 'cannon' });
    const own = await runScenario(loaded, { seed: 3, backend: 'cannon' });
    expect(verdict).toBe(swapped.verdict);
    expect(hash).toBe(swapped.stateHash);
    // The swap took effect: the scenario's own agent ends elsewhere.
    expect(own.stateHash).not.toBe(swapped.stateHash);
    expect(problems).toEqual([]);
    await page.close();
  }, 200_000);

  it('teaching mode explains the braking, V2X off turns min-ttc from pass to fail in the comparison, and the summary has a row per criterion', async () => {
    const { page, problems } = await app.newPage();
    await page.goto(`${app.url}?scenario=cars-v2x-occluded-intersection&speed=8`);
    await expect.poll(() => page.locator('[data-testid=run-status]').textContent(), { timeout: 60_000 }).toBe('ready');
    await page.click('[data-testid=teach-button]');
    await page.locator('[data-testid=teach-overlay]').waitFor({ state: 'visible' });
    // Every explanation the overlay shows, kept in the page (they change several times a second).
    await page.evaluate(() => {
      const w = window as unknown as { explained: string[] };
      w.explained = [];
      const list = document.querySelector('[data-testid=teach-explain]')!;
      new MutationObserver(() => {
        for (const li of list.querySelectorAll('li[data-actor]')) if (w.explained.at(-1) !== li.textContent) w.explained.push(li.textContent ?? '');
      }).observe(list, { childList: true, subtree: true, characterData: true });
    });
    const v2xOff = page.locator('[data-testid=break-it] [data-break=v2x-off]');
    expect(await v2xOff.isEnabled()).toBe(true);
    // This scenario has no gimbal and no zones: those switches are off limits.
    expect(await page.locator('[data-testid=break-it] [data-break=stabiliser-off]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=break-it] [data-break=zones-ignored]').isDisabled()).toBe(true);
    await v2xOff.click();
    // No normal result yet: the normal run goes first, then the broken one; the table shows both.
    await expect.poll(() => page.locator('[data-testid=break-status]').textContent()).toMatch(/First the normal run/);
    const table = page.locator('[data-testid=break-compare]');
    await table.waitFor({ state: 'visible', timeout: 180_000 });
    const row = page.locator('[data-testid=break-compare] tr[data-criterion=min-ttc]');
    expect(await row.locator('[data-run=normal]').getAttribute('data-passed')).toBe('true');
    expect(await row.locator('[data-run=broken]').getAttribute('data-passed')).toBe('false');
    expect(await page.locator('[data-testid=verdict]').textContent()).toBe('fail');
    expect(await v2xOff.getAttribute('aria-checked')).toBe('true');
    expect(new URL(page.url()).searchParams.get('break')).toBe('v2x-off');
    expect(await page.locator('#cli-line').textContent()).toMatch(/--break v2x-off$/);
    const explained = await page.evaluate(() => (window as unknown as { explained: string[] }).explained);
    expect(explained.some((t) => /^ego — .*braking/.test(t)), explained.slice(-20).join(' | ')).toBe(true);
    // The comparison card in view (the side panel scrolls), then a picture of the overlay and the table.
    await table.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'g2-teaching.png') });
    copyFileSync(join(ARTIFACTS, 'g2-teaching.png'), join(DOCS, 'screenshot-teaching.png'));

    // (e) The printable summary of the (broken) run: one row per criterion, the broken banner.
    const criteria = await page.locator('[data-testid=criterion-status]').count();
    expect(criteria).toBe(4);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('[data-testid=summary-button]')]);
    await popup.waitForLoadState();
    await popup.locator('table').waitFor();
    expect(await popup.locator('tr[data-criterion]').count()).toBe(criteria);
    expect(await popup.locator('[data-broken]').count()).toBe(1);
    expect(await popup.locator('[data-verdict]').getAttribute('data-verdict')).toBe('FAIL');
    await popup.setViewportSize({ width: 900, height: 1200 });
    await popup.screenshot({ path: join(ARTIFACTS, 'g2-summary.png'), fullPage: true });
    await popup.close();
    expect(problems).toEqual([]);
    await page.close();
  }, 400_000);
});
