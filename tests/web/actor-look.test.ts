import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import type { Actor, ActorDescriptor } from '../../sim/actor.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import { buildPedestrian, CarLamps } from '../../web/actor-look.ts';

const IDENTITY = { position: [0, 0, 0] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };

function state(speed: number): ActorState {
  return { id: 'x', kind: 'car', position: [0, 0, 0], rotation: [0, 0, 0, 1], linearVelocity: [speed, 0, 0], angularVelocity: [0, 0, 0], present: true };
}

function car(extra: object): Actor {
  const descriptor: ActorDescriptor = { id: 'x', kind: 'car', isStatic: false, isTerrain: false, parts: [{ shape: { type: 'box', halfExtents: [2.25, 0.8, 0.6] }, offset: IDENTITY }] };
  return { descriptor, ...extra } as unknown as Actor;
}

/** Colours of the lamps of a group built by CarLamps: [brake, hazard] as hex. */
function lampColors(g: THREE.Group): number[] {
  const seen = new Set<number>();
  g.traverse((o) => {
    if (o instanceof THREE.Mesh) seen.add((o.material as THREE.MeshBasicMaterial).color.getHex());
  });
  return [...seen];
}

describe('pedestrian look', () => {
  it('stands a body and a head inside the descriptor part, head at the top', () => {
    const d: ActorDescriptor = {
      id: 'ped', kind: 'pedestrian', isStatic: false, isTerrain: false,
      parts: [{ shape: { type: 'cylinder', radius: 0.25, halfHeight: 0.875 }, offset: { position: [0, 0, 0.875], rotation: [0, 0, 0, 1] } }],
    };
    const g = buildPedestrian(d);
    const box = new THREE.Box3().setFromObject(g);
    expect(box.min.z).toBeCloseTo(0, 2);
    expect(box.max.z).toBeCloseTo(1.75, 2);
    expect(Math.max(box.max.x, box.max.y, -box.min.x, -box.min.y)).toBeLessThanOrEqual(0.25 + 1e-6);
    expect(g.children.length).toBe(3);
  });
});

describe('car lamps', () => {
  it("light the brake lamps from a car's own brake and flash the hazards from its hazardLights", () => {
    const actor = car({ brake: 0, hazardLights: false });
    const g = new THREE.Group();
    const lamps = CarLamps.build(actor, g)!;
    expect(g.children.length).toBe(2);
    lamps.update(state(20), 0.1);
    const dark = lampColors(g);
    (actor as unknown as { brake: number }).brake = 0.5;
    (actor as unknown as { hazardLights: boolean }).hazardLights = true;
    // 1.5 Hz: on during the first third of a second, off during the next.
    expect(lamps.update(state(20), 0.1)).toBe(true);
    expect(lampColors(g)).not.toEqual(dark);
    expect(lamps.update(state(20), 0.5)).toBe(true);
    expect(lamps.update(state(20), 0.7)).toBe(true);
  });

  it('light the brake lamps of a car without a brake signal while it decelerates, and hold them at a standstill', () => {
    const g = new THREE.Group();
    const lamps = CarLamps.build(car({}), g)!;
    lamps.update(state(20), 0);
    expect(lamps.update(state(20), 1)).toBe(false);
    expect(lamps.update(state(17), 1.5)).toBe(true); // 6 m/s^2
    expect(lamps.update(state(0), 5)).toBe(false); // stopped: still lit
    expect(lamps.update(state(2), 6)).toBe(true); // drives off: out
  });
});
