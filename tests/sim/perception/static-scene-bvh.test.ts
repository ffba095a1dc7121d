/**
 * The BVH over a forest of 200 pillars (the bench's world): a well-formed
 * tree, the same answers as testing every primitive, and a bounded amount of
 * work per ray. Work is counted (nodes entered, primitives tested), not
 * timed: the bench measures speed (scripts/bench.ts, section 3).
 */
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../sim/math.ts';
import { PRIM_STRIDE, primitiveBounds, rayPrimitive } from '../../../sim/perception/primitives.ts';
import { newSceneHit, StaticScene, type StaticActorInput } from '../../../sim/perception/static-scene.ts';
import { Rng } from '../../../sim/rng.ts';

function forest(): { scene: StaticScene; pillars: { x: number; y: number; r: number }[] } {
  const rng = Rng.stream(1, 'perception/forest');
  const id = { position: [0, 0, 0] as Vec3, rotation: [0, 0, 0, 1] as [number, number, number, number] };
  const inputs: StaticActorInput[] = [{ descriptor: { id: 'ground', parts: [{ shape: { type: 'box', halfExtents: [30, 20, 0.5] }, offset: id }] }, body: 0, pose: { position: [0, 0, -0.5], rotation: [0, 0, 0, 1] } }];
  const pillars = [];
  for (let i = 0; i < 200; i++) {
    const x = rng.uniform(-20, 20), y = rng.uniform(-10, 10), r = rng.uniform(0.5, 0.7);
    pillars.push({ x, y, r });
    inputs.push({ descriptor: { id: `p${i}`, parts: [{ shape: { type: 'cylinder', radius: r, halfHeight: 2 }, offset: id }] }, body: i + 1, pose: { position: [x, y, 2], rotation: [0, 0, 0, 1] } });
  }
  return { scene: StaticScene.build(inputs), pillars };
}

function rays(pillars: { x: number; y: number; r: number }[], n: number): { o: Vec3; d: Vec3 }[] {
  const rng = Rng.stream(2, 'perception/forest-rays');
  const out: { o: Vec3; d: Vec3 }[] = [];
  while (out.length < n) {
    const o: Vec3 = [rng.uniform(-18, 18), rng.uniform(-8, 8), 1.5];
    if (pillars.some((p) => Math.hypot(o[0] - p.x, o[1] - p.y) < p.r + 0.3)) continue;
    const a = rng.uniform(-Math.PI, Math.PI), e = rng.uniform(-0.26, 0.26);
    out.push({ o, d: [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)] });
  }
  return out;
}

describe('static scene BVH on a 200-pillar forest', () => {
  it('is a well-formed tree: every primitive in one leaf of at most 4, every box holding its contents, the ground kept out', () => {
    const { scene } = forest();
    expect(scene.primCount).toBe(201);
    expect(scene.treeCount).toBe(200); // the ground slab is tested on every ray, not in the tree
    const seen = new Uint8Array(scene.treeCount);
    const lo: Vec3 = [0, 0, 0], hi: Vec3 = [0, 0, 0];
    const nb = scene.nodeBounds, ni = scene.nodeInfo;
    let maxDepth = 0;
    const walk = (node: number, depth: number) => {
      maxDepth = Math.max(maxDepth, depth);
      const first = ni[2 * node]!, count = ni[2 * node + 1]!;
      const inside = (l: readonly number[], h: readonly number[]) => [0, 1, 2].every((j) => l[j]! >= nb[6 * node + j]! - 1e-9 && h[j]! <= nb[6 * node + 3 + j]! + 1e-9);
      if (count > 0) {
        expect(count).toBeLessThanOrEqual(4);
        for (let i = first; i < first + count; i++) {
          seen[i]!++;
          primitiveBounds(scene.prims, i * PRIM_STRIDE, lo, hi);
          expect(inside(lo, hi)).toBe(true);
        }
        return;
      }
      for (const c of [first, first + 1]) {
        expect(inside([nb[6 * c]!, nb[6 * c + 1]!, nb[6 * c + 2]!], [nb[6 * c + 3]!, nb[6 * c + 4]!, nb[6 * c + 5]!])).toBe(true);
        walk(c, depth + 1);
      }
    };
    walk(0, 0);
    expect([...seen].every((x) => x === 1)).toBe(true);
    expect(maxDepth).toBeLessThanOrEqual(12); // 200 / 4 leaves: ~6 levels balanced; SAH may skew a little
  });

  it('answers as testing every primitive would, with a small fraction of the tests', () => {
    const { scene, pillars } = forest();
    const hit = newSceneHit();
    const rs = rays(pillars, 5000);
    let nodesEntered = 0, primsTested = 0;
    const nb = scene.nodeBounds, ni = scene.nodeInfo;
    for (const { o, d } of rs) {
      const got = scene.cast(o, d, 100, hit) ? hit.distance : Infinity;
      // Brute force over every primitive.
      let best = Infinity;
      for (let i = 0; i < scene.primCount; i++) best = Math.min(best, rayPrimitive(scene.prims, i * PRIM_STRIDE, ...o, ...d, 100));
      expect(got).toBe(best);
      // The work the traversal needs: nodes whose box the ray enters before the final hit, and their primitives.
      const stack = [0];
      while (stack.length) {
        const n = stack.pop()!;
        let tn = 0, tf = best;
        for (let j = 0; j < 3; j++) {
          let a = (nb[6 * n + j]! - o[j]!) / d[j]!, b = (nb[6 * n + 3 + j]! - o[j]!) / d[j]!;
          if (a > b) [a, b] = [b, a];
          tn = Math.max(tn, a); tf = Math.min(tf, b);
        }
        if (tn > tf) continue;
        nodesEntered++;
        if (ni[2 * n + 1]! > 0) primsTested += ni[2 * n + 1]!;
        else stack.push(ni[2 * n]!, ni[2 * n]! + 1);
      }
    }
    // 200 pillars: a ray needs a couple of dozen node boxes and a handful of pillars, not all 200 (brute force).
    expect(nodesEntered / rs.length).toBeLessThan(40);
    expect(primsTested / rs.length).toBeLessThan(15);
  });
});
