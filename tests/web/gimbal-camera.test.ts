/** The gimbal camera for the view: REP 103 camera frame to a three.js camera, field of view, link boxes from inertia. */
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import type { Quat } from '../../sim/math.ts';
import { boxInertia, GOPRO_IRIS_GIMBAL } from '../../uav/gimbal/spec.ts';
import { boxSidesFromInertia, threeCameraQuaternion, verticalFovDeg } from '../../web/gimbal-camera.ts';

/** A three camera posed from a REP 103 camera attitude; its view direction, up and right, world. */
function look(q: Quat): { dir: THREE.Vector3; up: THREE.Vector3; right: THREE.Vector3 } {
  const cam = new THREE.PerspectiveCamera();
  threeCameraQuaternion(q, cam.quaternion);
  cam.updateMatrixWorld();
  return {
    dir: cam.getWorldDirection(new THREE.Vector3()),
    up: new THREE.Vector3(0, 1, 0).applyQuaternion(cam.quaternion),
    right: new THREE.Vector3(1, 0, 0).applyQuaternion(cam.quaternion),
  };
}

const about = (axis: THREE.Vector3, rad: number): Quat => {
  const q = new THREE.Quaternion().setFromAxisAngle(axis, rad);
  return [q.x, q.y, q.z, q.w];
};
const near = (a: THREE.Vector3, b: readonly [number, number, number]) => {
  expect(a.x).toBeCloseTo(b[0], 12);
  expect(a.y).toBeCloseTo(b[1], 12);
  expect(a.z).toBeCloseTo(b[2], 12);
};

describe('threeCameraQuaternion (REP 103 camera: x forward, y left, z up)', () => {
  it('a camera looking along world +x with z up gives a three camera looking along +x, up +z, right -y', () => {
    const v = look([0, 0, 0, 1]);
    near(v.dir, [1, 0, 0]);
    near(v.up, [0, 0, 1]);
    near(v.right, [0, -1, 0]);
  });

  it('a positive pitch (about the camera y axis) tilts the view down, as REP 103 and the gimbal command say', () => {
    const a = (20 * Math.PI) / 180;
    const v = look(about(new THREE.Vector3(0, 1, 0), a));
    near(v.dir, [Math.cos(a), 0, -Math.sin(a)]);
    near(v.up, [Math.sin(a), 0, Math.cos(a)]);
  });

  it('a yaw of +90 deg looks north (+y), a roll leans the picture, straight down looks at -z', () => {
    near(look(about(new THREE.Vector3(0, 0, 1), Math.PI / 2)).dir, [0, 1, 0]);
    const rolled = look(about(new THREE.Vector3(1, 0, 0), Math.PI / 2));
    near(rolled.dir, [1, 0, 0]);
    near(rolled.up, [0, -1, 0]); // camera z (up) turned to world -y by +90 deg about x
    near(look(about(new THREE.Vector3(0, 1, 0), Math.PI / 2)).dir, [0, 0, -1]);
  });
});

describe('verticalFovDeg', () => {
  it('is the horizontal field for a square picture and narrower for a wide one', () => {
    expect(verticalFovDeg(90, 1)).toBeCloseTo(90, 12);
    // 90 deg across 16:9: tan(v/2) = 9/16.
    expect(verticalFovDeg(90, 16 / 9)).toBeCloseTo((2 * Math.atan(9 / 16) * 180) / Math.PI, 12);
    expect(verticalFovDeg(90, 16 / 9)).toBeCloseTo(58.72, 2);
  });

  it('rejects fields and aspects no pinhole camera has', () => {
    expect(() => verticalFovDeg(180, 1)).toThrow(RangeError);
    expect(() => verticalFovDeg(90, 0)).toThrow(RangeError);
  });
});

describe('boxSidesFromInertia', () => {
  it('inverts boxInertia', () => {
    const s = boxSidesFromInertia(0.16, boxInertia(0.16, 0.045, 0.07, 0.05));
    expect(s[0]).toBeCloseTo(0.045, 12);
    expect(s[1]).toBeCloseTo(0.07, 12);
    expect(s[2]).toBeCloseTo(0.05, 12);
  });

  it("gives the shipped gimbal's links their spec boxes", () => {
    const { yaw, roll } = GOPRO_IRIS_GIMBAL.links;
    const y = boxSidesFromInertia(yaw.massKg, yaw.inertiaKgM2);
    const r = boxSidesFromInertia(roll.massKg, roll.inertiaKgM2);
    [0.1, 0.04, 0.08].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 12));
    [0.03, 0.1, 0.06].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 12));
  });
});
