/**
 * The NPC kinematic bicycle against its closed forms, on both engines: the
 * model state (double precision, rear-axle reference) must be exact to
 * rounding; the kinematic body that carries it into the collision world must
 * follow it to the engine's precision (Rapier works in f32).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Prop, groundSpec } from '../../../sim/actors/prop.ts';
import { quatFromYaw, yawOf } from '../../../sim/math.ts';
import type { BackendId, PhysicsBackend } from '../../../sim/physics/backend.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { KinematicBicycle, type BicycleCommand, type BicycleStart } from '../../../vehicles/car/kinematic-bicycle.ts';
import { BMW_320I as P, wheelbaseM } from '../../../vehicles/car/params.ts';

const DT = 1 / 100;
const L = wheelbaseM(P);
const live: PhysicsBackend[] = [];
afterEach(() => {
  while (live.length) live.pop()!.free();
});

async function rig(id: BackendId, start: Partial<BicycleStart> = {}) {
  const pb = await createBackend(id);
  live.push(pb);
  const ground = new Prop(pb, groundSpec([0, 0], [400, 400]));
  const npc = new KinematicBicycle(pb, 'npc', { x: 0, y: 0, yawRad: 0, ...start });
  const s: ActorState = { id: 'npc', kind: npc.kind, position: [0, 0, 0], rotation: [0, 0, 0, 1], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
  npc.groundTruth(pb, s);
  const run = (n: number, cmd?: BicycleCommand, each?: (i: number) => void) => {
    for (let i = 0; i < n; i++) {
      npc.applyCommand(pb, cmd, DT, s);
      pb.step(DT);
      npc.groundTruth(pb, s);
      each?.(i);
    }
  };
  return { pb, npc, s, run, ground };
}

describe.each(['rapier', 'cannon'] as const)('KinematicBicycle on %s', (id) => {
  it('drives a circle of radius L / tan(delta) about the rear axle at constant steering (1e-6 relative)', async () => {
    const delta = 0.2;
    const { npc, s, run } = await rig(id, { speedMps: 8, yawRad: 0.7 });
    const cmd = { accelMps2: 0, steeringRad: delta };
    // Steering ramps at 0.4 rad/s first; the circle starts once it is held.
    run(60, cmd);
    expect(npc.state.steeringRad).toBe(delta);
    const R = L / Math.tan(delta);
    const st = npc.state;
    // Turn centre: R to the left of the rear axle.
    const cx = st.rearX - R * Math.sin(st.headingRad), cy = st.rearY + R * Math.cos(st.headingRad);
    const b = P.cogToRearAxleM;
    let worstModel = 0, worstBody = 0;
    // 2000 steps at 8 m/s: 160 m, about two laps.
    run(2000, cmd, () => {
      worstModel = Math.max(worstModel, Math.abs(Math.hypot(st.rearX - cx, st.rearY - cy) / R - 1));
      // The body's CoG runs on the concentric circle of radius sqrt(R^2 + b^2).
      worstBody = Math.max(worstBody, Math.abs(Math.hypot(s.position[0] - cx, s.position[1] - cy) - Math.hypot(R, b)));
    });
    expect(worstModel).toBeLessThan(1e-6);
    // The engine lands the body on the model within its float precision:
    // Rapier's f32 at ~20 m is 2e-6 m per ulp. Measured: rapier 4.8e-6 m,
    // cannon 1.6e-12 m. Tolerance 1e-4 m.
    expect(worstBody).toBeLessThan(1e-4);
    // The body's yaw follows the model heading (measured: rapier 5e-7 rad, cannon 2e-8 rad).
    const dyaw = yawOf(s.rotation) - st.headingRad;
    expect(Math.abs(Math.atan2(Math.sin(dyaw), Math.cos(dyaw)))).toBeLessThan(1e-5);
    expect(s.position[2]).toBeCloseTo(P.cogHeightM, 5);
  });

  it('brakes to a stop in exactly v0^2 / (2a) and never reverses', async () => {
    const { npc, s, run } = await rig(id, { speedMps: 20 });
    const rear0 = npc.state.rearX;
    run(400, { accelMps2: -6, steeringRad: 0 });
    expect(npc.state.speedMps).toBe(0);
    expect(Math.abs(npc.state.rearX - rear0 - (20 * 20) / (2 * 6))).toBeLessThan(1e-9);
    expect(Math.abs(s.position[0] - (npc.state.rearX + P.cogToRearAxleM))).toBeLessThan(1e-4);
  });

  it('clips acceleration to the power and brake limits and steering to the rate limit', async () => {
    const { npc, run } = await rig(id, { speedMps: 20 });
    run(1, { accelMps2: 50, steeringRad: 1 });
    // a <= P / (m v) = 4.21 m/s^2 at 20 m/s (power-limited), one step.
    expect(npc.state.speedMps - 20).toBeCloseTo((P.maxPowerW / (P.massKg * 20)) * DT, 9);
    expect(npc.state.steeringRad).toBeCloseTo(P.maxSteerRateRadPerS * DT, 12);
    run(1, { accelMps2: -50, steeringRad: 0 });
    expect(npc.state.speedMps).toBeCloseTo(20 + (P.maxPowerW / (P.massKg * 20)) * DT - P.maxBrakeDecelMps2 * DT, 9);
  });

  it('shares the collision world: driving into a static obstacle reports a contact', async () => {
    const { pb, npc, run } = await rig(id, { speedMps: 5 });
    const wall = new Prop(pb, { id: 'wall', kind: 'obstacle', shape: { type: 'box', halfExtents: [0.2, 2, 1] }, pose: { position: [6, 0, 1], rotation: quatFromYaw(0) } });
    pb.drainContacts();
    let hit = false;
    run(150, { accelMps2: 0, steeringRad: 0 }, () => {
      for (const e of pb.drainContacts()) if (e.started && [e.a, e.b].includes(wall.body) && [e.a, e.b].includes(npc.body)) hit = true;
    });
    expect(hit).toBe(true);
  });

  it('rejects non-finite commands with the actor named', async () => {
    const { pb, npc, s } = await rig(id);
    expect(() => npc.applyCommand(pb, { accelMps2: Number.NaN, steeringRad: 0 }, DT, s)).toThrow(/car 'npc'.*finite.*accelMps2=NaN/);
    expect(() => npc.applyCommand(pb, { accelMps2: 0, steeringRad: -Infinity }, DT, s)).toThrow(/steeringRad=-Infinity/);
  });
});
