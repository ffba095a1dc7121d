/**
 * `npm run bench:web`: the browser app's frame time and simulation time per
 * frame in headless Chromium (issue #7 section 6), for the dense highway
 * and the 50-drone swarm, at 1x and 4x.
 *
 * Builds the app (its own folder, tests/artifacts/dist-w2-perf), serves it,
 * and for each scenario and speed opens `?scenario=..&speed=..&stats=1&autoplay=1`
 * REPEATS times; after WARMUP_SIM_S of sim time it reads the app's own
 * probe (web/perf-probe.ts, window.skylanePerf) over WINDOW_S wall seconds.
 * Prints one row per case with the median over the repeats of: frame time
 * (animation-frame interval, median and p95), render time, worker sim time
 * per frame, the real-time factor (sim s per wall s; >= 1 keeps real time at
 * 1x) and frames per second.
 *
 * Headless Chromium draws WebGL with SwiftShader (software, on the CPU): a
 * machine with a GPU draws far faster. Not part of `npm test` (it measures,
 * it does not judge; a timed test would be flaky on a shared machine).
 *
 * Options: --window S (default 10), --repeats N (default 3), --speeds 1,4,
 * --render auto,full,lite (the link's render quality; default auto),
 * --scenario id (repeatable), --json FILE (write the rows). Repeats are
 * interleaved across the render qualities, so that a comparison sees the
 * same machine load.
 */
import { loadavg, cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from '../tests/e2e/static-server.ts';
import type { PerfSummary } from '../web/perf-probe.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'tests', 'artifacts', 'dist-w2-perf');
/** Sim seconds played before the window opens (loading, the first frames, JIT warm-up). */
const WARMUP_SIM_S = 2;

function arg(name: string): string[] {
  const out: string[] = [];
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) if (a[i] === `--${name}` && a[i + 1] !== undefined) out.push(a[++i]!);
  return out;
}
function num(name: string, fallback: number): number {
  const v = arg(name)[0];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(n > 0)) {
    console.error(`bench:web: --${name} ${v}: expected a positive number`);
    process.exit(2);
  }
  return n;
}

const WINDOW_S = num('window', 10);
const REPEATS = Math.round(num('repeats', 3));
const SPEEDS = (arg('speeds')[0] ?? '1,4').split(',').map(Number);
const RENDERS = (arg('render')[0] ?? 'auto').split(',');
if (RENDERS.some((r) => !['auto', 'full', 'lite'].includes(r))) {
  console.error(`bench:web: --render ${arg('render')[0]}: expected auto, full or lite (comma-separated)`);
  process.exit(2);
}
const SCENARIOS = arg('scenario').length > 0 ? arg('scenario') : ['cars-highway-dense', 'uav-swarm-50-crossing'];
if (SPEEDS.some((s) => !(s > 0))) {
  console.error(`bench:web: --speeds ${arg('speeds')[0]}: expected numbers like 1,4`);
  process.exit(2);
}

const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Row {
  scenario: string;
  speed: number;
  render: string;
  repeats: PerfSummary[];
}

const load0 = loadavg();
console.log(`bench:web: ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}), load average ${load0.map((x) => x.toFixed(2)).join(' ')}; window ${WINDOW_S} s wall, ${REPEATS} repeats; building the app...`);
const app = await startApp(OUT);
const rows: Row[] = [];
try {
  for (const scenario of SCENARIOS) {
    for (const speed of SPEEDS) {
      const byRender = RENDERS.map((render): Row => ({ scenario, speed, render, repeats: [] }));
      for (let r = 0; r < REPEATS; r++) for (const row of byRender) {
        const render = row.render;
        const page = await app.browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        try {
          await page.goto(`${app.url}?scenario=${encodeURIComponent(scenario)}&speed=${speed}&stats=1&autoplay=1&render=${render}`);
          await page.waitForFunction((w) => Number(document.querySelector('[data-testid=sim-time]')?.textContent) > w, WARMUP_SIM_S, { timeout: 120_000, polling: 100 });
          await page.evaluate(() => (window as unknown as { skylanePerf: { reset(): void } }).skylanePerf.reset());
          await page.waitForTimeout(WINDOW_S * 1000);
          const s = await page.evaluate(() => (window as unknown as { skylanePerf: { read(): PerfSummary } }).skylanePerf.read());
          if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
          row.repeats.push(s);
          console.log(`  ${scenario} ${speed}x render=${render}${s.lite ? ' (lite)' : ''} #${r + 1}: frame ${s.frameMs.median.toFixed(1)}/${s.frameMs.p95.toFixed(1)} ms, render ${s.renderMs.median.toFixed(1)} ms, sim/frame ${s.simMsPerFrame.median.toFixed(1)} ms (${s.stepsPerFrame} steps, ${s.simMsPerStep.toFixed(2)} ms/step), RTF ${s.realTimeFactor.toFixed(2)} (dropped ${s.droppedSimS.toFixed(2)} sim s), ${s.fps.toFixed(1)} fps${s.ended ? ' (run ended in the window)' : ''}`);
        } finally {
          await page.close();
        }
      }
      rows.push(...byRender);
    }
  }
} finally {
  await app.close();
}

const load1 = loadavg();
const pick = (row: Row, f: (s: PerfSummary) => number): number => median(row.repeats.map(f));
const fmt = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(`\nMedians over ${REPEATS} repeats of ${WINDOW_S} s wall each (load average before ${load0[0]!.toFixed(2)}, after ${load1[0]!.toFixed(2)}; headless Chromium, SwiftShader software GL):\n`);
const gl = rows[0]?.repeats[0]?.softwareGl;
console.log(`3D view: ${gl ? `software GL (${gl})` : 'hardware GL'}; render auto = ${gl ? 'lite (no MSAA, no shadows)' : 'full'}\n`);
console.log('| scenario | speed | render | frame time median / p95 (ms) | render (ms) | fps | worker sim time per frame (ms) | steps per frame | sim ms per step | real-time factor | sim s dropped |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(`| ${row.scenario} | ${row.speed}× | ${row.render}${row.render === 'auto' && row.repeats[0]?.lite ? ' (lite)' : ''} | ${fmt(pick(row, (s) => s.frameMs.median))} / ${fmt(pick(row, (s) => s.frameMs.p95))} | ${fmt(pick(row, (s) => s.renderMs.median))} | ${fmt(pick(row, (s) => s.fps))} | ${fmt(pick(row, (s) => s.simMsPerFrame.median))} | ${fmt(pick(row, (s) => s.stepsPerFrame), 0)} | ${fmt(pick(row, (s) => s.simMsPerStep), 2)} | ${fmt(pick(row, (s) => s.realTimeFactor), 2)} | ${fmt(pick(row, (s) => s.droppedSimS), 2)} |`);
}
const json = arg('json')[0];
if (json) writeFileSync(json, JSON.stringify({ load: { before: load0, after: load1 }, windowS: WINDOW_S, rows }, null, 1));
// Real time kept: the worker dropped no sim time (the factor itself carries +-1 frame of quantisation over the window).
const slow = rows.filter((r) => r.speed === 1 && !(pick(r, (s) => s.droppedSimS) <= 0.01 * r.repeats[0]!.wallS));
if (slow.length > 0) console.log(`\nNOT real time at 1×: ${slow.map((r) => `${r.scenario} (render ${r.render})`).join(', ')}`);
