/**
 * The gimbal drawn from a real run (gimbal-hover-light, 1.5 s in Node): the
 * drawn chain base * Rz(yaw) * Rx(roll) * Ry(pitch) lands on the camera
 * attitude the dynamics report, the base plate sits at the mount point, and
 * the plot's trace, fed from `tick$` as the panel feeds it, holds every
 * substep of the error log.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun, type Run } from '../../scenarios/runner.ts';
import { angularJitter } from '../../uav/gimbal/jitter.ts';
import { gimbalOf } from '../../uav/gimbal/service.ts';
import type { Gimbal } from '../../uav/gimbal/gimbal.ts';
import { threeCameraQuaternion } from '../../web/gimbal-camera.ts';
import { CAMERA_BOX_M, GimbalLook, gimbalLayout } from '../../web/gimbal-look.ts';
import { GimbalTrace, MDEG_PER_RAD } from '../../web/gimbal-trace.ts';

const FILE = 'scenarios/library/gimbal/hover-light.yaml';

describe('the gimbal drawn from gimbal-hover-light', () => {
  let run: Run;
  let gimbal: Gimbal;
  const log: number[][] = [[], [], []];
  let trace: GimbalTrace;

  beforeAll(async () => {
    const text = readFileSync(fileURLToPath(new URL(`../../${FILE}`, import.meta.url)), 'utf8');
    run = await startRun(loadScenarioText(text, FILE));
    gimbal = gimbalOf(run.world.actor('drone'))!;
    expect(gimbal).toBeDefined();
    trace = new GimbalTrace({ logHz: gimbal.logHz, bucket: 4, windowS: 10 });
    run.world.tick$.subscribe(() => {
      trace.push(gimbal.errorLog, gimbal.substeps, gimbal.lastTime);
      for (let k = 0; k < gimbal.substeps; k++) for (let a = 0; a < 3; a++) log[a]!.push(gimbal.errorLog[3 * k + a]!);
    });
    run.step(Math.round(1.5 / run.world.dt));
  }, 60_000);

  afterAll(() => run?.dispose());

  it('poses the chain so that the camera link drawn is the camera attitude of the dynamics', () => {
    const look = new GimbalLook(gimbal, 90, 16 / 9);
    look.group.updateMatrixWorld(true);
    const c = gimbal.dynamics.cameraRotation;
    const actual = new THREE.Quaternion(c[0], c[1], c[2], c[3]);
    const chain = look.chainCameraQuaternion(new THREE.Quaternion());
    expect(chain.angleTo(actual)).toBeLessThan(1e-6);
    // The joints have moved (the drone has taken off and turned the camera 20 deg down), so this is not trivial.
    expect(Math.abs(gimbal.dynamics.q[2]!)).toBeGreaterThan(0.1);
  });

  it('puts the base plate at the mount point and the lens along the view of the picture-in-picture camera', () => {
    const look = new GimbalLook(gimbal, 90, 16 / 9);
    look.group.updateMatrixWorld(true);
    const [base, , , camera] = look.group.children as [THREE.Group, THREE.Group, THREE.Group, THREE.Group];
    const p = gimbal.cameraPosition;
    expect(base.position.distanceTo(new THREE.Vector3(p[0], p[1], p[2]))).toBeLessThan(1e-12);
    // The chain hangs dropM below it along the base's z, clear of the camera's top.
    const L = gimbalLayout(gimbal.dynamics.spec);
    expect(camera.position.distanceTo(base.position)).toBeCloseTo(L.dropM, 12);
    expect(L.dropM).toBeGreaterThan(CAMERA_BOX_M[2] / 2);
    expect(L.pitchSideY).toBeGreaterThan(CAMERA_BOX_M[1] / 2);
    const lens = new THREE.Vector3(1, 0, 0).applyQuaternion(camera.quaternion);
    const cam = new THREE.PerspectiveCamera();
    threeCameraQuaternion(gimbal.dynamics.cameraRotation, cam.quaternion);
    cam.updateMatrixWorld();
    expect(cam.getWorldDirection(new THREE.Vector3()).angleTo(lens)).toBeLessThan(1e-6);
  });

  it('traces every substep from tick$: its high-pass peak is the criterion method over the whole log', () => {
    expect(log[0]!.length).toBe(Math.round(1.5 / run.world.dt) * gimbal.substeps);
    for (let a = 0; a < 3; a++) {
      expect(trace.hpPeakMdeg[a]).toBeCloseTo(angularJitter(log[a]!, gimbal.logHz, 0).peakRad * MDEG_PER_RAD, 6);
    }
    expect(trace.lastTime).toBeCloseTo(run.time, 9);
  });
});
