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

describe('seed-varied parameters', () => {
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
