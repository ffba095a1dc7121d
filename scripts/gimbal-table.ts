/**
 * The gimbal validation tables of issue #5 (section 5): angular vibration
 * (the gimbal-jitter criterion's peak and RMS) against turbulence severity
 * and against the camera IMU model, for the reference stabiliser beside the
 * basic PID and unpowered motors (run on identical copies of the gimbal in
 * the same flights), over seeds. Reproducible with one command:
 *
 *   npm run gimbal-table                 # print the tables (seeds 1..5)
 *   npm run gimbal-table -- --seeds 10   # seeds 1..10
 *   npm run gimbal-table -- --write      # also replace them in docs/gimbal.md
 *
 * Every figure is ground truth, measured after each scenario's settling
 * time: the largest per-axis peak of the 1 Hz high-passed error (deg), and
 * the RMS averaged over the three axes; the median over seeds, with the
 * range in brackets for the reference.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../scenarios/loader.ts';
import { startRun } from '../scenarios/runner.ts';
import { GimbalJitter, type GimbalStats } from '../scenarios/criteria/gimbal.ts';
import { REQUIREMENTS } from '../seeds/requirements.ts';
import { verdictLabel } from '../scenarios/result.ts';

const ROOT = new URL('../', import.meta.url);
const DOC = new URL('docs/gimbal.md', ROOT);
const START = '<!-- gimbal-table:start -->';
const END = '<!-- gimbal-table:end -->';
const DEG = 180 / Math.PI;
const TARGET = REQUIREMENTS['miit-2c-gimbal-precision'].threshold;

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '5' }, write: { type: 'boolean', default: false } } });
const nSeeds = Number(values.seeds);
if (!Number.isInteger(nSeeds) || nSeeds < 1) {
  process.stderr.write(`gimbal-table: --seeds expects a whole number >= 1, got "${values.seeds}"\n`);
  process.exit(2);
}

interface Row {
  label: string;
  /** The library file and its edit. */
  file: string;
  edit: (doc: Record<string, any>) => void;
}

const imu = (name: string) => (d: Record<string, any>) => (d.actors[0].gimbal.imu = name);
const severity = (s: string) => (d: Record<string, any>) => (d.world.wind = { turbulence: { severity: s } });
const TURBULENCE: Row[] = [
  { label: 'still air', file: 'hover-calm', edit: () => {} },
  { label: 'light (15 kt at 20 ft)', file: 'hover-light', edit: () => {} },
  { label: 'moderate (30 kt)', file: 'hover-moderate', edit: () => {} },
  { label: 'severe (45 kt)', file: 'hover-moderate', edit: severity('severe') },
];
const IMUS: Row[] = [
  { label: 'TDK ICM-42688-P (2.8 mdps/&radic;Hz)', file: 'hover-light', edit: imu('icm-42688-p') },
  { label: 'InvenSense MPU-6000 (5 mdps/&radic;Hz)', file: 'hover-light', edit: imu('mpu-6000') },
  { label: 'Bosch BMI088 (14 mdps/&radic;Hz)', file: 'hover-light', edit: imu('bmi088') },
];

/** Peak (largest axis) and RMS (mean of the axes) in deg. */
function figures(s: GimbalStats): { peak: number; rms: number } {
  return { peak: Math.max(...s.jitterPeakRad) * DEG, rms: (s.jitterRmsRad.reduce((a, b) => a + b, 0) / 3) * DEG };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs a row over the seeds: per controller, the figures of every seed. */
async function measure(row: Row): Promise<Map<string, { peak: number; rms: number }[]>> {
  const path = new URL(`scenarios/library/gimbal/${row.file}.yaml`, ROOT);
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, any>;
  row.edit(doc);
  const loaded = loadScenarioText(stringify(doc), `${row.file}.yaml`);
  const out = new Map<string, { peak: number; rms: number }[]>();
  for (let seed = 1; seed <= nSeeds; seed++) {
    process.stderr.write(`\r${row.label.replace(/&radic;/g, 'v')}: seed ${seed}/${nSeeds}   `);
    const run = await startRun(loaded, { seed, backend: 'rapier' });
    run.runToEnd();
    const jitter = run.criteria.find((c): c is GimbalJitter => c instanceof GimbalJitter);
    if (!jitter) throw new Error(`${row.file}: no gimbal-jitter criterion`);
    for (const s of jitter.stats) {
      const list = out.get(s.controller) ?? [];
      list.push(figures(s));
      out.set(s.controller, list);
    }
  }
  process.stderr.write('\n');
  return out;
}

const f4 = (x: number) => x.toFixed(4);
const f3 = (x: number) => (x >= 1 ? x.toFixed(2) : x.toFixed(3));

async function table(title: string, note: string, head: string, rows: Row[]): Promise<string> {
  const lines = [
    `**${title}** (${note}; median over seeds 1..${nSeeds}, the reference's range in brackets; deg)`,
    '',
    `| ${head} | gimbal-stabilizer peak | its RMS | passes ${TARGET} deg | gimbal-pid-basic peak | none peak |`,
    '|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const m = await measure(row);
    const ref = m.get('gimbal-stabilizer')!, pid = m.get('gimbal-pid-basic')!, none = m.get('none')!;
    const peaks = ref.map((x) => x.peak);
    const pass = peaks.filter((p) => p <= TARGET).length;
    lines.push(
      `| ${row.label} | ${f4(median(peaks))} [${f4(Math.min(...peaks))}-${f4(Math.max(...peaks))}] | ${f4(median(ref.map((x) => x.rms)))} | ${pass}/${peaks.length} | ${f3(median(pid.map((x) => x.peak)))} | ${f3(median(none.map((x) => x.peak)))} |`,
    );
  }
  return lines.join('\n');
}

/** Every library gimbal scenario at its own seed: each judged gimbal's figures beside its baselines'. */
async function libraryTable(): Promise<string> {
  const dir = new URL('scenarios/library/gimbal/', ROOT);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const lines = [
    `**Every gimbal scenario** (its own seed; jitter: the largest axis peak, drift: the largest axis peak-to-peak below 1 Hz, pointing: the largest optical-axis error; deg; verdict of the run)`,
    '',
    '| scenario | actor | controller | jitter peak | drift | pointing | verdict |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const f of files) {
    const loaded = loadScenarioText(readFileSync(new URL(f, dir), 'utf8'), f);
    process.stderr.write(`\r${f}          `);
    const run = await startRun(loaded, { backend: 'rapier' });
    const result = run.runToEnd();
    for (const c of run.criteria) {
      if (!(c instanceof GimbalJitter)) continue;
      for (const st of c.stats) {
        const j = Math.max(...st.jitterPeakRad) * DEG, d = Math.max(...st.driftRad) * DEG, p = st.pointingMaxRad * DEG;
        lines.push(`| ${loaded.scenario.name} | ${c.actorId} | ${st.controller} | ${j < 0.1 ? j.toFixed(4) : f3(j)} | ${f3(d)} | ${f3(p)} | ${st.controller === c.stats[0]!.controller ? verdictLabel(result) : '(beside it)'} |`);
      }
    }
  }
  process.stderr.write('\n');
  return lines.join('\n');
}

const tables = [
  await table('Jitter against turbulence', 'TDK ICM-42688-P camera IMU; an Iris holding 10 m, follow mode, camera 20 deg down', 'MIL-F-8785C Dryden', TURBULENCE),
  await table('Jitter against camera IMU model', 'light turbulence, otherwise the same', 'camera IMU', IMUS),
  await libraryTable(),
].join('\n\n');
const block = `${START}\n_Generated by \`npm run gimbal-table -- --seeds ${nSeeds} --write\` (scripts/gimbal-table.ts), Rapier._\n\n${tables}\n${END}`;
process.stdout.write(`${block}\n`);
if (values.write) {
  const doc = readFileSync(DOC, 'utf8');
  const a = doc.indexOf(START), b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/gimbal.md has no ${START} ... ${END} block to replace`);
  writeFileSync(DOC, doc.slice(0, a) + block + doc.slice(b + END.length));
  process.stderr.write('wrote docs/gimbal.md\n');
}
