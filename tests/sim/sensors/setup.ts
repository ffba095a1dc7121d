/** A small Rapier world for the sensor suites: flat ground, a Jackal rover ego, and a recorder agent. */
import type { Agent } from '../../../sim/agent.ts';
import { groundSpec, Prop, type PropMotion } from '../../../sim/actors/prop.ts';
import { quatFromYaw, type Vec3 } from '../../../sim/math.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import type { Sensor } from '../../../sim/sensor.ts';
import { World } from '../../../sim/world.ts';
import { Rover, type RoverCommand } from '../../../vehicles/rover/rover.ts';

export interface Recorded<T> {
  time: number;
  value: T;
}

export interface SensorWorld<T> {
  world: World;
  /** Every fresh sample of the sensor, in order. */
  samples: Recorded<T>[];
  /** Add a box prop (centre position, half extents). */
  box(id: string, at: [number, number], half: Vec3, motion?: PropMotion): void;
  run(steps: number): void;
}

/** Ego rover at the origin facing +x, carrying `sensor`; the agent holds `command` and records every new sample. */
export async function sensorWorld<T>(sensor: Sensor<T>, opts: { seed?: number; command?: RoverCommand } = {}): Promise<SensorWorld<T>> {
  const physics = await createBackend('rapier');
  const world = new World({ physics, dt: 0.01, seed: opts.seed ?? 7 });
  world.addActor(new Prop(physics, groundSpec([0, 0], [200, 200])));
  const samples: Recorded<T>[] = [];
  let last = -1;
  const command = opts.command ?? { speedMps: 0, yawRateRadPerS: 0 };
  const agent: Agent<RoverCommand> = {
    rateHz: 100,
    reset() {},
    act(obs) {
      const r = obs.sensors[sensor.name];
      if (r && r.time !== last) {
        last = r.time;
        samples.push({ time: r.time, value: r.value as T });
      }
      return command;
    },
  };
  world.addActor(new Rover(physics, 'ego', { x: 0, y: 0, yawRad: 0 }), { sensors: [sensor as Sensor], agent });
  return {
    world,
    samples,
    box(id, at, half, motion) {
      world.addActor(new Prop(physics, {
        id,
        kind: id.split('-')[0]!,
        shape: { type: 'box', halfExtents: half },
        pose: { position: [at[0], at[1], half[2]], rotation: quatFromYaw(0) },
        ...(motion ? { motion } : {}),
      }));
    },
    run(steps) {
      for (let i = 0; i < steps; i++) world.step();
    },
  };
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n - 1). */
export function std(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}
