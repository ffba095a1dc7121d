/**
 * Teaching mode's pure part (web/teach.ts draws it): which break-it switch
 * applies to a scenario, flipping one, what makes a normal and a broken run
 * comparable, criteria in plain words, and the normal-vs-broken table.
 * No DOM: Node tests read it.
 */
import type { BreakIt } from '../scenarios/break-it.ts';
import type { RunResult } from '../scenarios/result.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { RunSpec } from './app.ts';
import type { CriterionRowData } from './sim-protocol.ts';
import { formatValue } from './summary.ts';

export type BreakSwitch = 'v2x-off' | 'noise-x10' | 'stabiliser-off' | 'zones-ignored';

export const BREAK_SWITCHES: readonly { id: BreakSwitch; label: string; explain: string }[] = [
  { id: 'v2x-off', label: 'V2X off', explain: 'the radio is silent: no messages from other cars or the traffic lights' },
  { id: 'noise-x10', label: 'Sensor noise ×10', explain: 'every sensor ten times noisier than its datasheet' },
  { id: 'stabiliser-off', label: 'Stabiliser off', explain: "the gimbal's motors unpowered" },
  { id: 'zones-ignored', label: 'Zones ignored', explain: 'the drones no longer know the no-fly zones (the scorer still does)' },
];

/** Why a switch does not apply to a scenario, or null when it does. */
export function whyNotApplicable(s: Scenario, sw: BreakSwitch): string | null {
  switch (sw) {
    case 'v2x-off':
      return s.world.v2x && s.world.v2x.enabled !== false ? null : 'no V2X radio in this scenario';
    case 'noise-x10':
      return s.actors.some((a) => 'sensors' in a && a.sensors.length > 0) ? null : 'no actor has sensors';
    case 'stabiliser-off':
      return s.actors.some((a) => a.kind === 'uav' && a.gimbal && a.gimbal.controller !== 'none') ? null : 'no stabilised gimbal in this scenario';
    case 'zones-ignored':
      return s.world.airspace && s.actors.some((a) => a.kind === 'uav') ? null : 'no airspace zones in this scenario';
  }
}

export function switchOn(b: BreakIt | undefined, sw: BreakSwitch): boolean {
  if (!b) return false;
  switch (sw) {
    case 'v2x-off':
      return b.v2xOff === true;
    case 'noise-x10':
      return b.sensorNoiseScale !== undefined && b.sensorNoiseScale !== 1;
    case 'stabiliser-off':
      return b.stabiliserOff === true;
    case 'zones-ignored':
      return b.zonesIgnored === true;
  }
}

/** `b` with one switch flipped (a new object; switches off are left out). */
export function toggleSwitch(b: BreakIt | undefined, sw: BreakSwitch): BreakIt {
  const out: BreakIt = { ...(b ?? {}) };
  const on = !switchOn(b, sw);
  if (sw === 'v2x-off') on ? (out.v2xOff = true) : delete out.v2xOff;
  else if (sw === 'noise-x10') on ? (out.sensorNoiseScale = 10) : delete out.sensorNoiseScale;
  else if (sw === 'stabiliser-off') on ? (out.stabiliserOff = true) : delete out.stabiliserOff;
  else on ? (out.zonesIgnored = true) : delete out.zonesIgnored;
  return out;
}

/** What makes two runs comparable: everything but the break-it switches. */
export function comparisonKey(spec: Pick<RunSpec, 'scenarioId' | 'seed' | 'backend' | 'extras'>): string {
  const agents = Object.keys(spec.extras.agents ?? {}).sort();
  const swaps = Object.entries(spec.extras.agentSwaps ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([spec.scenarioId, spec.seed, spec.backend, swaps, agents]);
}

/** One criterion row in plain words: "min-ttc: passed (2.31 s; limit 1.5 s)". */
export function plainCriterion(row: CriterionRowData): { text: string; state: 'ok' | 'bad' | 'pending' } {
  const r = row.result;
  const value = r.value === null ? '' : formatValue(r.value, r.unit);
  const limit = r.threshold === null ? '' : formatValue(r.threshold, r.unit);
  const numbers = value || limit ? ` (${[value, limit ? `limit ${limit}` : ''].filter(Boolean).join('; ')})` : '';
  if (row.status === 'pass') return { text: `${r.name}: passed${numbers}`, state: 'ok' };
  if (row.status === 'fail') return { text: `${r.name}: FAILED${numbers}`, state: 'bad' };
  return r.passed ? { text: `${r.name}: fine so far${numbers}`, state: 'ok' } : { text: `${r.name}: not met yet${numbers}`, state: 'pending' };
}

/** The comparison of a normal and a broken result: one row per criterion (by name, the normal run's order first). */
export function compareResults(normal: RunResult, broken: RunResult): { name: string; normal: { value: string; passed: boolean } | null; broken: { value: string; passed: boolean } | null; changed: boolean }[] {
  const names = [...normal.criteria.map((c) => c.name), ...broken.criteria.map((c) => c.name).filter((n) => !normal.criteria.some((c) => c.name === n))];
  return names.map((name) => {
    const a = normal.criteria.find((c) => c.name === name);
    const b = broken.criteria.find((c) => c.name === name);
    const cell = (c: typeof a) => (c ? { value: formatValue(c.value, c.unit), passed: c.passed } : null);
    return { name, normal: cell(a), broken: cell(b), changed: !!a && !!b && a.passed !== b.passed };
  });
}

