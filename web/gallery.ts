/**
 * The scenario gallery (issue #7 section 1): a card for every library
 * scenario, grouped by family (cars, UAV, gimbal, airspace, then the rest),
 * each with its thumbnail, description, what it tests, the plan clauses it
 * traces to, the criteria it scores, an expected-failure badge for negative
 * controls, and an Open link (the deep link). A family filter and a text
 * filter narrow the cards.
 *
 * The card models, grouping and filtering are pure (`cardModel`,
 * `galleryGroups`, `cardMatches`): Node tests read them. `renderGallery`
 * builds the DOM from them. Styles: web/gallery.css (the app imports it with
 * the gallery; this module does not, so Node can load it).
 */
import type { Scenario } from '../scenarios/schema.ts';
import type { LibraryEntry } from './library.ts';
import { planClauses, type PlanClause } from './summary.ts';
import { thumbnailSvg } from './thumbnail.ts';

/** Display order and headings of the families; the schema's other families ('demo': the rover scenarios) come last. */
export const FAMILY_ORDER = ['cars', 'uav', 'gimbal', 'airspace', 'other'] as const;
export type GalleryFamily = (typeof FAMILY_ORDER)[number];
export const FAMILY_LABELS: Readonly<Record<GalleryFamily, string>> = {
  cars: 'Cars',
  uav: 'UAV',
  gimbal: 'Gimbal',
  airspace: 'Airspace',
  other: 'Rover and other',
};

export interface CardModel {
  /** Deep-link id: the scenario's name (or the file's base name when it fails to load). */
  id: string;
  file: string;
  family: GalleryFamily;
  name: string;
  description: string;
  /** The scenario's `tests` line ('' when it has none). */
  tests: string;
  clauses: PlanClause[];
  /** The criteria it scores, as shown: names, a run of one type collapsed to "type xN". */
  criteria: string[];
  /** A negative control's expectation, or null. */
  expectedFailure: { failing: string[]; why: string } | null;
  /** The SVG thumbnail (a string; '' for a broken file). */
  thumbnail: string;
  /** Why the file does not load, or null. */
  error: string | null;
}

export function familyOf(s: Pick<Scenario, 'family'>): GalleryFamily {
  return (FAMILY_ORDER as readonly string[]).includes(s.family) ? (s.family as GalleryFamily) : 'other';
}

/** Criterion labels: each criterion's name (default its type); more than 3 of one type become "type xN" (a swarm's reach-goal per member). */
export function criteriaLabels(s: Pick<Scenario, 'criteria'>): string[] {
  const byType = new Map<string, string[]>();
  for (const c of s.criteria) {
    const list = byType.get(c.type) ?? [];
    list.push(c.name ?? c.type);
    byType.set(c.type, list);
  }
  const out: string[] = [];
  for (const [type, names] of byType) {
    if (names.length > 3) out.push(`${type} x${names.length}`);
    else out.push(...names);
  }
  return out;
}

/** The card of one library entry. Thumbnails are drawn here: call once per entry, not per frame. */
export function cardModel(e: LibraryEntry): CardModel {
  const s = e.loaded?.scenario;
  if (!s) {
    return { id: e.id, file: e.file, family: 'other', name: e.id, description: '', tests: '', clauses: [], criteria: [], expectedFailure: null, thumbnail: '', error: e.error ?? 'does not load' };
  }
  let thumbnail = '';
  try {
    thumbnail = thumbnailSvg(s);
  } catch {
    // A thumbnail is decoration: a scenario the runner accepts must still get its card.
    thumbnail = '';
  }
  return {
    id: e.id,
    file: e.file,
    family: familyOf(s),
    name: s.name,
    description: s.description.trim(),
    tests: s.tests?.trim() ?? '',
    clauses: planClauses(s.requirements),
    criteria: criteriaLabels(s),
    expectedFailure: s.expect ? { failing: [...s.expect.failing], why: s.expect.why } : null,
    thumbnail,
    error: null,
  };
}

export interface GalleryFilter {
  /** A family, or 'all'. */
  family: GalleryFamily | 'all';
  /** Words that must all appear (case-insensitive) in the name, file, description, tests, criteria or clause ids. */
  text: string;
}

export function cardMatches(c: CardModel, f: GalleryFilter): boolean {
  if (f.family !== 'all' && c.family !== f.family) return false;
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [c.name, c.file, c.description, c.tests, ...c.criteria, ...c.clauses.map((k) => k.id), c.expectedFailure ? 'expected failure negative control' : ''].join('\n').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The cards that pass the filter, grouped in FAMILY_ORDER (empty groups left out), each group in name order. */
export function galleryGroups(cards: readonly CardModel[], f: GalleryFilter = { family: 'all', text: '' }): { family: GalleryFamily; label: string; cards: CardModel[] }[] {
  return FAMILY_ORDER.map((family) => ({
    family,
    label: FAMILY_LABELS[family],
    cards: cards.filter((c) => c.family === family && cardMatches(c, f)).sort((a, b) => a.name.localeCompare(b.name)),
  })).filter((g) => g.cards.length > 0);
}

/** Clauses grouped by their text (section and clause), in first-seen order. */
export function clauseGroups(clauses: readonly PlanClause[]): { section: string; clause: string; items: PlanClause[] }[] {
  const out: { section: string; clause: string; items: PlanClause[] }[] = [];
  for (const k of clauses) {
    const g = out.find((x) => x.section === k.section && x.clause === k.clause);
    if (g) g.items.push(k);
    else out.push({ section: k.section, clause: k.clause, items: [k] });
  }
  return out;
}

/** A clause shortened for a card: its first `max` characters, cut at a word. */
export function shortClause(clause: string, max = 110): string {
  if (clause.length <= max) return clause;
  const cut = clause.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[,;:]$/, '')}...`;
}

export interface GalleryOptions {
  /** The user chose a scenario (a plain click or Enter on its Open link or title). */
  onOpen(id: string): void;
  /** The deep link of a scenario (the Open link's href, so a middle click opens it in a tab). */
  hrefOf(id: string): string;
  /** The filter to start with. */
  filter?: Partial<GalleryFilter>;
}

export interface GalleryHandle {
  /** Apply a filter (as the controls do). */
  setFilter(f: Partial<GalleryFilter>): void;
  readonly filter: GalleryFilter;
  /** Remove the gallery from its container. */
  destroy(): void;
}

/**
 * Build the gallery into `container` (its content is replaced). Cards are
 * `<article data-testid="scenario-card" data-scenario="<id>">`, named by
 * their heading; the heading and the Open button are links to the deep link.
 */
export function renderGallery(container: HTMLElement, entries: LibraryEntry[], opts: GalleryOptions): GalleryHandle {
  return renderGalleryCards(container, entries.map(cardModel), opts);
}

/** `renderGallery` from ready card models (e.g. computed once and kept). */
export function renderGalleryCards(container: HTMLElement, cards: readonly CardModel[], opts: GalleryOptions): GalleryHandle {
  const doc = container.ownerDocument;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  let filter: GalleryFilter = { family: opts.filter?.family ?? 'all', text: opts.filter?.text ?? '' };
  container.replaceChildren();
  const root = el('div', 'gallery');
  root.dataset.testid = 'gallery';

  // ---- controls
  const controls = el('div', 'gallery-controls');
  controls.setAttribute('role', 'search');
  const familyGroup = el('div', 'gallery-families');
  familyGroup.setAttribute('role', 'group');
  familyGroup.setAttribute('aria-label', 'Family');
  const familyButtons = new Map<GalleryFamily | 'all', HTMLButtonElement>();
  const present = new Set(cards.map((c) => c.family));
  for (const f of ['all', ...FAMILY_ORDER.filter((x) => present.has(x))] as const) {
    const b = el('button', 'gallery-family', f === 'all' ? 'All' : FAMILY_LABELS[f]);
    b.type = 'button';
    b.dataset.family = f;
    b.addEventListener('click', () => handle.setFilter({ family: f }));
    familyButtons.set(f, b);
    familyGroup.append(b);
  }
  const search = el('input', 'gallery-search');
  search.type = 'search';
  search.placeholder = 'Filter: name, criterion, clause...';
  search.setAttribute('aria-label', 'Filter scenarios');
  search.value = filter.text;
  search.addEventListener('input', () => handle.setFilter({ text: search.value }));
  const count = el('span', 'gallery-count');
  count.setAttribute('aria-live', 'polite');
  controls.append(familyGroup, search, count);
  root.append(controls);

  // ---- sections and cards (built once; filtering hides them)
  const sections = new Map<GalleryFamily, HTMLElement>();
  const cardEls: { model: CardModel; el: HTMLElement }[] = [];
  for (const g of galleryGroups(cards)) {
    const section = el('section', 'gallery-family-section');
    section.dataset.family = g.family;
    const h = el('h2', 'gallery-family-title', g.label);
    h.id = `gallery-family-${g.family}`;
    section.setAttribute('aria-labelledby', h.id);
    const grid = el('div', 'gallery-grid');
    for (const c of g.cards) {
      const card = buildCard(c);
      cardEls.push({ model: c, el: card });
      grid.append(card);
    }
    section.append(h, grid);
    sections.set(g.family, section);
    root.append(section);
  }
  const empty = el('p', 'gallery-empty', 'No scenario matches the filter.');
  root.append(empty);
  container.append(root);

  function link(c: CardModel, className: string, text: string): HTMLAnchorElement {
    const a = el('a', className, text);
    a.href = opts.hrefOf(c.id);
    a.addEventListener('click', (ev) => {
      // A modified or middle click opens the link as the browser would (a new tab); a plain one opens in place.
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      opts.onOpen(c.id);
    });
    return a;
  }

  function buildCard(c: CardModel): HTMLElement {
    const card = el('article', 'gallery-card');
    card.dataset.testid = 'scenario-card';
    card.dataset.scenario = c.id;
    card.dataset.family = c.family;
    const titleId = `gallery-card-${c.id}`;
    card.setAttribute('aria-labelledby', titleId);
    if (c.error) card.classList.add('gallery-card-broken');

    const thumb = el('div', 'gallery-thumb');
    thumb.setAttribute('aria-hidden', 'true');
    // The SVG is our own string (names and ids escaped in web/thumbnail.ts): no user HTML goes through here.
    if (c.thumbnail) thumb.innerHTML = c.thumbnail;
    card.append(thumb);

    const body = el('div', 'gallery-card-body');
    const h = el('h3', 'gallery-card-title');
    h.id = titleId;
    if (c.error) h.textContent = c.name;
    else h.append(link(c, 'gallery-card-link', c.name));
    body.append(h);
    if (c.expectedFailure) {
      const badge = el('span', 'gallery-badge gallery-badge-xfail', 'expected failure');
      badge.dataset.testid = 'expected-failure';
      badge.title = `Negative control: expected to fail ${c.expectedFailure.failing.join(', ')}. ${c.expectedFailure.why}`;
      body.append(badge);
    }
    if (c.error) {
      const err = el('p', 'gallery-card-error', c.error);
      err.setAttribute('role', 'note');
      body.append(err);
      card.append(body);
      return card;
    }
    body.append(el('p', 'gallery-card-desc', c.description));
    if (c.tests) {
      const t = el('p', 'gallery-card-tests');
      t.append(el('strong', undefined, 'Tests: '), doc.createTextNode(c.tests));
      body.append(t);
    }
    if (c.clauses.length) {
      // Many requirement ids share one clause of the plan: the clause once, its ids (what each measures in the tooltip) under it.
      const ul = el('ul', 'gallery-card-clauses');
      ul.setAttribute('aria-label', 'Plan clauses');
      for (const g of clauseGroups(c.clauses)) {
        const li = el('li');
        li.title = `${g.section}: ${g.clause}`;
        li.append(el('span', 'gallery-clause-section', g.section), doc.createTextNode(` "${shortClause(g.clause, 90)}"`));
        const ids = el('div', 'gallery-clause-ids');
        for (const k of g.items) {
          const code = el('code', undefined, k.id);
          code.dataset.clause = k.id;
          code.title = k.quantity;
          ids.append(code);
        }
        li.append(ids);
        ul.append(li);
      }
      body.append(ul);
    }
    if (c.criteria.length) {
      const ul = el('ul', 'gallery-card-criteria');
      ul.setAttribute('aria-label', 'Criteria scored');
      for (const k of c.criteria) ul.append(el('li', undefined, k));
      body.append(ul);
    }
    const actions = el('div', 'gallery-card-actions');
    const open = link(c, 'gallery-open', 'Open');
    open.setAttribute('aria-label', `Open ${c.name}`);
    actions.append(open);
    body.append(actions);
    card.append(body);
    return card;
  }

  const handle: GalleryHandle = {
    get filter() {
      return { ...filter };
    },
    setFilter(f) {
      filter = { family: f.family ?? filter.family, text: f.text ?? filter.text };
      if (search.value !== filter.text) search.value = filter.text;
      let shown = 0;
      const visible = new Map<GalleryFamily, number>();
      for (const { model, el: e } of cardEls) {
        const ok = cardMatches(model, filter);
        e.hidden = !ok;
        if (ok) {
          shown++;
          visible.set(model.family, (visible.get(model.family) ?? 0) + 1);
        }
      }
      for (const [family, s] of sections) s.hidden = !visible.get(family);
      for (const [f, b] of familyButtons) b.setAttribute('aria-pressed', String(f === filter.family));
      count.textContent = `${shown} of ${cardEls.length} scenarios`;
      empty.hidden = shown > 0;
    },
    destroy() {
      root.remove();
    },
  };
  handle.setFilter(filter);
  return handle;
}
