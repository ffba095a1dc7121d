/**
 * The `uav` actor kind in scenario files: an airframe by name and a pose, no
 * agent yet (the flight stack is a later part of issue #4), so its rotors are
 * off. Built through the same loader and builder as every scenario.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { createWorld } from '../../../scenarios/runner.ts';
import type { World } from '../../../sim/world.ts';
import { AIRFRAMES, AIRFRAME_NAMES } from '../../../uav/multirotor/airframes.ts';
import { Multirotor } from '../../../uav/multirotor/multirotor.ts';

const FILE = 'uav-test.yaml';
const TEXT = `
name: uav-kinds
description: Two multirotors with their rotors off, one parked, one dropped from 2 m.
seed: 1
duration: 5
world:
  ground: { sizeM: [20, 20] }
actors:
  - { id: iris-parked, kind: uav, airframe: iris, pose: { position: [-3, 0], yawDeg: 90 } }
  - { id: cf-dropped, kind: uav, airframe: crazyflie2x, pose: { position: [3, 0, 2] } }
criteria:
  - type: max-duration
    thresholdS: 4
`;

const worlds: World[] = [];
afterEach(() => {
  while (worlds.length) worlds.pop()!.dispose();
});

describe('scenario actor kind uav', () => {
  it('keeps the schema enum and the airframe registry in step', () => {
    expect([...AIRFRAME_NAMES].sort()).toEqual(Object.keys(AIRFRAMES).sort());
  });

  it('builds each airframe by name: one parked on the ground stays, one placed at 2 m falls and lands', async () => {
    const { world } = await createWorld(loadScenarioText(TEXT, FILE), 1, 'rapier');
    worlds.push(world);
    const parked = world.actor('iris-parked');
    expect(parked).toBeInstanceOf(Multirotor);
    expect((parked as Multirotor).airframe.name).toBe('iris');
    expect(parked.descriptor.kind).toBe('uav');
    const z0 = world.stateOf('iris-parked').position[2];
    // The inertia box of the Iris is 0.11 m tall: its centre is 0.055 m up.
    expect(z0).toBeCloseTo(0.055, 9);
    const steps = Math.round(2 / world.dt);
    for (let i = 0; i < steps; i++) world.step();
    expect(world.stateOf('iris-parked').position[2]).toBeCloseTo(0.055, 2);
    // The Crazyflie fell 2 m (0.64 s) and rests on its box (0.0187 m half height).
    expect(world.stateOf('cf-dropped').position[2]).toBeCloseTo(0.0187, 2);
  });

  it('names the known airframes when the file asks for another', () => {
    const bad = TEXT.replace('airframe: iris', 'airframe: x500');
    expect(() => loadScenarioText(bad, FILE)).toThrow(/actors\[0\]\.airframe/);
  });
});
