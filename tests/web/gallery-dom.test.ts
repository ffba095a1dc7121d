/**
 * The gallery's DOM (web/gallery.ts renderGalleryCards) in Chromium: the
 * module is bundled with esbuild (no app build), the card models come from
 * the real library loaded in Node.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { cardModel, FAMILY_ORDER, type CardModel } from '../../web/gallery.ts';
import { LIBRARY, ROOT } from '../helpers.ts';

function libraryFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'data' ? [] : libraryFiles(p);
    return /\.(ya?ml|json)$/.test(name) ? [p] : [];
  });
}

const cards: CardModel[] = libraryFiles(LIBRARY).map((f) => {
  const loaded = loadScenarioFile(f);
  return cardModel({ id: loaded.scenario.name, file: relative(ROOT, f), loaded, error: null });
});

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({ entryPoints: [`${ROOT}web/gallery.ts`], bundle: true, write: false, format: 'iife', globalName: 'Gallery', platform: 'browser', target: 'es2022', logLevel: 'silent' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="background:#0b0f14"><main id="g"></main></body></html>');
  await page.addStyleTag({ path: `${ROOT}web/gallery.css` });
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  await page.evaluate((cs) => {
    const w = window as unknown as { opened: string[]; handle: unknown; Gallery: typeof import('../../web/gallery.ts') };
    w.opened = [];
    w.handle = w.Gallery.renderGalleryCards(document.getElementById('g')!, cs, { onOpen: (id) => w.opened.push(id), hrefOf: (id) => `?scenario=${encodeURIComponent(id)}` });
  }, cards);
});

afterAll(async () => {
  await browser?.close();
});

const visibleCards = () => page.locator('[data-testid="scenario-card"]:visible');

describe('renderGallery in a browser', () => {
  it('shows every card, in family sections ordered cars, UAV, gimbal, airspace, other', async () => {
    expect(await page.locator('[data-testid="scenario-card"]').count()).toBe(cards.length);
    const families = await page.locator('section.gallery-family-section').evaluateAll((ss) => ss.map((s) => (s as HTMLElement).dataset.family));
    expect(families).toEqual([...FAMILY_ORDER]);
    const lead = page.locator('[data-scenario="cars-lead-brake"]');
    await expect.poll(() => lead.locator('svg[data-thumbnail]').count()).toBe(1);
    expect(await lead.getAttribute('aria-labelledby')).toBe('gallery-card-cars-lead-brake');
    expect(await lead.textContent()).toMatch(/Tests: ha-pilot stops behind a leader/);
    expect(await lead.locator('[data-clause="miit-2a-ha-level"]').textContent()).toBe('miit-2a-ha-level');
    // The three ids share the car clause of the plan: quoted once.
    expect(await lead.locator('.gallery-card-clauses > li').count()).toBe(1);
    expect(await lead.locator('.gallery-card-clauses > li').textContent()).toMatch(/^2\) A "By 2020, establish a strongly reliable/);
    expect(await lead.locator('.gallery-open').getAttribute('href')).toBe('?scenario=cars-lead-brake');
    expect(await page.locator('[data-scenario="cars-v2x-off-occluded-intersection"] [data-testid="expected-failure"]').count()).toBe(1);
    expect(await lead.locator('[data-testid="expected-failure"]').count()).toBe(0);
  });

  it('opens on a click and on Enter, through onOpen', async () => {
    await page.locator('[data-scenario="cars-lead-brake"] .gallery-open').click();
    await page.locator('[data-scenario="uav-forest"] .gallery-card-link').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (window as unknown as { opened: string[] }).opened)).toEqual(['cars-lead-brake', 'uav-forest']);
    // onOpen replaced the navigation: the page is still the gallery.
    expect(await page.locator('#g .gallery').count()).toBe(1);
  });

  it('filters by family and by text, and says how many match', async () => {
    await page.locator('.gallery-family[data-family="gimbal"]').click();
    const gimbal = cards.filter((c) => c.family === 'gimbal').length;
    await expect.poll(() => visibleCards().count()).toBe(gimbal);
    expect(await page.locator('.gallery-family[data-family="gimbal"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.gallery-count').textContent()).toBe(`${gimbal} of ${cards.length} scenarios`);
    await page.locator('.gallery-family[data-family="all"]').click();
    await page.locator('.gallery-search').fill('pedestrian');
    await expect.poll(() => visibleCards().evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.scenario))).toContain('cars-hidden-pedestrian');
    expect(await page.locator('section.gallery-family-section[data-family="gimbal"]').isVisible()).toBe(false);
    await page.locator('.gallery-search').fill('no such scenario anywhere');
    await expect.poll(() => page.locator('.gallery-empty').isVisible()).toBe(true);
    await page.locator('.gallery-search').fill('');
    await expect.poll(() => visibleCards().count()).toBe(cards.length);
  });
});
