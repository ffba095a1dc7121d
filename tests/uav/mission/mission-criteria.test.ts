/**
 * The UAV mission criteria (issue #4 section 7), each shown passing and
 * failing on real flights of the library scenarios (scenarios/library/uav/),
 * and the loader's checks on them. The flights are the reference agent's
 * (straight-line) on the scenario's own seed, rapier.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holdStats } from '../../../scenarios/criteria/position-hold.ts';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { runScenario } from '../../../scenarios/runner.ts';
import { editedText, expectScenarioError, LIBRARY, scenarioErrorOf } from '../../helpers.ts';

const PAD = readFileSync(`${LIBRARY}/uav/landing-pad.yaml`, 'utf8');
const HOVER = readFileSync(`${LIBRARY}/uav/hover-turbulence-light.yaml`, 'utf8');
const RTH = readFileSync(`${LIBRARY}/uav/rth-low-battery.yaml`, 'utf8');

/** Run `base` (edited) and return its criteria by name. */
async function judge(base: string, edit: (d: any) => void) {
  const r = await runScenario(loadScenarioText(editedText(base, edit), 'm.yaml'), { backend: 'rapier' });
  return Object.fromEntries(r.criteria.map((c) => [c.name, c]));
}

describe('landing, flight-time and mission-completion on the pad flight', () => {
  it('pass and fail on the same flight by their bounds, with the same measured values', async () => {
    const c = await judge(PAD, (d) => {
      d.vary = []; // the pad at [15, 0], still air
      d.criteria = [
        { type: 'no-collision' },
        { name: 'land-ok', type: 'landing', actor: 'drone', pad: { center: [15, 0], radiusM: 0.5 } },
        { name: 'land-too-fast', type: 'landing', actor: 'drone', pad: { center: [15, 0], radiusM: 0.5 }, maxTouchdownSpeedMps: 0.3 },
        { name: 'land-off-pad', type: 'landing', actor: 'drone', pad: { center: [17, 0], radiusM: 0.5 } },
        { name: 'time-ok', type: 'flight-time', actor: 'drone', until: 'landing', maxS: 35 },
        { name: 'time-tight', type: 'flight-time', actor: 'drone', until: 'landing', maxS: 5 },
        { name: 'done-ok', type: 'mission-completion', actor: 'drone', goal: [15, 0] },
        { name: 'done-far', type: 'mission-completion', actor: 'drone', goal: [30, 0] },
      ];
    });
    expect(c['land-ok']!.passed).toBe(true);
    expect(c['land-ok']!.thresholdSource).toBe('seeds:miit-2c-landing-touchdown-speed');
    expect(c['land-ok']!.reason).toMatch(/touched down at t=[\d.]+ s 0\.\d+ m from the pad centre/);
    // PX4 lands at MPC_LAND_SPEED, 0.7 m/s: the touchdown is close to it, below the 1.0 m/s bound.
    expect(c['land-ok']!.value!).toBeGreaterThan(0.4);
    expect(c['land-ok']!.value!).toBeLessThan(1.0);
    expect(c['land-too-fast']!.passed).toBe(false);
    expect(c['land-too-fast']!.reason).toMatch(/faster than 0.3 m\/s/);
    expect(c['land-too-fast']!.value).toBe(c['land-ok']!.value);
    expect(c['land-off-pad']!.passed).toBe(false);
    expect(c['land-off-pad']!.reason).toMatch(/outside the pad/);
    expect(c['time-ok']!.passed).toBe(true);
    expect(c['time-tight']!.passed).toBe(false);
    expect(c['time-tight']!.value).toBe(c['time-ok']!.value);
    // Take-off to 5 m at 1.5 m/s, 15 m at up to 4 m/s, 4.7 m down at 0.7 m/s: well over 10 s.
    expect(c['time-ok']!.value!).toBeGreaterThan(10);
    expect(c['done-ok']!.passed).toBe(true);
    expect(c['done-ok']!.thresholdSource).toBe('seeds:miit-2c-mission-completion-radius');
    expect(c['done-ok']!.value!).toBeLessThan(0.5);
    expect(c['done-far']!.passed).toBe(false);
    expect(c['done-far']!.value!).toBeGreaterThan(14);
    expect(c['done-far']!.reason).toMatch(/ended 1\d\.\d\d m from the goal/);
  }, 60_000);

  it('a pad that is not terrain is an obstacle: landing on it is a collision that fails mission-completion and no-collision', async () => {
    const c = await judge(PAD, (d) => {
      d.vary = [];
      delete d.actors[0].terrain;
      d.criteria = [
        { type: 'no-collision', terminate: false },
        { type: 'mission-completion', actor: 'drone', goal: [15, 0] },
        { type: 'landing', actor: 'drone', pad: { center: [15, 0], radiusM: 0.5 } },
      ];
    });
    expect(c['no-collision']!.passed).toBe(false);
    expect(c['mission-completion']!.passed).toBe(false);
    expect(c['mission-completion']!.reason).toMatch(/collision\(s\); first: drone hit pad/);
    // It never touched terrain after the take-off (it sits on the pad).
    expect(c['landing']!.passed).toBe(false);
    expect(c['landing']!.reason).toMatch(/never touched down/);
  }, 60_000);

  it('landing fails a UAV that hovers to the end (no touchdown), and one whose rotors still turn', async () => {
    const c = await judge(PAD, (d) => {
      d.vary = [];
      d.duration = 25;
      d.actors[1].agent.params.land = false;
      d.criteria = [{ type: 'landing', actor: 'drone', pad: { center: [15, 0], radiusM: 0.5 } }];
    });
    expect(c['landing']!.passed).toBe(false);
    expect(c['landing']!.reason).toMatch(/never touched down/);

    // The land detector disarms 1 s (LNDMC_TRIG_TIME) after the touchdown: end the run 0.4 s after it.
    const pad = { center: [15, 0], radiusM: 0.5 };
    const full = await judge(PAD, (d) => {
      d.vary = [];
      d.criteria = [{ type: 'landing', actor: 'drone', pad }];
    });
    const touchdown = Number(/at t=([\d.]+) s/.exec(full['landing']!.reason)![1]);
    const cut = await judge(PAD, (d) => {
      d.vary = [];
      d.duration = Math.ceil((touchdown + 0.4) * d.world.physicsHz) / d.world.physicsHz;
      d.criteria = [
        { name: 'armed', type: 'landing', actor: 'drone', pad },
        { name: 'armed-ok', type: 'landing', actor: 'drone', pad, requireDisarmed: false },
      ];
    });
    expect(cut['armed']!.passed).toBe(false);
    expect(cut['armed']!.reason).toMatch(/rotors were still turning/);
    expect(cut['armed-ok']!.passed).toBe(true);
  }, 90_000);
});

describe('position-hold', () => {
  it('RMS, p95 and max of a sample (nearest-rank p95)', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = holdStats(xs);
    expect(s.p95M).toBe(95);
    expect(s.maxM).toBe(100);
    expect(s.rmsM).toBeCloseTo(Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / 100), 12);
    expect(holdStats([]).rmsM).toBeNaN();
  });

  it('passes loose bounds and fails tight ones on the same light-turbulence hover, and reports every statistic', async () => {
    const hold = { actor: 'drone', setpoint: [0, 0, 10], fromS: 15 };
    const c = await judge(HOVER, (d) => {
      d.duration = 30;
      d.criteria = [
        { name: 'loose', type: 'position-hold', ...hold, horizontal: { rmsM: 2, p95M: 3, maxM: 4 }, vertical: { rmsM: 1, maxM: 2 } },
        { name: 'tight-h', type: 'position-hold', ...hold, horizontal: { p95M: 0.01 } },
        { name: 'tight-v', type: 'position-hold', ...hold, vertical: { maxM: 0.001 } },
        { name: 'late', type: 'position-hold', ...hold, fromS: 29.9905, toS: 29.9915 }, // between two 500 Hz ticks
      ];
    });
    expect(c['loose']!.passed).toBe(true);
    expect(c['loose']!.reason).toMatch(/horizontal RMS [\d.]+ m, p95 [\d.]+ m, max [\d.]+ m; vertical RMS/);
    expect(c['tight-h']!.passed).toBe(false);
    expect(c['tight-h']!.reason).toMatch(/horizontal p95 [\d.]+ m > 0.01 m/);
    expect(c['tight-v']!.passed).toBe(false);
    expect(c['tight-v']!.reason).toMatch(/vertical max/);
    expect(c['tight-h']!.value).toBe(c['loose']!.value);
    // A window with no tick in it judges nothing: a failure, not a pass.
    expect(c['late']!.passed).toBe(false);
    expect(c['late']!.reason).toMatch(/no sample in the window/);
  }, 60_000);
});

describe('battery-reserve and the return-to-home failsafe', () => {
  it('with the failsafe the UAV breaks off the survey, lands at home and keeps its reserve; with warnings only it drains past it', async () => {
    const crit = [
      { type: 'battery-reserve', actor: 'drone' },
      { name: 'home', type: 'landing', actor: 'drone', pad: { center: [0, 0], radiusM: 1 } },
      // The survey's far corner: a UAV that finished the survey would have been there.
      { name: 'far-corner', type: 'flight-time', actor: 'drone', until: { goal: [-20, 15, 5], radiusM: 1.5 } },
    ];
    const rth = await judge(RTH, (d) => (d.criteria = crit));
    expect(rth['battery-reserve']!.passed).toBe(true);
    expect(rth['battery-reserve']!.thresholdSource).toBe('seeds:miit-2c-battery-reserve');
    expect(rth['home']!.passed).toBe(true);
    expect(rth['far-corner']!.passed).toBe(false);
    expect(rth['far-corner']!.reason).toMatch(/never reached the goal/);

    const warnOnly = await judge(RTH, (d) => {
      d.actors[0].agent.params.lowBatteryAction = 'warn';
      d.criteria = crit;
    });
    expect(warnOnly['battery-reserve']!.passed).toBe(false);
    expect(warnOnly['battery-reserve']!.value!).toBeLessThan(0.07);
    expect(warnOnly['battery-reserve']!.value!).toBeLessThan(rth['battery-reserve']!.value!);
  }, 120_000);
});

describe('loader checks for the mission criteria and the battery', () => {
  const err = (base: string, edit: (d: any) => void) => scenarioErrorOf(() => loadScenarioText(editedText(base, edit), 'm.yaml'));

  it('battery-reserve needs a UAV with a battery; a battery sensor needs the battery', () => {
    expectScenarioError(err(PAD, (d) => d.criteria.push({ type: 'battery-reserve', actor: 'drone' })), 'm.yaml', 'criteria[3].actor', /no battery/);
    expectScenarioError(err(RTH, (d) => { delete d.actors[0].battery; d.criteria = d.criteria.filter((c: any) => c.type !== 'battery-reserve'); }), 'm.yaml', 'actors[0].battery', /battery sensor "battery" needs the UAV's battery/);
  });

  it('mission criteria judge a UAV; a hold window starts before the end; the state of charge is a fraction', () => {
    expectScenarioError(err(PAD, (d) => d.criteria.push({ name: 'pad-landing', type: 'landing', actor: 'pad', pad: { center: [0, 0], radiusM: 1 } })), 'm.yaml', 'criteria[3].actor', /pad/);
    expectScenarioError(err(HOVER, (d) => (d.criteria[1].fromS = 60)), 'm.yaml', 'criteria[1].fromS', /not before the end of the run/);
    expectScenarioError(err(RTH, (d) => (d.actors[0].battery.initialStateOfCharge = 1.5)), 'm.yaml', 'actors[0].battery.initialStateOfCharge', /1/);
  });

  it('turbulence needs a severity or a wind speed', () => {
    expectScenarioError(err(HOVER, (d) => (d.world.wind.turbulence = {})), 'm.yaml', 'world.wind.turbulence', /severity or w20Mps/);
  });
});
