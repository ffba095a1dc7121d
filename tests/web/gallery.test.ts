/** The gallery's pure parts (web/gallery.ts): card models, grouping and filters over the real library. */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { REQUIREMENTS } from '../../seeds/requirements.ts';
import { cardMatches, cardModel, criteriaLabels, FAMILY_ORDER, galleryGroups, shortClause, type CardModel } from '../../web/gallery.ts';
import type { LibraryEntry } from '../../web/library.ts';
import { LIBRARY, ROOT } from '../helpers.ts';

function libraryFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'data' ? [] : libraryFiles(p);
    return /\.(ya?ml|json)$/.test(name) ? [p] : [];
  });
}

/** The library as web/library.ts gives it, loaded from disk. */
function nodeLibrary(): LibraryEntry[] {
  return libraryFiles(LIBRARY).map((f) => {
    const file = relative(ROOT, f);
    try {
      const loaded = loadScenarioFile(f);
      return { id: loaded.scenario.name, file, loaded, error: null };
    } catch (err) {
      return { id: basename(f).replace(/\.(ya?ml|json)$/, ''), file, loaded: null, error: (err as Error).message };
    }
  });
}

const entries = nodeLibrary();
const cards = entries.map(cardModel);
const byId = (id: string): CardModel => cards.find((c) => c.id === id)!;

describe('gallery cards', () => {
  it('has a card for every library scenario, each with a thumbnail, a description and its plan clauses', () => {
    expect(cards.length).toBe(entries.length);
    for (const c of cards) {
      expect(c.error, c.file).toBeNull();
      expect(c.thumbnail.startsWith('<svg'), c.id).toBe(true);
      expect(c.description.length, c.id).toBeGreaterThan(10);
      expect(c.criteria.length, c.id).toBeGreaterThan(0);
    }
    const lead = byId('cars-lead-brake');
    expect(lead.tests).toMatch(/stops behind a leader/);
    expect(lead.clauses.map((k) => k.id)).toEqual(['miit-2a-ha-level', 'miit-2a-driving-collisions', 'miit-2a-speeding-tolerance']);
    expect(lead.clauses[0]!.clause).toBe(REQUIREMENTS['miit-2a-ha-level'].clause);
    expect(lead.criteria).toEqual(['driving-collisions', 'speeding', 'driving-score']);
  });

  it('badges the negative controls with what they must fail', () => {
    const off = byId('cars-v2x-off-occluded-intersection');
    expect(off.expectedFailure).toEqual({ failing: ['min-ttc'], why: expect.stringMatching(/without V2X/) });
    expect(byId('cars-v2x-occluded-intersection').expectedFailure).toBeNull();
    const xfails = cards.filter((c) => c.expectedFailure).map((c) => c.id);
    expect(xfails).toContain('airspace-airport-circle-straight-line');
  });

  it('collapses a swarm\'s per-member goals into one label', () => {
    const swarm = byId('uav-swarm-50-crossing');
    expect(swarm.criteria).toContain('reach-goal x50');
    expect(criteriaLabels({ criteria: [{ type: 'no-collision' }, { type: 'reach-goal', name: 'a' }] as never })).toEqual(['no-collision', 'a']);
  });

  it('a file that does not load still gets a card, with its error', () => {
    const broken = cardModel({ id: 'bad', file: 'scenarios/library/bad.yaml', loaded: null, error: 'bad.yaml: actors: expected an array' });
    expect(broken).toMatchObject({ id: 'bad', family: 'other', error: 'bad.yaml: actors: expected an array', thumbnail: '' });
  });
});

describe('grouping and filters', () => {
  it('groups by family in the order cars, UAV, gimbal, airspace, then the rest', () => {
    const groups = galleryGroups(cards);
    expect(groups.map((g) => g.family)).toEqual([...FAMILY_ORDER]);
    expect(groups.reduce((n, g) => n + g.cards.length, 0)).toBe(cards.length);
    expect(groups.find((g) => g.family === 'other')!.cards.map((c) => c.id)).toContain('rover-crossing');
    for (const g of groups) for (const c of g.cards) expect(c.family).toBe(g.family);
  });

  it('filters by family and by words anywhere on the card', () => {
    const gimbal = galleryGroups(cards, { family: 'gimbal', text: '' });
    expect(gimbal.map((g) => g.family)).toEqual(['gimbal']);
    expect(gimbal[0]!.cards.length).toBe(cards.filter((c) => c.family === 'gimbal').length);
    const ped = galleryGroups(cards, { family: 'all', text: 'Pedestrian' }).flatMap((g) => g.cards.map((c) => c.id));
    expect(ped).toContain('cars-hidden-pedestrian');
    expect(ped.every((id) => cardMatches(byId(id), { family: 'all', text: 'pedestrian' }))).toBe(true);
    // Words must all match; a clause id matches too.
    expect(galleryGroups(cards, { family: 'all', text: 'miit-2c-forced-zone-avoidance airport' }).flatMap((g) => g.cards.map((c) => c.id))).toEqual(expect.arrayContaining(['airspace-airport-circle', 'airspace-airport-circle-straight-line']));
    expect(galleryGroups(cards, { family: 'cars', text: 'airport' })).toEqual([]);
  });

  it('shortens a long clause at a word', () => {
    const long = REQUIREMENTS['miit-2c-gimbal-precision'].clause;
    const s = shortClause(long, 60);
    expect(s.length).toBeLessThanOrEqual(63);
    expect(s.endsWith('...')).toBe(true);
    expect(long.startsWith(s.slice(0, -3))).toBe(true);
    expect(shortClause('short', 60)).toBe('short');
  });
});
