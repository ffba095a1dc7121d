/**
 * NPC drivers obey traffic signals on a built intersection (wired through
 * scenarios/build.ts): stop before the stop line on red, go on green, the
 * yellow dilemma-zone rule, and cross traffic without a collision.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { startRun, type Run } from '../../../scenarios/runner.ts';
import { yawOf } from '../../../sim/math.ts';
import { BMW_320I } from '../../../vehicles/car/params.ts';
import { newLanePosition } from '../../../vehicles/road/road.ts';
import type { NpcDriver } from '../../../vehicles/traffic/npc-driver.ts';
import { COMFORT_STOP_DECEL_MPS2, signalDecision } from '../../../vehicles/traffic/signal-compliance.ts';
import { FIXTURES } from '../../helpers.ts';

const LEN = BMW_320I.bodyLengthM, WID = BMW_320I.bodyWidthM;
const FIXTURE = readFileSync(`${FIXTURES}/cars/intersection-npc.yaml`, 'utf8');
/** Stop line on every arm: crosswalk setback 1 m + crosswalk 3 m + gap 2 m from the junction end (s = 0). */
const STOP_S = 6;

/** One NPC approaching the junction from the west on lane 1 of x/west, signals offset by `offsetS`. */
async function westApproach(offsetS: number, s: number, speedMps: number): Promise<Run> {
  const doc = parse(FIXTURE);
  doc.world.road.params = { armLengthM: 150, signal: { offsetS } };
  doc.actors = [doc.actors[0], { id: 'npc', kind: 'car', lane: { road: 'x/west', lane: 1, s }, speedMps, driver: { type: 'npc' } }];
  doc.duration = 40;
  return startRun(loadScenarioText(stringify(doc), 'signal.yaml'));
}

/** The NPC driver inside the scenario's NPC car actor. */
const driverOf = (run: Run, id = 'npc'): NpcDriver => (run.world.actor(id) as unknown as { driver: NpcDriver }).driver;

/** Front bumper's distance before the stop line of x/west (negative: past it); NaN off that road. */
function frontToLine(run: Run): number {
  const road = run.road!.network.road('x/west');
  const p = run.world.stateOf('npc').position;
  const lp = road.locate(p[0], p[1], newLanePosition());
  if (!(lp.s > 0 && lp.s < 150 && Math.abs(lp.t) < 4)) return NaN;
  return lp.s - LEN / 2 - STOP_S;
}

describe('the dilemma-zone rule', () => {
  it('red stops, green goes, yellow stops only when v^2/2d <= 3 m/s^2, and a go on yellow holds through red', () => {
    expect(COMFORT_STOP_DECEL_MPS2).toBe(3);
    expect(signalDecision('green', 14, 5, false)).toBe('go');
    expect(signalDecision('red', 14, 5, false)).toBe('stop');
    expect(signalDecision('yellow', 12, 24.1, false)).toBe('stop'); // 144/48.2 = 2.99
    expect(signalDecision('yellow', 12, 23.9, false)).toBe('go'); // 3.01
    expect(signalDecision('red', 12, 10, true)).toBe('go');
  });
});

describe('NPC drivers obey traffic signals (intersection builder, scenario wiring)', () => {
  it('arriving on red: stops with its front bumper within 0-3 m before the stop line, then proceeds on green', async () => {
    // Default plan, cycle 104 s: west-through green at cycle time 0-30. Offset 15: at t = 0 the
    // cycle time is 89 (red), green from t = 15 s.
    const run = await westApproach(15, 100, 12);
    const ctl = run.road!.network.controller('x/signals');
    expect(ctl.stateAt('x/west-through', 0)).toBe('red');
    expect(ctl.timeToChange('x/west-through', 0)).toBeCloseTo(15, 9);
    let stoppedAt: number | undefined;
    let minFront = Infinity;
    while (run.world.time < 14.9) {
      run.step();
      const d = frontToLine(run);
      minFront = Math.min(minFront, d);
      const v = run.world.stateOf('npc').linearVelocity;
      if (stoppedAt === undefined && Math.hypot(v[0], v[1]) < 0.05) stoppedAt = d;
    }
    expect(stoppedAt).toBeDefined();
    expect(minFront).toBeGreaterThanOrEqual(0);
    expect(minFront).toBeLessThanOrEqual(3);
    expect(stoppedAt!).toBeLessThanOrEqual(3);
    // Still waiting at the end of the red.
    const v14 = run.world.stateOf('npc').linearVelocity;
    expect(Math.hypot(v14[0], v14[1])).toBeLessThan(0.05);
    expect(driverOf(run).signalStop).toEqual({ roadId: 'x/west', s: STOP_S, laneIds: [1] });
    // Green at 15 s: it drives through the junction and on along x/east.
    while (run.world.time < 16) run.step();
    expect(driverOf(run).signalStop).toBeUndefined();
    while (run.world.time < 30) run.step();
    const p = run.world.stateOf('npc').position;
    expect(p[0]).toBeGreaterThan(20);
    expect(Math.abs(p[1] + 1.75)).toBeLessThan(0.5);
    expect(Math.cos(yawOf(run.world.stateOf('npc').rotation))).toBeGreaterThan(0.99);
    run.dispose();
  });

  it('arriving on green: passes the stop line without stopping for it', async () => {
    const run = await westApproach(0, 80, 13);
    let minSpeed = Infinity;
    while (run.world.time < 12) {
      run.step();
      const v = run.world.stateOf('npc').linearVelocity;
      minSpeed = Math.min(minSpeed, Math.hypot(v[0], v[1]));
      expect(driverOf(run).signalStop).toBeUndefined();
    }
    // (The slight easing from 13 m/s is IDM seeing the dead end of x/east, ~240 m ahead at the start.)
    expect(minSpeed).toBeGreaterThan(11.5);
    expect(run.world.stateOf('npc').position[0]).toBeGreaterThan(30);
    run.dispose();
  });

  it('yellow: stops when it can at <= 3 m/s^2, goes on when it cannot', async () => {
    // Offset -27: west-through yellow from t = 3 s to 6 s, then red.
    const far = await westApproach(-27, 95, 13.5);
    const near = await westApproach(-27, 62, 13.5);
    expect(far.road!.network.controller('x/signals').stateAt('x/west-through', 3.01)).toBe('yellow');
    let dFarAt3 = NaN, dNearAt3 = NaN, nearStopped = false;
    while (far.world.time < 12) {
      far.step();
      near.step();
      if (Math.abs(far.world.time - 3) < 1e-9) {
        dFarAt3 = frontToLine(far);
        dNearAt3 = frontToLine(near);
      }
      if (near.world.time > 3 && driverOf(near).signalStop !== undefined) nearStopped = true;
    }
    // Far: 13.5^2 / (2 d) below 3 m/s^2 at the onset of yellow, so it stops at the line.
    expect(13.5 ** 2 / (2 * dFarAt3)).toBeLessThan(3);
    expect(frontToLine(far)).toBeGreaterThanOrEqual(0);
    expect(frontToLine(far)).toBeLessThanOrEqual(3);
    const vf = far.world.stateOf('npc').linearVelocity;
    expect(Math.hypot(vf[0], vf[1])).toBeLessThan(0.05);
    // Near: it would need more than 3 m/s^2, so it goes on (and holds that through the red).
    expect(13.5 ** 2 / (2 * dNearAt3)).toBeGreaterThan(3);
    expect(nearStopped).toBe(false);
    expect(near.world.stateOf('npc').position[0]).toBeGreaterThan(30);
    far.dispose();
    near.dispose();
  });

  it('intersection-npc: cross traffic takes turns for 60 s without any NPC collision', async () => {
    const run = await startRun(loadScenarioText(FIXTURE, 'intersection-npc.yaml'));
    const contacts: string[] = [];
    run.world.events$.subscribe((e) => {
      if (e.type === 'collision' && e.started) contacts.push(`${e.a}/${e.b} at ${e.time.toFixed(2)} s`);
    });
    const ids = run.world.snapshot.actors.map((a) => a.id).filter((id) => id.startsWith('npc-'));
    expect(ids.length).toBe(10);
    const passedAt = new Map<string, number>();
    const corners = (id: string): [number, number][] => {
      const st = run.world.stateOf(id);
      const yaw = yawOf(st.rotation), c = Math.cos(yaw), s = Math.sin(yaw);
      return [[1, 1], [-1, 1], [-1, -1], [1, -1]].map(([a, b]) => [st.position[0] + (c * a! * LEN) / 2 - (s * b! * WID) / 2, st.position[1] + (s * a! * LEN) / 2 + (c * b! * WID) / 2]);
    };
    // Footprint overlap by separating axes: the cars' rectangles must never intersect.
    const separated = (A: [number, number][], B: [number, number][]) => {
      for (const P of [A, B]) {
        for (let i = 0; i < 4; i++) {
          const [x0, y0] = P[i]!, [x1, y1] = P[(i + 1) % 4]!;
          const nx = y0 - y1, ny = x1 - x0;
          const pa = A.map(([x, y]) => x * nx + y * ny), pb = B.map(([x, y]) => x * nx + y * ny);
          if (Math.max(...pa) < Math.min(...pb) || Math.max(...pb) < Math.min(...pa)) return true;
        }
      }
      return false;
    };
    while (!run.done) {
      run.step();
      const t = run.world.time;
      for (const id of ids) {
        const p = run.world.stateOf(id).position;
        if (!passedAt.has(id) && Math.abs(p[0]) < 2 && Math.abs(p[1]) < 2) passedAt.set(id, t);
      }
      if (Math.round(t * 100) % 10 === 0) {
        const rects = ids.map(corners);
        for (let i = 0; i < rects.length; i++) {
          for (let j = i + 1; j < rects.length; j++) {
            if (!separated(rects[i]!, rects[j]!)) contacts.push(`${ids[i]}/${ids[j]} overlap at ${t.toFixed(2)} s`);
          }
        }
      }
    }
    expect(run.world.time).toBeCloseTo(60, 6);
    expect(contacts).toEqual([]);
    // Cross traffic really crossed: both axes went through the junction centre, in their own greens.
    const ew = ids.filter((id) => /npc-[we]/.test(id)).map((id) => passedAt.get(id)).filter((x) => x !== undefined);
    const ns = ids.filter((id) => /npc-[ns]/.test(id)).map((id) => passedAt.get(id)).filter((x) => x !== undefined);
    expect(ew.length).toBeGreaterThanOrEqual(4);
    expect(ns.length).toBeGreaterThanOrEqual(2);
    // Plan: east-west green 0-12 s (+3 s yellow, 2 s all-red), north-south green 27-39 s.
    for (const t of ew) expect(t! < 19 || t! > 54).toBe(true);
    for (const t of ns) expect(t! > 27 && t! < 46).toBe(true);
    expect(run.result().verdict).toBe('pass');
    run.dispose();
  });
});
