import { afterEach, describe, expect, it } from 'vitest';
import { ARS_408_21_FAR, Radar, type RadarReturn } from '../../../sim/sensors/radar.ts';
import type { World } from '../../../sim/world.ts';
import { mean, sensorWorld, std } from './setup.ts';

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

// On the rover's front face (Jackal 0.508 m long), 0.1 m above its centre.
const MOUNT_X = 0.254;
const mount = { position: [MOUNT_X, 0, 0.1] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };

async function radarWorld(seed = 5) {
  const s = await sensorWorld<RadarReturn>(new Radar({ name: 'radar', mount, ...ARS_408_21_FAR, rateHz: 100 }), { seed });
  world = s.world;
  return s;
}

describe('radar (ARS 408-21 far range)', () => {
  it('reads the range to the nearest face within the cited 0.4 m sigma, unbiased', async () => {
    const s = await radarWorld();
    s.box('car-ahead', [30, 0], [1, 1, 1]); // front face at x = 29
    s.run(1000);
    const truth = 29 - (s.world.stateOf('ego').position[0] + MOUNT_X);
    const r = s.samples.map((x) => x.value.rangeM);
    expect(s.samples.every((x) => x.value.detected)).toBe(true);
    expect(Math.abs(mean(r) - truth)).toBeLessThan((4 * 0.4) / Math.sqrt(r.length));
    expect(Math.abs(std(r) / ARS_408_21_FAR.rangeSigmaM - 1)).toBeLessThan(0.1);
    // Static target, static ego: range rate is noise only (0.1 km/h).
    const rr = s.samples.map((x) => x.value.rangeRateMps);
    expect(Math.abs(mean(rr))).toBeLessThan(0.01);
    expect(Math.abs(std(rr) / ARS_408_21_FAR.rangeRateSigmaMps - 1)).toBeLessThan(0.15);
  });

  it('reports the closing speed of an approaching target as a negative range rate', async () => {
    const s = await radarWorld();
    s.box('car-oncoming', [40, 0], [1, 1, 1], { waypoints: [[-50, 0]], speedMps: 5, loop: false });
    s.run(100);
    const last = s.samples.at(-1)!.value;
    expect(last.detected).toBe(true);
    expect(last.rangeRateMps).toBeCloseTo(-5, 1);
    const ego = s.world.stateOf('ego').position[0] + MOUNT_X;
    expect(Math.abs(last.rangeM - (s.world.stateOf('car-oncoming').position[0] - 1 - ego))).toBeLessThan(4 * 0.4);
  });

  it('reports the nearest of two targets in the beam, and nothing for a target outside its +-9 deg', async () => {
    const s = await radarWorld();
    s.box('car-far', [60, 0], [1, 1, 1]);
    s.box('car-near', [20, 1], [1, 1, 1]);
    s.box('car-aside', [10, 4], [1, 1, 1]); // 22 deg off axis
    s.run(10);
    const last = s.samples.at(-1)!.value;
    expect(Math.abs(last.rangeM - 19)).toBeLessThan(2);
    const alone = await sensorWorld<RadarReturn>(new Radar({ name: 'radar', mount, ...ARS_408_21_FAR, rateHz: 100 }));
    alone.box('car-aside', [10, 4], [1, 1, 1]);
    alone.run(5);
    expect(alone.samples.at(-1)!.value.detected).toBe(false);
    expect(alone.samples.at(-1)!.value.rangeM).toBeNaN();
    alone.world.dispose();
  });
});
