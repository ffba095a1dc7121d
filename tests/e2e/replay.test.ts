/**
 * Recordings in the browser, end to end (issue #7 sections 3 and 7):
 * - a recording written by the CLI (`skylane run --record`) opens in the page
 *   by URL (`?recording=`), through the file input and by drag-and-drop, shows the CLI's
 *   verdict, and re-simulating it in the browser's worker matches the
 *   recorded verdict and state hash; the scrubber moves the view; jumping
 *   to the airspace breach lands at its time;
 * - a run made in the browser downloads as a recording that Node's
 *   `replayRecording` (what `skylane replay` runs) re-simulates to a match.
 *
 * Scenario: airspace-airport-circle-straight-line, a short negative control
 * (the straight-line baseline flies through a prohibited zone: XFAIL) with a
 * breach and criterion failures to jump to.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, useApp } from './static-server.ts';
import { readRecordingFile } from '../../scenarios/record/file.ts';
import { replayRecording } from '../../scenarios/record/replay.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const DIST = join(ARTIFACTS, 'dist-r2');
const REC_DIR = join(ARTIFACTS, 'r2-recordings');
const SCENARIO = 'scenarios/library/airspace/airport-circle-straight-line.yaml';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('recordings in the browser (e2e)', () => {
  const app = useApp(DIST);
  /** The CLI's recording and its verdict. */
  let recName = '';
  let cliVerdict = '';
  let cliHash = '';

  beforeAll(() => {
    rmSync(REC_DIR, { recursive: true, force: true });
    mkdirSync(REC_DIR, { recursive: true });
    try {
      execFileSync(process.execPath, [join(ROOT, 'bin', 'skylane.js'), 'run', join(ROOT, SCENARIO), '--record', REC_DIR, '--quiet'], { cwd: ROOT, stdio: 'pipe' });
    } catch (err) {
      // Exit 1 is a failing verdict (this is a negative control); only exit 2 and above are problems.
      if ((err as { status?: number }).status !== 1) throw err;
    }
    recName = readdirSync(REC_DIR).find((f) => f.endsWith('.skyrec.json.gz'))!;
    expect(recName).toBeTruthy();
    const rec = readRecordingFile(join(REC_DIR, recName));
    cliVerdict = rec.result.verdict;
    cliHash = rec.result.stateHash;
    // The static server serves the build folder only: the recording goes in it.
    mkdirSync(join(DIST, 'rec'), { recursive: true });
    copyFileSync(join(REC_DIR, recName), join(DIST, 'rec', recName));
  }, 120_000);

  it('opens a CLI recording by URL: the CLI verdict, a matching re-simulation, a scrubber and jump-to-event', async () => {
    const { page, problems } = await app.newPage();
    await page.goto(`${app.url}?recording=rec/${recName}&speed=8`);
    await page.locator('[data-testid=replay-panel]:not([hidden])').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')?.textContent ?? '') !== '', null, { timeout: 60_000, polling: 200 });
    expect(await page.locator('[data-testid=verdict]').textContent()).toBe(cliVerdict);
    expect(cliVerdict).toBe('fail');

    // Re-simulated in the browser's worker: the recorded verdict and state hash.
    const verify = page.locator('[data-testid=replay-verify]');
    await page.waitForFunction(() => ['matches', 'differs', 'error'].includes(document.querySelector<HTMLElement>('[data-testid=replay-verify]')?.dataset.state ?? ''), null, { timeout: 120_000, polling: 250 });
    expect(await verify.getAttribute('data-state')).toBe('matches');
    expect(await verify.textContent()).toContain(`re-simulated: verdict ${cliVerdict}, state hash ${cliHash.slice(0, 8)}`);
    expect(await verify.textContent()).toContain('matches the recording');

    // The scrubber moves the view: the sim time follows it.
    const simTime = page.locator('[data-testid=sim-time]');
    const before = Number(await simTime.textContent());
    await page.locator('[data-testid=replay-scrubber]').evaluate((el: HTMLInputElement) => {
      el.value = '30';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await expect.poll(async () => Number(await simTime.textContent()), { timeout: 10_000 }).toBeCloseTo(30, 1);
    expect(before).not.toBeCloseTo(30, 1);

    // The breach is listed; jumping to it shows its time.
    const breach = page.locator('[data-testid=replay-event][data-kind=breach]').first();
    expect(await breach.textContent()).toContain('entered PROHIBITED zone CTR-1');
    // The authorised corridor entry is listed, but not as a breach.
    expect(await page.locator('[data-testid=replay-event][data-kind=entry]').first().textContent()).toContain('(authorised)');
    const breachTime = Number(await breach.getAttribute('data-time'));
    expect(breachTime).toBeGreaterThan(0);
    await breach.click();
    await expect.poll(async () => await simTime.textContent(), { timeout: 10_000 }).toBe(breachTime.toFixed(2));
    // A criterion failure is listed too.
    expect(await page.locator('[data-testid=replay-event][data-kind=criterion]').count()).toBeGreaterThan(0);

    // The recorded metrics are plotted (the zone margin, with its zero line).
    await expect.poll(async () => (await page.locator('[data-testid=plots]').getAttribute('data-channels')) ?? '', { timeout: 10_000 }).toContain('zoneMarginM');

    // Play from the breach at 8x: the time advances.
    await page.locator('[data-testid=replay-play]').click();
    await expect.poll(async () => Number(await simTime.textContent()), { timeout: 15_000 }).toBeGreaterThan(breachTime + 1);
    await page.locator('[data-testid=replay-play]').click();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'r2-replay.png') });
    copyFileSync(join(ARTIFACTS, 'r2-replay.png'), join(ROOT, 'docs', 'screenshot-replay.png'));
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  it('opens a recording through the file input, and a browser run downloads a recording that replays in Node', async () => {
    const { page, problems } = await app.newPage();
    await page.goto(`${app.url}?scenario=rover-crossing&speed=8&autoplay=1`);
    // The live run records itself: once it has its verdict, the download is offered.
    const download = page.locator('[data-testid=download-recording]');
    await expect.poll(() => download.isEnabled(), { timeout: 120_000, interval: 250 }).toBe(true);
    const liveVerdict = await page.locator('[data-testid=verdict]').textContent();
    // The live plots drew the ego's speed through the run.
    expect(await page.locator('[data-testid=plots]').getAttribute('data-channels')).toContain('speedMps');
    expect(Number(await page.locator('[data-testid=plots]').getAttribute('data-points'))).toBeGreaterThan(50);
    const liveHash = (await page.locator('#result-hash').textContent()) ?? '';
    const [dl] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(dl.suggestedFilename()).toBe('rover-crossing-seed1-rapier.skyrec.json.gz');
    const saved = join(REC_DIR, `browser-${dl.suggestedFilename()}`);
    await dl.saveAs(saved);
    // What `skylane replay` does: the browser's recording re-simulates in Node to the same verdict and state hash.
    const rec = readRecordingFile(saved);
    expect(rec.result.verdict).toBe(liveVerdict);
    expect(rec.result.stateHash).toBe(liveHash);
    expect(rec.header.source).toContain('name: rover-crossing');
    const outcome = await replayRecording(rec);
    expect(outcome.replayed.verdict).toBe(liveVerdict);
    expect(outcome.matches).toBe(true);

    // The CLI's recording through the file input.
    await page.locator('[data-testid=replay-file]').setInputFiles(join(REC_DIR, recName));
    await expect.poll(async () => (await page.locator('[data-testid=replay-panel]').getAttribute('data-file')) ?? '', { timeout: 30_000 }).toBe(recName);
    await expect.poll(async () => await page.locator('[data-testid=verdict]').textContent(), { timeout: 60_000 }).toBe(cliVerdict);
    expect(await page.locator('#result-hash').textContent()).toBe(cliHash);
    // A file that is not a recording is refused with a notice naming it.
    await page.locator('[data-testid=replay-file]').setInputFiles({ name: 'junk.skyrec.json.gz', mimeType: 'application/gzip', buffer: Buffer.from('not a recording') });
    await expect.poll(async () => (await page.locator('#notices').textContent()) ?? '', { timeout: 10_000 }).toContain('junk.skyrec.json.gz');
    // Drag-and-drop onto the page.
    await page.evaluate(async (url) => {
      const bytes = await (await fetch(url)).arrayBuffer();
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.skyrec.json.gz', { type: 'application/gzip' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, `rec/${recName}`);
    await expect.poll(async () => (await page.locator('[data-testid=replay-panel]').getAttribute('data-file')) ?? '', { timeout: 30_000 }).toBe('dropped.skyrec.json.gz');
    await expect.poll(async () => await page.locator('[data-testid=verdict]').textContent(), { timeout: 60_000 }).toBe(cliVerdict);
    // Back to the live simulation: the replay panel goes, the selected library scenario is built again.
    await page.locator('[data-testid=replay-close]').click();
    await expect.poll(() => page.locator('[data-testid=replay-panel]').isHidden(), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => await page.locator('#hud-scenario').textContent(), { timeout: 30_000 }).toBe('rover-crossing');
    expect(readFileSync(saved).length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
