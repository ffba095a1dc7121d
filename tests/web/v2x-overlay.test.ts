import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { V2xOverlay } from '../../web/v2x-overlay.ts';

describe('V2X overlay', () => {
  const at: Record<string, [number, number, number]> = { a: [0, 0, 0], b: [10, 0, 0], c: [0, 20, 0] };
  const positionOf = (id: string, out: THREE.Vector3) => {
    const p = at[id];
    if (!p) return false;
    out.set(p[0], p[1], p[2]);
    return true;
  };

  it('draws one segment per delivered link between the two actors, and skips links to actors it cannot place', () => {
    const o = new V2xOverlay();
    o.update([['a', 'b'], ['c', 'a'], ['a', 'ghost']], positionOf, new THREE.Vector3(), new THREE.Vector3());
    expect(o.drawn).toBe(2);
    expect(o.skipped).toBe(1);
    expect(o.lines.geometry.drawRange.count).toBe(4);
    const p = o.lines.geometry.getAttribute('position');
    expect([p.getX(0), p.getY(0), p.getX(1), p.getY(1)]).toEqual([0, 0, 10, 0]);
    expect([p.getX(2), p.getY(2), p.getX(3), p.getY(3)]).toEqual([0, 20, 0, 0]);
  });

  it('draws nothing when the run exposes no links', () => {
    const o = new V2xOverlay();
    o.update([['a', 'b']], positionOf, new THREE.Vector3(), new THREE.Vector3());
    o.update([], positionOf, new THREE.Vector3(), new THREE.Vector3());
    expect(o.drawn).toBe(0);
    expect(o.lines.geometry.drawRange.count).toBe(0);
  });
});
