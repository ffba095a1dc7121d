import { afterEach, describe, expect, it } from 'vitest';
import { TLR_CAMERA, TrafficLightsSensor, type SignalHead, type TrafficLightReading } from '../../../sim/sensors/traffic-lights.ts';
import type { World } from '../../../sim/world.ts';
import { sensorWorld } from './setup.ts';

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

const mount = { position: [0, 0, 0.1] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };

/** A head at (x, y, 5 m) facing back towards the ego (-x), red before t = 0.5 s, green after. */
function head(id: string, x: number, y: number, facingRad = Math.PI): SignalHead {
  return { id, position: [x, y, 5], facingRad, state: (t) => (t < 0.5 ? 'red' : 'green') };
}

describe('traffic-light camera', () => {
  it('reports the heads in range, in view and facing it, with their state over time; never one hidden behind a body', async () => {
    const heads = [
      head('ahead', 30, 0),
      head('far', 150, 0), // beyond 100 m
      head('behind', -20, 0, 0), // outside the 60 deg FOV
      head('away', 40, 2, 0), // faces away from the ego
      head('hidden', 20, -10), // behind a tall box
    ];
    const sensor = new TrafficLightsSensor({ name: 'tl', mount, ...TLR_CAMERA, detectionProbability: 1, rateHz: 10, heads });
    const s = await sensorWorld<TrafficLightReading>(sensor);
    world = s.world;
    s.box('truck-occluder', [10, -5], [1, 1, 4]); // 8 m tall, on the line of sight to 'hidden'
    s.run(100);
    const first = s.samples[0]!.value.lights;
    expect(first).toEqual([{ lightId: 'ahead', state: 'red' }]);
    const last = s.samples[s.samples.length - 1]!.value.lights;
    expect(last).toEqual([{ lightId: 'ahead', state: 'green' }]);
  });

  it('misses a visible head in about 1 - p_d of the samples, from its seeded stream', async () => {
    const sensor = new TrafficLightsSensor({ name: 'tl', mount, ...TLR_CAMERA, rateHz: 100, heads: [head('ahead', 30, 0)] });
    const s = await sensorWorld<TrafficLightReading>(sensor, { seed: 3 });
    world = s.world;
    s.run(2000);
    const missed = s.samples.filter((x) => x.value.lights.length === 0).length / s.samples.length;
    expect(missed).toBeGreaterThan(0.02);
    expect(missed).toBeLessThan(0.09);
  });
});
