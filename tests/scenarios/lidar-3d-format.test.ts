/**
 * The 3D lidar in the scenario format: built with the VLP-16 defaults or the
 * scenario's figures, cast through the world's fast caster, reading a wall at
 * its true distance and the ground at h / sin(elevation).
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun } from '../../scenarios/runner.ts';
import type { LidarScan } from '../../sim/sensors/lidar-3d.ts';
import { expectScenarioError, scenarioErrorOf } from '../helpers.ts';

const scenario = (lidar: string) => `
name: lidar-wall
description: a rover 5 m in front of a wall, with a 3D lidar
seed: 1
duration: 1
world:
  ground: { centerM: [0, 0], sizeM: [40, 40] }
actors:
  - id: ego
    kind: rover
    pose: { position: [0, 0], yawDeg: 0 }
    agent: idle
    sensors: [ ${lidar} ]
  - { id: wall, kind: obstacle, shape: { type: box, sizeM: [0.4, 10, 3] }, pose: { position: [5.2, 0] } }
criteria:
  - { type: no-collision }
`;

async function scanOf(lidar: string): Promise<LidarScan & { bodyZ: number }> {
  const run = await startRun(loadScenarioText(scenario(lidar), 'lidar.yaml'), { backend: 'rapier' });
  run.step(20);
  const scan = run.world.readingOf('ego', 'lidar')!.value as LidarScan;
  const bodyZ = run.world.stateOf('ego').position[2];
  run.dispose();
  return { ...scan, bodyZ };
}

describe('lidar-3d in the scenario format', () => {
  it('reads the wall ahead at its distance and the ground below at h / sin(elevation)', async () => {
    const scan = await scanOf('{ type: lidar-3d, beams: 360, layers: 3, verticalFovDeg: [-30, 0], noiseScale: 0, mount: { position: [0, 0, 0.5] } }');
    expect(scan.azimuths).toHaveLength(360);
    expect(scan.elevations).toHaveLength(3);
    const n = scan.azimuths.length;
    const ahead = scan.azimuths.findIndex((a) => Math.abs(a) < 1e-9);
    // Level layer (the last, elevation 0): the wall's near face is 5.0 m from the rover centre.
    expect(scan.ranges[2 * n + ahead]).toBeCloseTo(5.0, 3);
    // Behind the rover, the -30 deg layer meets the ground at (mount height above ground) / sin(30 deg).
    const behind = scan.azimuths.findIndex((a) => Math.abs(Math.abs(a) - Math.PI) < 1e-9);
    const h = scan.bodyZ + 0.5; // the mount is 0.5 m above the body origin
    expect(scan.ranges[0 * n + behind]).toBeCloseTo(h / Math.sin(Math.PI / 6), 2);
  });

  it('defaults to the VLP-16 pattern (16 layers x 1800 returns)', async () => {
    const scan = await scanOf('{ type: lidar-3d }');
    expect(scan.elevations).toHaveLength(16);
    expect(scan.azimuths).toHaveLength(1800);
    expect(scan.maxRangeM).toBe(100);
  });

  it('loader: a bad field names its path', () => {
    const e = scenarioErrorOf(() => loadScenarioText(scenario('{ type: lidar-3d, layers: 0 }'), 'lidar.yaml'));
    expectScenarioError(e, 'lidar.yaml', 'actors[0].sensors[0].layers', />=\s?1/);
  });
});
