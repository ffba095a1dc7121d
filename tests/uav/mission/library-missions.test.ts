/**
 * The mission scenarios of the library (scenarios/library/uav/): their
 * geometry is what they say (the survey's waypoints are patterns.ts's
 * lawnmower; the judged route is the flown one), and each can fail: the
 * same flight, with the mission left unfinished or the failsafe off, fails
 * the scenario's own criteria.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { runScenario } from '../../../scenarios/runner.ts';
import { surveyPattern } from '../../../uav/mission/patterns.ts';
import { editedText, LIBRARY } from '../../helpers.ts';

const SURVEY = readFileSync(`${LIBRARY}/uav/survey-cruise.yaml`, 'utf8');
const PAD = readFileSync(`${LIBRARY}/uav/landing-pad.yaml`, 'utf8');

describe('survey-cruise', () => {
  it("flies patterns.ts's lawnmower over [0, 0]-[40, 20] at 8 m, 5 m apart, and is judged on that ground track", () => {
    const d = parse(SURVEY);
    const pattern = surveyPattern({ min: [0, 0], max: [40, 20], altitudeM: 8, spacingM: 5 });
    expect(d.actors[0].agent.params.waypoints).toEqual(pattern);
    const xte = d.criteria.find((c: any) => c.type === 'cross-track-error');
    expect(xte.route).toEqual(pattern.map((p) => [p[0], p[1]]));
    const last = pattern[pattern.length - 1]!;
    expect(d.criteria.find((c: any) => c.type === 'mission-completion').goal).toEqual(last);
  });

  it('passes on its seed, and fails when the agent stops one leg short', async () => {
    const ok = await runScenario(loadScenarioText(SURVEY, 's.yaml'), { backend: 'rapier' });
    expect(ok.verdict).toBe('pass');
    const short = await runScenario(loadScenarioText(editedText(SURVEY, (d) => d.actors[0].agent.params.waypoints.splice(-2)), 's.yaml'), { backend: 'rapier' });
    const failing = short.criteria.filter((c) => !c.passed).map((c) => c.type).sort();
    expect(failing).toEqual(['flight-time', 'mission-completion', 'path-efficiency']);
  }, 120_000);
});

describe('landing-pad', () => {
  it('fails when the UAV lands short of the pad', async () => {
    const bad = await runScenario(loadScenarioText(editedText(PAD, (d) => {
      d.vary = d.vary.slice(2); // the pad stays at [15, 0]
      d.actors[1].agent.params.waypoints[1] = [12, 0, 5];
    }), 'p.yaml'), { backend: 'rapier' });
    const landing = bad.criteria.find((c) => c.type === 'landing')!;
    expect(landing.passed).toBe(false);
    expect(landing.reason).toMatch(/touched down on ground .* outside the pad/);
  }, 60_000);
});
