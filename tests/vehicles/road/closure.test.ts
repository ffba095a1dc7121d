/**
 * Road works: lane closures (cone tapers, MUTCD taper length) and road
 * closures (a barrier), in the road scene and the physics world, known to NPC
 * traffic (lane change away, stop before the barrier), counted as static
 * collisions, absent from the agents' HD map; and their loader errors.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { drivingCategoryOfKind } from '../../../scenarios/criteria/index.ts';
import { loadScenarioText, ScenarioError } from '../../../scenarios/loader.ts';
import { startRun, type Run } from '../../../scenarios/runner.ts';
import { buildHighway } from '../../../vehicles/road/builders.ts';
import { CONE_HEIGHT_M, laneClosure, laneClosureCones, mutcdTaperLengthM } from '../../../vehicles/road/closure.ts';
import { newLanePosition } from '../../../vehicles/road/road.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { editedText, expectScenarioError, FIXTURES, scenarioErrorOf } from '../../helpers.ts';

const WORKS = readFileSync(`${FIXTURES}/cars/lane-closure-npc.yaml`, 'utf8');
const FILE = 'works.yaml';

let run: Run | null = null;
afterEach(() => {
  run?.dispose();
  run = null;
});

describe('closure geometry', () => {
  it('MUTCD taper lengths: L = W S^2 / 60 up to 40 mph, L = W S from 45 mph (feet, mph)', () => {
    // 12 ft at 30 mph: 180 ft; 12 ft at 60 mph: 720 ft (MUTCD Table 6H-4 rows).
    expect(mutcdTaperLengthM(12 * 0.3048, 30 * 0.44704)).toBeCloseTo(180 * 0.3048, 6);
    expect(mutcdTaperLengthM(12 * 0.3048, 60 * 0.44704)).toBeCloseTo(720 * 0.3048, 6);
  });

  it('cones run from the closed lane\'s far border to its border with the open lane, then along it', () => {
    const net = new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 500, speedLimitMps: 16.67 }));
    const c = laneClosure(net, { id: 'w', roadId: 'highway', laneId: -2, fromS: 150, toS: 320 });
    expect(c.taperStartS).toBe(150);
    expect(c.taperEndS).toBeCloseTo(150 + mutcdTaperLengthM(3.75, 16.67), 6);
    const cones = laneClosureCones(net, c);
    // Lane -2 spans y -3.75 .. -7.5: the first cone is at its outer border (0.3 m in), the taper ends at its inner border.
    expect(cones[0]!.x).toBeCloseTo(150, 6);
    expect(cones[0]!.y).toBeCloseTo(-7.2, 6);
    const lastTaper = cones.find((p) => Math.abs(p.x - c.taperEndS) < 1e-6)!;
    expect(lastTaper.y).toBeCloseTo(-4.05, 6);
    expect(cones[cones.length - 1]!.x).toBeCloseTo(320, 6);
    expect(cones.every((p) => p.y <= -4.05 + 1e-9 && p.y >= -7.2 - 1e-9)).toBe(true);
    // A lane driven towards -s tapers from its toS end.
    const left = laneClosure(net, { id: 'l', roadId: 'highway', laneId: 2, fromS: 150, toS: 320 });
    expect(left.taperStartS).toBe(320);
    expect(left.taperEndS).toBeLessThan(320);
  });
});

describe('road works in the world', () => {
  it('cones and the barrier are static props that count as static collisions; the closures are on the road scene, not in the HD map', async () => {
    run = await startRun(loadScenarioText(WORKS, FILE));
    const w = run.world;
    const cones = w.actors().filter((a) => a.kind === 'cone');
    expect(cones.length).toBeGreaterThan(10);
    expect(cones.every((a) => a.descriptor.isStatic && !a.descriptor.isTerrain)).toBe(true);
    expect(w.stateOf(cones[0]!.id).position[2]).toBeCloseTo(CONE_HEIGHT_M / 2, 6);
    expect(w.actor('barrier').kind).toBe('barrier');
    expect(drivingCategoryOfKind('cone')).toBe('static');
    expect(drivingCategoryOfKind('barrier')).toBe('static');
    expect(run.road!.closures.map((c) => [c.kind, c.id])).toEqual([['lane', 'works'], ['road', 'barrier']]);
    // The network (the map agents get) knows nothing of them.
    expect(JSON.stringify(run.road!.network.descriptor())).not.toMatch(/works|barrier|closure/);
  });

  it('an ego that coasts into the barrier is charged a static collision', async () => {
    const text = editedText(WORKS, (d) => {
      d.actors = [{ id: 'ego', kind: 'car', lane: { road: 'highway', lane: -1, s: 400 }, speedMps: 10, agent: 'idle' }];
      d.criteria = [{ type: 'driving-collisions', categories: ['static'] }];
      d.duration = 10;
    });
    run = await startRun(loadScenarioText(text, FILE));
    const r = run.runToEnd();
    expect(r.verdict).toBe('fail');
    expect(r.criteria[0]!.reason).toMatch(/static barrier/);
  });

  it('NPC traffic merges out of the closed lane before the taper and stops before the barrier, touching nothing', async () => {
    run = await startRun(loadScenarioText(WORKS, FILE));
    const contacts: string[] = [];
    run.world.events$.subscribe((e) => {
      if (e.type === 'collision' && e.started && e.a !== 'ground' && e.b !== 'ground') contacts.push(`${e.a}/${e.b}`);
    });
    const road = run.road!.network.road('highway');
    const lp = newLanePosition();
    const laneAt = (id: string) => road.locate(run!.world.stateOf(id).position[0], run!.world.stateOf(id).position[1], lp).laneId;
    const npcs = ['npc-r1', 'npc-r2', 'npc-l1'];
    let inClosedTaper = 0;
    while (!run.done) {
      run.step();
      for (const id of npcs) {
        const x = run.world.stateOf(id).position[0];
        if (x > 160 && x < 320 && laneAt(id) === -2) inClosedTaper++;
      }
    }
    expect(contacts).toEqual([]);
    expect(inClosedTaper).toBe(0);
    for (const id of npcs) {
      const st = run.world.stateOf(id);
      // Stopped before the barrier at s = 450 (front 2-ish m short of it).
      expect(st.position[0], id).toBeLessThan(450 - 2.25);
      expect(Math.hypot(st.linearVelocity[0], st.linearVelocity[1]), id).toBeLessThan(0.1);
    }
    expect(laneAt('npc-r1')).toBe(-1);
  });

  it('without the closures in the lane index the NPCs would hit the cones (the test can fail)', async () => {
    run = await startRun(loadScenarioText(WORKS, FILE));
    const lanes = run.road!.lanes;
    for (const id of ['works:closed', 'barrier:lane-1', 'barrier:lane-2']) {
      const o = lanes.occupant(lanes.indexOf(id));
      (o.participant as { state: unknown }).state = { ...o.participant.state, present: false };
    }
    const contacts: string[] = [];
    run.world.events$.subscribe((e) => {
      if (e.type === 'collision' && e.started && e.a !== 'ground' && e.b !== 'ground') contacts.push(`${e.a}/${e.b}`);
    });
    while (!run.done) run.step();
    expect(contacts.some((c) => /cone|barrier/.test(c))).toBe(true);
  });
});

describe('loader: road works', () => {
  const errorOf = (edit: (doc: any) => void): ScenarioError => scenarioErrorOf(() => loadScenarioText(editedText(WORKS, edit), FILE));
  const expectError = (e: ScenarioError, path: string, re: RegExp) => expectScenarioError(e, FILE, path, re);

  it('an unknown road, a lane that does not exist, and a shoulder', () => {
    expectError(errorOf((d) => (d.world.roadWorks[0].road = 'ring')), 'world.roadWorks[0].road', /no road "ring" in the network; expected one of "highway"/);
    expectError(errorOf((d) => (d.world.roadWorks[0].lane = -5)), 'world.roadWorks[0].lane', /road "highway" has no lane -5 at s=150; expected one of -2, -1, 1, 2/);
    expectError(errorOf((d) => (d.world.roadWorks[0].lane = -3)), 'world.roadWorks[0].lane', /no drivable lane -3 \(it is a shoulder lane\)/);
  });

  it('a closure outside the road, backwards, or shorter than its taper', () => {
    expectError(errorOf((d) => (d.world.roadWorks[0].toS = 600)), 'world.roadWorks[0].toS', /600 m is off road "highway", which is 500 m long/);
    expectError(errorOf((d) => (d.world.roadWorks[0].toS = 100)), 'world.roadWorks[0].toS', /must be above fromS \(150\), got 100/);
    expectError(errorOf((d) => (d.world.roadWorks[1].s = 501)), 'world.roadWorks[1].s', /501 m is off road "highway"/);
    expectError(errorOf((d) => (d.world.roadWorks[0].toS = 180)), 'world.roadWorks[0]', /taper is longer than the closure/);
    expectError(errorOf((d) => (d.world.roadWorks[0].taperLengthM = 200)), 'world.roadWorks[0].taperLengthM', /200\.0 m taper is longer than the closure/);
  });

  it('road works without a road, an unknown type, duplicate and taken ids', () => {
    expectError(errorOf((d) => { delete d.world.road; d.world.ground = { sizeM: [100, 100] }; d.actors = [{ id: 'ego', kind: 'rover', pose: { position: [0, 0] }, agent: 'idle' }]; }), 'world.roadWorks', /placed on world.road, and the scenario has none/);
    expectError(errorOf((d) => (d.world.roadWorks[0].type = 'pothole')), 'world.roadWorks[0].type', /"lane-closure"|lane-closure/);
    expectError(errorOf((d) => (d.world.roadWorks[1].id = 'works')), 'world.roadWorks[1].id', /duplicate road-works id "works"/);
    expectError(errorOf((d) => (d.world.roadWorks[1].id = 'ego')), 'world.roadWorks[1].id', /"ego" is already an actor id/);
  });
});
