/**
 * Recordings in the browser (issue #7 section 3):
 * - every live run is recorded by the simulation worker; once it has its
 *   verdict, "Download recording" saves its `.skyrec.json.gz` (the same file
 *   `skylane replay` checks in Node);
 * - a recording opens by drag-and-drop onto the page, by "Open recording…"
 *   (a file input) or by URL (`?recording=<url>`); the run view then shows it
 *   through a `RecordingFrameSource` (./replay-source.ts): the recorded
 *   verdict in the usual banner, a timeline scrubber with event ticks,
 *   play/pause at the speed chosen in the speed select, a list of events to
 *   jump to, the recorded metrics in the plots, and the line saying whether
 *   re-simulating the recorded run (done at once, in a worker, headless)
 *   reaches the recorded verdict and state hash.
 */
import './replay.css';
import { eventsOf, openRecording, type JumpEvent } from '../scenarios/record/player.ts';
import type { Recording } from '../scenarios/record/format.ts';
import { app, appEvents } from './app.ts';
import { plots } from './plots.ts';
import { RecordingFrameSource, type VerifyState } from './replay-source.ts';

const tools = document.getElementById('lab-tools');
const dock = document.getElementById('lab-dock');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { testid?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  const { testid, ...rest } = props;
  Object.assign(e, rest);
  if (testid) e.dataset.testid = testid;
  e.append(...children);
  return e;
}

// ---------- tools: open, download ----------

const fileInput = el('input', { type: 'file', accept: '.gz,.json,application/gzip,application/json', hidden: true, testid: 'replay-file' });
const openBtn = el('button', { type: 'button', className: 'btn', title: 'Open a Skylane recording (.skyrec.json.gz); you can also drop one on the page', testid: 'open-recording' }, 'Open recording…');
const downloadBtn = el('button', { type: 'button', className: 'btn', disabled: true, title: 'Save this run as a recording (.skyrec.json.gz), replayable here and with skylane replay', testid: 'download-recording' }, 'Download recording');
tools?.append(openBtn, downloadBtn, fileInput);

/** The latest live run's recording (null: none yet, or a replay is shown). */
let latest: { name: string; bytes: ArrayBuffer } | null = null;

appEvents.on('prepare', () => {
  latest = null;
  downloadBtn.disabled = true;
  downloadBtn.title = 'Available once the run has its verdict';
});
appEvents.on('recording', (r) => {
  if (player) return;
  latest = r;
  downloadBtn.disabled = false;
  downloadBtn.dataset.file = r.name;
  downloadBtn.title = `Save ${r.name} (${(r.bytes.byteLength / 1024).toFixed(1)} kB)`;
});
downloadBtn.addEventListener('click', () => {
  if (!latest) return;
  const url = URL.createObjectURL(new Blob([latest.bytes], { type: 'application/gzip' }));
  const a = el('a', { href: url, download: latest.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
});

openBtn.addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  fileInput.value = '';
  if (f) void openFile(f);
});

// Drag-and-drop anywhere on the page.
window.addEventListener('dragover', (e) => {
  if (!e.dataTransfer?.types.includes('Files')) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
  document.body.classList.add('replay-drop');
});
window.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) document.body.classList.remove('replay-drop');
});
window.addEventListener('drop', (e) => {
  document.body.classList.remove('replay-drop');
  const f = e.dataTransfer?.files[0];
  if (!f) return;
  e.preventDefault();
  void openFile(f);
});

async function openFile(f: File): Promise<void> {
  await openBytes(await f.arrayBuffer(), f.name);
}

/** Open a recording from its bytes and show it; a bad file is a notice naming it and what is wrong. */
export async function openBytes(bytes: ArrayBuffer, name: string): Promise<void> {
  let rec: Recording;
  try {
    rec = await openRecording(bytes, name);
  } catch (err) {
    app().notify('error', 'Not a readable Skylane recording', err instanceof Error ? err.message : String(err));
    return;
  }
  await liveSettled();
  show(rec, name);
}

/** Open `?recording=<url>`. */
async function openUrl(url: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    app().notify('error', `Cannot fetch the recording ${url}`, err instanceof Error ? err.message : String(err));
    return;
  }
  if (!res.ok) {
    app().notify('error', `Cannot fetch the recording ${url}`, `HTTP ${res.status} ${res.statusText}`);
    return;
  }
  await openBytes(await res.arrayBuffer(), decodeURIComponent(new URL(url, window.location.href).pathname.split('/').pop() || url));
  // The address names the recording again (the run view rewrote it for the library scenario it selected at start-up).
  if (player) window.history.replaceState(null, '', `?recording=${encodeURIComponent(url)}`);
}

/**
 * Wait until a live run being built has its init (or failed): switching
 * sources while the live worker is still building could let its init land
 * on the replay's views.
 */
function liveSettled(): Promise<void> {
  if (player || app().init() || !app().current()) return Promise.resolve();
  return new Promise((ok) => {
    const done = () => {
      offInit();
      offErr();
      clearTimeout(timer);
      ok();
    };
    const offInit = appEvents.on('init', done);
    const offErr = appEvents.on('error', done);
    const timer = setTimeout(done, 30_000);
  });
}

// ---------- the replay panel (dock) ----------

const panel = el('section', { className: 'replay-panel', hidden: true, testid: 'replay-panel' });
const title = el('div', { className: 'replay-title', testid: 'replay-title' });
const closeBtn = el('button', { type: 'button', className: 'btn btn-small', title: 'Leave the recording and go back to the live simulation', testid: 'replay-close' }, 'Back to live');
const playBtn = el('button', { type: 'button', className: 'btn btn-small', testid: 'replay-play' }, 'Play');
const scrubber = el('input', { type: 'range', min: '0', max: '1', step: '0.01', value: '0', className: 'replay-scrubber', testid: 'replay-scrubber' });
scrubber.setAttribute('aria-label', 'Recording timeline');
const ticks = el('div', { className: 'replay-ticks', testid: 'replay-ticks' });
const timeLabel = el('span', { className: 'replay-time mono', testid: 'replay-time' });
const verifyLine = el('div', { className: 'replay-verify', testid: 'replay-verify' });
const verifyBar = el('div', { className: 'replay-verify-bar' });
const eventList = el('ol', { className: 'replay-events', testid: 'replay-events' });
panel.append(
  el('div', { className: 'replay-head' }, el('span', { className: 'replay-badge' }, 'Replay'), title, closeBtn),
  el('div', { className: 'replay-line' }, playBtn, el('div', { className: 'replay-track' }, scrubber, ticks), timeLabel),
  el('div', { className: 'replay-verify-wrap' }, verifyBar, verifyLine),
  eventList,
);
dock?.prepend(panel);

let player: RecordingFrameSource | null = null;
let scrubbing = false;

const speedSelect = document.getElementById('speed') as HTMLSelectElement | null;
const currentSpeed = () => Number(speedSelect?.value) || 1;

function show(rec: Recording, name: string): void {
  player?.dispose();
  latest = null;
  downloadBtn.disabled = true;
  const p = new RecordingFrameSource(rec, name, app().handlers, {
    onReady: () => {
      plots?.showRecording(app().init(), rec.times, rec.metrics.values);
      renderTimeline(p);
      describeRun(rec, name);
    },
    onTime: (t, playing) => {
      if (!scrubbing) scrubber.value = String(t);
      timeLabel.textContent = `${t.toFixed(2)} / ${p.duration.toFixed(2)} s`;
      playBtn.textContent = playing ? 'Pause' : 'Play';
      plots?.setCursor(t);
      markCurrentEvent(t);
    },
    onVerify: renderVerify,
  });
  player = p;
  app().useFrameSource(p);
  appEvents.emit('replay', { name });
  panel.hidden = false;
  panel.dataset.file = name;
  const h = rec.header;
  title.textContent = `${name} · ${h.scenario} · seed ${h.seed} · ${h.backend}${Object.keys(h.extras).length ? ` · ${Object.keys(h.extras).join(', ')}` : ''}`;
  title.title = `recorded by Skylane ${h.skylane}; ${h.rateHz} Hz samples`;
  verifyLine.textContent = '';
  delete verifyLine.dataset.state;
  p.open(currentSpeed());
}

/** The run card and HUD name the recorded run (not the library scenario selected before). */
function describeRun(rec: Recording, name: string): void {
  const h = rec.header;
  const set = (id: string, text: string) => {
    const e = document.getElementById(id);
    if (e) e.textContent = text;
  };
  set('hud-scenario', `${h.scenario} (recording)`);
  set('fact-scenario', h.scenario);
  set('fact-seed', String(h.seed));
  set('fact-backend', h.backend);
  set('cli-line', `skylane replay ${name}`);
  for (const item of document.querySelectorAll('.selected[data-scenario]')) {
    item.classList.remove('selected');
    item.setAttribute('aria-current', 'false');
  }
}

function renderTimeline(p: RecordingFrameSource): void {
  scrubber.max = String(p.duration);
  scrubber.step = String(Math.max(0.01, Math.min(0.05, 1 / p.rec.header.rateHz)));
  scrubber.value = '0';
  const jumps = eventsOf(p.rec);
  ticks.replaceChildren(...jumps.filter((j) => j.kind !== 'timeline').map((j) => {
    const t = el('span', { className: `replay-tick replay-tick-${j.kind}`, title: `${j.time.toFixed(2)} s: ${j.label}` });
    t.style.left = `${p.duration > 0 ? (100 * j.time) / p.duration : 0}%`;
    return t;
  }));
  eventList.replaceChildren(...jumps.map((j) => eventItem(j)));
  eventList.dataset.count = String(jumps.length);
}

function eventItem(j: JumpEvent): HTMLLIElement {
  const b = el('button', { type: 'button', className: `replay-event replay-event-${j.kind}`, title: 'Jump to this moment', testid: 'replay-event' },
    el('span', { className: 'replay-event-time mono' }, `${j.time.toFixed(2)} s`), el('span', { className: 'replay-event-kind' }, j.kind), el('span', { className: 'replay-event-label' }, j.label));
  b.dataset.time = String(j.time);
  b.dataset.kind = j.kind;
  b.addEventListener('click', () => {
    player?.pause();
    player?.seek(j.time);
  });
  return el('li', {}, b);
}

function markCurrentEvent(t: number): void {
  for (const b of eventList.querySelectorAll<HTMLButtonElement>('.replay-event')) b.classList.toggle('past', Number(b.dataset.time) <= t + 1e-9);
}

function renderVerify(v: VerifyState): void {
  verifyLine.dataset.state = v.state === 'done' ? (v.verdictMatches && v.hashMatches ? 'matches' : 'differs') : v.state;
  verifyBar.style.width = v.state === 'running' ? `${Math.round(100 * v.fraction)}%` : '0';
  if (v.state === 'running') {
    verifyLine.textContent = `${v.stage} (${Math.round(100 * v.fraction)}%)`;
  } else if (v.state === 'error') {
    verifyLine.textContent = `re-simulation failed: ${v.message}`;
  } else {
    const head = `re-simulated: verdict ${v.result.verdict}, state hash ${v.result.stateHash.slice(0, 8)}…`;
    if (v.verdictMatches && v.hashMatches) verifyLine.textContent = `${head} — matches the recording`;
    else {
      const rec = player?.rec.result;
      const diffs: string[] = [];
      if (!v.verdictMatches) diffs.push(`recorded verdict ${rec?.verdict}`);
      if (!v.hashMatches) diffs.push(`recorded state hash ${rec?.stateHash.slice(0, 8)}…`);
      verifyLine.textContent = `${head} — DIFFERS from the recording (${diffs.join(', ')}; recorded by Skylane ${player?.rec.header.skylane})`;
    }
  }
}

playBtn.addEventListener('click', () => {
  if (!player) return;
  player.setSpeed(currentSpeed());
  if (player.isPlaying) player.pause();
  else player.play();
});
scrubber.addEventListener('input', () => {
  scrubbing = true;
  player?.pause();
  player?.seek(Number(scrubber.value));
  scrubbing = false;
});
closeBtn.addEventListener('click', () => leave(true));

/** Back to the live simulation (rebuilding the selected scenario). */
function leave(rebuild: boolean): void {
  if (!player) return;
  const p = player;
  player = null;
  panel.hidden = true;
  p.dispose();
  app().useLiveSource();
  if (!rebuild) return;
  if (app().current()) app().restart();
  // Opened from a link with no library scenario behind it: back to the gallery, the landing view.
  else document.querySelector<HTMLButtonElement>('[data-testid=gallery-button]')?.click();
}

// The app asked for a live run (a library scenario, the gallery, the editor): the replay ends.
appEvents.on('select', () => {
  if (player) {
    const p = player;
    player = null;
    panel.hidden = true;
    p.dispose();
    app().useLiveSource();
  }
});

// ---------- ?recording=<url> ----------

const fromUrl = new URLSearchParams(window.location.search).get('recording');
if (fromUrl) void openUrl(fromUrl);
