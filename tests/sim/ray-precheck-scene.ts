/**
 * The scene both engines' ray pre-check tests cast into: a ground box, a
 * static box turned 30 deg about z (and tilted by `tiltX`, a quaternion x
 * component) with an offset collider, and six tumbling bodies of offset
 * box, thin-cylinder and sphere colliders.
 */
import type { BodyHandle, PhysicsBackend } from '../../sim/physics/backend.ts';

export function addPrecheckScene(pb: PhysicsBackend, tiltX: number): BodyHandle[] {
  pb.addBody({ type: 'static', position: [0, 0, -0.5], colliders: [{ shape: { type: 'box', halfExtents: [50, 50, 0.5] } }] });
  const s = Math.sin(Math.PI / 12), c = Math.cos(Math.PI / 12);
  pb.addBody({ type: 'static', position: [3, 2, 1], rotation: [tiltX, 0, s, c], colliders: [{ shape: { type: 'box', halfExtents: [1, 0.3, 1] }, offset: [0.5, 0, 0.2] }] });
  const movers: BodyHandle[] = [];
  for (let i = 0; i < 6; i++) {
    movers.push(pb.addBody({
      type: 'dynamic', position: [-4 + 1.6 * i, -2, 3 + 0.5 * i], angularVelocity: [2, -1, 3],
      colliders: [
        { shape: { type: 'box', halfExtents: [0.1, 0.1, 0.05] } },
        { shape: { type: 'cylinder', radius: 0.12, halfHeight: 0.005 }, offset: [0.2, 0.2, 0.03] },
        { shape: { type: 'sphere', radius: 0.08 }, offset: [-0.2, 0.1, 0] },
      ],
    }));
  }
  return movers;
}
