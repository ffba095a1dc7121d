/**
 * The browser app: pick a library scenario, run it with the same runner the
 * CLI uses, watch it in 3D and read the live criteria and the final verdict.
 *
 * Threading: the simulation runs in a Web Worker (./sim-worker.ts, behind the
 * `FrameSource` of ./frame-source.ts), which steps it in real time x speed
 * with a fixed-step accumulator and posts frames (./sim-protocol.ts) at most
 * ~60 times a second. This thread only draws: on requestAnimationFrame it
 * interpolates the poses between the two latest frames (./pose-buffer.ts)
 * and renders; the panels refresh at 10 Hz. The run is deterministic: the
 * frame rate changes only how fast it plays, never its result or state hash.
 * A worker that stops answering (an agent that never returns) is stopped by
 * a watchdog and the run ends as an error; the page stays responsive.
 */
import { verdictLabel, type RunResult } from '../scenarios/result.ts';
import { formatBreakWords, isBroken } from '../scenarios/break-it.ts';
import { BACKEND_IDS, type BackendId } from '../sim/physics/backend.ts';
import { loadLibrary, type LibraryEntry } from './library.ts';
import { DrivingPanel } from './driving-panel.ts';
import { CAMERA_MODES, extrasLinkParts, formatDeepLink, linkExtras, parseDeepLink, SPEEDS, type CameraMode } from './params.ts';
import { SceneView } from './scene.ts';
import type { V2xLinks } from './v2x-overlay.ts';
import { WorkerFrameSource, type FrameSource, type FrameSourceHandlers } from './frame-source.ts';
import { PoseBuffer, type PoseSample } from './pose-buffer.ts';
import type { CriterionRowData, ViewFrame, ViewInit } from './sim-protocol.ts';
import { UavPanel } from './uav-panel.ts';
import { GimbalPanel } from './gimbal-panel.ts';
import { AirspacePanel } from './airspace-panel.ts';
import { appEvents, labHooks, provideApp, type RunSpec } from './app.ts';
import type { RunExtras } from './sim-protocol.ts';
import { $, CriteriaView, EventLog, markSelected, Notices, renderScenarioList, setText } from './ui.ts';

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
  overlayProgress: $('overlay-progress'),
  overlayProgressBar: $('overlay-progress-bar'),
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

const link = parseDeepLink(window.location.search);
for (const w of link.warnings) notices.show('warn', 'Ignored part of the link', w);

const state = {
  entries: [] as LibraryEntry[],
  selected: null as LibraryEntry | null,
  /** The current run's static view data (null: none built). */
  init: null as ViewInit | null,
  terrain: new Set<string>(),
  result: null as RunResult | null,
  status: 'idle' as Status,
  playing: false,
  speed: link.speed ?? 1,
  backend: (link.backend ?? 'rapier') as BackendId,
  seed: 0,
  /** Run options beyond seed and backend (user agents, break-it switches): kept until a lab feature changes them. */
  extras: linkExtras(link),
  camera: (link.camera ?? 'orbit') as CameraMode,
  v2x: link.v2x,
  rays: link.rays,
  trails: link.trails,
  pip: link.pip,
  zones: link.zones,
  /** The latest frame's sim time and step, its V2X links and criteria rows. */
  frameTime: 0,
  frameStep: 0,
  v2xLinks: NO_LINKS as V2xLinks,
  criteria: [] as CriterionRowData[],
  /** The poses drawn now (interpolated), for the panels. */
  poses: null as PoseSample | null,
  lastFrame: 0,
  lastPanel: 0,
  /** Smoothed worker step time per frame and main-thread render time, ms (shown with `stats=1`). */
  stepMs: 0,
  renderMs: 0,
};

const poseBuffer = new PoseBuffer();
/** Whether the run being built starts playing once built (the worker starts it; the page follows). */
let autoplayPending = false;

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
  const q = formatDeepLink({ scenario: state.selected.id, seed: state.seed, backend: state.backend, speed: state.speed, camera: state.camera, v2x: state.v2x, rays: state.rays, trails: state.trails, pip: state.pip, zones: state.zones, ...extrasLinkParts(state.extras) });
  if (window.location.search !== q) window.history.replaceState(null, '', q);
}

function setStatus(s: Status): void {
  state.status = s;
  setText(dom.status, s);
  dom.status.className = `pill pill-${s}`;
  const busy = s === 'loading';
  const hasRun = state.init !== null && !busy && s !== 'error';
  dom.reset.disabled = busy || !state.selected?.loaded;
  dom.play.disabled = !hasRun || state.playing;
  dom.pause.disabled = !hasRun || !state.playing;
  dom.step.disabled = !hasRun || state.playing || s === 'finished';
  dom.seed.disabled = busy || !state.selected?.loaded;
  dom.backend.disabled = busy;
}

function setCamera(mode: CameraMode): void {
  if (mode !== 'orbit' && scene && !scene.canFollow && state.init) mode = 'orbit';
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
        : state.camera === 'onboard' ? `Onboard ${who}: the driver's view, or a drone's gimbal camera`
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
  source.setLayers({ scans: on });
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
  dom.raysLegend.dataset.detections = String(c.detections);
  const detected = c.detectors > 0 ? ` · ${c.detections} detected object${c.detections === 1 ? '' : 's'} (boxes: the object lists' last readings)` : '';
  setText(
    dom.raysLegendText,
    state.init && c.watched === 0 && c.detectors === 0
      ? 'Perception rays: no lidar, range ring or object list in this run'
      : `Last scans as the agents received them: ${c.points.toLocaleString('en')} return${c.points === 1 ? '' : 's'} from ${c.sensors} of ${c.watched} sensor${c.watched === 1 ? '' : 's'} (near red, far cyan)${detected}`,
  );
}

/** The legend says what the lines are, and that nothing is connected yet when the run exposes no deliveries. */
function renderV2xLegend(): void {
  if (!state.v2x || !scene) return;
  const { drawn, skipped } = scene.v2xCounts;
  setText(
    dom.v2xLegendText,
    state.init && !state.init.v2x
      ? 'V2X deliveries: this run exposes none'
      : `V2X deliveries (ground truth of the channel), latest tick: ${drawn}${skipped ? ` (${skipped} to actors not drawn)` : ''}`,
  );
}

/** The overlay card: a message, with a spinner while loading and a progress bar when `fraction` (0..1) is known. */
function showOverlay(text: string | null, spinner = true, fraction: number | null = null): void {
  dom.overlay.hidden = text === null;
  if (text !== null) setText(dom.overlayText, text);
  dom.overlaySpinner.hidden = !spinner;
  dom.overlay.classList.toggle('overlay-error', !spinner);
  dom.overlayProgress.hidden = fraction === null;
  if (fraction !== null) {
    const pct = Math.round(100 * Math.min(1, Math.max(0, fraction)));
    dom.overlayProgressBar.style.width = `${pct}%`;
    dom.overlayProgress.setAttribute('aria-valuenow', String(pct));
  }
}

// ---------- run lifecycle ----------

function teardown(): void {
  state.init = null;
  state.result = null;
  state.playing = false;
  state.frameTime = 0;
  state.frameStep = 0;
  state.v2xLinks = NO_LINKS;
  state.criteria = [];
  state.poses = null;
  poseBuffer.clear();
  scene?.clear();
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

/** The run stopped mid-way (the worker failed or hung): the verdict is `error`, the view stays as it was. */
function failDuringRun(message: string): void {
  state.playing = false;
  notices.show('error', 'The run ended with an error', message);
  dom.banner.className = 'verdict-banner verdict-error';
  dom.banner.hidden = false;
  setText(dom.verdictLine, `${state.init?.scenarioId ?? state.selected?.id ?? ''} · seed ${state.seed} · ${state.backend} · ${state.frameTime.toFixed(2)} s · ${message}`);
  setText(dom.verdictHash, '');
  setStatus('error');
  setText(dom.verdict, 'error');
}

/** Build the selected run (again) in the worker, playing once built if `autoplay`. */
function prepare(autoplay: boolean): void {
  autoplayPending = autoplay;
  teardown();
  notices.clear('error');
  const entry = state.selected;
  if (!entry) return;
  setText(dom.hudScenario, entry.id);
  setText(dom.factScenario, entry.id);
  setText(dom.factSeed, String(state.seed));
  setText(dom.factBackend, state.backend);
  setText(dom.factSteps, '0');
  setText(dom.cli, `skylane run ${entry.file} --seed ${state.seed} --backend ${state.backend}${state.extras.breakIt && isBroken(state.extras.breakIt) ? ` --break ${formatBreakWords(state.extras.breakIt)}` : ''}`);
  renderTime(0, entry.loaded?.scenario.duration ?? 0);
  if (!entry.loaded) {
    source.stop();
    failBeforeStart(`${entry.file} does not load`, entry.error ?? 'unknown error');
    return;
  }
  setStatus('loading');
  showOverlay('Starting the simulation worker…', true, 0);
  const spec: RunSpec = { scenarioId: entry.id, seed: state.seed, backend: state.backend, extras: state.extras };
  appEvents.emit('prepare', spec);
  source.start({ scenarioId: entry.id, seed: state.seed, backend: state.backend, extras: state.extras }, { speed: state.speed, autoplay, layers: { scans: state.rays } });
}

// ---------- what the frame source reports ----------

function onProgress(stage: string, fraction: number): void {
  if (state.status !== 'loading') return;
  showOverlay(stage, true, fraction);
}

function onInit(init: ViewInit): void {
  showOverlay(null);
  state.init = init;
  state.terrain = new Set(init.actors.filter((a) => a.descriptor.isTerrain).map((a) => a.descriptor.id));
  scene?.setInit(init);
  scene?.setV2xSource(() => state.v2xLinks, init.v2x?.rsus ?? []);
  renderV2xLegend();
  renderFollowList();
  setCamera(state.camera);
  drivingPanel.attach(init.driving);
  uavPanel.attach(init);
  gimbalPanel.attach(init);
  airspacePanel.attach(init);
  renderRaysLegend();
  state.criteria = init.criteria;
  criteriaView.reset(init.criteria);
  renderTime(0, init.scenario.duration);
  state.playing = state.status === 'loading' && autoplayPending;
  setStatus(state.playing ? 'running' : 'ready');
  appEvents.emit('init', init);
}

function onFrame(f: ViewFrame): void {
  if (!state.init) return;
  const first = Number.isNaN(poseBuffer.latestTime);
  poseBuffer.push(f.time, f.actors, performance.now() / 1000);
  state.frameTime = f.time;
  state.frameStep = f.step;
  const zonesChanged = scene?.applyFrame(f) ?? false;
  if (f.v2xLinks) state.v2xLinks = f.v2xLinks;
  if (f.events) {
    for (const e of f.events) {
      // Resting on the ground is not a collision (the criteria ignore terrain too).
      if (e.type === 'collision' && (state.terrain.has(e.a) || state.terrain.has(e.b))) continue;
      eventLog.push(e);
    }
  }
  if (f.criteria) state.criteria = f.criteria;
  if (f.driving) drivingPanel.update(f.driving);
  uavPanel.take(f);
  const airspaceChanged = airspacePanel.take(f);
  gimbalPanel.take(f);
  if (f.stats) state.stepMs += 0.1 * (f.stats.stepMs - state.stepMs);
  // Paused (a step, the frame after a pause) or the first frame: show it now, there is no animation to wait for.
  // A zone switching, or the shown drone's airspace state changing, is shown with this frame's time at once.
  if (!state.playing || first || zonesChanged || airspaceChanged) {
    state.poses = poseBuffer.sample(performance.now() / 1000);
    if (state.poses) scene?.update(state.poses);
    renderPanels();
  }
  appEvents.emit('frame', f);
}

function onResult(r: RunResult): void {
  finish(r);
}

function onError(message: string): void {
  appEvents.emit('error', message);
  if (state.status === 'loading' || !state.init) {
    failBeforeStart(`${state.selected?.id ?? 'The run'} could not start`, message);
    return;
  }
  failDuringRun(message);
}

/** What every frame source reports to: a recording player is given the same handlers. */
const handlers: FrameSourceHandlers = { onProgress, onInit, onFrame, onResult, onError, onRecording: (name, bytes) => appEvents.emit('recording', { name, bytes }) };
/** The live simulation (the default source). */
const liveSource = new WorkerFrameSource(handlers);
let source: FrameSource = liveSource;

/**
 * Switch where frames come from (e.g. a recording player built with `handlers`): the current run
 * stops and the views are cleared; the caller then calls `source.start`.
 */
export function useFrameSource(next: FrameSource): void {
  if (next === source) return;
  source.stop();
  teardown();
  source = next;
}

function renderTime(t: number, duration: number): void {
  const txt = t.toFixed(2);
  setText(dom.simTime, txt);
  setText(dom.hudTime, txt);
  setText(dom.simDuration, duration ? `/ ${duration} s` : '');
  dom.progress.style.width = `${duration ? Math.min(100, (100 * t) / duration) : 0}%`;
}

function renderPanels(): void {
  const init = state.init;
  if (!init) return;
  renderTime(state.frameTime, init.scenario.duration);
  setText(dom.factSteps, String(state.frameStep));
  criteriaView.update(state.result ? state.result.criteria.map((result) => ({ result, status: result.passed ? 'pass' : 'fail' })) : state.criteria);
  drivingPanel.setSpeed(egoSpeedMps());
  uavPanel.update(state.poses);
  gimbalPanel.update();
  airspacePanel.update();
  renderV2xLegend();
  renderRaysLegend();
  if (link.stats) setText(dom.hudStats, `sim ${state.stepMs.toFixed(1)} ms · render ${state.renderMs.toFixed(1)} ms`);
  eventLog.flush();
}

/** The driving ego's ground speed in the poses drawn, m/s (NaN: none, or removed). */
function egoSpeedMps(): number {
  const init = state.init, p = state.poses;
  const ego = init?.driving?.egoId;
  if (!init || !p || !ego) return NaN;
  const a = init.actors.find((x) => x.descriptor.id === ego);
  if (!a || p.present[a.index] !== 1) return NaN;
  const o = 10 * a.index;
  return Math.hypot(p.pose[o + 7]!, p.pose[o + 8]!);
}

function finish(r: RunResult): void {
  state.result = r;
  state.playing = false;
  // The last frame arrived just before: draw it exactly, not interpolated towards it.
  state.poses = poseBuffer.sample(Infinity);
  if (state.poses) scene?.update(state.poses);
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
  appEvents.emit('result', r);
  // Last: tests wait on this.
  setText(dom.verdict, r.verdict);
}

function play(): void {
  if (state.status === 'loading') return;
  if (!state.init || state.result || state.status === 'error') {
    prepare(true);
    return;
  }
  state.playing = true;
  source.play();
  setStatus('running');
}


function pause(): void {
  if (!state.playing) return;
  state.playing = false;
  source.pause();
  setStatus('paused');
  renderPanels();
}

function stepOnce(): void {
  if (!state.init || state.result || state.playing || state.status === 'loading' || state.status === 'error') return;
  source.step();
  setStatus('paused');
}

function select(id: string, seed?: number | null): void {
  const entry = state.entries.find((e) => e.id === id) ?? null;
  state.selected = entry;
  markSelected(dom.list, entry?.id ?? null);
  state.seed = seed ?? entry?.loaded?.scenario.seed ?? 0;
  dom.seed.value = String(state.seed);
  dom.seed.classList.remove('invalid');
  updateUrl();
  appEvents.emit('select', entry);
}

// ---------- frame loop ----------

function frame(now: number): void {
  const dt = state.lastFrame ? Math.min((now - state.lastFrame) / 1000, 0.25) : 0;
  state.lastFrame = now;
  try {
    if (state.init && state.playing) {
      const p = poseBuffer.sample(now / 1000);
      if (p) {
        state.poses = p;
        scene?.update(p);
      }
      if (now / 1000 - state.lastPanel >= PANEL_PERIOD_S) {
        state.lastPanel = now / 1000;
        renderPanels();
      }
    }
    const t1 = performance.now();
    scene?.render(dt);
    const renderMs = performance.now() - t1;
    state.renderMs += 0.1 * (renderMs - state.renderMs);
    appEvents.emit('render', { renderMs });
  } catch (err) {
    state.playing = false;
    source.pause();
    setStatus('error');
    notices.show('error', 'The viewer stopped', err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
  requestAnimationFrame(frame);
}

// ---------- wiring ----------

dom.reset.addEventListener('click', () => prepare(false));
dom.play.addEventListener('click', play);
dom.pause.addEventListener('click', pause);
dom.step.addEventListener('click', stepOnce);
dom.speed.addEventListener('change', () => {
  state.speed = Number(dom.speed.value);
  source.setSpeed(state.speed);
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
  prepare(false);
});
dom.backend.addEventListener('change', () => {
  state.backend = dom.backend.value as BackendId;
  updateUrl();
  prepare(false);
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
  else if (e.key === 'r' || e.key === 'R') prepare(false);
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

// ---------- the lab's extension surface (web/app.ts) ----------

provideApp({
  entries: () => state.entries,
  current: () => (state.selected ? { scenarioId: state.selected.id, seed: state.seed, backend: state.backend, extras: state.extras } : null),
  init: () => state.init,
  result: () => state.result,
  restart(extras?: RunExtras, autoplay = false) {
    if (extras !== undefined) state.extras = extras;
    if (source !== liveSource) useFrameSource(liveSource);
    updateUrl();
    prepare(autoplay);
  },
  open(id, opts = {}) {
    if (opts.extras !== undefined) state.extras = opts.extras;
    if (source !== liveSource) useFrameSource(liveSource);
    select(id, opts.seed ?? null);
    prepare(opts.autoplay ?? false);
  },
  useFrameSource,
  useLiveSource: () => useFrameSource(liveSource),
  handlers,
  notify: (level, title, detail) => notices.show(level, title, detail ?? ''),
  scene: () => scene,
});

// ---------- lab features ----------
// Each feature module installs itself through web/app.ts; they load after provideApp and before the first run.
await Promise.all([
  import('./plots.ts'),
  import('./replay.ts'),
  import('./gallery-view.ts'),
  import('./teach.ts'),
  import('./editor-panel.ts'),
  import('./perf-probe.ts'),
  import('./markers.ts'),
]);

// ---------- start ----------

state.entries = loadLibrary();
renderScenarioList(dom.list, state.entries, (id) => {
  if (state.selected?.id === id && state.status !== 'error') return;
  // Another scenario starts unbroken, with its own built-in agents (break-it switches and agent swaps belong to one scenario).
  if (state.selected?.id !== id) {
    const { breakIt: _b, agentSwaps: _s, ...keep } = state.extras;
    state.extras = keep;
  }
  select(id);
  prepare(false);
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
  } else if (!link.scenario && new URLSearchParams(window.location.search).has('recording')) {
    // web/replay.ts opens the recording the URL names: no live run is built under it.
  } else if (!link.scenario && labHooks.landing?.()) {
    // A lab feature (the gallery) is the landing view: no run until the user picks one.
  } else if (link.scenario ?? first) {
    select(link.scenario ?? first!.id, link.seed);
    prepare(link.autoplay);
  } else {
    failBeforeStart('The scenario library is empty', 'Add YAML files to scenarios/library/.');
  }
}
