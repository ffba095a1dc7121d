/**
 * Test harness for the ha-pilot scenario tests: run a car fixture through the
 * runner (`startRun`, as the CLI does) and measure the ego from ground truth
 * (`world.stateOf`) against the road network the world built: the lateral
 * offset from its start lane's centre, its speed, the bumper-to-bumper gap
 * to every car sharing its lane, the hazard lights, and collisions.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun } from '../../scenarios/runner.ts';
import type { SimEvent } from '../../sim/snapshot.ts';
import type { Car } from '../../vehicles/car/car.ts';
import { BMW_320I } from '../../vehicles/car/params.ts';
import { newLanePosition } from '../../vehicles/road/road.ts';
import { FIXTURES } from '../helpers.ts';

export interface Sample {
  t: number;
  /** Ego speed, m/s. */
  v: number;
  /** Lateral offset from the start lane's centre, + left, m. */
  offsetM: number;
  /** Lane id under the ego's centre (undefined off the lanes). */
  laneId: number | undefined;
  hazards: boolean;
  /** Bumper-to-bumper gap to the nearest car ahead overlapping the ego's lateral extent, m (Infinity: none). */
  gapAheadM: number;
  /** Speed of that car, m/s. */
  leadSpeedMps: number;
}

export interface Drive {
  samples: Sample[];
  collisions: SimEvent[];
  verdict: string;
  faultAtS: number | undefined;
}

const LEN = BMW_320I.bodyLengthM;
const WID = BMW_320I.bodyWidthM;

/** Load a fixture under tests/fixtures/cars, optionally edited, and drive it to the end, sampling every 0.05 s. */
export async function drive(fixture: string, edit?: (doc: any) => void): Promise<Drive> {
  const doc = parse(readFileSync(`${FIXTURES}/cars/${fixture}`, 'utf8'));
  edit?.(doc);
  const run = await startRun(loadScenarioText(stringify(doc, { aliasDuplicateObjects: false }), fixture));
  try {
    const road = run.road!.network.roads[0]!;
    const world = run.world;
    const ego = world.stateOf('ego');
    const car = world.actor('ego') as Car;
    const collisions: SimEvent[] = [];
    const terrain = new Set(world.actors().filter((a) => a.descriptor.isTerrain).map((a) => a.id));
    let faultAtS: number | undefined;
    world.events$.subscribe((e) => {
      if (e.type === 'collision' && e.started && (e.a === 'ego' || e.b === 'ego') && !terrain.has(e.a === 'ego' ? e.b : e.a)) collisions.push(e);
      if (e.type === 'fault' && faultAtS === undefined) faultAtS = e.time;
    });
    const others = run.scenario.actors.filter((a) => a.kind === 'car' && a.id !== 'ego').map((a) => world.stateOf(a.id));
    const pos = newLanePosition();
    road.locate(ego.position[0], ego.position[1], pos);
    const startLane = pos.laneId!;
    const samples: Sample[] = [];
    do {
      road.locate(ego.position[0], ego.position[1], pos);
      const sec = road.sections[pos.sectionIndex]!;
      const ds = pos.s - sec.s;
      const offsetM = pos.t - sec.centerT(startLane, ds, road.laneOffsetAt(pos.s));
      const egoS = pos.s, egoT = pos.t, laneId = pos.laneId;
      let gapAheadM = Infinity, leadSpeedMps = NaN;
      for (const o of others) {
        if (!o.present) continue;
        road.locate(o.position[0], o.position[1], pos);
        if (Math.abs(pos.t - egoT) >= WID) continue;
        const gap = pos.s - egoS - LEN;
        if (pos.s > egoS && gap < gapAheadM) {
          gapAheadM = gap;
          leadSpeedMps = Math.hypot(o.linearVelocity[0], o.linearVelocity[1]);
        }
      }
      samples.push({
        t: world.time,
        v: Math.hypot(ego.linearVelocity[0], ego.linearVelocity[1]),
        offsetM,
        laneId,
        hazards: (car as Partial<Car>).hazardLights === true,
        gapAheadM,
        leadSpeedMps,
      });
    } while (run.step(5));
    const r = run.result();
    return { samples, collisions, verdict: r.verdict, faultAtS };
  } finally {
    run.dispose();
  }
}

export const maxOf = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
export const minOf = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Infinity);
