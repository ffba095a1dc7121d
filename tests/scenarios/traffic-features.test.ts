/**
 * Loader errors for the traffic and road-feature parts of the scenario format
 * (pedestrians, junction control, road works): each names the file, the
 * field path and what was expected.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText, ScenarioError } from '../../scenarios/loader.ts';
import { editedText, expectScenarioError, FIXTURES, scenarioErrorOf } from '../helpers.ts';

const CROSSWALK = readFileSync(`${FIXTURES}/cars/pedestrian-crosswalk-npc.yaml`, 'utf8');
const FILE = 'traffic.yaml';
const errorOf = (base: string, edit: (doc: any) => void): ScenarioError => scenarioErrorOf(() => loadScenarioText(editedText(base, edit), FILE));
const expectError = (e: ScenarioError, fieldPath: string, expected: RegExp): void => expectScenarioError(e, FILE, fieldPath, expected);
const walker = (d: any) => d.actors[2];

describe('loader: pedestrians', () => {
  it('loads the crosswalk fixture', () => {
    expect(loadScenarioText(CROSSWALK, FILE).scenario.actors[2]!.kind).toBe('pedestrian');
  });

  it('a crosswalk id that does not exist', () => {
    expectError(errorOf(CROSSWALK, (d) => (walker(d).crosswalk.id = 'x/up-crosswalk')), 'actors[2].crosswalk.id', /no crosswalk "x\/up-crosswalk" in the road network; expected one of "x\/east-crosswalk", "x\/north-crosswalk"/);
  });

  it('a crosswalk on a road without crosswalks', () => {
    expectError(errorOf(CROSSWALK, (d) => {
      d.world.road = { builder: 'highway', params: { lanesPerDirection: 1, lengthM: 200 } };
      d.actors = [{ id: 'ego', kind: 'car', lane: { road: 'highway', lane: -1, s: 10 }, agent: 'idle' }, walker(d)];
    }), 'actors[1].crosswalk.id', /expected none \(this road has no crosswalks\)/);
  });

  it('both path and crosswalk, or neither', () => {
    expectError(errorOf(CROSSWALK, (d) => (walker(d).path = [[0, 0], [1, 1]])), 'actors[2].crosswalk', /either path or crosswalk, not both/);
    expectError(errorOf(CROSSWALK, (d) => delete walker(d).crosswalk), 'actors[2]', /missing motion; expected path .* or crosswalk/);
  });

  it('a path with NaN, with one point, off the ground, or of zero length', () => {
    expectError(errorOf(CROSSWALK, (d) => { delete walker(d).crosswalk; walker(d).path = [[0, 0], ['.nan', 1]]; }), 'actors[2].path[1][0]', /expected number/);
    expectError(errorOf(CROSSWALK.replace('crosswalk: { id: x/west-crosswalk, from: left }', 'path: [[0, 0], [.nan, 1]]'), () => {}), 'actors[2].path[1][0]', /expected number, received NaN/);
    expectError(errorOf(CROSSWALK, (d) => { delete walker(d).crosswalk; walker(d).path = [[0, 0]]; }), 'actors[2].path', /at least 2|>=\s?2/);
    expectError(errorOf(CROSSWALK, (d) => { delete walker(d).crosswalk; walker(d).path = [[0, 0], [5000, 0]]; }), 'actors[2].path[1]', /\[5000, 0\] is off the ground/);
    expectError(errorOf(CROSSWALK, (d) => { delete walker(d).crosswalk; walker(d).path = [[1, 1], [1, 1]]; }), 'actors[2].path', /zero length/);
  });

  it('a trigger on an unknown actor, on itself, or after the end of the run', () => {
    expectError(errorOf(CROSSWALK, (d) => (walker(d).start = { actor: 'ghost', distanceM: 10 })), 'actors[2].start.actor', /no actor with id "ghost"; expected one of "ego", "npc"/);
    expectError(errorOf(CROSSWALK, (d) => (walker(d).start = { actor: 'walker', distanceM: 10 })), 'actors[2].start.actor', /this pedestrian itself/);
    expectError(errorOf(CROSSWALK, (d) => (walker(d).start = { atS: 30 })), 'actors[2].start.atS', /30 s is not before the end of the run/);
    expectError(errorOf(CROSSWALK, (d) => (walker(d).start = { actor: 'npc', distanceM: -1 })), 'actors[2].start.distanceM', /> 0/);
  });

  it('a non-positive speed, an unknown atEnd and an unknown field', () => {
    expectError(errorOf(CROSSWALK, (d) => (walker(d).speedMps = 0)), 'actors[2].speedMps', /> 0/);
    expectError(errorOf(CROSSWALK, (d) => (walker(d).atEnd = 'vanish')), 'actors[2].atEnd', /"stand"|stand/);
    expectError(errorOf(CROSSWALK, (d) => (walker(d).pose = { position: [0, 0] })), 'actors[2]', /unknown field "pose"/);
  });

  it('speed and trigger distance are vary-able', () => {
    const text = editedText(CROSSWALK, (d) => {
      d.vary = [{ path: 'actors.walker.speedMps', uniform: [1.0, 1.8] }, { path: 'actors.walker.start.distanceM', uniform: [15, 30] }];
    });
    const loaded = loadScenarioText(text, FILE);
    expect(loaded.scenario.vary.length).toBe(2);
  });

  it('a driving-collisions criterion on pedestrians only needs a pedestrian', () => {
    const text = editedText(CROSSWALK, (d) => d.criteria.push({ type: 'driving-collisions', categories: ['pedestrian'] }));
    expect(() => loadScenarioText(text, FILE)).not.toThrow();
    expectError(errorOf(text, (d) => d.actors.pop()), 'criteria[1].categories', /against pedestrian actors, and the scenario has none/);
  });
});

describe('loader: junction control and the stop-sign criterion', () => {
  const ALL_WAY = readFileSync(`${FIXTURES}/cars/all-way-stop-npc.yaml`, 'utf8');
  const withStopSignCriterion = (control: string) => editedText(ALL_WAY, (d) => {
    d.world.road.params.control = control;
    d.criteria.push({ type: 'stop-sign' });
  });

  it('accepts stop-sign on an all-way or two-way stop junction', () => {
    expect(() => loadScenarioText(withStopSignCriterion('all-way-stop'), FILE)).not.toThrow();
    expect(() => loadScenarioText(withStopSignCriterion('two-way-stop'), FILE)).not.toThrow();
  });

  it('still refuses stop-sign on a signalised junction (no stop-sign lines), and red-light on a stop-controlled one', () => {
    expectError(scenarioErrorOf(() => loadScenarioText(withStopSignCriterion('signal'), FILE)), 'criteria[1]', /has no stop-sign lines: it would pass without judging anything/);
    const redLight = editedText(ALL_WAY, (d) => d.criteria.push({ type: 'red-light' }));
    expectError(scenarioErrorOf(() => loadScenarioText(redLight, FILE)), 'criteria[1]', /has no traffic lights/);
  });

  it('an unknown control, and an unknown road in driver.via', () => {
    expectError(errorOf(ALL_WAY, (d) => (d.world.road.params.control = 'roundabout')), 'world.road.params.control', /"signal"|signal/);
    expectError(errorOf(ALL_WAY, (d) => (d.actors[1].driver.via = ['x/west-uturn-1'])), 'actors[1].driver.via[0]', /no road "x\/west-uturn-1" in the network; expected a road id such as "x\/east"/);
  });

  it('the urban grid takes the control too', () => {
    const text = editedText(ALL_WAY, (d) => {
      d.world.road = { builder: 'urban-grid', params: { rows: 2, cols: 2, blockLengthM: 80, control: 'two-way-stop' } };
      d.actors = [{ id: 'ego', kind: 'car', lane: { road: 'h0-0', lane: -1, s: 20 }, agent: 'idle' }];
      d.criteria = [{ type: 'stop-sign' }];
    });
    expect(() => loadScenarioText(text, FILE)).not.toThrow();
  });
});
