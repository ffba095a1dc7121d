import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, Observation } from '../../sim/agent.ts';
import { groundSpec, Prop } from '../../sim/actors/prop.ts';
import { createBackend } from '../../sim/physics/create.ts';
import { Gnss, ZED_F9P, type GnssFix } from '../../sim/sensors/gnss.ts';
import type { SimEvent } from '../../sim/snapshot.ts';
import { periodInSteps, World } from '../../sim/world.ts';
import { Rover, type RoverCommand } from '../../vehicles/rover/rover.ts';

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

async function roverWorld(agent?: Agent<RoverCommand>) {
  const physics = await createBackend('rapier');
  const w = new World({ physics, dt: 0.01, seed: 5 });
  w.addActor(new Prop(physics, groundSpec([0, 0], [50, 50])));
  const gnss = new Gnss({ name: 'gnss', ...ZED_F9P, mount: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } });
  w.addActor(new Rover(physics, 'ego', { x: 0, y: 0, yawRad: 0 }), { sensors: [gnss], ...(agent ? { agent } : {}), mission: { goal: [1, 2] } });
  world = w;
  return w;
}

describe('World tick', () => {
  it('quantises rates to the physics step', () => {
    expect(periodInSteps(10, 0.01)).toBe(10);
    expect(periodInSteps(1000, 0.01)).toBe(1);
    expect(() => periodInSteps(0, 0.01)).toThrow(/rate must be > 0/);
  });

  it('samples sensors and runs agents at their rates, holding commands between ticks', async () => {
    const seen: { t: number; stamp: number | undefined }[] = [];
    const agent: Agent<RoverCommand> = {
      rateHz: 5,
      reset(ctx) {
        expect(ctx.mission).toEqual({ goal: [1, 2] });
      },
      act(obs: Observation, t: number) {
        seen.push({ t, stamp: obs.sensors.gnss?.time });
        return { speedMps: 1, yawRateRadPerS: 0 };
      },
    };
    const w = await roverWorld(agent);
    for (let i = 0; i < 100; i++) w.step();
    expect(seen.map((s) => +s.t.toFixed(6))).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    // GNSS at 10 Hz: the agent at t sees the fix taken in the same tick (sense precedes decide).
    expect(seen.map((s) => s.stamp)).toEqual(seen.map((s) => s.t));
    expect(w.time).toBeCloseTo(1, 12);
    // The held command accelerates the rover towards 1 m/s (time constant 0.1 s).
    expect(w.stateOf('ego').linearVelocity[0]).toBeGreaterThan(0.95);
  });

  it('agents see noisy sensors, not ground truth', async () => {
    let fix: GnssFix | undefined;
    const w = await roverWorld({ rateHz: 10, reset() {}, act: (o) => ((fix = o.sensors.gnss?.value as GnssFix), { speedMps: 0, yawRateRadPerS: 0 }) });
    w.step();
    const truth = w.stateOf('ego').position;
    expect(fix!.position[0]).not.toBe(truth[0]);
    expect(Math.abs(fix!.position[0] - truth[0])).toBeLessThan(0.06); // 6 sigma of 0.0085 m
  });

  it('fires timeline entries in time order and marks failed sensors', async () => {
    const w = await roverWorld();
    const events: SimEvent[] = [];
    w.events$.subscribe((e) => events.push(e));
    w.schedule(0.05, 'fail gnss', (x) => x.setSensorFailed('ego', 'gnss', true));
    w.schedule(0.02, 'early', () => {});
    for (let i = 0; i < 10; i++) w.step();
    const timeline = events.filter((e) => e.type === 'timeline').map((e) => (e as { event: string }).event);
    expect(timeline).toEqual(['early', 'fail gnss']);
    expect(events.some((e) => e.type === 'fault' && e.target === 'gnss')).toBe(true);
  });

  it('a restored sensor stays unhealthy until it takes a fresh sample', async () => {
    const health: [number, boolean | undefined][] = [];
    const w = await roverWorld({ rateHz: 100, reset() {}, act: (o, t) => (health.push([+t.toFixed(2), o.sensors.gnss?.healthy]), { speedMps: 0, yawRateRadPerS: 0 }) });
    w.schedule(0.03, 'fail', (x) => x.setSensorFailed('ego', 'gnss', true));
    w.schedule(0.05, 'restore', (x) => x.setSensorFailed('ego', 'gnss', false));
    for (let i = 0; i < 12; i++) w.step();
    const at = (t: number) => health.find(([x]) => x === t)![1];
    expect(at(0.02)).toBe(true);
    expect(at(0.03)).toBe(false);
    expect(at(0.06)).toBe(false); // restored, but its last sample is from before the fault
    expect(at(0.1)).toBe(true); // GNSS samples at 10 Hz: fresh at 0.1 s
  });

  it('an agent that throws stops the world with the reason', async () => {
    const w = await roverWorld({ rateHz: 10, reset() {}, act: () => { throw new Error('boom'); } });
    w.step();
    expect(w.stopped).toBe(true);
    expect(w.stoppedBecause).toMatch(/agent of 'ego' threw: boom/);
  });

  it('a removed actor stays in snapshots as not present', async () => {
    const w = await roverWorld();
    w.step();
    w.removeActor('ego');
    w.step();
    const s = w.snapshot.actors.find((a) => a.id === 'ego')!;
    expect(s.present).toBe(false);
  });
});
