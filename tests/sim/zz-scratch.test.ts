import { it } from 'vitest';
import { createBackend } from '/work/main/sim/physics/create.ts';
it('probe', async () => {
  for (const id of ['rapier', 'cannon'] as const) {
    const pb = await createBackend(id);
    pb.addBody({ type: 'static', position: [0, 0, -0.5], colliders: [{ shape: { type: 'box', halfExtents: [50, 50, 0.5] }, friction: 0.4, restitution: 1 }] });
    const b = pb.addBody({ type: 'dynamic', position: [0, 0, 0.5], linearVelocity: [3, 0, 0], colliders: [{ shape: { type: 'box', halfExtents: [0.5, 0.5, 0.5] }, friction: 0.5 }] });
    const b2 = pb.addBody({ type: 'dynamic', position: [0, -5, 0.5], linearVelocity: [3, 0, 0], angularVelocity: [0,0,2], colliders: [{ shape: { type: 'box', halfExtents: [0.5, 0.5, 0.5] }, friction: 0.5 }] });
    const bb = pb.addBody({ type: 'dynamic', position: [0, 10, 3], colliders: [{ shape: { type: 'sphere', radius: 0.5 }, restitution: 0.8 }] });
    const cyl = pb.addBody({ type: 'dynamic', position: [0, 20, 1], colliders: [{ shape: { type: 'cylinder', radius: 0.5, halfHeight: 0.5 } }] });
    let apex = 0, bounced = false, prevVz = 0;
    const o = { position: [0, 0, 0], rotation: [0, 0, 0, 1] } as any;
    for (let i = 0; i < 300; i++) {
      pb.step(0.01);
      const vz = pb.getLinearVelocity(bb, [0, 0, 0])[2];
      if (prevVz < 0 && vz > 0) bounced = true;
      if (bounced && vz > 0) apex = Math.max(apex, pb.getPose(bb, o).position[2]);
      prevVz = vz;
    }
    console.log(id, 'box', [...pb.getPose(b, o).position].map(x=>x.toFixed(3)).join(','), [...pb.getPose(b, o).rotation].map(x=>x.toFixed(3)).join(','), 'spinbox', [...pb.getPose(b2, o).position].map(x=>x.toFixed(3)).join(','), [...pb.getPose(b2, o).rotation].map(x=>x.toFixed(3)).join(','), 'cyl', [...pb.getPose(cyl, o).position].map(x=>x.toFixed(4)).join(','), 'bounce apex', apex.toFixed(3), 'expected', (0.5 + 2.5 * 0.64).toFixed(3));
    pb.free();
  }
});
