/**
 * Roads, cars and NPC traffic in the scenario format: loader errors for the
 * new fields, the ground sized from a road, the CLI running car fixtures
 * deterministically (in-process and in worker threads alike), and a scripted
 * cut-in firing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { groundOf, loadScenarioText, ScenarioError } from '../../scenarios/loader.ts';
import type { Report } from '../../scenarios/result.ts';
import { startRun } from '../../scenarios/runner.ts';
import type { SimEvent } from '../../sim/snapshot.ts';
import { newLanePosition } from '../../vehicles/road/road.ts';
import { editedText, expectScenarioError, FIXTURES, ROOT, runFile, scenarioErrorOf } from '../helpers.ts';

const CARS = `${FIXTURES}/cars`;
const HIGHWAY = readFileSync(`${CARS}/highway-npc.yaml`, 'utf8');
const CUT_IN = readFileSync(`${CARS}/cut-in.yaml`, 'utf8');
const FILE = 'cars.yaml';

const errorOf = (base: string, edit: (doc: any) => void): ScenarioError => scenarioErrorOf(() => loadScenarioText(editedText(base, edit), FILE));
const expectError = (e: ScenarioError, fieldPath: string, expected: RegExp): void => expectScenarioError(e, FILE, fieldPath, expected);

describe('loader: roads and cars, errors name the file, the field path and what was expected', () => {
  it('an unknown road builder', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.world.road.builder = 'motorway')), 'world.road.builder', /unknown road builder "motorway"; expected one of "highway", "on-ramp", "intersection", "urban-grid"/);
  });

  it('a builder parameter out of range', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.world.road.params.lanesPerDirection = 0)), 'world.road.params.lanesPerDirection', />=\s?1/);
  });

  it('parameters the builder itself refuses (a curve longer than the road)', () => {
    expectError(
      errorOf(HIGHWAY, (d) => (d.world.road.params.curve = { startS: 1900, radiusM: 500, angleDeg: 30 })),
      'world.road.params', /highway builder refused these parameters: .*does not fit/,
    );
  });

  it('no ground and no road', () => {
    expectError(errorOf(HIGHWAY, (d) => delete d.world.road), 'world.ground', /missing; .*only when world\.road is given/);
  });

  it('an unknown road in a lane placement', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].lane.road = 'ring')), 'actors[1].lane.road', /no road "ring" in the network; expected one of "highway"/);
  });

  it('an unknown lane, and a shoulder, are not drivable lanes', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].lane.lane = -7)), 'actors[1].lane.lane', /road "highway" has no lane -7 at s=120; expected one of -3, -2, -1, 1, 2, 3/);
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].lane.lane = -4)), 'actors[1].lane.lane', /no drivable lane -4 \(it is a shoulder lane\)/);
  });

  it('a placement off the road: beyond its end, outside the lane, or a pose off every lane for an NPC', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].lane.s = 2500)), 'actors[1].lane.s', /2500 m is off road "highway", which is 2000 m long/);
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].lane.offsetM = 2.5)), 'actors[1].lane.offsetM', /outside its 3\.75 m wide lane/);
    expectError(
      errorOf(HIGHWAY, (d) => {
        delete d.actors[1].lane;
        d.actors[1].pose = { position: [100, -25] };
      }),
      'actors[1].pose.position', /off every drivable lane of the road network/,
    );
  });

  it('pose and lane both, or neither', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].pose = { position: [0, 0] })), 'actors[1].lane', /either pose or lane, not both/);
    expectError(errorOf(HIGHWAY, (d) => delete d.actors[1].lane), 'actors[1]', /missing placement; expected pose .* or lane/);
  });

  it('driver and agent both set', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].agent = 'idle')), 'actors[1].driver', /NPC driver or by an agent, not both/);
  });

  it('an NPC driver on the dynamic model', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[1].model = 'dynamic')), 'actors[1].model', /expected model: kinematic, got "dynamic"/);
  });

  it("a behaviour's targetActor that does not exist", () => {
    expectError(errorOf(CUT_IN, (d) => (d.actors[1].driver.behaviour.targetActor = 'ghost')), 'actors[1].driver.behaviour.targetActor', /no actor with id "ghost"; expected one of "ego"/);
  });

  it('an unknown behaviour and a lead-brake without its trigger', () => {
    expectError(errorOf(CUT_IN, (d) => (d.actors[1].driver.behaviour = { type: 'tailgate' })), 'actors[1].driver.behaviour.type', /unknown behaviour "tailgate"; expected one of "cut-in", "lead-brake", "constant-speed", "cut-out"/);
    expectError(errorOf(CUT_IN, (d) => (d.actors[1].driver.behaviour = { type: 'lead-brake', decelMps2: 6 })), 'actors[1].driver.behaviour', /needs triggerTimeS or triggerGapM/);
    expectError(
      errorOf(CUT_IN, (d) => (d.actors[1].driver.behaviour = { type: 'lead-brake', decelMps2: 6, triggerGapM: 20 })),
      'actors[1].driver.behaviour.targetActor', /missing; triggerGapM measures the gap to targetActor/,
    );
  });

  it('cars overlapping at the start', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[4].lane.s = 202)), 'actors[4]', /car "npc-4" overlaps car "ego" \(actors\[0\]\) at the start/);
  });

  it('an unknown sensor type on a car lists the car sensors', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.actors[0].sensors[0].type = 'sonar')), 'actors[0].sensors[0].type', /unknown sensor type "sonar"; expected one of .*"object-list", "radar", "imu", "wheel-odometry"/);
  });

  it('a criterion on an NPC car: NPC drivers are not agents', () => {
    expectError(errorOf(HIGHWAY, (d) => (d.criteria[1].actor = 'npc-3')), 'criteria[1].actor', /"npc-3" is not driven by an agent; min-clearance judges an agent-driven actor \(one of "ego"\)/);
  });

  it('without world.ground, the ground is the road bounds plus groundMarginM', () => {
    const s = loadScenarioText(HIGHWAY, FILE).scenario;
    const g = groundOf(s);
    // 2000 m long; 3 lanes of 3.75 m and a 3 m shoulder each side: 28.5 m wide; 20 m margin.
    expect(g.centerM[0]).toBeCloseTo(1000, 6);
    expect(g.centerM[1]).toBeCloseTo(0, 6);
    expect(g.sizeM[0]).toBeCloseTo(2040, 6);
    expect(g.sizeM[1]).toBeCloseTo(68.5, 6);
  });
});

describe('car scenarios run', () => {
  it('highway-npc runs to completion via the CLI, with the same state hash in worker threads and in-process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skylane-cars-'));
    // 6 runs: the pool gives each worker thread at least 4 runs, so 6 runs start 2 threads.
    // The two files by name: tests/fixtures/cars/ also holds fixtures built to fail.
    const cli = await promisify(execFile)(process.execPath, [`${ROOT}bin/skylane.js`, 'run', `${CARS}/cut-in.yaml`, `${CARS}/highway-npc.yaml`, '--seeds', '1..3', '--workers', '2', '--json', `${dir}/r.json`], {
      cwd: ROOT, env: { ...process.env, SKYLANE_DEBUG: '' },
    });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/6 passed, 0 failed/);
    const report = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')) as Report;
    const inWorker = report.runs.find((r) => r.scenario === 'highway-npc' && r.seed === 1)!;
    expect(inWorker.simTime).toBe(30);
    expect(inWorker.endReason).toBe('duration');
    const a = await runFile(`${CARS}/highway-npc.yaml`, { seed: 1 });
    const b = await runFile(`${CARS}/highway-npc.yaml`, { seed: 1 });
    expect(a.verdict).toBe('pass');
    expect(a.stateHash).toBe(b.stateHash);
    expect(a.stateHash).toBe(inWorker.stateHash);
  });

  it('the traffic moves: NPCs keep their lanes or change them by MOBIL, at their IDM speeds, without touching the ego', async () => {
    const run = await startRun(loadScenarioText(HIGHWAY, FILE));
    const road = run.road!.network.road('highway');
    const lp = newLanePosition();
    const laneOf = (id: string) => {
      const p = run.world.stateOf(id).position;
      return road.locate(p[0], p[1], lp).laneId;
    };
    const start = new Map(run.world.snapshot.actors.map((a) => [a.id, laneOf(a.id)]));
    const r = run.runToEnd();
    expect(r.verdict).toBe('pass');
    let changed = 0;
    for (let k = 1; k <= 10; k++) {
      const id = `npc-${k}`;
      const lane = laneOf(id)!;
      expect([-1, -2, -3]).toContain(lane);
      if (lane !== start.get(id)) changed++;
      const v = run.world.stateOf(id).linearVelocity;
      expect(Math.hypot(v[0], v[1])).toBeGreaterThan(18);
    }
    expect(changed).toBeGreaterThan(0);
    // NPC drivers are not agents: only the ego is judged.
    expect(run.world.agentDriven()).toEqual(['ego']);
    run.dispose();
  });

  it('cut-in: the NPC cuts in at its gap and ends in the ego\'s lane, ahead of it', async () => {
    const run = await startRun(loadScenarioText(CUT_IN, FILE));
    const events: SimEvent[] = [];
    run.world.events$.subscribe((e) => e.type === 'timeline' && events.push(e));
    const road = run.road!.network.road('highway');
    const lp = newLanePosition();
    const r = run.runToEnd();
    expect(r.verdict).toBe('pass');
    expect(events.map((e) => e.type === 'timeline' && e.event)).toEqual(['cut-in cutter']);
    // The cutter starts 20 m behind at +6 m/s: it passes the ego and reaches a 15 m gap ahead after ~6.6 s.
    expect(events[0]!.time).toBeGreaterThan(5);
    expect(events[0]!.time).toBeLessThan(8);
    const ego = run.world.stateOf('ego').position, cutter = run.world.stateOf('cutter').position;
    expect(road.locate(cutter[0], cutter[1], lp).laneId).toBe(-2);
    const gap = cutter[0] - ego[0] - 4.508;
    expect(gap).toBeGreaterThan(10);
    expect(gap).toBeLessThan(20);
    run.dispose();
  });

  it('run.road exposes the network, its lane graph and its signal controllers (intersection)', async () => {
    const doc = parse(CUT_IN);
    doc.world.road = { builder: 'intersection', params: { armLengthM: 60 } };
    doc.actors = [
      { id: 'ego', kind: 'car', model: 'kinematic', lane: { road: 'x/west', lane: -1, s: 20 }, speedMps: 0, agent: 'idle' },
      { id: 'npc', kind: 'car', lane: { road: 'x/south', lane: -1, s: 10 }, speedMps: 8, driver: { type: 'npc', params: { idm: { desiredSpeedMps: 10 } } } },
    ];
    doc.duration = 2;
    const run = await startRun(loadScenarioText(stringify(doc), FILE));
    const road = run.road!;
    expect(road.network.controllers.map((c) => c.id)).toEqual(['x/signals']);
    expect(road.network.trafficLights.length).toBe(8);
    expect(road.graph.nodes.length).toBeGreaterThan(8);
    expect(run.runToEnd().verdict).toBe('pass');
    run.dispose();
  });
});
