/**
 * The combined caster in a live world (static props in the BVH, moving
 * actors tested from their ground truth) against the engine, and the 3D
 * lidar on top of it: geometry, noise statistics, dropouts, determinism.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { groundSpec, Prop } from '../../../sim/actors/prop.ts';
import { quatFromYaw, type Vec3 } from '../../../sim/math.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import { newSceneHit } from '../../../sim/perception/static-scene.ts';
import { RayCaster } from '../../../sim/perception/ray-caster.ts';
import { Rng } from '../../../sim/rng.ts';
import type { SenseContext } from '../../../sim/sensor.ts';
import { Lidar3D, VLP_16, type Lidar3DParams } from '../../../sim/sensors/lidar-3d.ts';
import { World } from '../../../sim/world.ts';
import { Rover } from '../../../vehicles/rover/rover.ts';

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

/** Ground, a row of pillars and crates, a crate moving across the rover's view, and the rover. */
async function liveWorld(backend: 'rapier' | 'cannon' = 'rapier') {
  const physics = await createBackend(backend);
  const w = new World({ physics, dt: 0.01, seed: 3 });
  world = w;
  w.addActor(new Prop(physics, groundSpec([0, 0], [60, 60])));
  for (let i = 0; i < 8; i++) {
    w.addActor(new Prop(physics, { id: `pillar${i}`, kind: 'pillar', shape: { type: 'cylinder', radius: 0.5, halfHeight: 1.5 }, pose: { position: [6 + 3 * i, 4, 1.5], rotation: [0, 0, 0, 1] } }));
    w.addActor(new Prop(physics, { id: `crate${i}`, kind: 'crate', shape: { type: 'box', halfExtents: [0.4, 0.4, 0.4] }, pose: { position: [6 + 3 * i, -4, 0.4], rotation: quatFromYaw(0.3 * i) } }));
  }
  w.addActor(new Prop(physics, {
    id: 'mover', kind: 'crate', shape: { type: 'box', halfExtents: [0.5, 0.5, 0.5] }, pose: { position: [8, -2, 0.5], rotation: [0, 0, 0, 1] },
    motion: { waypoints: [[8, 3], [8, -2]], speedMps: 2, loop: true },
  }));
  w.addActor(new Rover(physics, 'ego', { x: 0, y: 0, yawRad: 0 }));
  return w;
}

/** Least distance from the ray (0-30 m, sampled every 0.5 mm) to a pillar's surface (r 0.5 m, axes at (6 + 3i, 4), z 0-3 m). */
function pillarClearance(o: Vec3, d: Vec3): number {
  let best = Infinity;
  for (let t = 0; t <= 30; t += 5e-4) {
    const x = o[0] + d[0] * t, y = o[1] + d[1] * t, z = o[2] + d[2] * t;
    for (let i = 0; i < 8; i++) {
      const q0 = Math.hypot(x - 6 - 3 * i, y - 4) - 0.5, q1 = Math.abs(z - 1.5) - 1.5;
      best = Math.min(best, Math.abs(Math.hypot(Math.max(q0, 0), Math.max(q1, 0)) + Math.min(Math.max(q0, q1), 0)));
    }
  }
  return best;
}

function lidarParams(over: Partial<Lidar3DParams> = {}): Lidar3DParams {
  return { name: 'lidar', ...VLP_16, beams: 360, mount: { position: [0, 0, 0.5], rotation: [0, 0, 0, 1] }, ...over };
}

function senseContext(w: World, id: string): SenseContext {
  return { physics: w.physics, self: w.stateOf(id), selfBody: w.actor(id).body, time: w.time, others: [] };
}

describe('ray caster in a live world', () => {
  for (const backend of ['rapier', 'cannon'] as const) {
    it(`matches ${backend}'s castRay while a crate moves through the view`, async () => {
      const w = await liveWorld(backend);
      const caster = RayCaster.fromWorld(w);
      expect(caster.scene.primCount).toBe(17); // ground + 8 pillars + 8 crates; the mover is not static
      const rng = Rng.stream(1, 'live-caster');
      const hit = newSceneHit();
      let compared = 0, moverHits = 0, grazed = 0;
      for (let step = 0; step < 300; step++) {
        w.step();
        if (step % 10 !== 0) continue;
        caster.refresh();
        for (let k = 0; k < 200; k++) {
          const o: Vec3 = [rng.uniform(0, 4), rng.uniform(-3, 3), rng.uniform(0.2, 2)];
          const a = rng.uniform(-Math.PI, Math.PI), e = rng.uniform(-0.3, 0.3);
          const d: Vec3 = [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)];
          const ours = caster.cast(o, d, 30, hit) ? { distance: hit.distance, body: hit.body, id: hit.actorId, cos: Math.abs(hit.normal[0] * d[0] + hit.normal[1] * d[1] + hit.normal[2] * d[2]) } : null;
          const ref = w.physics.castRay(o, d, 30);
          if (!ours && !ref) continue;
          // Pillars: Rapier's GJK cylinder cast (~0.1-1 mm) and cannon-es's 32-sided prism (up to
          // r (1 - cos(pi/32)) = 2.4 mm inside the true surface) blur the surface: 2.5 mm / cos(incidence)
          // along the ray, and on a ray grazing a pillar's silhouette either may see past it.
          const tol = ours?.id.startsWith('pillar') ? 2.5e-3 / Math.max(ours.cos, 1e-3) : 1e-4;
          if (!ours || !ref || Math.abs(ours.distance - ref.distance) > tol || ours.body !== ref.body) {
            expect(pillarClearance(o, d), `ray ${k} at step ${step}: ${JSON.stringify({ o, d, ours, ref })}`).toBeLessThan(2.5e-3);
            grazed++;
            continue;
          }
          compared++;
          if (ours.id === 'mover') moverHits++;
        }
      }
      expect(compared).toBeGreaterThan(2000);
      expect(moverHits).toBeGreaterThan(20);
      expect(grazed).toBeLessThan(compared / 200);
    });
  }

  it('castDistance gives cast\'s distance bit for bit (Infinity on a miss), moving crate, exclusion and range limit included', async () => {
    const w = await liveWorld();
    const caster = RayCaster.fromWorld(w);
    const rng = Rng.stream(2, 'cast-distance');
    const hit = newSceneHit();
    const ego = w.actor('ego').body;
    let hits = 0, misses = 0, moverHits = 0;
    for (let step = 0; step < 200; step++) {
      w.step();
      if (step % 10 !== 0) continue;
      caster.refresh();
      for (let k = 0; k < 300; k++) {
        const o: Vec3 = [rng.uniform(-1, 4), rng.uniform(-3, 3), rng.uniform(0.05, 2)];
        const a = rng.uniform(-Math.PI, Math.PI), e = rng.uniform(-0.6, 0.6);
        const d: Vec3 = [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)];
        const maxD = k % 3 === 0 ? 4 : 30;
        const exclude = k % 2 === 0 ? ego : -2;
        const expected = caster.cast(o, d, maxD, hit, exclude) ? hit.distance : Infinity;
        if (expected < Infinity) {
          hits++;
          if (hit.actorId === 'mover') moverHits++;
        } else misses++;
        expect(Object.is(caster.castDistance(o, d, maxD, exclude), expected), `ray ${k} at step ${step}`).toBe(true);
      }
    }
    expect(hits).toBeGreaterThan(1000);
    expect(misses).toBeGreaterThan(100);
    expect(moverHits).toBeGreaterThan(10);
  });

  it('skips the sensor\'s own actor, and a removed actor', async () => {
    const w = await liveWorld();
    w.step();
    const caster = RayCaster.fromWorld(w);
    const hit = newSceneHit();
    const ego = w.actor('ego');
    // From the rover's centre: inside its own box, so only `exclude` makes the ray see past it.
    const o: Vec3 = [...w.stateOf('ego').position];
    expect(caster.cast(o, [1, 0, 0], 30, hit)).toBe(true);
    expect([hit.actorId, hit.distance]).toEqual(['ego', 0]);
    const toCrate: Vec3 = [6 / Math.hypot(6, 4), -4 / Math.hypot(6, 4), 0];
    expect(caster.cast(o, toCrate, 30, hit, ego.body)).toBe(true);
    expect(hit.actorId).toBe('crate0');
    w.removeActor('mover');
    caster.refresh();
    for (let s = 0; s < 20; s++) {
      const mp = w.stateOf('mover').position;
      const d = [mp[0] - o[0], mp[1] - o[1], 0];
      const n = Math.hypot(d[0]!, d[1]!);
      if (caster.cast(o, [d[0]! / n, d[1]! / n, 0], 30, hit, ego.body)) expect(hit.actorId).not.toBe('mover');
    }
  });
  it('drops a removed static actor at the next refresh', async () => {
    const w = await liveWorld();
    w.step();
    const caster = RayCaster.fromWorld(w);
    const hit = newSceneHit();
    const o: Vec3 = [6, 0, 1]; // between crate0 (y = -4) and pillar0 (y = 4)
    expect(caster.cast(o, [0, 1, 0], 30, hit)).toBe(true);
    expect([hit.actorId, hit.distance]).toEqual(['pillar0', 3.5]);
    w.removeActor('pillar0');
    caster.refresh();
    expect(caster.cast(o, [0, 1, 0], 30, hit)).toBe(false);
    expect(caster.scene.primCount).toBe(16);
    expect(w.physics.castRay(o, [0, 1, 0], 30)).toBeNull();
  });

  it("gives the engine's answer for moving bodies with moving: 'backend'", async () => {
    const w = await liveWorld();
    const analytic = RayCaster.fromWorld(w);
    const viaEngine = RayCaster.fromWorld(w, { moving: 'backend' });
    const a = newSceneHit(), b = newSceneHit();
    let moverHits = 0;
    for (let step = 0; step < 200; step++) {
      w.step();
      if (step % 20 !== 0) continue;
      analytic.refresh();
      viaEngine.refresh();
      for (let k = 0; k < 90; k++) {
        const d: Vec3 = [Math.cos((k * Math.PI) / 45), Math.sin((k * Math.PI) / 45), 0];
        const o: Vec3 = [2, 0, 0.5];
        const ha = analytic.cast(o, d, 30, a), hb = viaEngine.cast(o, d, 30, b);
        expect(ha).toBe(hb);
        if (!ha || a.actorId.startsWith('pillar')) continue;
        expect(b.actorId).toBe(a.actorId);
        expect(Math.abs(a.distance - b.distance)).toBeLessThan(1e-4);
        if (a.actorId === 'mover') moverHits++;
      }
    }
    expect(moverHits).toBeGreaterThan(5);
  });
});

describe('Lidar3D', () => {
  it('measures the ground plane at h / sin(-elevation) with zero noise, on the fast caster and on the engine alike', async () => {
    const w = await liveWorld();
    w.step();
    const caster = RayCaster.fromWorld(w);
    const fast = new Lidar3D(lidarParams({ rangeSigmaM: 0 }), caster);
    const slow = new Lidar3D(lidarParams({ rangeSigmaM: 0 }));
    const a = fast.sample(senseContext(w, 'ego'), Rng.stream(1, 'l')).ranges;
    const b = slow.sample(senseContext(w, 'ego'), Rng.stream(1, 'l')).ranges;
    expect(a.length).toBe(16 * 360);
    let pillarsOrCrates = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === Infinity || b[i] === Infinity) expect(a[i]).toBe(b[i]);
      else expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(2e-3); // float32 storage and Rapier's cylinder tolerance
    }
    // Beam straight behind (azimuth pi) on the lowest layer: open ground.
    const h = w.stateOf('ego').position[2] + 0.5;
    const lowest = 0, behind = 180;
    expect(a[lowest * 360 + behind]).toBeCloseTo(h / Math.sin((15 * Math.PI) / 180), 5);
    // Upward layers see nothing behind the rover (no ceiling), and something ahead (the pillars and crates).
    expect(a[15 * 360 + behind]).toBe(Infinity);
    for (let i = 0; i < 360; i++) if (a[8 * 360 + i]! < 30) pillarsOrCrates++;
    expect(pillarsOrCrates).toBeGreaterThan(10);
  });

  it('adds Gaussian noise of the configured sigma and drops returns at the configured rate, reproducibly', async () => {
    const w = await liveWorld();
    w.step();
    const caster = RayCaster.fromWorld(w);
    const clean = new Lidar3D(lidarParams({ rangeSigmaM: 0 }), caster).sample(senseContext(w, 'ego'), Rng.stream(1, 'l')).ranges;
    const lidar = new Lidar3D(lidarParams({ rangeSigmaM: 0.03, dropoutProbability: 0.1 }), caster);
    const noisy = lidar.sample(senseContext(w, 'ego'), Rng.stream(7, 'l')).ranges;
    let n = 0, sum = 0, sum2 = 0, lost = 0, valid = 0;
    for (let i = 0; i < clean.length; i++) {
      if (clean[i] === Infinity) continue;
      valid++;
      if (noisy[i] === Infinity) { lost++; continue; }
      const e = noisy[i]! - clean[i]!;
      n++; sum += e; sum2 += e * e;
    }
    const sd = Math.sqrt(sum2 / n - (sum / n) ** 2);
    expect(sd).toBeGreaterThan(0.027);
    expect(sd).toBeLessThan(0.033);
    expect(Math.abs(sum / n)).toBeLessThan(0.003);
    expect(lost / valid).toBeGreaterThan(0.08);
    expect(lost / valid).toBeLessThan(0.12);
    // Same stream, same scan; another seed, another scan.
    expect(lidar.sample(senseContext(w, 'ego'), Rng.stream(7, 'l')).ranges).toEqual(noisy);
    expect(lidar.sample(senseContext(w, 'ego'), Rng.stream(8, 'l')).ranges).not.toEqual(noisy);
  });

  it('rejects a malformed pattern with a message naming the sensor', () => {
    expect(() => new Lidar3D(lidarParams({ layers: 0 }))).toThrow(/lidar-3d 'lidar': layers/);
    expect(() => new Lidar3D(lidarParams({ minElevationRad: 0.2, maxElevationRad: 0.1 }))).toThrow(/elevations/);
    expect(() => new Lidar3D(lidarParams({ dropoutProbability: 1.5 }))).toThrow(/dropoutProbability/);
  });
});
