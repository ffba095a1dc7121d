/**
 * End-to-end test of the airspace view (issue #6 section 8): build the app,
 * open airspace-airport-circle-straight-line (the negative control that
 * flies into the airport zone) from a deep link in headless Chromium (2x up to the
 * incursion, so the HUD shows the short warning before it; then 8x),
 * and check that its two zones are drawn and active (counts from the zones
 * legend's data-* attributes), that the HUD chip reports the predicted breach
 * and then the drone inside the zone, and that the event log lists the
 * airspace events. Z hides the zones and writes zones=0 to the link; Z again
 * brings them back; a `zones=0` link opens with them hidden. Writes
 * tests/artifacts/web-airspace.png with the drone inside the zone, and
 * tests/artifacts/web-airspace-inactive.png (airspace-temporary-zone before its zone applies).
 *
 * Chromium is never downloaded: /usr/bin/chromium (or SKYLANE_CHROMIUM).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, pageProblems, useApp } from './static-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Its own build folder: the other e2e files may build at the same time. */
const DIST = join(ROOT, 'tests', 'artifacts', 'web-airspace-dist');
const SCREENSHOT = join(ROOT, 'tests', 'artifacts', 'web-airspace.png');
/** The temporary zone before the timeline switches it on: faint, dashed. */
const SCREENSHOT_INACTIVE = join(ROOT, 'tests', 'artifacts', 'web-airspace-inactive.png');
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('airspace view in Chromium (e2e)', () => {
  const app = useApp(DIST);

  it('draws the zones of airspace-airport-circle-straight-line, warns of the breach, shows the incursion, and toggles the zones', async () => {
    const { page, problems } = await app.newPage();

    await page.goto(`${app.url}?scenario=airspace-airport-circle-straight-line&speed=2&autoplay=1`);
    const legend = page.locator('[data-testid=zones-legend]');
    const chip = page.locator('[data-testid=hud-airspace]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > 2, null, { timeout: 30_000, polling: 50 });

    // Two zones (the PROHIBITED airport circle, the REQ_AUTHORISATION corridor), one volume each, both active.
    expect(await legend.isVisible()).toBe(true);
    expect(await legend.getAttribute('data-zones')).toBe('2');
    expect(await legend.getAttribute('data-volumes')).toBe('2');
    expect(await legend.getAttribute('data-active')).toBe('2');
    // straight-line's mission is its planned path: one drawn.
    expect(await legend.getAttribute('data-planned')).toBe('1');
    expect(await page.locator('[data-testid=zones-legend-text]').textContent()).toContain('2 zones, 2 active');
    expect(await chip.isVisible()).toBe(true);
    // A name tag per zone, its class after its id.
    expect((await page.locator('[data-testid=zone-label]').allTextContents()).sort()).toEqual(['CORR-1 · REQ_AUTHORISATION', 'CTR-1 · PROHIBITED']);

    // The breach is predicted before the drone enters the airport zone, then it is inside (ground truth). The
    // warning stands for about its stopping distance (10 m at 8 m/s: ~1.3 s), so every state the chip takes is
    // recorded in the page rather than polled.
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=hud-airspace]')!;
      const w = window as unknown as { chipStates: string[] };
      w.chipStates = [el.getAttribute('data-state') ?? ''];
      new MutationObserver(() => w.chipStates.push(el.getAttribute('data-state') ?? '')).observe(el, { attributes: true, attributeFilter: ['data-state'] });
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=hud-airspace]')?.getAttribute('data-state') === 'inside', null, { timeout: 60_000, polling: 20 });
    const seen = await page.evaluate(() => (window as unknown as { chipStates: string[] }).chipStates);
    expect(seen).toContain('warning');
    expect(seen.indexOf('warning')).toBeLessThan(seen.indexOf('inside'));
    // On the way, the authorised corridor: in it, not a breach.
    expect(seen).toContain('in-zone');
    await page.locator('body').press(' ');
    expect(await page.locator('[data-testid=hud-airspace-text]').textContent()).toContain('drone: inside CTR-1 (PROHIBITED)');
    expect(await page.locator('[data-testid=uav-airspace]').textContent()).toContain('inside CTR-1');
    const kinds = await page.locator('#events .event-kind').allTextContents();
    expect(kinds).toContain('airspace warning');
    expect(kinds).toContain('airspace entry');

    // The picture: back off a little so both zones, the trail and the planned path are in view.
    const cb = (await page.locator('canvas.scene-canvas').boundingBox())!;
    await page.mouse.move(cb.x + cb.width / 2, cb.y + cb.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, 300);
    await page.waitForTimeout(600);
    await page.screenshot({ path: SCREENSHOT });

    // Z hides the zones (and their legend) and writes zones=0; Z again shows them and drops it.
    await page.locator('body').press('z');
    await expect.poll(() => legend.isVisible(), { timeout: 5_000 }).toBe(false);
    await expect.poll(() => new URL(page.url()).searchParams.get('zones'), { timeout: 5_000 }).toBe('0');
    expect(await page.locator('[data-testid=zones-toggle]').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('[data-testid=zone-label]:visible').count()).toBe(0);
    await page.locator('body').press('z');
    await expect.poll(() => legend.isVisible(), { timeout: 5_000 }).toBe(true);
    expect(new URL(page.url()).searchParams.get('zones')).toBeNull();

    // To the verdict at 8x: the negative control ends without an error.
    await page.locator('#speed').selectOption('8');
    await page.locator('body').press(' ');
    await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')?.textContent ?? '') !== '', null, { timeout: 60_000, polling: 100 });
    expect(await page.locator('[data-testid=verdict]').textContent()).not.toBe('error');
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();

    // A zones=0 link opens with the zones hidden.
    const hidden = await app.browser.newPage({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: 1 });
    await hidden.goto(`${app.url}?scenario=airspace-airport-circle-straight-line&zones=0`);
    await hidden.waitForFunction(() => document.querySelector('[data-testid=zones-legend]')?.getAttribute('data-zones') === '2', null, { timeout: 30_000, polling: 50 });
    expect(await hidden.locator('[data-testid=zones-legend]').isVisible()).toBe(false);
    expect(await hidden.locator('[data-testid=zones-toggle]').getAttribute('aria-pressed')).toBe('false');
    await hidden.close();
  }, 180_000);

  it('shows a zone switched on by the timeline as inactive, then active (airspace-temporary-zone), and draws every library airspace scenario', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1200, height: 800 }, deviceScaleFactor: 1 });
    const problems = pageProblems(page);
    const legend = page.locator('[data-testid=zones-legend]');

    await page.goto(`${app.url}?scenario=airspace-temporary-zone&speed=4`);
    await page.waitForFunction(() => document.querySelector('[data-testid=zones-legend]')?.getAttribute('data-zones') === '1', null, { timeout: 30_000, polling: 50 });
    expect(await legend.getAttribute('data-active')).toBe('0');
    expect(await page.locator('[data-testid=zones-legend-text]').textContent()).toContain('1 zone, 0 active');
    await page.waitForTimeout(300);
    await page.screenshot({ path: SCREENSHOT_INACTIVE });
    await page.locator('[data-testid=play]').click();
    // The timeline switches it on at 8 s (the view shows a zone's change with its own frame): the sim time is read
    // in the same evaluation that sees the zone active, so a slow round trip to the page cannot add to it.
    const seenAt = await page.waitForFunction(
      () => (document.querySelector('[data-testid=zones-legend]')?.getAttribute('data-active') === '1' ? Number(document.querySelector('[data-testid=sim-time]')?.textContent) : false),
      null,
      { timeout: 30_000, polling: 50 },
    );
    const t = (await seenAt.jsonValue()) as number;
    expect(t).toBeGreaterThanOrEqual(8);
    expect(t).toBeLessThan(10);
    expect(await page.locator('#events .event-kind').allTextContents()).toContain('timeline');

    // Every airspace scenario of the library opens with its zones drawn (a zone may have several volumes).
    const unique = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid=scenario-item]')].filter((b) => b.querySelector('.badge-airspace')).map((b) => b.dataset.scenario!));
    expect(unique.length).toBeGreaterThanOrEqual(8);
    const drawn: string[] = [];
    for (const id of unique) {
      await page.goto(`${app.url}?scenario=${id}`);
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=zones-legend]')?.getAttribute('data-zones') ?? 0) > 0, null, { timeout: 30_000, polling: 50 });
      const zones = Number(await legend.getAttribute('data-zones')), volumes = Number(await legend.getAttribute('data-volumes'));
      expect(volumes, id).toBeGreaterThanOrEqual(zones);
      drawn.push(`${id}: ${zones} zones, ${volumes} volumes`);
    }
    console.log(`airspace e2e: ${drawn.join('; ')}`);
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
