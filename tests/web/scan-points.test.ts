/**
 * Perception rays: the points drawn are the sensor's reading (noisy ranges,
 * no point for a beam without a return) placed from the pose the scan was
 * taken at.
 */
import { describe, expect, it } from 'vitest';
import { quatFromYaw, type Pose, type Quat, type Vec3 } from '../../sim/math.ts';
import { Rng } from '../../sim/rng.ts';
import type { SenseContext } from '../../sim/sensor.ts';
import { Lidar3D, VLP_16 } from '../../sim/sensors/lidar-3d.ts';
import { RangeRing, RPLIDAR_A2M8 } from '../../sim/sensors/range-ring.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import { beamDirections, hitPoints, isRadarReturn, isScan, radarAsScan, rayStride, ScanPoseLatch } from '../../web/scan-points.ts';

const MOUNT0: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };

function state(position: Vec3, rotation: Quat): ActorState {
  return { id: 'd', kind: 'uav', position, rotation, linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
}

/** A sense context whose only surface is the wall x = wallX (a ray hits it iff it heads +x). */
function wallContext(self: ActorState, wallX: number): SenseContext {
  return {
    physics: {
      castRay: (o, d, max) => {
        if (!(d[0] > 1e-9)) return null;
        const t = (wallX - o[0]) / d[0];
        return t >= 0 && t <= max ? { distance: t, point: [o[0] + t * d[0], o[1] + t * d[1], o[2] + t * d[2]], normal: [-1, 0, 0], body: 1 } as never : null;
      },
    },
    self, selfBody: 0, time: 0, others: [],
  };
}

describe('hitPoints: a scan as world points', () => {
  it('places a return along the beam from the mount, rotated by the pose (closed form), and skips beams without one', () => {
    const scan = { elevations: [0], azimuths: [0, Math.PI / 2], ranges: [5, Infinity] };
    const mount: Pose = { position: [0.1, 0, 0.05], rotation: [0, 0, 0, 1] };
    const dirs = beamDirections(scan, mount.rotation);
    const points = new Float32Array(6);
    // Yawed 90 deg: body x points north.
    const n = hitPoints(scan.ranges, dirs, mount, { position: [1, 2, 3], rotation: quatFromYaw(Math.PI / 2) }, { points });
    expect(n.points).toBe(1);
    expect([...points.subarray(0, 3)]).toEqual([1, 7.1, 3.05].map((v) => expect.closeTo(v, 5)));
  });

  it('uses the layer elevation and the mount rotation', () => {
    const scan = { elevations: [-Math.PI / 6, Math.PI / 6], azimuths: [0], ranges: [2, 2] };
    // Mounted yawed 180 deg: beam azimuth 0 looks backwards.
    const mount: Pose = { position: [0, 0, 0], rotation: quatFromYaw(Math.PI) };
    const points = new Float32Array(6);
    hitPoints(scan.ranges, beamDirections(scan, mount.rotation), mount, { position: [0, 0, 10], rotation: [0, 0, 0, 1] }, { points });
    expect([...points]).toEqual([-Math.sqrt(3), 0, 9, -Math.sqrt(3), 0, 11].map((v) => expect.closeTo(v, 5)));
  });

  it('draws a ray from the sensor to every k-th return, and stops at the buffers\' capacity', () => {
    const ranges = Array.from({ length: 10 }, (_, i) => (i === 3 ? Infinity : 1 + i));
    const scan = { angles: ranges.map((_, i) => (i * 2 * Math.PI) / 10), ranges };
    const dirs = beamDirections(scan, MOUNT0.rotation);
    const rays = new Float32Array(6 * 10);
    const all = hitPoints(ranges, dirs, MOUNT0, { position: [0, 0, 1], rotation: [0, 0, 0, 1] }, { points: new Float32Array(30), rays, rayEvery: 3 });
    expect(all).toEqual({ points: 9, rays: 3 });
    expect([...rays.subarray(0, 6)]).toEqual([0, 0, 1, 1, 0, 1]);
    const few = hitPoints(ranges, dirs, MOUNT0, { position: [0, 0, 1], rotation: [0, 0, 0, 1] }, { points: new Float32Array(12) });
    expect(few.points).toBe(4);
    expect(rayStride(28_800, 240)).toBe(120);
    expect(rayStride(100, 240)).toBe(1);
  });

  it('shows the lidar-3d reading itself: noisy ranges on the wall, and no point for a lost return', () => {
    const self = state([0, 0, 2], quatFromYaw(0.3));
    const base = { ...VLP_16, name: 'lidar', beams: 90, layers: 4, maxRangeM: 30, mount: { position: [0, 0, 0.1], rotation: [0, 0, 0, 1] } as Pose };
    const ctx = wallContext(self, 8);
    const exact = new Lidar3D({ ...base, rangeSigmaM: 0 }).sample(ctx, Rng.stream(1, 'test'));
    const noisy = new Lidar3D({ ...base, rangeSigmaM: 0.05 }).sample(ctx, Rng.stream(1, 'test'));
    const lossy = new Lidar3D({ ...base, rangeSigmaM: 0, dropoutProbability: 0.5 }).sample(ctx, Rng.stream(1, 'test'));
    const place = (scan: typeof exact) => {
      const out = new Float32Array(3 * scan.ranges.length);
      const n = hitPoints(scan.ranges, beamDirections(scan, base.mount.rotation), base.mount, self, { points: out });
      return Array.from({ length: n.points }, (_, i) => out[3 * i]!);
    };
    const xs = place(exact);
    // Exactly the beams that head for the wall (within range) return, and each lands on it.
    expect(xs.length).toBe([...exact.ranges].filter(Number.isFinite).length);
    expect(xs.length).toBeGreaterThan(0);
    for (const x of xs) expect(x).toBeCloseTo(8, 3);
    // Range noise moves the points off the wall by about the sensor's sigma: what the agent saw, not the geometry.
    const off = place(noisy).map((x) => Math.abs(x - 8));
    expect(Math.max(...off)).toBeGreaterThan(0.01);
    expect(Math.max(...off)).toBeLessThan(0.5);
    // Dropped returns are not drawn.
    const kept = place(lossy).length;
    expect(kept).toBeLessThan(0.7 * xs.length);
    expect(kept).toBeGreaterThan(0.3 * xs.length);
  });

  it('reads a range-ring scan the same way', () => {
    const self = state([0, 0, 0.2], [0, 0, 0, 1]);
    const ring = new RangeRing({ ...RPLIDAR_A2M8, noise: [...RPLIDAR_A2M8.noise], name: 'ring', beams: 36, fovRad: 2 * Math.PI, mount: MOUNT0 });
    const scan = ring.sample(wallContext(self, 3), Rng.stream(2, 'test'));
    expect(isScan(scan)).toBe(true);
    const out = new Float32Array(3 * 36);
    const n = hitPoints(scan.ranges, beamDirections(scan, MOUNT0.rotation), MOUNT0, self, { points: out });
    expect(n.points).toBeGreaterThan(0);
    for (let i = 0; i < n.points; i++) {
      expect(out[3 * i]).toBeCloseTo(3, 0);
      expect(out[3 * i + 2]).toBeCloseTo(0.2, 5);
    }
  });

  it('recognises scans, and nothing else', () => {
    expect(isScan({ elevations: [0], azimuths: [0, 1], ranges: new Float32Array(2) })).toBe(true);
    expect(isScan({ elevations: [0], azimuths: [0, 1], ranges: new Float32Array(3) })).toBe(false);
    expect(isScan({ objects: [] })).toBe(false);
    expect(isScan(null)).toBe(false);
    expect(() => beamDirections({ ranges: [1] }, MOUNT0.rotation)).toThrow(/neither/);
  });
});

describe('a car radar\'s reading as a one-beam scan', () => {
  it('draws its nearest return along the measured azimuth, from the mount, and nothing without a detection', () => {
    const mount: Pose = { position: [3.7, 0, 0.5], rotation: [0, 0, 0, 1] };
    const scratch = { angles: new Float64Array(1), ranges: new Float64Array(1) };
    const ret = { detected: true, rangeM: 20, rangeRateMps: -3, azimuthRad: Math.PI / 6 };
    expect(isRadarReturn(ret)).toBe(true);
    expect(isRadarReturn({ ranges: [] })).toBe(false);
    const scan = radarAsScan(ret, scratch);
    expect(scan).toBe(scratch);
    const dirs = beamDirections(scan, mount.rotation);
    const points = new Float32Array(3);
    const pose = { position: [100, 0, 0] as Vec3, rotation: quatFromYaw(Math.PI / 2) };
    expect(hitPoints(scan.ranges, dirs, mount, pose, { points }).points).toBe(1);
    // Heading north, the mount 3.7 m ahead; 30 deg left of north.
    expect([...points]).toEqual([100 - 20 * Math.sin(Math.PI / 6), 3.7 + 20 * Math.cos(Math.PI / 6), 0.5].map((v) => expect.closeTo(v, 4)));
    // The direction buffer is rewritten in place for the next azimuth.
    const again = beamDirections(radarAsScan({ ...ret, azimuthRad: 0 }, scratch), mount.rotation, dirs);
    expect(again).toBe(dirs);
    expect([...dirs]).toEqual([1, 0, 0]);
    radarAsScan({ detected: false, rangeM: NaN, azimuthRad: NaN }, scratch);
    expect(hitPoints(scratch.ranges, dirs, mount, pose, { points }).points).toBe(0);
  });
});

describe('ScanPoseLatch: the pose a reading was taken from', () => {
  // The world's order per step k: sense at t_k from the pose published at the end of step k-1 (stamped t_k), then step, then publish t_{k+1}.
  const dt = 0.01;
  const poseAt = (k: number): Vec3 => [k, 0, 0];

  it('latches the pose stamped with the reading, not the newer one', () => {
    const latch = new ScanPoseLatch();
    latch.seed(0, poseAt(0), [0, 0, 0, 1]);
    let readingTime = NaN;
    const latchedAt: number[] = [];
    for (let k = 0; k < 10; k++) {
      if (k % 4 === 0) readingTime = k * dt; // a sensor every 4 steps senses at the start of step k
      if (latch.tick(readingTime, `scan@${k}`, (k + 1) * dt, poseAt(k + 1), [0, 0, 0, 1])) latchedAt.push(k);
      if (latchedAt.at(-1) === k) {
        expect(latch.pose.position[0]).toBe(k); // the pose at t_k, not t_{k+1}
        expect(latch.value).toBe(`scan@${k}`);
      }
    }
    expect(latchedAt).toEqual([0, 4, 8]);
  });

  it('latches nothing without a reading, and nothing twice', () => {
    const latch = new ScanPoseLatch();
    latch.seed(0, poseAt(0), [0, 0, 0, 1]);
    expect(latch.tick(NaN, undefined, dt, poseAt(1), [0, 0, 0, 1])).toBe(false);
    expect(latch.tick(dt, 'a', 2 * dt, poseAt(2), [0, 0, 0, 1])).toBe(true);
    expect(latch.tick(dt, 'a', 3 * dt, poseAt(3), [0, 0, 0, 1])).toBe(false);
    expect(latch.pose.position[0]).toBe(1);
  });
});
