/**
 * RapierBackend.castRay skips the engine when no body's bound comes near the
 * ray (sim/physics/rapier.ts, rayMayHit). That pre-check must never drop a
 * hit: compared here with the engine's own World.castRayAndGetNormal on rays
 * that graze rotated static boxes and tumbling offset colliders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BodyHandle, PhysicsBackend } from '../../sim/physics/backend.ts';
import { createBackend } from '../../sim/physics/create.ts';
import type { Vec3 } from '../../sim/math.ts';
import { Rng } from '../../sim/rng.ts';
import { addPrecheckScene } from './ray-precheck-scene.ts';

const live: PhysicsBackend[] = [];
afterEach(() => {
  while (live.length) live.pop()!.free();
});

interface Internals {
  R: { Ray: new (o: { x: number; y: number; z: number }, d: { x: number; y: number; z: number }) => unknown; QueryFilterFlags: { EXCLUDE_SENSORS: number } };
  world: { castRayAndGetNormal(ray: unknown, maxToi: number, solid: boolean, flags?: number, groups?: number, exCol?: unknown, exBody?: unknown): { timeOfImpact: number } | null };
  bodies: Map<BodyHandle, { body: unknown }>;
  rayMayHit(o: Vec3, d: Vec3, max: number, exclude?: BodyHandle): boolean;
}

function engineCast(pb: PhysicsBackend, o: Vec3, d: Vec3, max: number, exclude?: BodyHandle): number | null {
  const x = pb as unknown as Internals;
  const ray = new x.R.Ray({ x: o[0], y: o[1], z: o[2] }, { x: d[0], y: d[1], z: d[2] });
  const ex = exclude !== undefined ? x.bodies.get(exclude)!.body : undefined;
  const hit = x.world.castRayAndGetNormal(ray, max, true, x.R.QueryFilterFlags.EXCLUDE_SENSORS, undefined, undefined, ex);
  return hit ? hit.timeOfImpact : null;
}

describe('rapier castRay pre-check', () => {
  it('agrees with the engine on every ray, grazing rays included, while bodies tumble', async () => {
    const pb = await createBackend('rapier');
    live.push(pb);
    const rng = Rng.stream(3, 'rapier-ray-precheck');
    // A static box turned 30 deg about z and tilted, with an offset collider; six tumbling bodies.
    const movers = addPrecheckScene(pb, 0.1);
    let hits = 0, skipped = 0, rays = 0;
    for (let step = 0; step < 60; step++) {
      pb.step(0.01);
      for (let k = 0; k < 150; k++) {
        // Aim at a random body's neighbourhood from up to 1.5 m away, short rays, so many end just short of a surface.
        const target = k % 3 === 0 ? [3, 2, 1] : [-4 + 1.6 * (k % 6), -2, 3 + 0.5 * (k % 6) - 0.5 * 9.81 * (0.01 * step) ** 2];
        const o: Vec3 = [target[0]! + rng.uniform(-1.5, 1.5), target[1]! + rng.uniform(-1.5, 1.5), target[2]! + rng.uniform(-1.5, 1.5)];
        const d: Vec3 = [rng.normal(), rng.normal(), rng.normal()];
        const n = Math.hypot(d[0], d[1], d[2]);
        d[0] /= n; d[1] /= n; d[2] /= n;
        const max = rng.uniform(0.05, 2);
        const exclude = k % 4 === 0 ? movers[k % 6] : undefined;
        const got = pb.castRay(o, d, max, exclude);
        const want = engineCast(pb, o, d, max, exclude);
        rays++;
        if (want !== null) hits++;
        if (!(pb as unknown as Internals).rayMayHit(o, d, max, exclude)) skipped++;
        expect(got === null ? null : got.distance).toBe(want);
      }
    }
    // Both kinds of rays were exercised: hits, and rays the pre-check answered alone.
    expect(hits).toBeGreaterThan(rays / 20);
    expect(skipped).toBeGreaterThan(rays / 20);
  });

  it('the pre-check is conservative: a ray ending 1 cm short of the ground may reach the engine, one 0.5 m above it does not', async () => {
    const pb = await createBackend('rapier');
    live.push(pb);
    pb.addBody({ type: 'static', position: [0, 0, -0.5], colliders: [{ shape: { type: 'box', halfExtents: [50, 50, 0.5] } }] });
    pb.step(0.01);
    const x = pb as unknown as Internals;
    expect(x.rayMayHit([0, 0, 1.5], [0, 0, -1], 1)).toBe(false);
    expect(x.rayMayHit([0, 0, 1.0005], [0, 0, -1], 1)).toBe(true); // within the margin: the engine decides
    expect(pb.castRay([0, 0, 1.0005], [0, 0, -1], 1)).toBeNull();
    expect(pb.castRay([0, 0, 0.9], [0, 0, -1], 1)?.distance).toBeCloseTo(0.9, 5);
  });
});
