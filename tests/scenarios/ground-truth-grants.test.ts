/**
 * Ground truth only by explicit grant: an object list with groundTruth: true
 * sees what a real one cannot (behind an occluding car, behind the ego), and
 * every report names the grant; a scenario without one carries none.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun } from '../../scenarios/runner.ts';
import type { ObjectList } from '../../sim/sensors/object-list.ts';
import { toJUnit } from '../../scenarios/reports/junit.ts';

const scenario = (objects: string): string => `
name: gt-grant
description: an idle car behind a parked car, another car hidden behind that one, a third behind the ego
seed: 1
duration: 1
world:
  road: { builder: highway, params: { lanesPerDirection: 2, lengthM: 400 } }
actors:
  - id: ego
    kind: car
    lane: { road: highway, lane: -1, s: 100 }
    agent: idle
    sensors: [ ${objects}, { type: gnss } ]
  - { id: parked, kind: car, lane: { road: highway, lane: -1, s: 120 } }
  - { id: hidden, kind: car, lane: { road: highway, lane: -1, s: 130 } }
  - { id: behind, kind: car, lane: { road: highway, lane: -1, s: 80 } }
criteria:
  - { type: driving-collisions }
`;

async function seen(objects: string) {
  const run = await startRun(loadScenarioText(scenario(objects), 'gt.yaml'), { backend: 'rapier' });
  run.step(50);
  const list = run.world.readingOf('ego', 'objects')!.value as ObjectList;
  return { xs: list.detections.map((d) => Math.round(d.position[0])).sort((a, b) => a - b), result: run.runToEnd() };
}

describe('ground truth only by explicit grant', () => {
  it('a real object list (mounted at bumper height) sees only the parked car: the car behind it is occluded, the one behind the ego out of view', async () => {
    const { xs, result } = await seen('{ type: object-list, mount: { position: [0, 0, 0] } }');
    expect(xs).toEqual([20]);
    expect(result.groundTruth).toBeUndefined();
    expect(toJUnit([result])).not.toContain('groundTruth');
  });

  it('an oracle object list sees all three, exactly, and the report says the agent read ground truth', async () => {
    const { xs, result } = await seen('{ type: object-list, groundTruth: true, mount: { position: [0, 0, 0] } }');
    expect(xs).toEqual([-20, 20, 30]);
    expect(result.groundTruth).toEqual(['ego.objects: object list is a ground-truth oracle (groundTruth: true)']);
    expect(toJUnit([result])).toContain('name="groundTruth.0"');
  });

  it('a noiseless sensor is a grant too', async () => {
    const { result } = await seen('{ type: object-list, noiseScale: 0 }');
    expect(result.groundTruth).toEqual(['ego.objects: object-list without noise (noiseScale: 0)']);
  });
});
