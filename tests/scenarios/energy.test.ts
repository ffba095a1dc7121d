/**
 * `energy`: rotor shaft energy from the motors' power, sum(km w^3). At a
 * steady hover every rotor turns at sqrt(m g / 4 kf), so the energy over T
 * seconds is 4 km w^3 T: the criterion must integrate to that, pass under a
 * limit above it and fail under one below it.
 */
import { describe, expect, it } from 'vitest';
import { Energy } from '../../scenarios/criteria/energy.ts';
import { createBackend } from '../../sim/physics/create.ts';
import { World } from '../../sim/world.ts';
import type { Agent } from '../../sim/agent.ts';
import { hoverRotorSpeed } from '../../uav/multirotor/airframe.ts';
import { IRIS } from '../../uav/multirotor/airframes.ts';
import { Multirotor, type MultirotorCommand } from '../../uav/multirotor/multirotor.ts';

async function hover(seconds: number, limits: number[]): Promise<{ results: ReturnType<Energy['result']>[]; w: number }> {
  const physics = await createBackend('rapier');
  const world = new World({ physics, dt: 0.004, seed: 1 });
  const w = hoverRotorSpeed(IRIS, 9.81);
  const drone = new Multirotor(physics, 'drone', IRIS, { position: [0, 0, 10], rotorRadPerS: w }, { effects: { rotorDrag: false, bodyDrag: false, groundEffect: false } });
  const cmd: MultirotorCommand = { rotorRadPerS: [w, w, w, w] };
  const agent: Agent<MultirotorCommand> = { rateHz: 250, reset() {}, act: () => cmd };
  world.addActor(drone, { agent });
  const crits = limits.map((l, i) => new Energy(`e${i}`, 'drone', l));
  for (const c of crits) c.attach(world);
  world.tick$.subscribe((snap) => crits.forEach((c) => c.observe(snap)));
  const steps = Math.round(seconds / world.dt);
  for (let k = 0; k < steps; k++) world.step();
  for (const c of crits) c.finish();
  const results = crits.map((c) => c.result());
  world.dispose();
  return { results, w };
}

describe('energy', () => {
  it('integrates 4 km w^3 T at a steady hover, and passes or fails against its limit', async () => {
    const T = 10;
    const { results, w } = await hover(T, [5, 0.5]);
    const wh = (4 * IRIS.torqueCoeffNmPerRadPerS2 * w ** 3 * (T - 0.004)) / 3600;
    expect(results[0]!.value!).toBeCloseTo(wh, 6);
    expect(results[0]!.passed).toBe(true);
    expect(results[1]!.passed).toBe(false);
    expect(results[1]!.reason).toMatch(/limit 0.5 Wh/);
  });
});
