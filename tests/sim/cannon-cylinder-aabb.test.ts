import * as CANNON from 'cannon-es';
import { describe, expect, it } from 'vitest';
import { PrismCylinder } from '../../sim/physics/cannon.ts';
import { Rng } from '../../sim/rng.ts';

/** The prism's own vertex-by-vertex box (cannon-es's ConvexPolyhedron.calculateWorldAABB). */
function vertexBox(shape: CANNON.Cylinder, pos: CANNON.Vec3, q: CANNON.Quaternion): [CANNON.Vec3, CANNON.Vec3] {
  const min = new CANNON.Vec3(), max = new CANNON.Vec3();
  CANNON.ConvexPolyhedron.prototype.calculateWorldAABB.call(shape, pos, q, min, max);
  return [min, max];
}

describe('cannon-es PrismCylinder: closed-form world AABB', () => {
  const r = 0.12, h = 0.01;
  const shape = new PrismCylinder(r, h, 32);
  // Bound on how much looser than the prism's box the closed form may be: the
  // circumscribing cylinder's disc lies at most r (1 - cos(pi/32)) outside the prism.
  const slack = r * (1 - Math.cos(Math.PI / 32)) + 1e-12;

  it('holds the prism vertex box and is at most r (1 - cos(pi/32)) larger, over random poses', () => {
    const rng = Rng.stream(7, 'test/cannon-cylinder-aabb');
    for (let k = 0; k < 2000; k++) {
      const q = new CANNON.Quaternion(rng.normal(), rng.normal(), rng.normal(), rng.normal());
      q.normalize();
      const pos = new CANNON.Vec3(rng.uniform(-50, 50), rng.uniform(-50, 50), rng.uniform(0, 30));
      const [vmin, vmax] = vertexBox(shape, pos, q);
      const min = new CANNON.Vec3(), max = new CANNON.Vec3();
      shape.calculateWorldAABB(pos, q, min, max);
      for (const a of ['x', 'y', 'z'] as const) {
        expect(min[a]).toBeLessThanOrEqual(vmin[a] + 1e-12);
        expect(max[a]).toBeGreaterThanOrEqual(vmax[a] - 1e-12);
        expect(vmin[a] - min[a]).toBeLessThanOrEqual(slack);
        expect(max[a] - vmax[a]).toBeLessThanOrEqual(slack);
      }
    }
  });

  it('is exact where the prism reaches the circle: a level z-up disc spans r in x, h/2 in z', () => {
    // +90 deg about x maps cannon's y-axis cylinder onto z, as the backend does.
    const q = new CANNON.Quaternion(Math.SQRT1_2, 0, 0, Math.SQRT1_2);
    const min = new CANNON.Vec3(), max = new CANNON.Vec3();
    shape.calculateWorldAABB(new CANNON.Vec3(1, 2, 3), q, min, max);
    const [vmin, vmax] = vertexBox(shape, new CANNON.Vec3(1, 2, 3), q);
    expect(max.x - min.x).toBeCloseTo(2 * r, 12);
    expect(max.z - min.z).toBeCloseTo(h, 12);
    expect(vmax.x - vmin.x).toBeCloseTo(2 * r, 12); // a vertex sits on the x axis
    expect(max.y - min.y).toBeCloseTo(2 * r, 12);
  });

  it('a wrong bound fails: a box without the disc term misses the prism', () => {
    const q = new CANNON.Quaternion(0.3, 0.1, -0.2, 0.9);
    q.normalize();
    const pos = new CANNON.Vec3(0, 0, 0);
    const [vmin] = vertexBox(shape, pos, q);
    const ay = 1 - 2 * (q.x * q.x + q.z * q.z);
    expect(-(h / 2) * Math.abs(ay)).toBeGreaterThan(vmin.y); // axis-only extent is too small
  });
});
