/**
 * Teaching mode (issue #7 section 5), for a class watching a run:
 * - a toggle (tool button "Teach", key K) showing over the 3D view, in large
 *   plain words, what each agent-driven actor perceives and why it acts (its
 *   agent's own `explain()`, carried by the frames) and how each criterion
 *   stands;
 * - slow motion (tool button "Slow": 0.1x, again to go back);
 * - "Break it" switches (a card in the side panel while teaching): V2X off,
 *   sensor noise x10, stabiliser off, zones ignored, each enabled only where
 *   it applies. A switch restarts the run with `extras.breakIt`; when the
 *   broken run ends, a table puts each criterion's value and pass/fail next
 *   to the normal run's (the last normal result of the same scenario, seed,
 *   backend and agents; run first when there is none);
 * - a printable one-page summary of the last result (tool button
 *   "Summary": web/summary.ts in a new tab, ready to print).
 *
 * Installs itself on import (main.ts's lab features block).
 */
import './teach.css';
import { isBroken, breakItLabels, type BreakIt } from '../scenarios/break-it.ts';
import type { RunResult } from '../scenarios/result.ts';
import { verdictLabel } from '../scenarios/result.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { app, appEvents, type RunSpec } from './app.ts';
import type { CriterionRowData, RunExtras, ViewInit } from './sim-protocol.ts';
import { planClauses, summaryHtml } from './summary.ts';
import { BREAK_SWITCHES, comparisonKey, compareResults, plainCriterion, switchOn, toggleSwitch, whyNotApplicable, type BreakSwitch } from './teach-model.ts';

/** Overlay refresh period, wall ms: plain words need no 60 Hz. */
const OVERLAY_PERIOD_MS = 200;
/** Most actors explained at once (a 50-drone swarm would fill the screen). */
const MAX_EXPLAINED = 6;
/** The slow-motion speed, sim s per wall s (web/params.ts SPEEDS has it). */
const SLOW_SPEED = 0.1;

// ---------- DOM ----------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function toolButton(label: string, testid: string, title: string): HTMLButtonElement {
  const b = el('button', 'btn btn-toggle', label);
  b.type = 'button';
  b.dataset.testid = testid;
  b.title = title;
  return b;
}

const tools = document.getElementById('lab-tools');
const overlayHost = document.getElementById('lab-overlay');
const side = document.getElementById('lab-side');

const state = {
  on: false,
  init: null as ViewInit | null,
  spec: null as RunSpec | null,
  explain: {} as Record<string, string>,
  criteria: [] as CriterionRowData[],
  result: null as RunResult | null,
  lastDraw: 0,
  /** Speed before Slow was pressed (null: not slowed). */
  slowFrom: null as string | null,
  /** Last normal result and last broken result, by comparisonKey. */
  normal: new Map<string, RunResult>(),
  broken: new Map<string, RunResult>(),
  /** A broken run waiting for its normal run to finish first. */
  pendingBreak: null as { key: string; breakIt: BreakIt } | null,
};

if (tools && overlayHost && side) {
  // ---- tool buttons
  const teachBtn = toolButton('Teach', 'teach-button', 'Teaching mode: what each agent perceives and why it acts, in plain words; break-it switches (K)');
  teachBtn.setAttribute('aria-pressed', 'false');
  const slowBtn = toolButton('Slow', 'slow-button', `Slow motion: ${SLOW_SPEED}× (press again for the speed before)`);
  slowBtn.setAttribute('aria-pressed', 'false');
  const summaryBtn = el('button', 'btn', 'Summary');
  summaryBtn.type = 'button';
  summaryBtn.dataset.testid = 'summary-button';
  summaryBtn.title = "A printable one-page summary of the run's scores (opens in a new tab)";
  summaryBtn.disabled = true;
  tools.append(teachBtn, slowBtn, summaryBtn);

  // ---- the overlay
  const overlay = el('div', 'teach-overlay');
  overlay.dataset.testid = 'teach-overlay';
  overlay.hidden = true;
  overlay.setAttribute('aria-live', 'polite');
  const actorsList = el('ul', 'teach-actors');
  actorsList.dataset.testid = 'teach-explain';
  const criteriaList = el('ul', 'teach-criteria');
  criteriaList.dataset.testid = 'teach-criteria';
  overlay.append(actorsList, criteriaList);
  overlayHost.append(overlay);

  // ---- the break-it card
  const card = el('section', 'card teach-break');
  card.dataset.testid = 'break-it';
  card.hidden = true;
  const head = el('div', 'section-head');
  head.append(el('h2', undefined, 'Break it'));
  const intro = el('p', 'teach-break-intro', 'Take one capability away, run again, and see how the scores change.');
  const switches = el('div', 'teach-switches');
  switches.setAttribute('role', 'group');
  switches.setAttribute('aria-label', 'Break-it switches');
  const switchEls = new Map<BreakSwitch, HTMLButtonElement>();
  for (const s of BREAK_SWITCHES) {
    const b = el('button', 'teach-switch', s.label);
    b.type = 'button';
    b.setAttribute('role', 'switch');
    b.setAttribute('aria-checked', 'false');
    b.dataset.break = s.id;
    b.title = s.explain;
    b.addEventListener('click', () => flip(s.id));
    switchEls.set(s.id, b);
    switches.append(b);
  }
  const status = el('p', 'teach-break-status');
  status.dataset.testid = 'break-status';
  const table = el('table', 'teach-compare');
  table.dataset.testid = 'break-compare';
  table.hidden = true;
  card.append(head, intro, switches, status, table);
  side.append(card);

  function setOn(on: boolean): void {
    state.on = on;
    teachBtn.setAttribute('aria-pressed', String(on));
    overlay.hidden = !on;
    card.hidden = !on;
    if (on) {
      renderOverlay();
      renderSwitches();
    }
  }

  function entryScenario(): Scenario | null {
    const id = state.spec?.scenarioId ?? app().current()?.scenarioId;
    return app().entries().find((e) => e.id === id)?.loaded?.scenario ?? null;
  }

  function renderSwitches(): void {
    const s = entryScenario();
    const b = state.spec?.extras.breakIt;
    for (const sw of BREAK_SWITCHES) {
      const e = switchEls.get(sw.id)!;
      const why = s ? whyNotApplicable(s, sw.id) : 'no scenario';
      e.disabled = why !== null || state.pendingBreak !== null;
      e.title = why ? `${sw.label}: does not apply (${why})` : `${sw.label}: ${sw.explain}`;
      e.setAttribute('aria-checked', String(switchOn(b, sw.id)));
    }
  }

  function restartWith(breakIt: BreakIt | null): void {
    const extras: RunExtras = { ...(app().current()?.extras ?? {}) };
    delete extras.breakIt;
    if (breakIt && isBroken(breakIt)) extras.breakIt = breakIt;
    app().restart(extras, true);
  }

  function flip(sw: BreakSwitch): void {
    const cur = app().current();
    if (!cur) return;
    const next = toggleSwitch(cur.extras.breakIt, sw);
    const key = comparisonKey(cur);
    if (isBroken(next) && !state.normal.has(key)) {
      // Nothing to compare with yet: the normal run first, then the broken one.
      state.pendingBreak = { key, breakIt: next };
      status.textContent = `First the normal run (to compare with), then with ${breakItLabels(next).join(', ')}…`;
      restartWith(null);
    } else {
      state.pendingBreak = null;
      status.textContent = isBroken(next) ? `Running with ${breakItLabels(next).join(', ')}…` : 'Running normally again…';
      restartWith(next);
    }
    renderSwitches();
  }

  function renderCompare(): void {
    const spec = state.spec;
    const key = spec ? comparisonKey(spec) : '';
    const normal = state.normal.get(key);
    const broken = state.broken.get(key);
    if (!normal || !broken) {
      table.hidden = true;
      return;
    }
    const labels = breakItLabels(broken.breakIt).join(', ');
    const thead = el('thead');
    const hr = el('tr');
    hr.append(el('th', undefined, 'criterion'), el('th', undefined, 'normal'), el('th', undefined, labels));
    thead.append(hr);
    const tbody = el('tbody');
    const cell = (c: { value: string; passed: boolean } | null, run: string) => {
      const td = el('td', c ? (c.passed ? 'teach-pass' : 'teach-fail') : undefined, c ? `${c.value} ${c.passed ? 'pass' : 'FAIL'}` : '-');
      td.dataset.run = run;
      if (c) td.dataset.passed = String(c.passed);
      return td;
    };
    for (const row of compareResults(normal, broken)) {
      const tr = el('tr');
      tr.dataset.criterion = row.name;
      if (row.changed) tr.className = 'teach-changed';
      tr.append(el('td', undefined, row.name), cell(row.normal, 'normal'), cell(row.broken, 'broken'));
      tbody.append(tr);
    }
    const vr = el('tr', 'teach-verdict-row');
    vr.dataset.criterion = '';
    vr.append(el('th', undefined, 'verdict'), el('th', undefined, verdictLabel(normal)), el('th', undefined, verdictLabel(broken)));
    tbody.append(vr);
    table.replaceChildren(thead, tbody);
    table.hidden = false;
    const changed = compareResults(normal, broken).filter((r) => r.changed);
    status.textContent = changed.length
      ? `With ${labels}: ${changed.map((r) => `${r.name} ${r.broken?.passed ? 'now passes' : 'now fails'}`).join(', ')}.`
      : `With ${labels}: no criterion changed from pass to fail (values may still differ).`;
  }

  function renderOverlay(): void {
    if (!state.on) return;
    state.lastDraw = performance.now();
    const ids = state.init?.agentDriven ?? [];
    const lines: HTMLLIElement[] = [];
    const explained = ids.filter((id) => state.explain[id] !== undefined);
    for (const id of explained.slice(0, MAX_EXPLAINED)) {
      const li = el('li', 'teach-line');
      li.dataset.actor = id;
      li.append(el('strong', undefined, id), document.createTextNode(` — ${state.explain[id]}`));
      lines.push(li);
    }
    if (explained.length > MAX_EXPLAINED) lines.push(el('li', 'teach-line teach-more', `…and ${explained.length - MAX_EXPLAINED} more`));
    if (lines.length === 0) lines.push(el('li', 'teach-line teach-more', state.init ? (ids.length ? 'Press Play: the agents explain themselves as they drive.' : 'No actor here is driven by an agent.') : 'No run yet.'));
    actorsList.replaceChildren(...lines);
    const rows = state.result ? state.result.criteria.map((result) => ({ result, status: result.passed ? ('pass' as const) : ('fail' as const) })) : state.criteria;
    const crit = rows.map((r) => {
      const p = plainCriterion(r);
      const li = el('li', `teach-crit teach-crit-${p.state}`, p.text);
      li.dataset.criterion = r.result.name;
      return li;
    });
    const broken = breakItLabels(state.spec?.extras.breakIt);
    if (broken.length) crit.unshift(el('li', 'teach-crit teach-crit-bad', `Broken on purpose: ${broken.join(', ')}`));
    criteriaList.replaceChildren(...crit);
  }

  // ---- what the run view reports
  appEvents.on('prepare', (spec) => {
    const sameRun = state.spec && comparisonKey(state.spec) === comparisonKey(spec);
    state.spec = spec;
    state.init = null;
    state.explain = {};
    state.criteria = [];
    state.result = null;
    summaryBtn.disabled = true;
    if (!sameRun) {
      state.pendingBreak = null;
      table.hidden = true;
      status.textContent = '';
    }
    if (state.on) {
      renderSwitches();
      renderOverlay();
    }
  });
  appEvents.on('init', (init) => {
    state.init = init;
    state.criteria = init.criteria;
    renderOverlay();
  });
  appEvents.on('frame', (f) => {
    if (f.explain) Object.assign(state.explain, f.explain);
    if (f.criteria) state.criteria = f.criteria;
    if (state.on && performance.now() - state.lastDraw >= OVERLAY_PERIOD_MS) renderOverlay();
  });
  appEvents.on('result', (r) => {
    state.result = r;
    summaryBtn.disabled = false;
    const spec = state.spec;
    if (spec) {
      const key = comparisonKey(spec);
      if (isBroken(spec.extras.breakIt)) state.broken.set(key, r);
      else state.normal.set(key, r);
      const pending = state.pendingBreak;
      if (pending && pending.key === key && !isBroken(spec.extras.breakIt)) {
        state.pendingBreak = null;
        status.textContent = `Normal run: ${verdictLabel(r)}. Now with ${breakItLabels(pending.breakIt).join(', ')}…`;
        // After this result's listeners: a restart inside an emit would race main.ts's own finish().
        setTimeout(() => restartWith(pending.breakIt), 0);
      } else {
        renderCompare();
      }
    }
    renderOverlay();
    if (state.on) renderSwitches();
  });
  appEvents.on('error', (message) => {
    if (state.pendingBreak) {
      state.pendingBreak = null;
      status.textContent = `The run failed, nothing to compare: ${message}`;
      renderSwitches();
    }
  });

  // ---- controls
  teachBtn.addEventListener('click', () => setOn(!state.on));
  slowBtn.addEventListener('click', () => {
    const speed = document.getElementById('speed') as HTMLSelectElement | null;
    if (!speed) return;
    if (state.slowFrom === null) {
      state.slowFrom = speed.value;
      speed.value = String(SLOW_SPEED);
    } else {
      speed.value = state.slowFrom;
      state.slowFrom = null;
    }
    speed.dispatchEvent(new Event('change'));
    slowBtn.setAttribute('aria-pressed', String(state.slowFrom !== null));
  });
  document.getElementById('speed')?.addEventListener('change', (e) => {
    // Another speed chosen by hand: Slow is no longer what is shown.
    if (e.isTrusted && state.slowFrom !== null) {
      state.slowFrom = null;
      slowBtn.setAttribute('aria-pressed', 'false');
    }
  });
  summaryBtn.addEventListener('click', openSummary);
  window.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && (/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable))) return;
    if (e.key === 'k' || e.key === 'K') setOn(!state.on);
  });
}

/** The summary page of the last result, as a string (null: no result yet). */
export function currentSummaryHtml(): string | null {
  const r = app().result();
  const spec = app().current();
  if (!r || !spec) return null;
  const init = app().init();
  const entry = app().entries().find((e) => e.id === spec.scenarioId);
  const s = init?.scenario ?? entry?.loaded?.scenario;
  const users = new Set(Object.keys(spec.extras.agents ?? {}));
  const agents = (s?.actors ?? []).flatMap((a) => {
    if (users.has(a.id)) return [{ actor: a.id, agent: 'user' }];
    const ag = (a as { agent?: string | { type: string } }).agent;
    return ag === undefined ? [] : [{ actor: a.id, agent: typeof ag === 'string' ? ag : ag.type }];
  });
  return summaryHtml(r, {
    scenario: { name: r.scenario, file: r.file, description: s?.description.trim() ?? '' },
    seed: r.seed,
    backend: r.backend,
    agents,
    breakIt: r.breakIt,
    clauses: planClauses(s?.requirements ?? []),
    link: window.location.href,
  });
}

function openSummary(): void {
  const html = currentSummaryHtml();
  if (!html) return;
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  const w = window.open(url, '_blank');
  if (!w) app().notify('warn', 'The summary tab was blocked', 'Allow pop-ups for this page, then press Summary again.');
  // The new tab has loaded it long before; the blob is freed with the page otherwise.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
