/**
 * DOM rendering for the panels: the scenario list, the criteria, the event
 * log, notices and small formatting helpers. No simulation state lives here.
 */
import type { CriterionResult } from '../scenarios/criteria/criterion.ts';
import type { SimEvent } from '../sim/snapshot.ts';
import type { LibraryEntry } from './library.ts';

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`web/index.html is missing #${id}`);
  return el as T;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Set text only when it changed (cheap to call every frame). */
export function setText(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return x.toFixed(a >= 100 ? 1 : a >= 10 ? 2 : 3);
}

export function formatQuantity(x: number | null, unit: string): string {
  if (x === null) return '—';
  return unit ? `${formatNumber(x)} ${unit}` : formatNumber(x);
}

// ---------- scenario list ----------

export function renderScenarioList(list: HTMLElement, entries: LibraryEntry[], onSelect: (id: string) => void): void {
  list.replaceChildren();
  for (const e of entries) {
    const li = el('li');
    const btn = el('button', `scenario${e.error ? ' scenario-broken' : ''}`);
    btn.type = 'button';
    btn.dataset.testid = 'scenario-item';
    btn.dataset.scenario = e.id;
    const head = el('div', 'scenario-head');
    head.append(el('span', 'scenario-name', e.id));
    if (e.loaded) head.append(el('span', `badge badge-${e.loaded.scenario.family}`, e.loaded.scenario.family));
    else head.append(el('span', 'badge badge-error', 'invalid'));
    btn.append(head);
    if (e.loaded) {
      const s = e.loaded.scenario;
      btn.append(el('p', 'scenario-desc', s.description));
      const nScatter = s.world.scatter.reduce((n, sc) => n + sc.count, 0);
      btn.append(el('div', 'scenario-meta', `seed ${s.seed} · ${s.duration} s · ${s.actors.length + nScatter} actors · ${s.criteria.length} criteria`));
    } else {
      btn.append(el('p', 'scenario-error', e.error ?? 'failed to load'));
    }
    btn.addEventListener('click', () => onSelect(e.id));
    li.append(btn);
    list.append(li);
  }
}

export function markSelected(list: HTMLElement, id: string | null): void {
  for (const b of list.querySelectorAll<HTMLButtonElement>('button.scenario')) {
    const on = b.dataset.scenario === id;
    b.classList.toggle('selected', on);
    b.setAttribute('aria-current', on ? 'true' : 'false');
  }
}

// ---------- criteria ----------

export type CriterionStatus = 'running' | 'pass' | 'fail';

export interface CriterionRow {
  result: CriterionResult;
  status: CriterionStatus;
}

interface CriterionDom {
  status: HTMLElement;
  value: HTMLElement;
  threshold: HTMLElement;
  reason: HTMLElement;
  root: HTMLElement;
}

/** Keeps one card per criterion and updates it in place. */
export class CriteriaView {
  private rows: CriterionDom[] = [];

  constructor(private readonly list: HTMLElement, private readonly count: HTMLElement) {}

  reset(rows: CriterionRow[]): void {
    this.list.replaceChildren();
    this.rows = rows.map((r) => {
      const root = el('li', 'criterion');
      root.dataset.testid = 'criterion';
      root.dataset.name = r.result.name;
      const head = el('div', 'criterion-head');
      const name = el('span', 'criterion-name', r.result.name);
      const status = el('span', 'pill');
      status.dataset.testid = 'criterion-status';
      head.append(name, status);
      const nums = el('div', 'criterion-nums mono');
      const value = el('span', 'criterion-value');
      const threshold = el('span', 'criterion-threshold');
      nums.append(el('span', 'label', 'value'), value, el('span', 'label', 'threshold'), threshold);
      const reason = el('p', 'criterion-reason');
      root.append(head, nums, reason);
      if (r.result.type !== r.result.name) root.append(el('div', 'criterion-type', r.result.type));
      this.list.append(root);
      return { root, status, value, threshold, reason };
    });
    this.update(rows);
  }

  update(rows: CriterionRow[]): void {
    let passed = 0;
    rows.forEach((r, i) => {
      const d = this.rows[i];
      if (!d) return;
      if (r.status === 'pass') passed++;
      setText(d.status, r.status);
      d.status.className = `pill pill-${r.status}`;
      d.root.dataset.status = r.status;
      setText(d.value, formatQuantity(r.result.value, r.result.unit));
      setText(d.threshold, formatQuantity(r.result.threshold, r.result.unit));
      setText(d.reason, r.result.reason);
      d.reason.title = r.result.thresholdSource ? `threshold from ${r.result.thresholdSource}` : '';
    });
    setText(this.count, rows.length ? `${passed}/${rows.length} pass` : '');
  }

  clear(): void {
    this.list.replaceChildren();
    this.rows = [];
    setText(this.count, '');
  }
}

// ---------- events ----------

const MAX_EVENTS = 300;

export function describeEvent(e: SimEvent): { kind: string; text: string; tone: string } {
  switch (e.type) {
    case 'collision':
      return { kind: e.started ? 'contact' : 'separate', text: `${e.a} ↔ ${e.b}`, tone: e.started ? 'bad' : 'muted' };
    case 'timeline':
      return { kind: 'timeline', text: e.event + (e.detail ? `: ${e.detail}` : ''), tone: 'info' };
    case 'fault':
      return { kind: 'fault', text: `${e.actor}.${e.target}: ${e.detail}`, tone: 'warn' };
    case 'criterion':
      return { kind: e.passed ? 'passed' : 'failed', text: `${e.name}: ${e.reason}`, tone: e.passed ? 'good' : 'bad' };
    case 'agent-error':
      return { kind: 'agent error', text: `${e.actor}: ${e.detail}`, tone: 'bad' };
    case 'stop':
      return { kind: 'stop', text: e.reason, tone: 'info' };
    case 'airspace':
      return { kind: `airspace ${e.kind}`, text: `${e.actor}: ${e.detail}`, tone: e.kind === 'exit' ? 'info' : e.kind === 'warning' ? 'warn' : 'bad' };
  }
}

export class EventLog {
  private n = 0;
  private pending: SimEvent[] = [];

  constructor(private readonly list: HTMLElement, private readonly count: HTMLElement) {}

  clear(): void {
    this.list.replaceChildren();
    this.pending = [];
    this.n = 0;
    setText(this.count, '');
  }

  push(e: SimEvent): void {
    this.pending.push(e);
  }

  /** Write queued events to the DOM (called once per frame, not per event). */
  flush(): void {
    if (this.pending.length === 0) return;
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 24;
    for (const e of this.pending) {
      const d = describeEvent(e);
      const li = el('li', `event tone-${d.tone}`);
      li.append(el('span', 'event-time', e.time.toFixed(2)), el('span', 'event-kind', d.kind), el('span', 'event-text', d.text));
      li.title = d.text;
      this.list.append(li);
      this.n++;
    }
    this.pending = [];
    while (this.list.childElementCount > MAX_EVENTS) this.list.firstElementChild?.remove();
    setText(this.count, String(this.n));
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }
}

// ---------- notices ----------

export type NoticeTone = 'error' | 'warn' | 'info';

export class Notices {
  constructor(private readonly root: HTMLElement) {}

  show(tone: NoticeTone, title: string, detail?: string): void {
    const box = el('div', `notice notice-${tone}`);
    box.setAttribute('role', tone === 'error' ? 'alert' : 'status');
    box.dataset.testid = `notice-${tone}`;
    const head = el('div', 'notice-head');
    head.append(el('span', 'notice-title', title));
    const close = el('button', 'notice-close', '×');
    close.type = 'button';
    close.title = 'Dismiss';
    close.addEventListener('click', () => box.remove());
    head.append(close);
    box.append(head);
    if (detail) box.append(el('pre', 'notice-detail', detail));
    this.root.append(box);
  }

  clear(tone?: NoticeTone): void {
    for (const n of [...this.root.children]) if (!tone || n.classList.contains(`notice-${tone}`)) n.remove();
  }
}
