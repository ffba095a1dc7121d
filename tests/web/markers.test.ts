/**
 * The TTC and clearance markers' data (web/markers-data.ts) and their deep
 * link (web/params.ts): thresholds come from the run's criteria, else the
 * seeds/ defaults; a value reads fail / warn / ok against its threshold;
 * `markers=0` hides them and survives the page rewriting its link.
 */
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../seeds/requirements.ts';
import { clearanceLabel, markerLevel, markerThresholds, ttcLabel, WARN_FACTOR } from '../../web/markers-data.ts';
import { formatDeepLink, parseDeepLink, registerLinkParam } from '../../web/params.ts';
import type { CriterionRowData } from '../../web/sim-protocol.ts';

function row(type: string, name: string, threshold: number | null): CriterionRowData {
  return { status: 'running', result: { name, type, value: null, threshold, unit: '', passed: true, reason: '', thresholdSource: 'scenario' } };
}

describe('marker thresholds and colours', () => {
  it("uses the run's min-ttc and min-clearance thresholds (the largest if several)", () => {
    const t = markerThresholds({ criteria: [row('no-collision', 'nc', 0), row('min-ttc', 'ttc', 1.5), row('min-clearance', 'c1', 0.5), row('min-clearance', 'c2', 2)] });
    expect(t.ttcS).toEqual({ value: 1.5, source: 'criterion:ttc' });
    expect(t.clearanceM).toEqual({ value: 2, source: 'criterion:c2' });
  });

  it('falls back to the seeds/ requirement the criterion would use', () => {
    const t = markerThresholds({ criteria: [row('no-collision', 'nc', 0)] });
    expect(t.ttcS).toEqual({ value: REQUIREMENTS['miit-2a-min-ttc'].threshold, source: 'seeds:miit-2a-min-ttc' });
    expect(t.clearanceM).toEqual({ value: REQUIREMENTS['miit-2c-avoidance-clearance'].threshold, source: 'seeds:miit-2c-avoidance-clearance' });
  });

  it('reads below the threshold as fail, within the warning band as warn, beyond as ok', () => {
    expect(markerLevel(0.9, 1)).toBe('fail');
    expect(markerLevel(1, 1)).toBe('warn');
    expect(markerLevel(WARN_FACTOR - 0.01, 1)).toBe('warn');
    expect(markerLevel(WARN_FACTOR, 1)).toBe('ok');
    expect(markerLevel(0, 0)).toBe('ok');
  });

  it('labels TTC in seconds and clearance in metres, one decimal', () => {
    expect(ttcLabel(2.14)).toBe('TTC 2.1 s');
    expect(clearanceLabel(1.76)).toBe('1.8 m');
  });
});

describe('deep link: markers and render quality', () => {
  it('is on by default; markers=0 hides, markers=1 shows, anything else warns', () => {
    expect(parseDeepLink('?scenario=x').markers).toBe(true);
    expect(parseDeepLink('?markers=0').markers).toBe(false);
    expect(parseDeepLink('?markers=1').markers).toBe(true);
    const bad = parseDeepLink('?markers=maybe');
    expect(bad.markers).toBe(true);
    expect(bad.warnings.join()).toMatch(/markers=maybe: expected 1 or 0/);
  });

  it('render=auto|full|lite picks the 3D quality (auto by default); anything else warns', () => {
    expect(parseDeepLink('').render).toBe('auto');
    expect(parseDeepLink('?render=lite').render).toBe('lite');
    expect(parseDeepLink('?render=full').render).toBe('full');
    const bad = parseDeepLink('?render=ultra');
    expect(bad.render).toBe('auto');
    expect(bad.warnings.join()).toMatch(/render=ultra: expected auto, full, lite/);
  });

  it("a feature's registered parameter is kept when the page writes its link", () => {
    let on = true;
    registerLinkParam('markers', () => (on ? null : '0'));
    const p = { scenario: 'cars-lead-brake', seed: 1, backend: 'rapier' as const, speed: 1, camera: 'orbit' as const };
    expect(formatDeepLink(p)).not.toContain('markers');
    on = false;
    expect(parseDeepLink(formatDeepLink(p)).markers).toBe(false);
  });
});
