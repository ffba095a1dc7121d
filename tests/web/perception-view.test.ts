/**
 * Perception rays on a real run (library uav/pillar-band, the drone's
 * 360-degree lidar): the points drawn are the lidar reading the agent holds,
 * one per return, each at its measured range from where the sensor was when
 * it scanned; nothing is drawn while the rays are off. The scan crosses the
 * worker boundary as the sim worker sends it (web/capture.ts: latched pose,
 * world points), structured-cloned like a postMessage.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun, type Run } from '../../scenarios/runner.ts';
import { rotateVec, type Vec3 } from '../../sim/math.ts';
import type { LidarScan } from '../../sim/sensors/lidar-3d.ts';
import { Capture } from '../../web/capture.ts';
import { PerceptionView } from '../../web/perception-view.ts';

const FILE = 'scenarios/library/uav/pillar-band.yaml';

describe('PerceptionView on uav-pillar-band', () => {
  let run: Run;
  let capture: Capture;
  const view = new PerceptionView();
  /** What the view gets: the capture's frame, as postMessage would deliver it. */
  const update = () => view.apply(structuredClone(capture.frame()).scans ?? []);
  /** Ground-truth poses of the drone by snapshot time, recorded independently of the view. */
  const poses = new Map<number, { p: Vec3; q: [number, number, number, number] }>();

  beforeAll(async () => {
    const text = readFileSync(fileURLToPath(new URL(`../../${FILE}`, import.meta.url)), 'utf8');
    run = await startRun(loadScenarioText(text, FILE), { backend: 'rapier' });
    const snap = run.world.snapshot;
    const indexOf = new Map(snap.actors.map((s, i) => [s.id, i]));
    capture = new Capture(run, 'uav-pillar-band');
    view.attach(structuredClone(capture.init).sensors);
    const i = indexOf.get('drone')!;
    const rec = () => {
      const s = run.world.snapshot.actors[i]!;
      poses.set(run.world.snapshot.time, { p: [...s.position], q: [...s.rotation] });
    };
    rec();
    run.world.tick$.subscribe(rec);
  });

  afterAll(() => {
    view.clear();
    capture.dispose();
    run.dispose();
  });

  it('watches the drone\'s lidar and draws nothing while off', () => {
    expect(view.sensorCount).toBe(1);
    run.step(120);
    expect(update()).toBe(false);
    expect(view.drawn.points).toBe(0);
  });

  it('once on, draws each return of the reading the agent holds, at its range from the pose of the scan', () => {
    view.visible = true;
    capture.layers = { scans: true };
    // Climb to the flight band and on towards the pillars; the lidar scans at 10 Hz.
    run.step(2500);
    expect(update()).toBe(true);
    const sensor = run.world.sensorsOf('drone').find((s) => s.type === 'lidar-3d')!;
    const reading = run.world.readingOf('drone', sensor.name)!;
    const scan = reading.value as LidarScan;
    const finite = [...scan.ranges].filter(Number.isFinite);
    expect(finite.length).toBeGreaterThan(0);
    expect(view.drawn.points).toBe(finite.length);
    expect(view.drawn.rays).toBeGreaterThan(0);

    const points = view.group.children.find((o): o is THREE.Points => o instanceof THREE.Points)!;
    const xyz = points.geometry.getAttribute('position').array as Float32Array;
    expect(points.geometry.drawRange.count).toBe(finite.length);
    const pose = poses.get(reading.time)!;
    expect(pose).toBeDefined();
    const origin = rotateVec(pose.q, sensor.mount.position, [0, 0, 0]);
    for (let k = 0; k < 3; k++) origin[k] = origin[k]! + pose.p[k]!;
    for (let i = 0; i < finite.length; i++) {
      const d = Math.hypot(xyz[3 * i]! - origin[0], xyz[3 * i + 1]! - origin[1], xyz[3 * i + 2]! - origin[2]);
      expect(d).toBeCloseTo(finite[i]!, 3);
    }
    // The scan was taken from where the drone was at the reading's stamp, not where it is now.
    const now = run.world.stateOf('drone').position;
    expect(reading.time).toBeLessThanOrEqual(run.world.time);
    if (reading.time < run.world.time) expect(Math.hypot(now[0] - pose.p[0], now[1] - pose.p[1])).toBeGreaterThan(0);
  });

  it('draws nothing new from a failed sensor', () => {
    const sensor = run.world.sensorsOf('drone').find((s) => s.type === 'lidar-3d')!;
    run.world.setSensorFailed('drone', sensor.name, true);
    run.step(200);
    expect(update()).toBe(false);
  });
});
