/**
 * End-to-end test of the browser app: build it with Vite, serve web/dist
 * from a throwaway static server, open a library scenario through a deep link
 * in headless Chromium, let it run to its verdict, and check the verdict, the
 * scenario list and that the page logged no errors. The same run in Node must
 * end in the same state (hash): the browser uses the CLI's runner unchanged.
 * A car scenario is watched through the chase camera, with the driving panel
 * (score, speed, TTC, infractions) read from the running criteria.
 *
 * Chromium is never downloaded: it is taken from /usr/bin/chromium (or
 * SKYLANE_CHROMIUM). Without it the test is skipped locally and fails in CI.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, useApp } from './static-server.ts';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { runScenario } from '../../scenarios/runner.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIBRARY = join(ROOT, 'scenarios', 'library');
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

/** Every scenario in the library and its subfolders (the web app's glob is recursive too). */
function libraryNames(): string[] {
  return readdirSync(LIBRARY, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.split(sep).includes('data'))
    .map((f) => loadScenarioFile(join(LIBRARY, f)).scenario.name)
    .sort();
}

/** Its own build folder: the other e2e files may build at the same time. */
const DIST = join(ROOT, 'tests', 'artifacts', 'web-app-dist');

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('web app in Chromium (e2e)', () => {
  const app = useApp(DIST);

  it('runs rover-crossing from a deep link to a PASS verdict, without page errors', async () => {
    const { page, problems } = await app.newPage();
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });

    // Every loading stage the overlay shows, with its progress, recorded in the page from the start.
    await page.addInitScript(() => {
      const w = window as unknown as { loading: string[] };
      w.loading = [];
      document.addEventListener('DOMContentLoaded', () => {
        const text = document.querySelector('[data-testid=overlay-text]')!;
        const bar = document.querySelector('[data-testid=loading-progress]')!;
        const note = () => {
          const line = `${text.textContent} @${bar.hasAttribute('hidden') ? '-' : bar.getAttribute('aria-valuenow')}`;
          if (w.loading.at(-1) !== line) w.loading.push(line);
        };
        new MutationObserver(note).observe(document.getElementById('overlay')!, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    });
    await page.goto(`${app.url}?scenario=rover-crossing&speed=8&autoplay=1`);

    // The sidebar lists the whole library.
    const items = page.locator('[data-testid=scenario-item]');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const listed = (await items.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.scenario ?? ''))).sort();
    expect(listed).toEqual(libraryNames());
    expect(listed).toEqual(expect.arrayContaining(['rover-crossing', 'rover-moving-obstacle', 'rover-random-field']));
    expect(await page.locator('[data-testid=scenario-item].selected').getAttribute('data-scenario')).toBe('rover-crossing');

    // Run to the verdict.
    const verdict = page.locator('[data-testid=verdict]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')?.textContent ?? '') !== '', null, { timeout: 90_000, polling: 250 });
    expect(await verdict.textContent()).toBe('pass');

    const simTime = Number(await page.locator('[data-testid=sim-time]').textContent());
    expect(simTime).toBeGreaterThan(5);
    // Loading showed Rapier's WebAssembly stage with a progress bar that only went forward, and then went away.
    const loading = await page.evaluate(() => (window as unknown as { loading: string[] }).loading);
    expect(loading.some((l) => /^Initialising Rapier physics \(WebAssembly\)… @\d+$/.test(l)), loading.join(' | ')).toBe(true);
    const fractions = loading.map((l) => Number(l.split('@')[1])).filter(Number.isFinite);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!), loading.join(' | ')).toBe(true);
    expect(await page.locator('#overlay').isHidden()).toBe(true);
    const statuses = await page.locator('[data-testid=criterion-status]').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 'pass')).toBe(true);
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);

    // Same (scenario, seed, backend) in Node: same end state.
    const hash = (await page.locator('[data-testid=state-hash]').textContent())?.trim() ?? '';
    const file = join(LIBRARY, 'rover-crossing.yaml');
    const node = await runScenario(loadScenarioText(readFileSync(file, 'utf8'), 'scenarios/library/rover-crossing.yaml'), { backend: 'rapier' });
    expect(node.verdict).toBe('pass');
    expect(hash).toBe(node.stateHash);

    // Let the last frame paint, then keep a picture of it.
    await page.waitForTimeout(400);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-verdict.png') });

    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('chases the ego through cars-cut-in and shows a live driving score and speed to the verdict', async () => {
    const { page, problems } = await app.newPage();

    await page.goto(`${app.url}?scenario=cars-cut-in&seed=1&speed=4`);
    await page.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.textContent === 'ready', null, { timeout: 60_000, polling: 100 });

    // A driving scenario gets the driving panel; the camera starts on orbit and follows the ego when switched.
    expect(await page.locator('[data-testid=driving-panel]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=follow]').inputValue()).toBe('ego');
    await page.locator('[data-camera=chase]').click();
    expect(await page.locator('[data-camera=chase]').getAttribute('aria-checked')).toBe('true');
    expect(new URL(page.url()).searchParams.get('camera')).toBe('chase');
    expect(await page.locator('#camera-hint').textContent()).toContain('Chasing ego');

    // The V2X overlay toggles; with no V2X service in the run it says so and draws nothing.
    await page.locator('[data-testid=v2x]').click();
    expect(await page.locator('[data-testid=v2x]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#v2x-legend-text').textContent()).toContain('exposes none');
    await page.locator('[data-testid=v2x]').click();

    // Step: exactly one physics step, taken in the worker, shown while paused.
    await page.locator('[data-testid=step]').click();
    await expect.poll(() => page.locator('#fact-steps').textContent(), { timeout: 10_000 }).toBe('1');
    expect(await page.locator('[data-testid=run-status]').textContent()).toBe('paused');
    expect(Number(await page.locator('[data-testid=sim-time]').textContent())).toBeGreaterThan(0);

    await page.locator('[data-testid=play]').click();

    // Mid-run: the ego cruises (the scenario draws its speed from the seed) and the panel follows it live.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > 6, null, { timeout: 90_000, polling: 100 });
    const midSpeed = Number(await page.locator('[data-testid=driving-speed]').textContent());
    expect(midSpeed).toBeGreaterThan(30);
    expect(midSpeed).toBeLessThan(150);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-cars-chase.png') });

    // Rays on (L): the ego's object list is drawn as boxes, one per detection of its last reading, with a label each.
    await page.keyboard.press('l');
    const raysLegend = page.locator('[data-testid=rays-legend]');
    await expect.poll(async () => Number(await raysLegend.getAttribute('data-detections')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=rays-legend-text]').textContent()).toMatch(/\d+ detected objects?/);
    await expect.poll(() => page.locator('[data-testid=detection-label]:not([hidden])').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=detection-label]:not([hidden])').first().textContent()).toMatch(/^car #\d+$/);
    await page.screenshot({ path: join(ARTIFACTS, 'D-detections.png') });
    await page.keyboard.press('l');

    await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')?.textContent ?? '') !== '', null, { timeout: 120_000, polling: 250 });
    const verdict = await page.locator('[data-testid=verdict]').textContent();
    expect(['pass', 'fail']).toContain(verdict);

    // The panel shows the criterion's own score: the number in the Criteria card, to the panel's one decimal.
    const score = Number(await page.locator('[data-testid=driving-score]').textContent());
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
    const criterionValue = await page.locator('[data-testid=criterion][data-name=driving-score] .criterion-value').textContent();
    expect(Number(criterionValue?.replace(/[^0-9.]/g, ''))).toBeCloseTo(score, 1);
    const speed = Number(await page.locator('[data-testid=driving-speed]').textContent());
    expect(Number.isFinite(speed)).toBe(true);
    expect(speed).toBeGreaterThanOrEqual(0);
    // TTC fields always say something: a time, or that nothing is in the path.
    expect((await page.locator('[data-testid=driving-ttc]').textContent())?.trim()).not.toBe('');
    expect((await page.locator('[data-testid=driving-min-ttc]').textContent())?.trim()).not.toBe('');
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);

    await page.waitForTimeout(400);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-cars-verdict.png') });

    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('flies uav-pillar-band in the chase camera with perception rays and trails on, to a PASS', async () => {
    const { page, problems } = await app.newPage();
    // 2x to the pillars, paused there for the checks and the picture, then 8x to the verdict.
    await page.goto(`${app.url}?scenario=uav-pillar-band&speed=2&camera=chase&rays=1&autoplay=1`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > 6, null, { timeout: 90_000, polling: 100 });
    await page.locator('[data-testid=pause]').click();

    // The toggles reflect the link; the drone panel and the wind chip are up for a UAV run.
    expect(await page.locator('[data-testid=rays]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-testid=trails]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-camera=chase]').getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('#camera-hint').textContent()).toContain('Chasing drone');
    expect(await page.locator('[data-testid=uav-panel]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=uav-id]').textContent()).toBe('drone');
    // In its flight band (4 m), cruising (3 m/s), its mission under way.
    const height = Number(await page.locator('[data-testid=uav-height]').textContent());
    expect(height).toBeGreaterThan(2.5);
    expect(height).toBeLessThan(6);
    expect(Number(await page.locator('[data-testid=uav-speed]').textContent())).toBeGreaterThan(0.5);
    expect(await page.locator('[data-testid=uav-phase]').textContent()).toMatch(/\w+ · waypoint \d/);
    expect(await page.locator('[data-testid=hud-wind]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=hud-wind-text]').textContent()).toMatch(/^wind /);

    // The lidar's last scan is drawn: a real number of returns (pillars and ground), and some rays.
    const legend = page.locator('[data-testid=rays-legend]');
    expect(await legend.isVisible()).toBe(true);
    await expect.poll(async () => Number(await legend.getAttribute('data-points')), { timeout: 10_000 }).toBeGreaterThan(100);
    expect(Number(await legend.getAttribute('data-rays'))).toBeGreaterThan(10);
    expect(await page.locator('[data-testid=rays-legend-text]').textContent()).toMatch(/from 1 of 1 sensor/);

    // A still picture among the pillars (docs/screenshot-uav.png is a copy of it; the test does not rewrite tracked files).
    await page.waitForTimeout(400);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-uav-rays.png') });

    // Rays off hides the legend; trails toggle and are written to the link.
    await page.locator('[data-testid=rays]').click();
    expect(await legend.isVisible()).toBe(false);
    await page.locator('[data-testid=trails]').click();
    expect(new URL(page.url()).searchParams.get('trails')).toBe('0');
    expect(new URL(page.url()).searchParams.get('rays')).toBeNull();
    await page.locator('[data-testid=trails]').click();
    await page.locator('[data-testid=rays]').click();

    await page.locator('[data-testid=speed]').selectOption('8');
    await page.locator('[data-testid=play]').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')?.textContent ?? '') !== '', null, { timeout: 120_000, polling: 250 });
    expect(await page.locator('[data-testid=verdict]').textContent()).toBe('pass');
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('plays the dense highway (33 cars) through the top and chase cameras with the V2X overlay on, without errors', async () => {
    const { page, problems } = await app.newPage();
    await page.goto(`${app.url}?scenario=cars-highway-dense&speed=4&camera=top&v2x=1&stats=1&autoplay=1`);
    const simTime = () => Number(document.querySelector('[data-testid=sim-time]')?.textContent);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > 3, null, { timeout: 90_000, polling: 100 });
    expect(await page.locator('[data-camera=top]').getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('#v2x-legend').isVisible()).toBe(true);
    // The follow list holds every moving actor, the ego first.
    const followable = await page.locator('[data-testid=follow] option').allTextContents();
    expect(followable[0]).toBe('ego');
    expect(followable.length).toBeGreaterThanOrEqual(33);
    await page.locator('[data-camera=chase]').click();
    const t = await page.evaluate(simTime);
    await page.waitForFunction((t0) => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > t0 + 2, t, { timeout: 90_000, polling: 100 });
    expect(await page.locator('[data-testid=run-status]').textContent()).toBe('running');
    expect(await page.locator('[data-testid=hud-stats]').textContent()).toMatch(/sim \d+\.\d ms · render \d+\.\d ms/);
    expect(Number(await page.locator('[data-testid=driving-speed]').textContent())).toBeGreaterThan(50);
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('keeps the page responsive while the 50-drone swarm runs in the worker, and cycles to the onboard camera with C', async () => {
    const { page, problems } = await app.newPage();
    await page.goto(`${app.url}?scenario=uav-swarm-50-crossing&speed=8&stats=1&autoplay=1`);
    // Loading shows its stage and a progress bar, or is already over.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > 1, null, { timeout: 90_000, polling: 100 });
    expect(await page.locator('[data-testid=run-status]').textContent()).toBe('running');

    // While the simulation advances, the page answers and animation frames keep coming: count them in the page
    // over a window of at least 2 simulated seconds (no rate is asserted: only that the thread is not held).
    await page.evaluate(() => {
      const w = window as unknown as { rafTicks: number; rafMaxGapMs: number; rafLast: number };
      w.rafTicks = 0;
      w.rafMaxGapMs = 0;
      w.rafLast = performance.now();
      const tick = (t: number) => {
        w.rafTicks++;
        w.rafMaxGapMs = Math.max(w.rafMaxGapMs, t - w.rafLast);
        w.rafLast = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const t0 = Number(await page.locator('[data-testid=sim-time]').textContent());
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sent = Date.now();
      await page.evaluate(() => document.querySelector('[data-testid=sim-time]')?.textContent);
      answers.push(Date.now() - sent);
    }
    await page.waitForFunction((a) => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > a + 2, t0, { timeout: 90_000, polling: 100 });
    // Animation frames keep coming while the worker simulates: more than 10 of them (polled, so no frame rate is
    // assumed: at 8x the 2 simulated seconds can pass in fewer wall frames than that on a loaded machine).
    const rafTicksNow = () => page.evaluate(() => (window as unknown as { rafTicks: number }).rafTicks);
    await expect.poll(rafTicksNow, { timeout: 30_000 }).toBeGreaterThan(10);
    const { rafTicks, rafMaxGapMs } = await page.evaluate(() => ({ rafTicks: (window as unknown as { rafTicks: number }).rafTicks, rafMaxGapMs: (window as unknown as { rafMaxGapMs: number }).rafMaxGapMs }));
    // ... while it still simulates (the run had not ended and frozen the page's clock).
    expect(Number(await page.locator('[data-testid=sim-time]').textContent())).toBeGreaterThan(t0 + 2);
    expect(await page.locator('[data-testid=run-status]').textContent()).toBe('running');
    const stats = await page.locator('[data-testid=hud-stats]').textContent();
    console.log(`swarm-50 responsiveness: ${rafTicks} animation frames over 2 s of simulation, longest gap ${rafMaxGapMs.toFixed(0)} ms, page.evaluate round trips ${answers.join('/')} ms; HUD ${stats}`);

    // C cycles orbit -> chase -> top -> onboard; the onboard view of a drone without a gimbal is from its body.
    for (const mode of ['chase', 'top', 'onboard']) {
      await page.locator('body').press('c');
      await expect.poll(() => page.locator(`[data-camera=${mode}]`).getAttribute('aria-checked'), { timeout: 5_000 }).toBe('true');
    }
    expect(new URL(page.url()).searchParams.get('camera')).toBe('onboard');
    expect(await page.locator('#camera-hint').textContent()).toContain('Onboard');
    await page.waitForTimeout(300);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-swarm-onboard.png') });
    await page.locator('body').press('c');
    await expect.poll(() => page.locator('[data-camera=orbit]').getAttribute('aria-checked'), { timeout: 5_000 }).toBe('true');
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('draws the TTC and clearance markers on lead-brake, coloured against the thresholds; M and markers=0|1 toggle them', async () => {
    const { page, problems } = await app.newPage();
    // 1x: the leader brakes in the ego's lane at t ~ 12 s and the TTC stays within the 3 s horizon until ~16.5 s (4 s of wall time to pause in, on a slow software-GL machine).
    await page.goto(`${app.url}?scenario=cars-lead-brake&speed=1&camera=chase&autoplay=1`);
    const ttc = page.locator('[data-testid=marker-ttc]');
    const clearance = page.locator('[data-testid=marker-clearance]');
    const button = page.locator('[data-testid=markers-toggle]');
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await page.waitForFunction(() => document.querySelector('[data-testid=marker-ttc]')?.hasAttribute('hidden') === false, null, { timeout: 90_000, polling: 'raf' });
    await page.locator('body').press(' ');
    console.log(`markers e2e: paused at t=${await page.locator('[data-testid=sim-time]').textContent()} s`);
    await expect.poll(() => page.locator('[data-testid=run-status]').textContent(), { timeout: 10_000 }).toBe('paused');
    await expect.poll(() => ttc.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await ttc.textContent()).toMatch(/^TTC \d+\.\d s$/);
    expect(await ttc.getAttribute('data-other')).toBe('leader');
    expect(['fail', 'warn', 'ok']).toContain(await ttc.getAttribute('data-level'));
    expect(await clearance.isVisible()).toBe(true);
    expect(await clearance.textContent()).toMatch(/^\d+\.\d m$/);
    expect(await clearance.getAttribute('data-actor')).toBe('ego');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'w2-markers.png') });
    // M hides them and writes markers=0 into the link; M again shows them.
    await page.locator('body').press('m');
    await expect.poll(() => ttc.isVisible(), { timeout: 5_000 }).toBe(false);
    expect(await clearance.isVisible()).toBe(false);
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    expect(new URL(page.url()).searchParams.get('markers')).toBe('0');
    await page.locator('body').press('m');
    await expect.poll(() => ttc.isVisible(), { timeout: 5_000 }).toBe(true);
    expect(new URL(page.url()).searchParams.get('markers')).toBeNull();
    // A link with markers=0 opens with them off (the button too).
    await page.goto(`${app.url}?scenario=cars-lead-brake&speed=8&markers=0&autoplay=1`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > 13, null, { timeout: 90_000, polling: 100 });
    expect(await page.locator('[data-testid=markers-toggle]').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('[data-testid=marker-ttc]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=notice-error]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
