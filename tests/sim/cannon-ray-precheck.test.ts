/**
 * CannonBackend.castRay returns at once when no ray-visible body's AABB meets
 * the ray's box (sim/physics/cannon.ts, rayBoxHasCandidate). That must never
 * drop a hit nor change one: the same world built twice, once with the
 * pre-check forced to "maybe", must give the same answer on every ray,
 * grazing rays and rays starting inside colliders included.
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

async function build(): Promise<{ pb: PhysicsBackend; movers: BodyHandle[] }> {
  const pb = await createBackend('cannon');
  live.push(pb);
  const movers = addPrecheckScene(pb, 0);
  return { pb, movers };
}

describe('cannon castRay pre-check', () => {
  it('gives what the full query gives, on every ray, while bodies tumble', async () => {
    const a = await build();
    const b = await build();
    (b.pb as unknown as { rayBoxHasCandidate: () => boolean }).rayBoxHasCandidate = () => true;
    const rng = Rng.stream(5, 'cannon-ray-precheck');
    let hits = 0, misses = 0;
    for (let step = 0; step < 40; step++) {
      a.pb.step(0.01);
      b.pb.step(0.01);
      for (let k = 0; k < 100; k++) {
        const p = a.pb.getPose(a.movers[k % 6]!, { position: [0, 0, 0], rotation: [0, 0, 0, 1] }).position;
        const t = k % 3 === 0 ? [3, 2, 1] : p;
        const o: Vec3 = [t[0]! + rng.uniform(-1, 1), t[1]! + rng.uniform(-1, 1), t[2]! + rng.uniform(-1, 1)];
        const d: Vec3 = [rng.normal(), rng.normal(), rng.normal()];
        const n = Math.hypot(d[0], d[1], d[2]);
        d[0] /= n; d[1] /= n; d[2] /= n;
        const max = rng.uniform(0.05, 2);
        const ex = k % 4 === 0 ? k % 6 : -1;
        const ga = a.pb.castRay(o, d, max, ex >= 0 ? a.movers[ex] : undefined);
        const gb = b.pb.castRay(o, d, max, ex >= 0 ? b.movers[ex] : undefined);
        expect(ga).toEqual(gb);
        if (ga) hits++; else misses++;
      }
    }
    expect(hits).toBeGreaterThan(100);
    expect(misses).toBeGreaterThan(100);
  });
});
