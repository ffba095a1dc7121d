/**
 * A run's printable one-page summary (issue #7 section 5): a complete HTML
 * document, A4, print CSS, no scripts: the verdict, every criterion with its
 * value, threshold, pass/fail and reason, the plan clauses the scenario
 * traces to, the state hash, and the command line that reproduces the run.
 * A broken run (teaching mode's break-it switches) says so in a banner above
 * everything else.
 *
 * Pure (a string from data): the app opens it in a new window to print, or
 * offers it as a download; tests read it as text.
 */
import { breakItLabels, type BreakIt } from '../scenarios/break-it.ts';
import type { RunResult } from '../scenarios/result.ts';
import { verdictLabel } from '../scenarios/result.ts';
import { REQUIREMENTS, type Requirement } from '../seeds/requirements.ts';
import { formatBreakParam } from './run-link.ts';

/** One clause of the source plan, as seeds/requirements.ts has it. */
export interface PlanClause {
  id: string;
  section: string;
  clause: string;
  /** What Skylane measures for it. */
  quantity: string;
}

/** The plan clauses of a scenario's `requirements` ids; an unknown id becomes a clause that says so (the loader refuses those anyway). */
export function planClauses(ids: readonly string[]): PlanClause[] {
  return ids.map((id) => {
    const r = (REQUIREMENTS as Record<string, Requirement>)[id];
    return r ? { id, section: r.section, clause: r.clause, quantity: r.quantity } : { id, section: '?', clause: `unknown requirement id "${id}" (seeds/requirements.ts)`, quantity: '' };
  });
}

export interface SummaryMeta {
  /** The scenario's name and file (repo-relative, as the CLI reports it) and its description. */
  scenario: { name: string; file: string; description?: string };
  seed: number;
  backend: string;
  /** Who drove whom: actor id and agent name (a swapped agent, or "user"). */
  agents: readonly { actor: string; agent: string }[];
  breakIt?: BreakIt | undefined;
  clauses: readonly PlanClause[];
  /** The deep link that reopens the run in the browser (absolute or relative), if known. */
  link?: string;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A measured value for people: 4 significant digits, no exponent for everyday magnitudes. */
export function formatValue(x: number | null, unit: string): string {
  if (x === null) return '-';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const s = a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
  return unit ? `${s} ${unit}` : s;
}

/**
 * The command line that reproduces the run headless, break-it switches
 * included (`--break`). Agent swaps have no CLI flag (yet): the page says so.
 */
export function cliLine(result: Pick<RunResult, 'file' | 'seed' | 'backend' | 'breakIt' | 'agentSwaps' | 'userAgents'>): string {
  const q = (s: string) => (/^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const brk = formatBreakParam(result.breakIt);
  const swaps = Object.entries(result.agentSwaps ?? {}).map(([a, n]) => ` --swap ${q(`${a}=${n}`)}`).join('');
  const users = (result.userAgents ?? []).map((u) => ` --agent ${q(`${u.actor}=${u.file}`)}`).join('');
  return `npx skylane run ${q(result.file)} --seed ${result.seed} --backend ${q(result.backend)}${brk ? ` --break ${brk}` : ''}${swaps}${users}`;
}

const CSS = `
@page { size: A4; margin: 14mm 14mm 16mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 0; }
@media screen { body { max-width: 210mm; margin: 8mm auto; padding: 0 8mm; } }
h1 { font-size: 15pt; margin: 0 0 2mm; }
h2 { font-size: 11pt; margin: 5mm 0 1.5mm; border-bottom: 0.3mm solid #999; }
.verdict { display: inline-block; padding: 0.5mm 3mm; border-radius: 1mm; font-weight: 700; color: #fff; }
.v-PASS, .v-XFAIL { background: #1d7a3a; } .v-FAIL, .v-XPASS { background: #b3261e; } .v-ERROR { background: #6a1b9a; }
.broken { border: 0.6mm solid #b3261e; color: #b3261e; padding: 2mm 3mm; margin: 2mm 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.5mm; border-bottom: 0.2mm solid #ccc; }
th { font-weight: 600; background: #f0f0f0; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pass { color: #1d7a3a; font-weight: 700; } .fail { color: #b3261e; font-weight: 700; }
dl { display: grid; grid-template-columns: 32mm 1fr; gap: 0.5mm 3mm; margin: 0; }
dt { color: #555; } dd { margin: 0; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 9pt; word-break: break-all; }
blockquote { margin: 1mm 0 2mm 3mm; padding-left: 2mm; border-left: 0.6mm solid #bbb; color: #333; }
.small { font-size: 8.5pt; color: #555; }
tr, blockquote { break-inside: avoid; }
`;

/** The whole page. */
export function summaryHtml(result: RunResult, meta: SummaryMeta): string {
  const label = verdictLabel(result);
  const broken = breakItLabels(meta.breakIt ?? result.breakIt);
  const rows = result.criteria.map((c) => `<tr data-criterion="${esc(c.name)}"><td>${esc(c.name)}</td><td class="num">${esc(formatValue(c.value, c.unit))}</td><td class="num">${esc(formatValue(c.threshold, c.unit))}</td><td class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'FAIL'}</td><td>${esc(c.reason)}<div class="small">threshold: ${esc(c.thresholdSource || '-')}</div></td></tr>`).join('\n');
  const clauses = meta.clauses.length
    ? meta.clauses.map((c) => `<div data-clause="${esc(c.id)}"><strong>${esc(c.id)}</strong> <span class="small">(section ${esc(c.section)}${c.quantity ? `; measured: ${esc(c.quantity)}` : ''})</span><blockquote>${esc(c.clause)}</blockquote></div>`).join('\n')
    : '<p class="small">This scenario names no clause of the plan.</p>';
  const agents = meta.agents.length ? meta.agents.map((a) => `${esc(a.actor)}: ${esc(a.agent)}`).join(', ') : '-';
  const brk = formatBreakParam(meta.breakIt ?? result.breakIt);
  const cli = cliLine({ ...result, ...(meta.breakIt ? { breakIt: meta.breakIt } : {}) });
  const notes: string[] = [];
  if (meta.agents.some((a) => a.agent === 'user')) notes.push('A user agent ran: the command line runs the scenario\'s own agents.');
  const xfail = result.expectedFailure
    ? `<p><strong>Negative control.</strong> Expected to fail ${esc(result.expectedFailure.failing.join(', '))}: ${esc(result.expectedFailure.why)} (${result.expectedFailure.met ? 'it did' : 'it did not'}).</p>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`${result.scenario} seed ${result.seed} ${result.backend}: ${label}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(result.scenario)} <span class="verdict v-${label}" data-verdict="${label}">${label}</span></h1>
${broken.length ? `<div class="broken" data-broken="">Broken run (teaching mode): ${esc(broken.join(', '))}. These scores are not the scenario's; compare them, never file them.</div>` : ''}
${meta.scenario.description ? `<p>${esc(meta.scenario.description)}</p>` : ''}
<dl>
<dt>file</dt><dd class="mono">${esc(result.file)}</dd>
<dt>seed / backend</dt><dd>${result.seed} / ${esc(result.backend)}</dd>
<dt>agents</dt><dd>${agents}</dd>
${brk ? `<dt>break-it</dt><dd class="mono">${esc(brk)}</dd>` : ''}
<dt>simulated</dt><dd>${esc(formatValue(result.simTime, 's'))}, ${result.steps} steps; ended: ${esc(result.endReason)}</dd>
<dt>state hash</dt><dd class="mono" data-hash="">${esc(result.stateHash)}</dd>
${result.groundTruth?.length ? `<dt>ground truth granted</dt><dd>${esc(result.groundTruth.join('; '))}</dd>` : ''}
${result.error ? `<dt>error</dt><dd class="fail">${esc(result.error)}</dd>` : ''}
</dl>
${xfail}
<h2>Criteria</h2>
<table>
<thead><tr><th>criterion</th><th>value</th><th>threshold</th><th>result</th><th>why</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="5">no criteria</td></tr>'}
</tbody>
</table>
<h2>Source plan</h2>
${clauses}
<h2>Reproduce</h2>
<p><code data-cli="">${esc(cli)}</code></p>
${meta.link ? `<p class="small">In the browser: <span class="mono">${esc(meta.link)}</span></p>` : ''}
${notes.map((n) => `<p class="small">${n}</p>`).join('\n')}
<p class="small">Same scenario, seed and backend give the same state hash on the same machine.</p>
</body>
</html>
`;
}
