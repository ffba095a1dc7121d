/**
 * JUnit XML in the shape GitLab's test reports and the common GitHub JUnit
 * actions read: <testsuites> with one <testsuite> per scenario file, one
 * <testcase> per run, a <failure> listing the failing criteria with their
 * values, an <error> for runs that could not complete.
 */
import { breakItLabels } from '../break-it.ts';
import type { CriterionResult } from '../criteria/criterion.ts';
import { runSucceeded, type RunResult } from '../result.ts';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(s: string): string {
  // Also drop characters XML 1.0 forbids (control characters other than tab, LF, CR).
  return s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

export function formatValue(c: Pick<CriterionResult, 'value' | 'unit'>): string {
  if (c.value === null) return 'none';
  const v = Number.isInteger(c.value) ? String(c.value) : c.value.toPrecision(4);
  return `${v} ${c.unit}`;
}

export function caseName(r: RunResult): string {
  return `${r.scenario} [seed ${r.seed}, ${r.backend}${r.breakIt ? `, broken: ${breakItLabels(r.breakIt).join(', ')}` : ''}]`;
}

export function toJUnit(runs: RunResult[], suiteName = 'skylane'): string {
  const byFile = new Map<string, RunResult[]>();
  for (const r of runs) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const total = (pred: (r: RunResult) => boolean) => runs.filter(pred).length;
  const time = (rs: RunResult[]) => rs.reduce((t, r) => t + r.wallTime, 0).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suiteName)}" tests="${runs.length}" failures="${total((r) => r.verdict !== 'error' && !runSucceeded(r))}" errors="${total((r) => r.verdict === 'error')}" time="${time(runs)}">`,
  ];
  for (const [file, rs] of byFile) {
    lines.push(
      `  <testsuite name="${escapeXml(file)}" tests="${rs.length}" failures="${rs.filter((r) => r.verdict !== 'error' && !runSucceeded(r)).length}" errors="${rs.filter((r) => r.verdict === 'error').length}" skipped="0" time="${time(rs)}">`,
    );
    for (const r of rs) {
      lines.push(`    <testcase classname="skylane.${escapeXml(r.scenario)}" name="${escapeXml(caseName(r))}" file="${escapeXml(r.file)}" time="${r.wallTime.toFixed(3)}">`);
      const props = [
        ['seed', String(r.seed)],
        ['backend', r.backend],
        ['simTime', String(r.simTime)],
        ['stateHash', r.stateHash],
        ['endReason', r.endReason],
        ...(r.expectedFailure ? [['expectedFailure', `${r.expectedFailure.met ? 'met' : 'NOT met'}: ${r.expectedFailure.failing.join(', ')} (${r.expectedFailure.why})`]] : []),
        ...(r.groundTruth ?? []).map((g, i) => [`groundTruth.${i}`, g]),
        ...(r.userAgents ?? []).map((u) => [`userAgent.${u.actor}`, `${u.file} sha256:${u.sha256}`]),
        ...r.criteria.map((c) => [`criterion.${c.name}`, `${c.passed ? 'pass' : 'FAIL'}: ${formatValue(c)} (threshold ${c.threshold ?? 'none'} ${c.unit}, ${c.thresholdSource})`]),
      ];
      lines.push('      <properties>');
      for (const [k, v] of props) lines.push(`        <property name="${escapeXml(k!)}" value="${escapeXml(v!)}"/>`);
      lines.push('      </properties>');
      if (r.expectedFailure && r.verdict !== 'error') {
        // A negative control: failing exactly as expected is this test case's success.
        if (!r.expectedFailure.met) {
          const msg = r.verdict === 'pass'
            ? `expected ${r.expectedFailure.failing.join(', ')} to fail (${r.expectedFailure.why}), but every criterion passed`
            : `expected ${r.expectedFailure.failing.join(', ')} to fail; failing: ${r.criteria.filter((c) => !c.passed).map((c) => c.name).join(', ')}`;
          lines.push(`      <failure message="${escapeXml(msg)}" type="ExpectedFailureNotMet">${escapeXml(msg)}</failure>`);
        }
      } else if (r.verdict === 'fail') {
        const failing = r.criteria.filter((c) => !c.passed);
        const msg = failing.map((c) => `${c.name}: ${formatValue(c)} (threshold ${c.threshold ?? 'none'})`).join('; ');
        const body = failing.map((c) => `${c.name}: ${c.reason}`).join('\n');
        lines.push(`      <failure message="${escapeXml(msg)}" type="CriteriaFailed">${escapeXml(body)}</failure>`);
      } else if (r.verdict === 'error') {
        lines.push(`      <error message="${escapeXml(r.error ?? r.endReason)}" type="RunError">${escapeXml(r.error ?? r.endReason)}</error>`);
      }
      const out = r.criteria.map((c) => `${c.passed ? 'PASS' : 'FAIL'} ${c.name}: ${c.reason}`).join('\n');
      lines.push(`      <system-out>${escapeXml(out)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
