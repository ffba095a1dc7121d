/**
 * Detected objects on a real run (library cars/lead-brake, the ego's
 * object-list sensor): the detections a frame carries are exactly the
 * reading the agent received, moved to the world with the ego's pose at the
 * reading's stamp (checked here with three's matrices, independently of the
 * capture's own maths); nothing is sent while the Rays layer is off; the view
 * draws one box per detection and fades a track as its reading ages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun, type Run } from '../../scenarios/runner.ts';
import type { Sensor } from '../../sim/sensor.ts';
import type { ObjectList } from '../../sim/sensors/object-list.ts';
import { Capture } from '../../web/capture.ts';
import { DETECTION_FADE_S, DETECTION_HOLD_S, DetectionsView, detectionAlpha, detectionClass } from '../../web/detections-view.ts';
import type { DetectionListFrame, ViewFrame } from '../../web/sim-protocol.ts';

const FILE = 'scenarios/library/cars/lead-brake.yaml';

describe('detected objects on cars-lead-brake', () => {
  let run: Run;
  let capture: Capture;
  let sensor: Sensor;
  /** Ground-truth poses of the ego by snapshot time, recorded independently of the capture. */
  const poses = new Map<number, { p: [number, number, number]; q: [number, number, number, number] }>();
  const frame = (): ViewFrame => structuredClone(capture.frame(false));

  beforeAll(async () => {
    const text = readFileSync(fileURLToPath(new URL(`../../${FILE}`, import.meta.url)), 'utf8');
    run = await startRun(loadScenarioText(text, FILE), { backend: 'rapier' });
    capture = new Capture(run, 'cars-lead-brake');
    sensor = run.world.sensorsOf('ego').find((s) => s.type === 'object-list')!;
    const rec = () => {
      const s = run.world.stateOf('ego');
      poses.set(run.world.snapshot.time, { p: [...s.position], q: [...s.rotation] });
    };
    rec();
    run.world.tick$.subscribe(rec);
  });

  afterAll(() => {
    capture.dispose();
    run.dispose();
  });

  it('lists the ego\'s object list as a detector and sends no detections while the layer is off', () => {
    expect(sensor).toBeDefined();
    expect(structuredClone(capture.init).detectors).toEqual([{ actorId: 'ego', name: sensor.name, type: 'object-list' }]);
    for (let i = 0; i < 10; i++) {
      run.step(20);
      expect(frame().detections).toBeUndefined();
    }
    // The sensor did report objects meanwhile: the absence is the layer's doing.
    expect((run.world.readingOf('ego', sensor.name)!.value as ObjectList).detections.length).toBeGreaterThan(0);
  });

  it('with the layer on, each frame carries the new reading, in the world, from the pose at its stamp (1e-9)', () => {
    capture.layers = { scans: true };
    let checked = 0, readings = 0;
    for (let i = 0; i < 40; i++) {
      run.step(7); // not a multiple of the 10-step sensor period: readings fall at every phase of a frame
      const f = frame();
      const reading = run.world.readingOf('ego', sensor.name)!;
      if (!f.detections) continue;
      expect(f.detections).toHaveLength(1);
      const list = f.detections[0]!;
      expect(list).toMatchObject({ actorId: 'ego', sensor: sensor.name, time: reading.time });
      readings++;
      const pose = poses.get(reading.time)!;
      expect(pose).toBeDefined();
      // Sensor-to-world: actor pose, then the mount.
      const actor = new THREE.Matrix4().compose(new THREE.Vector3(...pose.p), new THREE.Quaternion(...pose.q), new THREE.Vector3(1, 1, 1));
      const mount = new THREE.Matrix4().compose(new THREE.Vector3(...sensor.mount.position), new THREE.Quaternion(...sensor.mount.rotation), new THREE.Vector3(1, 1, 1));
      const toWorld = actor.multiply(mount);
      const sensorQ = new THREE.Quaternion().setFromRotationMatrix(toWorld);
      const sensorYaw = new THREE.Euler().setFromQuaternion(sensorQ, 'ZYX').z;
      const dets = (reading.value as ObjectList).detections;
      expect(list.detections).toHaveLength(dets.length);
      dets.forEach((d, k) => {
        const w = list.detections[k]!;
        expect(w.trackId).toBe(d.trackId);
        expect(w.kind).toBe(d.kind);
        expect(w.size).toEqual([...d.size]);
        const p = new THREE.Vector3(...d.position).applyMatrix4(toWorld);
        const v = new THREE.Vector3(...d.velocity).applyQuaternion(sensorQ);
        for (const [got, want] of [[w.position, p], [w.velocity, v]] as const) {
          expect(Math.abs(got[0] - want.x)).toBeLessThan(1e-9);
          expect(Math.abs(got[1] - want.y)).toBeLessThan(1e-9);
          expect(Math.abs(got[2] - want.z)).toBeLessThan(1e-9);
        }
        const dyaw = Math.atan2(Math.sin(w.yawRad - (d.yawRad + sensorYaw)), Math.cos(w.yawRad - (d.yawRad + sensorYaw)));
        expect(Math.abs(dyaw)).toBeLessThan(1e-9);
        checked++;
      });
    }
    expect(readings).toBeGreaterThan(20);
    expect(checked).toBeGreaterThan(20);
    const last = capture.frame(false);
    expect(last.detections).toBeUndefined(); // nothing new since the last frame
  });

  it('draws a box per detection from its stamp on, labelled by class and track, fading as the reading ages', () => {
    const view = new DetectionsView();
    view.attach(structuredClone(capture.init).detectors ?? []);
    let f: ViewFrame;
    do {
      run.step(3);
      f = frame();
    } while (!f.detections);
    // Off: nothing is taken.
    expect(view.apply(f.detections!)).toBe(false);
    view.visible = true;
    const list: DetectionListFrame = f.detections![0]!;
    expect(list.detections.length).toBeGreaterThan(0);
    expect(view.apply(f.detections!)).toBe(true);
    // Drawn once the view's (interpolated, behind) time reaches the reading's stamp, not before.
    view.update(list.time - 0.05);
    expect(view.drawn).toBe(0);
    view.update(list.time);
    expect(view.drawn).toBe(list.detections.length);
    expect(view.shown.map((s) => s.label).sort()).toEqual(list.detections.map((d) => `${d.kind.split('-')[0]} #${d.trackId}`).sort());
    expect(view.shown.every((s) => /^car #\d+$/.test(s.label))).toBe(true); // lead-brake's others are cars
    expect(view.shown.every((s) => s.alpha === 1)).toBe(true);
    const lines = view.group.children[0] as THREE.LineSegments;
    expect(lines.geometry.drawRange.count).toBe(26 * list.detections.length);
    // Past the hold, the boxes fade; past the fade, they are gone.
    view.update(list.time + DETECTION_HOLD_S + DETECTION_FADE_S / 2);
    expect(view.shown.every((s) => Math.abs(s.alpha - 0.5) < 1e-9)).toBe(true);
    view.update(list.time + DETECTION_HOLD_S + DETECTION_FADE_S + 0.01);
    expect(view.drawn).toBe(0);
    expect(lines.geometry.drawRange.count).toBe(0);
    // A reading far ahead of the drawn time (the page stalled, the worker ran on) waits; it is not taken for a seek back.
    const later: DetectionListFrame = { ...list, time: list.time + 5 };
    expect(view.apply([later])).toBe(true);
    expect(view.drawn).toBe(0);
    view.update(later.time);
    expect(view.drawn).toBe(list.detections.length);
    expect(detectionAlpha(-1)).toBe(1);
    expect(detectionClass('car-kinematic')).toBe('car');
    expect(detectionClass('pedestrian')).toBe('pedestrian');
    view.dispose();
  });
});
