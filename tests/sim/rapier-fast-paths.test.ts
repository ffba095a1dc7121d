/**
 * The Rapier wrapper's fast paths (sim/physics/rapier.ts) must return exactly
 * what the engine's own calls return: the kinematic velocity read-back comes
 * from a cache of the last set value, and the velocity setters write one
 * reused WASM vector. Compared here with the engine, bit for bit, while the
 * kinematic bodies push dynamic ones around.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BodyHandle, PhysicsBackend } from '../../sim/physics/backend.ts';
import { createBackend } from '../../sim/physics/create.ts';
import type { Vec3 } from '../../sim/math.ts';
import { Rng } from '../../sim/rng.ts';

const live: PhysicsBackend[] = [];
afterEach(() => {
  while (live.length) live.pop()!.free();
});

/** The engine's own RigidBody behind a handle (private to the wrapper). */
function engineBody(pb: PhysicsBackend, h: BodyHandle) {
  return (pb as unknown as { bodies: Map<BodyHandle, { body: { linvel(): { x: number; y: number; z: number }; angvel(): { x: number; y: number; z: number } } }> }).bodies.get(h)!.body;
}

describe('rapier wrapper fast paths', () => {
  for (const id of ['rapier', 'rapier-deterministic'] as const) {
    it(`${id}: kinematic velocities read back exactly as the engine holds them, through contacts`, async () => {
      const pb = await createBackend(id);
      live.push(pb);
      const rng = Rng.stream(1, 'rapier-fast-paths');
      pb.addBody({ type: 'static', position: [0, 0, -0.5], colliders: [{ shape: { type: 'box', halfExtents: [500, 500, 0.5] } }] });
      const kins: BodyHandle[] = [];
      for (let i = 0; i < 20; i++) {
        kins.push(pb.addBody({
          type: 'kinematic', position: [i * 3, 0, 0.6], linearVelocity: [1.234567891, 0.1, 0], angularVelocity: [0, 0, 0.3],
          colliders: [{ shape: { type: 'box', halfExtents: [2, 1, 0.7] } }],
        }));
      }
      // Crates in the kinematic bodies' way: contacts must not change a kinematic velocity.
      for (let i = 0; i < 8; i++) pb.addBody({ type: 'dynamic', position: [i * 7 + 1, 1.2, 2], colliders: [{ shape: { type: 'box', halfExtents: [0.5, 0.5, 0.5] } }] });
      const v: Vec3 = [0, 0, 0];
      const w: Vec3 = [0, 0, 0];
      const got: Vec3 = [0, 0, 0];
      let compared = 0;
      for (let step = 0; step < 300; step++) {
        for (const h of kins) {
          if (rng.uniform(0, 1) < 0.6) {
            v[0] = rng.uniform(-30, 30); v[1] = rng.uniform(-3, 3); v[2] = rng.uniform(-0.1, 0.1);
            w[0] = 0; w[1] = 0; w[2] = rng.uniform(-1, 1);
            pb.setLinearVelocity(h, v);
            pb.setAngularVelocity(h, w);
          }
        }
        pb.step(0.01);
        for (const h of kins) {
          const b = engineBody(pb, h);
          const lv = b.linvel();
          const av = b.angvel();
          pb.getLinearVelocity(h, got);
          expect([...got]).toEqual([lv.x, lv.y, lv.z]);
          pb.getAngularVelocity(h, got);
          expect([...got]).toEqual([av.x, av.y, av.z]);
          compared++;
        }
      }
      expect(compared).toBe(300 * 20);
      // And the setters still reach the engine: a body moves by v dt.
      const pose = { position: [0, 0, 0] as Vec3, rotation: [0, 0, 0, 1] as [number, number, number, number] };
      const x0 = pb.getPose(kins[0]!, pose).position[0];
      pb.setLinearVelocity(kins[0]!, [5, 0, 0]);
      pb.step(0.01);
      expect(pb.getPose(kins[0]!, pose).position[0] - x0).toBeCloseTo(0.05, 5);
    });
  }
});
