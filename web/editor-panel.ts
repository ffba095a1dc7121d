/**
 * The agent editor in the app (issue #7 section 4, "In the browser"): a tool
 * button "Agent editor" (key E) opens a panel in the lab dock with the
 * CodeMirror editor (web/agent-editor.ts), the actor of the current scenario
 * the agent drives (its cars and UAVs), Run, Download and Share, and the
 * run's verdict and score next to the editor.
 *
 * Run restarts the current scenario with `extras.agents = { [actor]: { file,
 * source } }` (RunOptions.agents): the simulation worker loads the agent into
 * its sandbox (agents/user/sandbox-worker.ts) and runs it with the CLI's
 * runner, so the verdict and state hash are those of `skylane run --agent`.
 * The run's errors (a load error with file:line:col, a runtime error, the
 * watchdog's reason for an agent that never returns) are shown at their line.
 *
 * Share puts the run in the URL (web/run-link.ts): `?...&agent=<actor>:user`
 * and `#agent=<base64url of the source>`; opening such a link opens the
 * editor with that source and runs it.
 */
import './editor-panel.css';
import { AGENTS } from '../agents/registry.ts';
import { MAX_SHARED_SOURCE_CHARS } from '../agents/user/editor-support.ts';
import type { UserAgentSource } from '../agents/user/user-agent.ts';
import { verdictLabel, type RunResult } from '../scenarios/result.ts';
import { app, appEvents } from './app.ts';
import { AGENT_TEMPLATES, mountAgentEditor, type AgentEditorHandle, type AgentTemplateName } from './agent-editor.ts';
import { formatRunLink, parseRunLink, USER_AGENT } from './run-link.ts';
import type { RunExtras } from './sim-protocol.ts';

/** The kinds of actor a user agent drives, and the template each starts from. */
const TEMPLATE_OF_KIND: Record<string, AgentTemplateName> = { car: 'car', uav: 'drone' };

interface Drivable {
  id: string;
  kind: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, testId?: string): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  if (testId) e.setAttribute('data-testid', testId);
  return e;
}

/**
 * The actors of the current scenario a user agent may drive (cars and UAVs), agent-driven first: from the
 * built run when there is one, else from the selected library scenario (a run that failed to start has no init).
 */
function drivableActors(): Drivable[] {
  const init = app().init();
  const spec = app().current();
  const scenario = init?.scenario ?? app().entries().find((e) => e.id === spec?.scenarioId)?.loaded?.scenario ?? null;
  if (!scenario) return [];
  const actors = (scenario.actors as { id: string; kind: string }[]).filter((a) => a.kind in TEMPLATE_OF_KIND);
  const driven = new Set(init?.agentDriven ?? []);
  return [...actors.filter((a) => driven.has(a.id)), ...actors.filter((a) => !driven.has(a.id))].map((a) => ({ id: a.id, kind: a.kind }));
}

/** The driving score of a run (its `driving-score` criterion), or the criteria that passed. */
export function scoreText(r: RunResult): string {
  const d = r.criteria.find((c) => c.type === 'driving-score');
  if (d && typeof d.value === 'number') return `driving score ${d.value.toFixed(2)}`;
  const passed = r.criteria.filter((c) => c.passed).length;
  return `${passed}/${r.criteria.length} criteria pass`;
}

// ---------- DOM ----------

const tools = document.getElementById('lab-tools');
const dock = document.getElementById('lab-dock');

const toggle = el('button', { type: 'button', className: 'btn btn-toggle', textContent: 'Agent editor', title: 'Write your own agent for this scenario and run it (E)' }, 'editor-toggle');
toggle.setAttribute('aria-pressed', 'false');

const panel = el('section', { className: 'editor-panel', hidden: true }, 'editor-panel');
panel.setAttribute('aria-label', 'Agent editor');
const editorHost = el('div', { className: 'editor-panel-editor' });
const side = el('div', { className: 'editor-panel-side' });
const head = el('div', { className: 'editor-panel-head' });
head.append(el('h2', { textContent: 'Your agent' }), el('button', { type: 'button', className: 'editor-panel-close', textContent: '×', title: 'Close the editor (E)' }, 'editor-close'));
const actorLabel = el('label', { className: 'editor-panel-field', textContent: 'Drives ' });
const actorSelect = el('select', { title: 'The actor of this scenario your agent drives (its cars and drones)' }, 'editor-actor');
actorLabel.append(actorSelect);
const driving = el('div', { className: 'editor-panel-driving' }, 'editor-driving');
const detach = el('button', { type: 'button', className: 'editor-panel-link', textContent: "Back to the scenario's agent", hidden: true }, 'editor-detach');
const result = el('div', { className: 'editor-panel-result' }, 'editor-result');
const verdictEl = el('div', { className: 'editor-panel-verdict' }, 'editor-verdict');
const scoreEl = el('div', { className: 'editor-panel-score mono' }, 'editor-score');
const reasonEl = el('div', { className: 'editor-panel-reason' }, 'editor-reason');
const hashEl = el('div', { className: 'editor-panel-hash mono' }, 'editor-hash');
const cliEl = el('div', { className: 'editor-panel-cli mono', title: 'The same run headless: save the agent (Download) and run' }, 'editor-cli');
result.append(verdictEl, scoreEl, reasonEl, hashEl, cliEl);
side.append(head, actorLabel, driving, detach, result);
panel.append(editorHost, side);

tools?.append(toggle);
dock?.append(panel);

// ---------- state ----------

let editor: AgentEditorHandle | null = null;
/** The source a shared link brought, to load when the editor is first built. */
let pendingSource: string | null = null;
/** The user agent of the run being built or shown (null: the scenario's own agents). */
let running: { actor: string; file: string } | null = null;

function userAgentsOf(extras: RunExtras | undefined): [string, UserAgentSource][] {
  return Object.entries(extras?.agents ?? {});
}

function chosenActor(): Drivable | null {
  const list = drivableActors();
  return list.find((a) => a.id === actorSelect.value) ?? list[0] ?? null;
}

function fillActors(): void {
  const list = drivableActors();
  const keep = running?.actor ?? actorSelect.value;
  const pick = list.find((a) => a.id === keep)?.id ?? app().init()?.driving?.egoId ?? list[0]?.id ?? '';
  actorSelect.replaceChildren(...list.map((a) => new Option(`${a.id} (${a.kind === 'uav' ? 'drone' : a.kind})`, a.id, false, a.id === pick)));
  actorSelect.disabled = list.length === 0;
  if (list.length === 0) setResult('error', 'not run', '', app().current() ? 'This scenario has no car or drone for an agent to drive.' : 'No scenario is selected.');
}

function setResult(kind: 'none' | 'running' | 'pass' | 'fail' | 'error', verdict: string, score = '', reason = '', hash = ''): void {
  result.dataset.state = kind;
  verdictEl.textContent = verdict;
  verdictEl.className = `editor-panel-verdict verdict-text verdict-text-${kind}`;
  scoreEl.textContent = score;
  reasonEl.textContent = reason;
  reasonEl.title = reason;
  hashEl.textContent = hash ? `state ${hash}` : '';
  hashEl.title = hash;
}

function renderDriving(): void {
  driving.textContent = running ? `${running.actor} is driven by your agent (${running.file}).` : "The scenario's own agents drive; Run puts yours in.";
  detach.hidden = !running;
}

/** Share: this run's link (web/run-link.ts) with the agent in its hash. */
function shareUrl(source: string): string {
  if (source.length > MAX_SHARED_SOURCE_CHARS) throw new Error(`the agent is ${source.length} characters; at most ${MAX_SHARED_SOURCE_CHARS} can be shared in a URL (download it instead)`);
  const actor = chosenActor()?.id ?? running?.actor;
  if (!actor) throw new Error('no actor to drive in this scenario: nothing to share');
  const spec = app().current();
  const link = formatRunLink(location.search, { agents: [{ actor, agent: USER_AGENT }], ...(spec?.extras.breakIt ? { breakIt: spec.extras.breakIt } : {}), userSource: source });
  return `${location.origin}${location.pathname}${link}`;
}

function ensureEditor(): AgentEditorHandle {
  if (editor) return editor;
  const kind = chosenActor()?.kind ?? 'car';
  const template = TEMPLATE_OF_KIND[kind] ?? 'car';
  editor = mountAgentEditor(editorHost, {
    template,
    hash: false,
    ...(pendingSource !== null ? { initial: pendingSource, fileName: 'my-agent.ts' } : {}),
    onRun: run,
    shareUrl,
  });
  pendingSource = null;
  return editor;
}

function setOpen(open: boolean): void {
  panel.hidden = !open;
  toggle.setAttribute('aria-pressed', String(open));
  if (open) {
    fillActors();
    ensureEditor();
    renderDriving();
  }
}

/** Run the editor's agent on the chosen actor of the current scenario, playing once built. */
function run(agent: UserAgentSource): void {
  const actor = chosenActor();
  const spec = app().current();
  if (!actor || !spec) {
    setResult('error', 'not run', '', actor ? 'No scenario is selected.' : 'This scenario has no car or drone for an agent to drive.');
    return;
  }
  const extras: RunExtras = { ...spec.extras, agents: { [actor.id]: agent } };
  app().restart(extras, true);
}

// ---------- what the run view reports ----------

appEvents.on('prepare', (spec) => {
  const mine = userAgentsOf(spec.extras)[0];
  running = mine ? { actor: mine[0], file: mine[1].file } : null;
  if (running) setResult('running', 'running…', '', `${spec.scenarioId} · seed ${spec.seed} · ${spec.backend}`);
  else setResult('none', '');
  const file = app().entries().find((e) => e.id === spec.scenarioId)?.file ?? spec.scenarioId;
  cliEl.textContent = mine ? `$ skylane run ${file} --seed ${spec.seed} --backend ${spec.backend} --agent ${mine[0]}=${mine[1].file}` : '';
  renderDriving();
});

appEvents.on('init', () => fillActors());

appEvents.on('result', (r) => {
  if (!running) return;
  const kind = r.verdict === 'pass' ? 'pass' : r.verdict === 'fail' ? 'fail' : 'error';
  setResult(kind, verdictLabel(r), scoreText(r), r.error ?? r.endReason, r.stateHash);
  if (r.error) showError(r.error);
});

appEvents.on('error', (message) => {
  if (!running) return;
  setResult('error', 'ERROR', '', message);
  showError(message);
});

/** A run's error in the editor, at its line when the message names one in the agent's file. */
function showError(message: string): void {
  const line = ensureEditor().showRuntimeError(message);
  if (line === null) delete panel.dataset.errorLine;
  else panel.dataset.errorLine = String(line);
}

// Another scenario picked: the agent stays on when the new scenario has an actor of that id (a wrong kind is the runner's clean error), else it is taken off.
appEvents.on('select', (entry) => {
  fillActors();
  const spec = app().current();
  const agents = userAgentsOf(spec?.extras);
  if (!entry || agents.length === 0 || !spec) return;
  const actors = (entry.loaded?.scenario.actors ?? []) as { id: string; kind: string }[];
  const keep = agents.every(([id]) => actors.some((a) => a.id === id));
  if (keep) return;
  const { agents: _dropped, ...rest } = spec.extras;
  app().restart(rest, false);
  app().notify('info', 'Your agent was taken off', `${entry.id} has no actor ${agents.map(([id]) => `'${id}'`).join(', ')}; its own agents drive. Pick an actor in the agent editor and Run.`);
});

// ---------- controls ----------

toggle.addEventListener('click', () => setOpen(panel.hidden));
head.querySelector('.editor-panel-close')!.addEventListener('click', () => setOpen(false));
detach.addEventListener('click', () => {
  const spec = app().current();
  if (!spec) return;
  const { agents: _dropped, ...rest } = spec.extras;
  app().restart(rest, false);
});
actorSelect.addEventListener('change', () => {
  // A fresh editor follows the kind: the drone template for a drone, the car one for a car.
  const kind = chosenActor()?.kind;
  const template = kind ? TEMPLATE_OF_KIND[kind] : undefined;
  if (editor && template && !running && isUntouchedTemplate(editor.source().source)) editor.loadTemplate(template);
});
window.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (e.ctrlKey || e.metaKey || e.altKey || (t && (/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable))) return;
  if (e.key === 'e' || e.key === 'E') setOpen(panel.hidden);
});

function isUntouchedTemplate(source: string): boolean {
  return Object.values(AGENT_TEMPLATES).some((t) => t.source === source);
}

// ---------- a shared link: ?...&agent=<actor>:user#agent=<source> ----------

{
  const link = parseRunLink(location.search, location.hash, Object.keys(AGENTS));
  for (const w of link.warnings) if (w.includes(`:${USER_AGENT}`) || w.startsWith('#agent')) app().notify('warn', 'Ignored part of the link', w);
  const users = link.agents.filter((a) => a.agent === USER_AGENT).map((a) => a.actor);
  if (link.userSource !== null) {
    pendingSource = link.userSource;
    // main.ts builds the linked scenario right after the lab features load: open the editor on it and
    // run the shared agent instead, once (the first build is superseded; the worker drops it).
    const off = appEvents.on('prepare', (spec) => {
      off();
      setOpen(true);
      if (users.length === 0) return;
      const source = ensureEditor().source();
      const agents: Record<string, UserAgentSource> = {};
      for (const actor of users) agents[actor] = source;
      queueMicrotask(() => app().restart({ ...spec.extras, agents }, true));
    });
  }
}
