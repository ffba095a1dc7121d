/** UAV rotor blades in the web view: one per rotor disc, turning with the rotor's speed and spin direction. */
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import type { Actor, ActorDescriptor } from '../../sim/actor.ts';
import { RotorSpin } from '../../web/actor-look.ts';

const at = (x: number, y: number) => ({ position: [x, y, 0.02] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] });

function drone(speeds: number[], spins: number[]): Actor {
  const disc = { type: 'cylinder' as const, radius: 0.12, halfHeight: 0.005 };
  const descriptor: ActorDescriptor = {
    id: 'd', kind: 'uav', isStatic: false, isTerrain: false,
    parts: [{ shape: { type: 'box', halfExtents: [0.2, 0.2, 0.05] }, offset: at(0, 0) }, ...[[1, 1], [1, -1], [-1, -1], [-1, 1]].map(([x, y]) => ({ shape: disc, offset: at(0.2 * x!, 0.2 * y!) }))],
  };
  return { descriptor, rotorSpeedsRadPerS: Float64Array.from(speeds), spins: Float64Array.from(spins) } as unknown as Actor;
}

describe('RotorSpin', () => {
  it('puts one blade over each rotor disc and turns it by w / 60 per simulated second, in the rotor spin direction', () => {
    const group = new THREE.Group();
    const r = RotorSpin.build(drone([600, 600, 0, 1200], [1, -1, 1, -1]), group)!;
    const blades = group.children as THREE.Mesh[];
    expect(blades).toHaveLength(4);
    r.update(0);
    r.update(0.5);
    expect(blades.map((b) => b.rotation.z)).toEqual([5, -5, 0, -10].map((v) => expect.closeTo(v, 12)));
  });

  it('builds nothing for an actor without rotor speeds', () => {
    const a = drone([1, 1, 1, 1], [1, 1, 1, 1]) as unknown as { rotorSpeedsRadPerS?: unknown };
    delete a.rotorSpeedsRadPerS;
    expect(RotorSpin.build(a as unknown as Actor, new THREE.Group())).toBeNull();
  });
});
