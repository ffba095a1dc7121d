import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { instantiate, loadScenarioText, ScenarioError } from '../../scenarios/loader.ts';
import { scenarioJsonSchema } from '../../scenarios/json-schema.ts';
import { LIBRARY, ROOT } from '../helpers.ts';

const BASE = readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8');
const FILE = 'bad.yaml';

/** Load the base scenario after `edit` changes its parsed document. */
function loadEdited(edit: (doc: any) => void): () => unknown {
  const doc = parse(BASE);
  edit(doc);
  return () => loadScenarioText(stringify(doc), FILE);
}

function errorOf(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw new Error(`expected a ScenarioError, got ${String(err)}`);
  }
  throw new Error('expected a ScenarioError, but it loaded');
}

describe('scenario loader errors name the file, the field path and what was expected', () => {
  it('YAML syntax error: line and column', () => {
    const e = errorOf(() => loadScenarioText('name: x\nactors: [\n  - id: a\n', FILE));
    expect(e.file).toBe(FILE);
    expect(e.fieldPath).toMatch(/^line \d+, column \d+$/);
    expect(e.message).toMatch(/^bad\.yaml: line \d+, column \d+: YAML syntax error/);
  });

  it('missing field', () => {
    const e = errorOf(loadEdited((d) => delete d.duration));
    expect(e.fieldPath).toBe('duration');
    expect(e.expected).toMatch(/missing; expected number/);
  });

  it('wrong type (duration: ten)', () => {
    const e = errorOf(loadEdited((d) => (d.duration = 'ten')));
    expect(e.message).toBe('bad.yaml: duration: expected number, received string');
  });

  it('unknown actor kind', () => {
    const e = errorOf(loadEdited((d) => (d.actors[1].kind = 'tank')));
    expect(e.fieldPath).toBe('actors[1].kind');
    expect(e.expected).toMatch(/unknown actor kind "tank"; expected one of "rover", "obstacle"/);
  });

  it('unknown agent', () => {
    const e = errorOf(loadEdited((d) => (d.actors[0].agent = 'autopilot-9000')));
    expect(e.fieldPath).toBe('actors[0].agent');
    expect(e.expected).toMatch(/unknown agent "autopilot-9000"; expected one of "go-to-goal"/);
  });

  it('negative duration', () => {
    const e = errorOf(loadEdited((d) => (d.duration = -5)));
    expect(e.fieldPath).toBe('duration');
    expect(e.expected).toMatch(/> ?0/);
    expect(e.expected).toMatch(/-5/);
  });

  it('reference to an actor that does not exist', () => {
    const e = errorOf(loadEdited((d) => (d.criteria[1].actor = 'ghost')));
    expect(e.fieldPath).toBe('criteria[1].actor');
    expect(e.expected).toMatch(/no actor with id "ghost"/);
  });

  it('NaN-like and non-finite coordinates are rejected', () => {
    const e = errorOf(() => loadScenarioText(BASE.replace('position: [-12, 0]', 'position: [.nan, 0]'), FILE));
    expect(e.fieldPath).toBe('actors[0].pose.position[0]');
    expect(e.expected).toBe('expected number, received NaN');
  });

  it('impossible geometry: an actor off the ground', () => {
    const e = errorOf(loadEdited((d) => (d.actors[0].pose.position = [500, 0])));
    expect(e.fieldPath).toBe('actors[0].pose.position');
    expect(e.expected).toMatch(/off the ground/);
  });

  it('unknown fields are named', () => {
    const e = errorOf(loadEdited((d) => (d.durration = 3)));
    expect(e.expected).toMatch(/unknown field "durration"/);
  });

  it('a bad vary path fails at load, not mid-sweep', () => {
    const e = errorOf(loadEdited((d) => (d.vary = [{ path: 'actors.ghost.pose.yawDeg', uniform: [0, 1] }])));
    expect(e.fieldPath).toBe('vary[0].path');
    expect(e.expected).toMatch(/no item with id "ghost"/);
  });
});

describe('the loader rejects scenarios whose checks could not judge anything', () => {
  const cases: [string, (d: any) => void, string, RegExp][] = [
    ['no-collision with no agent-driven actor', (d) => delete d.actors[0].agent, 'criteria[0]', /no actor has an agent: it would pass without judging anything/],
    ['a criterion on an actor no agent drives', (d) => (d.criteria[2].actor = 'pillar-a'), 'criteria[2].actor', /"pillar-a" is not driven by an agent/],
    ['min-clearance measured against itself', (d) => (d.criteria[1].others = ['ego']), 'criteria[1].others[0]', /is the judged actor itself/],
    ['min-clearance against nothing', (d) => (d.criteria[1].others = []), 'criteria[1].others', /nothing to measure/],
    ['max-duration that can never fail', (d) => { d.criteria[3].thresholdS = 60; d.criteria[2].endsRun = false; }, 'criteria[3].thresholdS', /could never fail/],
    ['an event at the very end', (d) => (d.events = [{ type: 'remove', at: 60, actor: 'pillar-a' }]), 'events[0].at', /would never fire/],
    ['a duration that is not whole steps', (d) => (d.duration = 5.005), 'duration', /not a whole number of physics steps/],
    ['go-to-goal without its GNSS', (d) => (d.actors[0].sensors = [{ type: 'range-ring', name: 'lidar' }]), 'actors[0].sensors', /reads a gnss sensor named "gnss", and the actor has none/],
    ['a GNSS where the agent expects its range ring', (d) => (d.actors[0].sensors = [{ type: 'gnss', name: 'lidar' }, { type: 'gnss', name: 'gnss' }]), 'actors[0].sensors[0].type', /reads "lidar" as a range-ring sensor, but it is a gnss/],
    ['a range ring whose minimum exceeds the default maximum', (d) => (d.actors[0].sensors[0].minRangeM = 20), 'actors[0].sensors[0].minRangeM', /below maxRangeM \(12, the default\)/],
    ['a scatter id clashing with an actor', (d) => (d.world.scatter = [{ idPrefix: 'pillar', count: 3, region: { min: [-5, -5], max: [5, 5] }, shape: { type: 'cylinder', radiusM: [0.2, 0.3], heightM: 1 } }, { idPrefix: 'pillar', count: 1, region: { min: [-5, -5], max: [5, 5] }, shape: { type: 'cylinder', radiusM: [0.2, 0.3], heightM: 1 } }]), 'world.scatter[1].idPrefix', /already taken by another scatter/],
    ['an unknown requirement id', (d) => (d.requirements = ['miit-9z-teleport']), 'requirements[0]', /unknown requirement "miit-9z-teleport"/],
    ['a vary range with min above max', (d) => (d.vary = [{ path: 'actors.ego.pose.yawDeg', uniform: [5, 1] }]), 'vary[0].uniform', /min <= max/],
  ];
  for (const [what, edit, path, message] of cases) {
    it(what, () => {
      const e = errorOf(loadEdited(edit));
      expect(e.fieldPath).toBe(path);
      expect(e.expected).toMatch(message);
    });
  }
});

describe('seed-varied parameters', () => {
  it('one draw can set several paths (a goal and the region that checks it)', () => {
    const loaded = loadScenarioText(readFileSync(`${LIBRARY}/rover-random-field.yaml`, 'utf8'), 'f.yaml');
    for (const seed of [1, 2, 3]) {
      const s = instantiate(loaded, seed);
      const ego = s.actors[0]!;
      const goal = s.criteria.find((c) => c.type === 'reach-goal')!;
      expect(ego.kind === 'rover' && goal.type === 'reach-goal' && ego.mission!.goal[1] === goal.region.center[1]).toBe(true);
    }
  });

  it('draws vary values from the seed, reproducibly, and differently per seed', () => {
    const text = readFileSync(`${LIBRARY}/rover-random-field.yaml`, 'utf8');
    const loaded = loadScenarioText(text, 'f.yaml');
    const goal = (seed: number) => {
      const a = instantiate(loaded, seed).actors[0]!;
      return a.kind === 'rover' ? a.mission!.goal[1] : NaN;
    };
    expect(goal(1)).toBe(goal(1));
    expect(goal(1)).not.toBe(goal(2));
    for (let s = 0; s < 20; s++) {
      expect(goal(s)).toBeGreaterThanOrEqual(-2);
      expect(goal(s)).toBeLessThanOrEqual(2);
    }
  });
});

describe('JSON Schema', () => {
  it('the published schema is generated from the validator and up to date (npm run schema)', () => {
    const committed = JSON.parse(readFileSync(`${ROOT}scenarios/schema/scenario.schema.json`, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  it('every library file references the schema for editor completion', () => {
    for (const f of ['rover-crossing', 'rover-random-field', 'rover-moving-obstacle']) {
      expect(readFileSync(`${LIBRARY}/${f}.yaml`, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
    }
  });
});
