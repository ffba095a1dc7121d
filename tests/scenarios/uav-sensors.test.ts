/**
 * A UAV carries sensors in the scenario format (the flight stack and agents
 * that read them come with issue #4): a barometer and a 3D lidar on a
 * hovering-height Iris read what its height says they should.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun } from '../../scenarios/runner.ts';
import type { BarometerSample } from '../../sim/sensors/barometer.ts';
import type { LidarScan } from '../../sim/sensors/lidar-3d.ts';
import { expectScenarioError, scenarioErrorOf } from '../helpers.ts';

const text = (sensors: string) => `
name: uav-sensors
description: an Iris standing on the ground with a barometer and a downward-looking lidar layer
seed: 1
duration: 1
world:
  ground: { centerM: [0, 0], sizeM: [20, 20] }
actors:
  - id: drone
    kind: uav
    airframe: iris
    pose: { position: [0, 0] }
    sensors: [ ${sensors} ]
  - { id: rover, kind: rover, pose: { position: [5, 5], yawDeg: 0 }, agent: idle }
criteria:
  - { type: no-collision }
`;

describe('sensors on a UAV', () => {
  it('a noiseless barometer reads the body height; a lidar layer 90 deg down reads the mount height', async () => {
    const run = await startRun(loadScenarioText(text('{ type: barometer, noiseScale: 0 }, { type: lidar-3d, beams: 8, layers: 1, verticalFovDeg: [-89.9, -89.9], noiseScale: 0, minRangeM: 0.01 }'), 'u.yaml'), { backend: 'rapier' });
    run.step(30);
    const z = run.world.stateOf('drone').position[2];
    const baro = run.world.readingOf('drone', 'baro')!.value as BarometerSample;
    // ISA inverse round trip in double precision: micrometres.
    expect(Math.abs(baro.altitudeM - z)).toBeLessThan(1e-5);
    const scan = run.world.readingOf('drone', 'lidar')!.value as LidarScan;
    // Mounted 0.1 m above the centre of mass, looking (almost) straight down at the ground under the box.
    for (const r of scan.ranges) expect(r).toBeCloseTo(z + 0.1, 2);
    run.dispose();
  });

  it('loader: duplicate sensor names on a UAV are refused', () => {
    const e = scenarioErrorOf(() => loadScenarioText(text('{ type: barometer }, { type: barometer }'), 'u.yaml'));
    expectScenarioError(e, 'u.yaml', 'actors[0].sensors[1].name', /duplicate sensor name "baro"/);
  });
});
