/**
 * The library forest (scenarios/library/uav/forest.yaml) is a test of the
 * pilot only if every seeded forest has a way through for its airframe, and
 * if it stands in the way (else any drone passes). Per seed, from ground
 * truth: the pillars the scenario builder places, a 5 cm grid over the map,
 * free where a disc of the airframe's footprint radius plus the 0.2 m
 * clearance requirement (seeds/requirements.ts, miit-2c-avoidance-clearance)
 * touches no pillar; a breadth-first search from the start to the goal
 * within the map's 40 x 20 m (no going round the forest outside it).
 */
import { describe, expect, it } from 'vitest';
import { scatter } from '../../../scenarios/build.ts';
import { instantiate } from '../../../scenarios/loader.ts';
import { loadScenarioFile } from '../../../scenarios/node-io.ts';
import { requirement } from '../../../seeds/requirements.ts';
import { footprintRadiusM } from '../../../uav/multirotor/airframe.ts';
import { airframeByName } from '../../../uav/multirotor/airframes.ts';
import { LIBRARY } from '../../helpers.ts';

interface Pillar { x: number; y: number; r: number }

const CELL_M = 0.05;

/** Breadth-first search on a CELL_M grid over [x0, x1] x [y0, y1]; a cell is free when its centre is farther than `inflateM` from every pillar surface. */
function passage(pillars: readonly Pillar[], box: [number, number, number, number], start: [number, number], goal: [number, number], inflateM: number): boolean {
  const [x0, y0, x1, y1] = box;
  const nx = Math.round((x1 - x0) / CELL_M) + 1, ny = Math.round((y1 - y0) / CELL_M) + 1;
  const blocked = new Uint8Array(nx * ny);
  for (const p of pillars) {
    const R = p.r + inflateM;
    const i0 = Math.max(0, Math.floor((p.x - R - x0) / CELL_M)), i1 = Math.min(nx - 1, Math.ceil((p.x + R - x0) / CELL_M));
    const j0 = Math.max(0, Math.floor((p.y - R - y0) / CELL_M)), j1 = Math.min(ny - 1, Math.ceil((p.y + R - y0) / CELL_M));
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) if (Math.hypot(x0 + i * CELL_M - p.x, y0 + j * CELL_M - p.y) <= R) blocked[j * nx + i] = 1;
  }
  const idx = (x: number, y: number): number => Math.round((y - y0) / CELL_M) * nx + Math.round((x - x0) / CELL_M);
  const s = idx(...start), g = idx(...goal);
  if (blocked[s] || blocked[g]) return false;
  const seen = new Uint8Array(nx * ny);
  const queue = new Int32Array(nx * ny);
  let head = 0, tail = 0;
  queue[tail++] = s;
  seen[s] = 1;
  while (head < tail) {
    const u = queue[head++]!;
    if (u === g) return true;
    const i = u % nx, j = (u - i) / nx;
    for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const a = i + di, b = j + dj;
      if (a < 0 || b < 0 || a >= nx || b >= ny) continue;
      const v = b * nx + a;
      if (seen[v] || blocked[v]) continue;
      seen[v] = 1;
      queue[tail++] = v;
    }
  }
  return false;
}

describe('library uav/forest: every seed has a passage for its airframe, and the forest blocks the straight line', () => {
  const loaded = loadScenarioFile(`${LIBRARY}/uav/forest.yaml`);
  const clearanceM = requirement('miit-2c-avoidance-clearance').threshold;

  it('the passage search finds a way through an open gap and none through a closed one', () => {
    const wall = (gap: number): Pillar[] => [{ x: 0, y: -5 - gap / 2, r: 5 }, { x: 0, y: 5 + gap / 2, r: 5 }];
    // A 0.6 m gap between two discs: open for 0.25 m of inflation (0.5 m needed), closed for 0.35 m (0.7 m needed).
    expect(passage(wall(0.6), [-6, -3, 6, 3], [-5.5, 0], [5.5, 0], 0.25)).toBe(true);
    expect(passage(wall(0.6), [-6, -3, 6, 3], [-5.5, 0], [5.5, 0], 0.35)).toBe(false);
  });

  it('seeds 1..50', () => {
    const s0 = instantiate(loaded, 1);
    const drone = s0.actors.find((a) => a.id === 'drone');
    if (!drone || drone.kind !== 'uav') throw new Error('forest.yaml: no uav "drone"');
    const inflate = footprintRadiusM(airframeByName(drone.airframe)) + clearanceM;
    const [sx, sy] = drone.pose.position;
    let open = 0, lineBlocked = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const s = instantiate(loaded, seed);
      const spec = s.world.scatter[0]!;
      const pillars = scatter(spec, 0, seed, loaded.file, [{ x: sx, y: sy, r: footprintRadiusM(airframeByName(drone.airframe)) }]).map((p) => {
        if (p.shape.type !== 'cylinder') throw new Error('expected cylinders');
        return { x: p.pose.position[0], y: p.pose.position[1], r: p.shape.radius };
      });
      expect(pillars).toHaveLength(200);
      const box: [number, number, number, number] = [spec.region.min[0], spec.region.min[1], spec.region.max[0], spec.region.max[1]];
      if (passage(pillars, box, [-19, 0], [19, 0], inflate)) open++;
      // The straight line from start to goal, swept by the airframe's footprint, touches a pillar.
      if (pillars.some((p) => Math.abs(p.y) < p.r + footprintRadiusM(airframeByName(drone.airframe)) && p.x > -19 && p.x < 19)) lineBlocked++;
    }
    console.log(`[forest] passage for ${inflate.toFixed(3)} m of inflation in ${open} of 50 seeds; straight line blocked in ${lineBlocked} of 50`);
    expect(open).toBe(50);
    expect(lineBlocked).toBe(50);
  });
});
