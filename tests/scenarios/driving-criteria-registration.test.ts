/**
 * The driving criteria (issue #3, section 7) in the scenario format: each
 * new field's error names the file, the field path and what was expected;
 * the loader refuses every driving criterion that could pass without judging
 * anything; car fixtures run end to end through `runScenario` and the
 * criteria pass and fail on ground truth; `skylane list` shows the defaults.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CRITERIA } from '../../scenarios/criteria/index.ts';
import { CARLA_PENALTIES } from '../../scenarios/criteria/driving/index.ts';
import { loadScenarioText, ScenarioError } from '../../scenarios/loader.ts';
import { startRun } from '../../scenarios/runner.ts';
import { CRITERION_TYPES, DRIVING_CRITERION_TYPES } from '../../scenarios/schema.ts';
import { REQUIREMENTS } from '../../seeds/requirements.ts';
import { criterion, expectScenarioError, FIXTURES, ROOT, runFile, scenarioErrorOf } from '../helpers.ts';

const CARS = `${FIXTURES}/cars`;
const SHORT = readFileSync(`${CARS}/criteria-idle-short-route.yaml`, 'utf8');
const FILE = 'driving.yaml';

function load(base: string, edit: (doc: any) => void) {
  const doc = parse(base);
  edit(doc);
  return loadScenarioText(stringify(doc), FILE);
}

const errorOf = (base: string, edit: (doc: any) => void): ScenarioError => scenarioErrorOf(() => load(base, edit));
const expectError = (e: ScenarioError, fieldPath: string, expected: RegExp): void => expectScenarioError(e, FILE, fieldPath, expected);

/** Replace the criteria with one. */
const only = (c: Record<string, unknown>) => (d: any) => (d.criteria = [c]);
const TO = { road: 'highway', lane: -1, s: 250 };

describe('driving criteria: the schema fields, each error naming the file, the field path and what was expected', () => {
  it('an unknown criterion type lists the driving types too', () => {
    expectError(errorOf(SHORT, only({ type: 'speed-limit' })), 'criteria[0].type', /unknown criterion type "speed-limit"; expected one of .*"driving-collisions".*"driving-score"/);
  });

  it('ego: an unknown actor, a car no agent drives, a non-car, none and several', () => {
    expectError(errorOf(SHORT, only({ type: 'speeding', ego: 'ghost' })), 'criteria[0].ego', /no actor with id "ghost"; expected one of "ego"/);
    expectError(errorOf(SHORT, only({ type: 'speeding', ego: 'npc' })), 'criteria[0].ego', /"npc" is not driven by an agent; speeding judges an agent-driven car \(one of "ego"\)/);
    expectError(
      errorOf(SHORT, (d) => { d.actors.push({ id: 'cone', kind: 'obstacle', shape: { type: 'cylinder', radiusM: 0.2, heightM: 0.7 }, pose: { position: [300, -10] } }); d.criteria = [{ type: 'off-road', ego: 'cone' }]; }),
      'criteria[0].ego', /"cone" is an obstacle; off-road judges a car/,
    );
    expectError(errorOf(SHORT, (d) => { delete d.actors[0].agent; d.criteria = [{ type: 'lane-departure' }]; }), 'criteria[0].ego', /missing; lane-departure judges an agent-driven car, and no car has an agent/);
    expectError(
      errorOf(SHORT, (d) => { d.actors[1] = { id: 'ego2', kind: 'car', lane: { road: 'highway', lane: -2, s: 130 }, agent: 'idle' }; d.criteria = [{ type: 'speeding' }]; }),
      'criteria[0].ego', /missing; there are several agent-driven cars, name the judged one: one of "ego", "ego2"/,
    );
  });

  it('a driving criterion without world.road', () => {
    const e = errorOf(SHORT, (d) => {
      delete d.world.road;
      d.world.ground = { sizeM: [100, 100] };
      d.actors = [{ id: 'ego', kind: 'car', pose: { position: [0, 0] }, agent: 'idle' }];
      d.criteria = [{ type: 'comfort' }];
    });
    expectError(e, 'criteria[0]', /comfort judges a car on the road network, and the scenario has no world\.road/);
  });

  it('route: missing, a bad point, an unknown field', () => {
    expectError(errorOf(SHORT, only({ type: 'route-completion' })), 'criteria[0].route', /missing; expected object/);
    expectError(errorOf(SHORT, only({ type: 'driving-score', minScore: 50, route: { to: { road: 'highway', lane: 0, s: 250 } } })), 'criteria[0].route.to.lane', /expected a lane id other than 0/);
    expectError(errorOf(SHORT, only({ type: 'route-completion', route: { to: { ...TO, road: 'motorway' } } })), 'criteria[0].route.to.road', /no road "motorway" in the network; expected one of "highway"/);
    expectError(errorOf(SHORT, only({ type: 'route-completion', route: { to: { ...TO, s: 900 } } })), 'criteria[0].route.to.s', /900 m is off road "highway", which is 600 m long/);
    expectError(errorOf(SHORT, only({ type: 'route-completion', route: { to: { ...TO, lane: -3 } } })), 'criteria[0].route.to.lane', /road "highway" has no drivable lane -3 \(it is a shoulder lane\) at s=250; expected one of -2, -1, 1, 2/);
    expectError(errorOf(SHORT, only({ type: 'route-completion', route: { from: { ...TO, lane: 5 }, to: TO } })), 'criteria[0].route.from.lane', /has no lane 5 at s=250/);
    expectError(errorOf(SHORT, only({ type: 'route-completion', route: { to: TO, via: TO } })), 'criteria[0].route', /unknown field "via"/);
  });

  it('route: unreachable over the lane graph (behind the start, or the opposite carriageway)', () => {
    expectError(
      errorOf(SHORT, only({ type: 'route-completion', route: { to: { road: 'highway', lane: -1, s: 50 } } })),
      'criteria[0].route', /unreachable: no route from road highway lane -1 s=100 to road highway lane -1 s=50 over the lane graph/,
    );
    expectError(
      errorOf(SHORT, only({ type: 'driving-score', minScore: 50, route: { to: { road: 'highway', lane: 1, s: 300 } } })),
      'criteria[0].route', /unreachable: no route from road highway lane -1 s=100 to road highway lane 1 s=300/,
    );
  });

  it('route.from defaults to the ego lane placement; an ego placed by pose needs route.from', () => {
    expect(load(SHORT, only({ type: 'route-completion', route: { to: TO } })).scenario.criteria[0]).toMatchObject({ type: 'route-completion', endsRun: false });
    expectError(
      errorOf(SHORT, (d) => { d.actors[0] = { id: 'ego', kind: 'car', pose: { position: [100, -1.875] }, agent: 'idle' }; d.criteria = [{ type: 'route-completion', route: { to: TO } }]; }),
      'criteria[0].route.from', /missing; the ego "ego" is placed by pose, so the route needs a start/,
    );
  });

  it('thresholds and options out of range', () => {
    expectError(errorOf(SHORT, only({ type: 'speeding', toleranceMps: -1 })), 'criteria[0].toleranceMps', />=\s?0/);
    expectError(errorOf(SHORT, only({ type: 'route-completion', route: { to: TO }, minPercent: 150 })), 'criteria[0].minPercent', /<=\s?100/);
    expectError(errorOf(SHORT, only({ type: 'driving-score', route: { to: TO } })), 'criteria[0].minScore', /missing; expected number/);
    expectError(errorOf(SHORT, only({ type: 'lane-departure', maxDepartures: 0.5 })), 'criteria[0].maxDepartures', /expected int/);
    expectError(errorOf(SHORT, only({ type: 'off-road', maxEpisodes: -1 })), 'criteria[0].maxEpisodes', />=\s?0/);
    expectError(errorOf(SHORT, only({ type: 'min-ttc', horizonS: 0 })), 'criteria[0].horizonS', /expected a number > 0/);
    expectError(errorOf(SHORT, only({ type: 'comfort', bounds: { maxJerk: 3 } })), 'criteria[0].bounds', /unknown field "maxJerk"/);
    expectError(errorOf(SHORT, only({ type: 'driving-collisions', categories: ['vehicle', 'vehicle'] })), 'criteria[0].categories', /each category at most once/);
    expectError(errorOf(SHORT, only({ type: 'driving-collisions', categories: ['cyclist'] })), 'criteria[0].categories[0]', /"pedestrian"\|"vehicle"\|"static"|one of/);
    expectError(errorOf(SHORT, only({ type: 'red-light', maxViolations: -1 })), 'criteria[0].maxViolations', />=\s?0/);
  });
});

describe('driving criteria: the loader refuses criteria that would pass without judging anything', () => {
  it('red-light without traffic lights, stop-sign without stop-sign lines', () => {
    expectError(errorOf(SHORT, only({ type: 'red-light' })), 'criteria[0]', /red-light counts stop lines crossed on red, and the highway road has no traffic lights/);
    expectError(errorOf(SHORT, only({ type: 'stop-sign' })), 'criteria[0]', /stop-sign counts stop-sign lines run, and the highway road has no stop-sign lines/);
  });

  it('red-light loads on a signalised intersection', () => {
    const s = load(SHORT, (d) => {
      d.world.road = { builder: 'intersection', params: { armLengthM: 100 } };
      d.actors = [{ id: 'ego', kind: 'car', lane: { road: 'x/east', lane: 1, s: 60 }, speedMps: 10, agent: 'idle' }];
      d.criteria = [{ type: 'red-light' }];
    }).scenario;
    expect(s.criteria[0]).toMatchObject({ type: 'red-light' });
  });

  it('min-ttc and driving-collisions without anything to judge against', () => {
    const alone = (d: any) => d.actors.splice(1);
    expectError(errorOf(SHORT, (d) => { alone(d); d.criteria = [{ type: 'min-ttc' }]; }), 'criteria[0]', /min-ttc judges ego against vehicle actors, and the scenario has none/);
    expectError(errorOf(SHORT, (d) => { alone(d); d.criteria = [{ type: 'driving-collisions' }]; }), 'criteria[0]', /driving-collisions judges ego against pedestrian, vehicle, static actors, and the scenario has none/);
    expectError(errorOf(SHORT, only({ type: 'driving-collisions', categories: ['pedestrian'] })), 'criteria[0].categories', /against pedestrian actors, and the scenario has none/);
    // A static obstacle is enough for driving-collisions, not for min-ttc (vehicles by default).
    const cone = (d: any) => d.actors.push({ id: 'cone', kind: 'obstacle', shape: { type: 'cylinder', radiusM: 0.2, heightM: 0.7 }, pose: { position: [300, -1.875] } });
    expect(() => load(SHORT, (d) => { alone(d); cone(d); d.criteria = [{ type: 'driving-collisions' }]; })).not.toThrow();
    expectError(errorOf(SHORT, (d) => { alone(d); cone(d); d.criteria = [{ type: 'min-ttc' }]; }), 'criteria[0]', /against vehicle actors/);
  });

  it('mrm-success: a dynamic car, and a trigger that fires', () => {
    const fault = { type: 'sensor-fault', at: 2, actor: 'ego', sensor: 'gnss' };
    const withGnss = (d: any) => (d.actors[0].sensors = [{ type: 'gnss' }]);
    expect(() => load(SHORT, (d) => { withGnss(d); d.events = [fault]; d.criteria = [{ type: 'mrm-success', withinS: 10 }]; })).not.toThrow();
    expectError(errorOf(SHORT, only({ type: 'mrm-success' })), 'criteria[0].withinS', /missing; expected number/);
    expectError(errorOf(SHORT, only({ type: 'mrm-success', withinS: 0 })), 'criteria[0].withinS', /expected a number > 0/);
    expectError(
      errorOf(SHORT, (d) => { d.actors[0].model = 'kinematic'; withGnss(d); d.events = [fault]; d.criteria = [{ type: 'mrm-success', withinS: 10 }]; }),
      'criteria[0]', /mrm-success needs hazard lights, which only a car with model: dynamic has; "ego" is model: kinematic/,
    );
    expectError(errorOf(SHORT, only({ type: 'mrm-success', withinS: 10 })), 'criteria[0].trigger', /the trigger \(kind: fault, the default\) waits for a sensor fault on "ego", and events has no sensor-fault on it: it would never fire/);
    expectError(errorOf(SHORT, only({ type: 'mrm-success', withinS: 10, trigger: { kind: 'odd-exit' } })), 'criteria[0].trigger.kind', /unknown trigger kind "odd-exit"; expected one of "fault", "timeline", "time"/);
    expectError(errorOf(SHORT, only({ type: 'mrm-success', withinS: 10, trigger: { kind: 'time', atS: 20 } })), 'criteria[0].trigger.atS', /20 s is not before the end of the run \(duration 20 s\), so it would never fire/);
    expectError(
      errorOf(SHORT, (d) => { withGnss(d); d.events = [fault]; d.criteria = [{ type: 'mrm-success', withinS: 10, trigger: { kind: 'timeline', event: 'road closed' } }]; }),
      'criteria[0].trigger.event', /no scheduled event "road closed", so it would never fire; expected one of "sensor-fault ego.gnss"/,
    );
    expect(() => load(SHORT, (d) => { withGnss(d); d.events = [fault]; d.criteria = [{ type: 'mrm-success', withinS: 10, trigger: { kind: 'timeline', event: 'sensor-fault ego.gnss' } }]; })).not.toThrow();
  });
});

describe('driving criteria run end to end through the scenario format', () => {
  it('an idle car coasting over the limit on a route it cannot finish fails speeding, route completion and the driving score', async () => {
    const r = await runFile(`${CARS}/criteria-idle-overspeed.yaml`);
    expect(r.verdict).toBe('fail');
    expect(r.endReason).toBe('duration');
    const sp = criterion(r, 'speeding');
    expect(sp).toMatchObject({ passed: false, threshold: 0.5, unit: 'm/s', thresholdSource: 'seeds:miit-2a-speeding-tolerance' });
    expect(sp.value!).toBeGreaterThan(4);
    expect(sp.reason).toMatch(/over the 25.00 m\/s limit/);
    const rc = criterion(r, 'route-completion');
    expect(rc).toMatchObject({ passed: false, threshold: 99, unit: '%', thresholdSource: 'seeds:miit-2a-route-completion' });
    // About 30 m/s for 10 s of a 1000 m route.
    expect(rc.value!).toBeGreaterThan(25);
    expect(rc.value!).toBeLessThan(35);
    const ds = criterion(r, 'driving-score');
    expect(ds).toMatchObject({ passed: false, threshold: 50, unit: 'score', thresholdSource: 'scenario' });
    expect(ds.value!).toBeCloseTo(rc.value!, 6);
    expect(criterion(r, 'lane-departure')).toMatchObject({ passed: true, value: 0 });
    expect(criterion(r, 'driving-collisions')).toMatchObject({ passed: true, value: 0 });
  });

  it('the same car under the limit on a short route passes every criterion, and the completed route ends the run', async () => {
    const r = await runFile(`${CARS}/criteria-idle-short-route.yaml`);
    expect(r.verdict).toBe('pass');
    expect(r.endReason).toBe('goal reached');
    // 150 m at 20 m/s, complete within 10 m of the end (CARLA's DISTANCE_THRESHOLD).
    expect(r.simTime).toBeGreaterThan(6.5);
    expect(r.simTime).toBeLessThan(8);
    expect(criterion(r, 'route-completion')).toMatchObject({ passed: true, value: 100 });
    expect(criterion(r, 'driving-score')).toMatchObject({ passed: true, value: 100, threshold: 99 });
    expect(criterion(r, 'speeding')).toMatchObject({ passed: true, value: 0 });
    expect(criterion(r, 'min-ttc')).toMatchObject({ passed: true, value: null, thresholdSource: 'seeds:miit-2a-min-ttc' });
    expect(criterion(r, 'comfort')).toMatchObject({ passed: true, value: 0 });
    expect(criterion(r, 'comfort').thresholdSource).toContain('seeds:miit-2a-comfort-max-abs-mag-jerk');
    for (const n of ['lane-departure', 'off-road', 'driving-collisions']) expect(criterion(r, n)).toMatchObject({ passed: true, value: 0 });
  });

  it('coasting into a parked car: min TTC and a vehicle collision fail, the driving score takes the 0.60 vehicle penalty', async () => {
    const r = await runFile(`${CARS}/criteria-idle-rear-ends.yaml`);
    expect(r.verdict).toBe('fail');
    const ttc = criterion(r, 'min-ttc');
    // Sampled at 10 Hz: the last sample before the contact is within 0.1 s of it.
    expect(ttc.passed).toBe(false);
    expect(ttc.value!).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(ttc.reason).toMatch(/to parked/);
    expect(criterion(r, 'driving-collisions')).toMatchObject({ passed: false, value: 1 });
    expect(criterion(r, 'driving-collisions').reason).toMatch(/ego hit vehicle parked/);
    const ds = criterion(r, 'driving-score');
    const pct = Number(/route ([\d.]+) %/.exec(ds.reason)![1]);
    expect(ds.passed).toBe(false);
    expect(ds.value!).toBeCloseTo(pct * CARLA_PENALTIES.vehicle, 0);
  });

  it('one DrivingContext per ego and route per run, with every non-terrain actor classed', async () => {
    const run = await startRun(load(SHORT, () => {}));
    try {
      const ctx = (c: unknown) => (c as { ctx: { egoId: string; others: { id: string; category: string }[]; route?: unknown } }).ctx;
      const [speeding, completion, score, lane] = ['speeding', 'route-completion', 'driving-score', 'lane-departure'].map((n) => run.criteria.find((c) => c.name === n)!);
      expect(ctx(speeding)).toBe(ctx(lane));
      // route-completion names route.from; driving-score defaults it to the same lane placement: one route.
      expect(ctx(completion)).toBe(ctx(score));
      expect(ctx(completion).route).toBeDefined();
      expect(ctx(speeding).route).toBeUndefined();
      expect(ctx(speeding).egoId).toBe('ego');
      expect(ctx(speeding).others).toEqual([expect.objectContaining({ id: 'npc', category: 'vehicle' })]);
    } finally {
      run.dispose();
    }
  });
});

describe('driving criteria are listed with their seeds defaults', () => {
  it('CRITERIA covers every schema type, and each driving default is a seeds/ entry quoting the HA clause', () => {
    expect(CRITERIA.map((c) => c.type).sort()).toEqual([...CRITERION_TYPES].sort());
    for (const t of DRIVING_CRITERION_TYPES) {
      const info = CRITERIA.find((c) => c.type === t)!;
      for (const id of [...(info.requirement ? [info.requirement] : []), ...(info.requirements ?? [])]) {
        expect(REQUIREMENTS[id].section).toBe('2) A');
        expect(REQUIREMENTS[id].clause).toMatch(/support highly autonomous driving \(HA level\)\.$/);
      }
    }
    expect(CRITERIA.find((c) => c.type === 'comfort')!.requirements).toHaveLength(7);
  });

  it('skylane list prints each driving criterion with its default and source', async () => {
    const r = await promisify(execFile)(process.execPath, [`${ROOT}bin/skylane.js`, 'list'], { cwd: ROOT, env: { ...process.env, SKYLANE_DEBUG: '' } });
    for (const t of DRIVING_CRITERION_TYPES) expect(r.stdout).toMatch(new RegExp(`^  ${t} `, 'm'));
    expect(r.stdout).toContain('default <= 0.5 m/s from seeds/miit-2a-speeding-tolerance (plan section 2) A)');
    expect(r.stdout).toContain('default >= 99 % from seeds/miit-2a-route-completion');
    expect(r.stdout).toContain('default >= 0.95 s from seeds/miit-2a-min-ttc');
    expect(r.stdout).toContain('default >= -4.05 m/s^2 from seeds/miit-2a-comfort-min-lon-accel');
    expect(r.stdout).not.toContain('proposed-seeds');
  });
});
