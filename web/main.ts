/**
 * The browser app: pick a library scenario, run it with the same runner the
 * CLI uses, watch it in 3D and read the live criteria and the final verdict.
 *
 * The simulation advances on requestAnimationFrame with a fixed-step
 * accumulator: each frame adds (real seconds x speed) of simulated time and
 * takes that many whole physics steps (capped per frame so a slow frame never
 * snowballs). The run itself is deterministic: the frame rate changes only
 * how fast it plays, never its result or state hash.
 */
import type { Subscription } from 'rxjs';
import type { Run } from '../scenarios/runner.ts';
import { startRun } from '../scenarios/runner.ts';
import { verdictLabel, type RunResult } from '../scenarios/result.ts';
import { BACKEND_IDS, type BackendId } from '../sim/physics/backend.ts';
import { loadLibrary, type LibraryEntry } from './library.ts';
import { DrivingPanel } from './driving-panel.ts';
import { CAMERA_MODES, formatDeepLink, parseDeepLink, SPEEDS, type CameraMode } from './params.ts';
import { SceneView } from './scene.ts';
import { V2xService } from '../vehicles/v2x/v2x-service.ts';
import type { V2xLinks } from './v2x-overlay.ts';
import { RecentV2xLinks } from './v2x-links.ts';
import { UavPanel } from './uav-panel.ts';
import { GimbalPanel } from './gimbal-panel.ts';
import { AirspacePanel } from './airspace-panel.ts';
import { $, CriteriaView, EventLog, markSelected, Notices, renderScenarioList, setText, type CriterionRow } from './ui.ts';

/** At most this many physics steps per animation frame (8x at 100 Hz needs ~14 at 60 fps). */
const MAX_STEPS_PER_FRAME = 240;
/** A frame longer than this (tab in background, debugger) counts as this long. */
const MAX_FRAME_S = 0.25;
/** Panel refresh period while playing, real seconds. */
const PANEL_PERIOD_S = 0.1;

type Status = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'finished' | 'error';

const dom = {
  reset: $<HTMLButtonElement>('btn-reset'),
  play: $<HTMLButtonElement>('btn-play'),
  pause: $<HTMLButtonElement>('btn-pause'),
  step: $<HTMLButtonElement>('btn-step'),
  speed: $<HTMLSelectElement>('speed'),
  seed: $<HTMLInputElement>('seed'),
  backend: $<HTMLSelectElement>('backend'),
  list: $('scenario-list'),
  listCount: $('scenario-count'),
  viewport: $('viewport'),
  overlay: $('overlay'),
  overlayText: $('overlay-text'),
  overlaySpinner: $('overlay-spinner'),
  hudScenario: $('hud-scenario'),
  hudTime: $('hud-time'),
  hudSpeed: $('hud-speed'),
  hudStats: $('hud-stats'),
  cameraHint: $('camera-hint'),
  follow: $<HTMLSelectElement>('follow'),
  v2x: $<HTMLButtonElement>('btn-v2x'),
  v2xLegend: $('v2x-legend'),
  v2xLegendText: $('v2x-legend-text'),
  rays: $<HTMLButtonElement>('btn-rays'),
  raysLegend: $('rays-legend'),
  raysLegendText: $('rays-legend-text'),
  trails: $<HTMLButtonElement>('btn-trails'),
  pip: $<HTMLButtonElement>('btn-pip'),
  zones: $<HTMLButtonElement>('btn-zones'),
  banner: $('verdict-banner'),
  verdict: $('verdict'),
  verdictLine: $('verdict-line'),
  verdictHash: $('verdict-hash'),
  status: $('run-status'),
  simTime: $('sim-time'),
  simDuration: $('sim-duration'),
  progress: $('progress-bar'),
  factScenario: $('fact-scenario'),
  factSeed: $('fact-seed'),
  factBackend: $('fact-backend'),
  factSteps: $('fact-steps'),
  cli: $('cli-line'),
  resultCard: $('result-card'),
  resultVerdict: $('result-verdict'),
  resultReason: $('result-reason'),
  resultWallTime: $('result-walltime'),
  resultHash: $('result-hash'),
};

const notices = new Notices($('notices'));
const criteriaView = new CriteriaView($('criteria'), $('criteria-count'));
const eventLog = new EventLog($('events'), $('events-count'));
const drivingPanel = new DrivingPanel();

/** No links: what the overlay draws while the run exposes none. */
const NO_LINKS: V2xLinks = Object.freeze([]);

/**
 * The V2X links to draw for a run, as [senderId, receiverId], held for one
 * message period (./v2x-links.ts); null when the scenario has no world.v2x.
 * Roadside units are radios but not actors: their positions come along.
 */
function v2xLinksOf(run: Run): { links: () => V2xLinks; rsus: V2xService['rsus']; dispose: () => void } | null {
  const service = V2xService.of(run.world);
  if (!service) return null;
  const recent = new RecentV2xLinks(service);
  return { links: () => recent.current(run.time), rsus: service.rsus, dispose: () => recent.dispose() };
}

const link = parseDeepLink(window.location.search);
for (const w of link.warnings) notices.show('warn', 'Ignored part of the link', w);

const state = {
  entries: [] as LibraryEntry[],
  selected: null as LibraryEntry | null,
  run: null as Run | null,
  events: null as Subscription | null,
  terrain: new Set<string>(),
  result: null as RunResult | null,
  status: 'idle' as Status,
  playing: false,
  speed: link.speed ?? 1,
  backend: (link.backend ?? 'rapier') as BackendId,
  seed: 0,
  camera: (link.camera ?? 'orbit') as CameraMode,
  v2x: link.v2x,
  rays: link.rays,
  trails: link.trails,
  pip: link.pip,
  zones: link.zones,
  v2xSource: null as ReturnType<typeof v2xLinksOf>,
  accumulator: 0,
  /** Bumped by every (re)build; a stale async build discards its result. */
  generation: 0,
  lastFrame: 0,
  lastPanel: 0,
  /** Smoothed per-frame cost of stepping the run and of rendering, ms (shown with `stats=1`). */
  stepMs: 0,
  renderMs: 0,
};

let scene: SceneView | null = null;
try {
  scene = new SceneView(dom.viewport);
} catch (err) {
  notices.show('error', 'WebGL is not available: the 3D view is off', `${err instanceof Error ? err.message : String(err)}\nRuns still execute and report their verdict.`);
}

const uavPanel = new UavPanel(scene);
const gimbalPanel = new GimbalPanel(scene);
const airspacePanel = new AirspacePanel(scene);

// ---------- controls ----------

for (const s of SPEEDS) dom.speed.append(new Option(`${s}×`, String(s), false, s === state.speed));
for (const b of BACKEND_IDS) dom.backend.append(new Option(b, b, false, b === state.backend));

function updateUrl(): void {
  if (!state.selected) return;
  const q = formatDeepLink({ scenario: state.selected.id, seed: state.seed, backend: state.backend, speed: state.speed, camera: state.camera, v2x: state.v2x, rays: state.rays, trails: state.trails, pip: state.pip, zones: state.zones });
  if (window.location.search !== q) window.history.replaceState(null, '', q);
}

function setStatus(s: Status): void {
  state.status = s;
  setText(dom.status, s);
  dom.status.className = `pill pill-${s}`;
  const busy = s === 'loading';
  const hasRun = state.run !== null && !busy;
  dom.reset.disabled = busy || !state.selected?.loaded;
  dom.play.disabled = !hasRun || state.playing;
  dom.pause.disabled = !hasRun || !state.playing;
  dom.step.disabled = !hasRun || state.playing || s === 'finished';
  dom.seed.disabled = busy || !state.selected?.loaded;
  dom.backend.disabled = busy;
}

function setCamera(mode: CameraMode): void {
  if (mode !== 'orbit' && scene && !scene.canFollow && state.run) mode = 'orbit';
  state.camera = mode;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-camera]')) b.setAttribute('aria-checked', String(b.dataset.camera === mode));
  scene?.setCameraMode(mode);
  renderCameraHint();
  updateUrl();
}

function renderCameraHint(): void {
  const who = scene?.followedId || 'the first agent-driven actor';
  setText(
    dom.cameraHint,
    state.camera === 'orbit' ? 'Drag to orbit · right-drag to pan · scroll to zoom'
      : state.camera === 'chase' ? `Chasing ${who} · scroll to zoom`
        : `Top-down over ${who}, north up · scroll to zoom`,
  );
}

/** Fill the follow select with the run's moving actors (agent-driven first) and select the followed one. */
function renderFollowList(): void {
  const ids = scene?.followCandidates() ?? [];
  dom.follow.replaceChildren(...ids.map((id) => new Option(id, id, false, id === scene?.followedId)));
  dom.follow.disabled = ids.length === 0;
}

function setV2x(on: boolean): void {
  state.v2x = on;
  dom.v2x.setAttribute('aria-pressed', String(on));
  if (scene) scene.showV2x = on;
  dom.v2xLegend.hidden = !on;
  updateUrl();
}

function setRays(on: boolean): void {
  state.rays = on;
  dom.rays.setAttribute('aria-pressed', String(on));
  if (scene) scene.showRays = on;
  dom.raysLegend.hidden = !on;
  renderRaysLegend();
  updateUrl();
}

function setPip(on: boolean): void {
  state.pip = on;
  dom.pip.setAttribute('aria-pressed', String(on));
  if (scene) scene.showPip = on;
  updateUrl();
}

function setZones(on: boolean): void {
  state.zones = on;
  dom.zones.setAttribute('aria-pressed', String(on));
  if (scene) scene.showZones = on;
  airspacePanel.update();
  updateUrl();
}

function setTrails(on: boolean): void {
  state.trails = on;
  dom.trails.setAttribute('aria-pressed', String(on));
  if (scene) scene.showTrails = on;
  updateUrl();
}

/** The rays legend counts what the last scans returned (data-points carries the number for tests). */
function renderRaysLegend(): void {
  if (!state.rays || !scene) return;
  const c = scene.rayCounts;
  dom.raysLegend.dataset.points = String(c.points);
  dom.raysLegend.dataset.rays = String(c.rays);
  setText(
    dom.raysLegendText,
    state.run && c.watched === 0
      ? 'Perception rays: no lidar or range ring in this run'
      : `Last scans as the agents received them: ${c.points.toLocaleString('en')} return${c.points === 1 ? '' : 's'} from ${c.sensors} of ${c.watched} sensor${c.watched === 1 ? '' : 's'} (near red, far cyan)`,
  );
}

/** The legend says what the lines are, and that nothing is connected yet when the run exposes no deliveries. */
function renderV2xLegend(): void {
  if (!state.v2x || !scene) return;
  const { drawn, skipped } = scene.v2xCounts;
  setText(
    dom.v2xLegendText,
    state.run && !state.v2xSource
      ? 'V2X deliveries: this run exposes none'
      : `V2X deliveries (ground truth of the channel), latest tick: ${drawn}${skipped ? ` (${skipped} to actors not drawn)` : ''}`,
  );
}

function showOverlay(text: string | null, spinner = true): void {
  dom.overlay.hidden = text === null;
  if (text !== null) setText(dom.overlayText, text);
  dom.overlaySpinner.hidden = !spinner;
  dom.overlay.classList.toggle('overlay-error', !spinner);
}

// ---------- run lifecycle ----------

function teardown(): void {
  state.events?.unsubscribe();
  state.events = null;
  state.run?.dispose();
  state.run = null;
  state.result = null;
  state.playing = false;
  state.accumulator = 0;
  scene?.clear();
  state.v2xSource?.dispose();
  state.v2xSource = null;
  drivingPanel.clear();
  uavPanel.clear();
  gimbalPanel.clear();
  airspacePanel.clear();
  criteriaView.clear();
  eventLog.clear();
  setText(dom.verdict, '');
  dom.banner.hidden = true;
  dom.banner.className = 'verdict-banner';
  dom.resultCard.hidden = true;
}

/** Mark the run as ended before it could start (bad scenario, backend failure). */
function failBeforeStart(title: string, detail: string): void {
  notices.show('error', title, detail);
  showOverlay(`${title}\n${detail}`, false);
  setText(dom.verdict, 'error');
  dom.banner.hidden = false;
  dom.banner.className = 'verdict-banner verdict-error';
  setText(dom.verdictLine, title);
  setText(dom.verdictHash, '');
  setStatus('error');
}

async function prepare(autoplay: boolean): Promise<void> {
  const gen = ++state.generation;
  teardown();
  notices.clear('error');
  const entry = state.selected;
  if (!entry) return;
  setText(dom.hudScenario, entry.id);
  setText(dom.factScenario, entry.id);
  setText(dom.factSeed, String(state.seed));
  setText(dom.factBackend, state.backend);
  setText(dom.factSteps, '0');
  setText(dom.cli, `skylane run ${entry.file} --seed ${state.seed} --backend ${state.backend}`);
  renderTime(0, entry.loaded?.scenario.duration ?? 0);
  if (!entry.loaded) {
    failBeforeStart(`${entry.file} does not load`, entry.error ?? 'unknown error');
    return;
  }
  setStatus('loading');
  showOverlay(state.backend.startsWith('rapier') ? 'Initialising Rapier physics (WebAssembly)…' : 'Building the world…');
  let run: Run;
  try {
    run = await startRun(entry.loaded, { seed: state.seed, backend: state.backend, clock: () => performance.now() / 1000 });
  } catch (err) {
    if (gen !== state.generation) return;
    failBeforeStart(`${entry.id} could not start`, err instanceof Error ? err.message : String(err));
    return;
  }
  if (gen !== state.generation) {
    run.dispose();
    return;
  }
  showOverlay(null);
  state.run = run;
  state.terrain = new Set(run.world.actors().filter((a) => a.descriptor.isTerrain).map((a) => a.id));
  state.events = run.world.events$.subscribe((e) => {
    // Resting on the ground is not a collision (the criteria ignore terrain too).
    if (e.type === 'collision' && (state.terrain.has(e.a) || state.terrain.has(e.b))) return;
    eventLog.push(e);
  });
  scene?.setWorld(run.world, run.scenario, run.road);
  state.v2xSource?.dispose();
  state.v2xSource = v2xLinksOf(run);
  scene?.setV2xSource(state.v2xSource?.links ?? (() => NO_LINKS), state.v2xSource?.rsus ?? []);
  renderV2xLegend();
  renderFollowList();
  setCamera(state.camera);
  drivingPanel.attach(run);
  uavPanel.attach(run);
  gimbalPanel.attach(run);
  airspacePanel.attach(run);
  renderRaysLegend();
  criteriaView.reset(criteriaRows(run));
  renderTime(run.time, run.scenario.duration);
  setStatus('ready');
  if (autoplay) play();
}

function criteriaRows(run: Run): CriterionRow[] {
  if (state.result) return state.result.criteria.map((result) => ({ result, status: result.passed ? 'pass' : 'fail' }));
  const live = run.liveCriteria();
  return live.map((result, i) => {
    const s = run.criteria[i]?.status ?? 'running';
    return { result, status: s === 'passed' ? 'pass' : s === 'failed' ? 'fail' : 'running' };
  });
}

function renderTime(t: number, duration: number): void {
  const txt = t.toFixed(2);
  setText(dom.simTime, txt);
  setText(dom.hudTime, txt);
  setText(dom.simDuration, duration ? `/ ${duration} s` : '');
  dom.progress.style.width = `${duration ? Math.min(100, (100 * t) / duration) : 0}%`;
}

function renderPanels(): void {
  const run = state.run;
  if (!run) return;
  renderTime(run.time, run.scenario.duration);
  setText(dom.factSteps, String(run.world.stepCount));
  criteriaView.update(criteriaRows(run));
  drivingPanel.update();
  uavPanel.update();
  gimbalPanel.update();
  airspacePanel.update();
  renderV2xLegend();
  renderRaysLegend();
  if (link.stats) setText(dom.hudStats, `sim ${state.stepMs.toFixed(1)} ms · render ${state.renderMs.toFixed(1)} ms`);
  eventLog.flush();
}

function finish(): void {
  const run = state.run;
  if (!run) return;
  const r = run.result();
  state.result = r;
  state.playing = false;
  renderPanels();
  const word = verdictLabel(r);
  dom.banner.className = `verdict-banner verdict-${r.verdict}`;
  dom.banner.hidden = false;
  // A negative control says what its failure demonstrates.
  const control = r.expectedFailure ? ` · ${r.expectedFailure.met ? 'failed as expected' : 'NOT as expected'}: ${r.expectedFailure.why}` : '';
  setText(dom.verdictLine, `${r.scenario} · seed ${r.seed} · ${r.backend} · ${r.simTime.toFixed(2)} s · ${r.error ?? r.endReason}${control}`);
  setText(dom.verdictHash, `state ${r.stateHash}`);
  dom.verdictHash.title = r.stateHash;
  dom.resultCard.hidden = false;
  setText(dom.resultVerdict, word);
  dom.resultVerdict.className = `verdict-text verdict-text-${r.verdict}`;
  setText(dom.resultReason, r.error ?? r.endReason);
  dom.resultReason.title = r.error ?? r.endReason;
  setText(dom.resultWallTime, `${r.wallTime.toFixed(2)} s`);
  setText(dom.resultHash, r.stateHash);
  if (r.error) notices.show('error', 'The run ended with an error', r.error);
  setStatus('finished');
  // Last: tests wait on this.
  setText(dom.verdict, r.verdict);
}

function play(): void {
  if (state.status === 'loading') return;
  if (!state.run || state.run.done) {
    void prepare(true);
    return;
  }
  state.playing = true;
  state.accumulator = 0;
  setStatus('running');
}

function pause(): void {
  if (!state.playing) return;
  state.playing = false;
  setStatus('paused');
  renderPanels();
}

function stepOnce(): void {
  const run = state.run;
  if (!run || run.done || state.playing || state.status === 'loading') return;
  run.step(1);
  scene?.update(run.world.snapshot);
  if (run.done) finish();
  else {
    setStatus('paused');
    renderPanels();
  }
}

function select(id: string, seed?: number | null): void {
  const entry = state.entries.find((e) => e.id === id) ?? null;
  state.selected = entry;
  markSelected(dom.list, entry?.id ?? null);
  state.seed = seed ?? entry?.loaded?.scenario.seed ?? 0;
  dom.seed.value = String(state.seed);
  dom.seed.classList.remove('invalid');
  updateUrl();
}

// ---------- frame loop ----------

function frame(now: number): void {
  const dt = state.lastFrame ? Math.min((now - state.lastFrame) / 1000, MAX_FRAME_S) : 0;
  state.lastFrame = now;
  try {
    const run = state.run;
    if (run && state.playing && !run.done) {
      state.accumulator += dt * state.speed;
      let n = Math.floor(state.accumulator / run.world.dt + 1e-9);
      if (n > MAX_STEPS_PER_FRAME) {
        n = MAX_STEPS_PER_FRAME;
        state.accumulator = 0; // drop the backlog: play slower rather than stall
      } else {
        state.accumulator -= n * run.world.dt;
      }
      if (n > 0) {
        const t0 = performance.now();
        run.step(n);
        state.stepMs += 0.1 * (performance.now() - t0 - state.stepMs);
        scene?.update(run.world.snapshot);
      }
      if (run.done) finish();
      else if (now / 1000 - state.lastPanel >= PANEL_PERIOD_S) {
        state.lastPanel = now / 1000;
        renderPanels();
      }
    }
    const t1 = performance.now();
    scene?.render(dt);
    state.renderMs += 0.1 * (performance.now() - t1 - state.renderMs);
  } catch (err) {
    state.playing = false;
    setStatus('error');
    notices.show('error', 'The viewer stopped', err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
  requestAnimationFrame(frame);
}

// ---------- wiring ----------

dom.reset.addEventListener('click', () => void prepare(false));
dom.play.addEventListener('click', play);
dom.pause.addEventListener('click', pause);
dom.step.addEventListener('click', stepOnce);
dom.speed.addEventListener('change', () => {
  state.speed = Number(dom.speed.value);
  state.accumulator = 0;
  setText(dom.hudSpeed, `${state.speed}×`);
  updateUrl();
});
dom.seed.addEventListener('change', () => {
  const n = Number(dom.seed.value);
  if (dom.seed.value.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    dom.seed.classList.add('invalid');
    notices.show('warn', 'Seed not changed', `"${dom.seed.value}" is not a whole number >= 0.`);
    return;
  }
  dom.seed.classList.remove('invalid');
  state.seed = n;
  updateUrl();
  void prepare(false);
});
dom.backend.addEventListener('change', () => {
  state.backend = dom.backend.value as BackendId;
  updateUrl();
  void prepare(false);
});
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-camera]')) {
  b.addEventListener('click', () => setCamera((CAMERA_MODES as readonly string[]).includes(b.dataset.camera ?? '') ? (b.dataset.camera as CameraMode) : 'orbit'));
}
dom.follow.addEventListener('change', () => {
  scene?.follow(dom.follow.value);
  renderCameraHint();
  // Following someone means watching them: leave the free camera for the chase.
  if (state.camera === 'orbit') setCamera('chase');
});
dom.rays.addEventListener('click', () => setRays(!state.rays));
dom.trails.addEventListener('click', () => setTrails(!state.trails));
dom.pip.addEventListener('click', () => setPip(!state.pip));
dom.zones.addEventListener('click', () => setZones(!state.zones));
dom.v2x.addEventListener('click', () => {
  setV2x(!state.v2x);
  renderV2xLegend();
});
window.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
  if (e.key === ' ') {
    e.preventDefault();
    if (state.playing) pause();
    else play();
  } else if (e.key === 's' || e.key === 'S' || e.key === 'ArrowRight') stepOnce();
  else if (e.key === 'r' || e.key === 'R') void prepare(false);
  else if (e.key === 'c' || e.key === 'C') setCamera(CAMERA_MODES[(CAMERA_MODES.indexOf(state.camera) + 1) % CAMERA_MODES.length]!);
  else if (e.key === 'l' || e.key === 'L') setRays(!state.rays);
  else if (e.key === 't' || e.key === 'T') setTrails(!state.trails);
  else if (e.key === 'p' || e.key === 'P') setPip(!state.pip);
  else if (e.key === 'z' || e.key === 'Z') setZones(!state.zones);
  else if (e.key === 'v' || e.key === 'V') {
    setV2x(!state.v2x);
    renderV2xLegend();
  }
});
window.addEventListener('unhandledrejection', (e) => {
  notices.show('error', 'Unexpected error', e.reason instanceof Error ? e.reason.message : String(e.reason));
});

// ---------- start ----------

state.entries = loadLibrary();
renderScenarioList(dom.list, state.entries, (id) => {
  if (state.selected?.id === id && state.status !== 'error') return;
  select(id);
  void prepare(false);
});
setText(dom.listCount, String(state.entries.length));
setText(dom.hudSpeed, `${state.speed}×`);
setText(dom.hudScenario, link.scenario ?? '—');
setStatus('idle');
setCamera(state.camera);
setV2x(state.v2x);
setRays(state.rays);
setTrails(state.trails);
setPip(state.pip);
setZones(state.zones);
dom.hudStats.hidden = !link.stats;
requestAnimationFrame(frame);

{
  const first = state.entries.find((e) => e.loaded) ?? state.entries[0];
  if (link.scenario && !state.entries.some((e) => e.id === link.scenario)) {
    failBeforeStart(`No scenario named "${link.scenario}"`, `The library has: ${state.entries.map((e) => e.id).join(', ') || 'nothing'}.`);
  } else if (link.scenario ?? first) {
    select(link.scenario ?? first!.id, link.seed);
    void prepare(link.autoplay);
  } else {
    failBeforeStart('The scenario library is empty', 'Add YAML files to scenarios/library/.');
  }
}
