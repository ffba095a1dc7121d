import { afterEach, describe, expect, it } from 'vitest';
import { LIDAR_CAMERA_FUSION, ObjectListSensor, type ObjectList } from '../../../sim/sensors/object-list.ts';
import type { World } from '../../../sim/world.ts';
import { mean, sensorWorld, std } from './setup.ts';

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

const MOUNT_Z = 0.1; // above the rover's centre: the sensor sits at ~0.23 m
const mount = { position: [0, 0, MOUNT_Z] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };
const exact = { radialSigmaM: 0, bearingSigmaRad: 0, velocitySigmaMps: 0, sizeSigmaM: 0, detectionProbability: 1 };

/** The actor each detection is nearest to (truth known to the test, never to the sensor). */
function labels(w: World, list: ObjectList, ids: string[]): string[] {
  const ego = w.stateOf('ego').position;
  return list.detections.map((d) => {
    let best = '', bestD = Infinity;
    for (const id of ids) {
      const p = w.stateOf(id).position;
      const dd = Math.hypot(p[0] - ego[0] - d.position[0], p[1] - ego[1] - d.position[1]);
      if (dd < bestD) [best, bestD] = [id, dd];
    }
    expect(bestD).toBeLessThan(0.05);
    return best;
  }).sort();
}

describe('object-list sensor', () => {
  async function scene() {
    const sensor = new ObjectListSensor({ name: 'objects', mount, ...LIDAR_CAMERA_FUSION, ...exact, rateHz: 100 });
    const s = await sensorWorld<ObjectList>(sensor);
    world = s.world;
    s.box('box-visible', [10, -4], [0.5, 0.5, 0.5]);
    s.box('box-behind', [-10, 0], [0.5, 0.5, 0.5]); // outside the 70 deg FOV
    s.box('box-far', [60, 0], [0.5, 0.5, 0.5]); // beyond 50 m, in the FOV
    s.box('car-occluder', [8, 4], [0.5, 1.5, 1]); // 1 x 3 x 2 m, casts a shadow from 16.4 to 36.3 deg
    s.box('pedestrian-hidden', [12, 4.8], [0.3, 0.3, 0.9]); // 20.9-22.7 deg: wholly in the shadow
    s.box('pedestrian-partial', [12, 3.65], [0.3, 0.3, 0.9]); // straddles the shadow edge; its centre is hidden
    return s;
  }
  const ALL = ['box-visible', 'box-behind', 'box-far', 'car-occluder', 'pedestrian-hidden', 'pedestrian-partial'];

  it('detects visible and partially visible objects, and the occluder, but not what is out of FOV, out of range or fully occluded', async () => {
    const s = await scene();
    s.run(3);
    const last = s.samples.at(-1)!.value;
    expect(labels(s.world, last, ALL)).toEqual(['box-visible', 'car-occluder', 'pedestrian-partial']);
    // Sizes and kinds are reported (exact here: noise off).
    const occ = last.detections.find((d) => d.kind === 'car')!;
    expect(occ.size).toEqual([1, 3, 2]);
  });

  it('sees the hidden pedestrian once the occluder is removed (the miss was occlusion)', async () => {
    const s = await scene();
    s.run(1);
    s.world.removeActor('car-occluder');
    s.run(2);
    expect(labels(s.world, s.samples.at(-1)!.value, ALL.filter((x) => x !== 'car-occluder'))).toEqual(['box-visible', 'pedestrian-hidden', 'pedestrian-partial']);
  });

  it('gives stable track ids that are not actor ids', async () => {
    const s = await scene();
    s.run(20);
    const firstIds = s.samples[0]!.value.detections.map((d) => d.trackId);
    for (const smp of s.samples) expect(smp.value.detections.map((d) => d.trackId)).toEqual(firstIds);
    expect(new Set(firstIds).size).toBe(3);
    for (const id of firstIds) expect(typeof id).toBe('number');
  });

  it('position and velocity noise match the cited sigmas (radial 0.03 m, lateral range x 0.2 deg, 0.3 m/s)', async () => {
    const sensor = new ObjectListSensor({ name: 'objects', mount, ...LIDAR_CAMERA_FUSION, detectionProbability: 1, rateHz: 100 });
    const s = await sensorWorld<ObjectList>(sensor, { seed: 11 });
    world = s.world;
    s.box('box-target', [20, 0], [0.5, 0.5, 0.5]);
    s.run(2000);
    const ego = s.world.stateOf('ego').position;
    const truthX = 20 - ego[0];
    const n = s.samples.length;
    expect(n).toBe(2000);
    const ex = s.samples.map((x) => x.value.detections[0]!.position[0] - truthX);
    const ey = s.samples.map((x) => x.value.detections[0]!.position[1] - (0 - ego[1]));
    const ev = s.samples.map((x) => x.value.detections[0]!.velocity[0]);
    const sigmaLat = 20 * LIDAR_CAMERA_FUSION.bearingSigmaRad;
    // sigma estimate has relative sd 1/sqrt(2n) = 1.6 %; 10 % is ~6 of those.
    expect(Math.abs(std(ex) / LIDAR_CAMERA_FUSION.radialSigmaM - 1)).toBeLessThan(0.1);
    expect(Math.abs(std(ey) / sigmaLat - 1)).toBeLessThan(0.1);
    expect(Math.abs(std(ev) / LIDAR_CAMERA_FUSION.velocitySigmaMps - 1)).toBeLessThan(0.1);
    // Unbiased: means within 4 standard errors.
    expect(Math.abs(mean(ex))).toBeLessThan((4 * LIDAR_CAMERA_FUSION.radialSigmaM) / Math.sqrt(n));
    expect(Math.abs(mean(ey))).toBeLessThan((4 * sigmaLat) / Math.sqrt(n));
  });

  it('misses a visible object with probability 1 - Pd, drawn from the seeded stream', async () => {
    const run = async (seed: number) => {
      const sensor = new ObjectListSensor({ name: 'objects', mount, ...LIDAR_CAMERA_FUSION, detectionProbability: 0.8, rateHz: 100 });
      const s = await sensorWorld<ObjectList>(sensor, { seed });
      s.box('box-target', [15, 2], [0.5, 0.5, 0.5]);
      s.run(2000);
      const hits = s.samples.map((x) => x.value.detections.length);
      s.world.dispose();
      return hits;
    };
    const a = await run(3);
    const rate = mean(a);
    // binomial sd sqrt(0.8 * 0.2 / 2000) = 0.0089
    expect(Math.abs(rate - 0.8)).toBeLessThan(0.036);
    expect(await run(3)).toEqual(a); // same seed, same misses
  });
});
