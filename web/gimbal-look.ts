/**
 * A drone's 3-axis gimbal drawn under it (issue #5): the base plate at the
 * mount point, the yaw motor and arm, the roll motor and arm, the pitch
 * motor and the camera with its lens and a short view frustum, posed every
 * frame from the gimbal's ground truth (`GimbalDynamics`: the base attitude,
 * the joint angles q = yaw, roll, pitch, and the camera attitude).
 *
 * Sizes: the camera is the spec's HERO-class 62 x 45 x 33 mm box (width,
 * height, depth along the lens; uav/gimbal/spec.ts); the arms' reach comes
 * from the links' inertia boxes (`boxSidesFromInertia` of the spec's
 * inertias); the motors are drawn as 2804-class cans, 34 x 14 mm (display
 * convention).
 *
 * Display convention on where things sit: the simulation puts the joint
 * axes' meeting point O (and the camera) at the mount point itself; drawn
 * that way the upper half of the gimbal would sink into the airframe's
 * collision box. The drawing keeps the base plate at the mount point, as a
 * real gimbal hangs from it, and hangs the chain below it by `dropM` along
 * the base's z axis. Every attitude is the simulation's; only that offset
 * is drawn. The picture-in-picture camera stays at the simulation's
 * `cameraPosition`.
 */
import * as THREE from 'three';
import type { Gimbal } from '../uav/gimbal/gimbal.ts';
import type { GimbalSpec } from '../uav/gimbal/spec.ts';
import { boxSidesFromInertia, verticalFovDeg } from './gimbal-camera.ts';

/** The camera body, m: depth along the lens (x), width (y), height (z) (spec.ts: HERO-class, 62 x 45 x 33 mm). */
export const CAMERA_BOX_M = [0.033, 0.062, 0.045] as const;
/** Motor cans: radius and height, m (a 2804-class gimbal motor is ~34 mm across; display convention). */
const MOTOR_RADIUS_M = 0.017;
const MOTOR_HEIGHT_M = 0.014;
/** Arm cross-section, m (display convention). */
const ARM_M = 0.006;
/** Lens barrel: radius and length, m (display convention). */
const LENS_RADIUS_M = 0.011;
const LENS_LENGTH_M = 0.01;
/** Length of the drawn view frustum along the lens, m (display convention: reads from the chase camera, smaller than the airframe). */
export const FRUSTUM_LENGTH_M = 0.3;

const ARM_COLOR = '#5d6570';
const MOTOR_COLOR = '#b3b9c2';
const CAMERA_COLOR = '#23272e';
const LENS_COLOR = '#4f9dff';
const FRUSTUM_COLOR = '#7fd4ff';

const _q = new THREE.Quaternion();
const _v = new THREE.Vector3();
const X = new THREE.Vector3(1, 0, 0);
const Y = new THREE.Vector3(0, 1, 0);
const Z = new THREE.Vector3(0, 0, 1);

/** Where the drawing puts things, m, in the link frames (origin at the drawn O). */
export interface GimbalLayout {
  /** Height of the yaw arm above O, and of the base plate (the mount point) above O. */
  yawArmZ: number;
  dropM: number;
  /** Distance behind O of the roll motor (on the yaw link, axis x). */
  rollBackX: number;
  /** Distance to the right (-y) of O of the pitch motor (on the roll link, axis y). */
  pitchSideY: number;
}

/** The drawing's layout from the spec's link inertia boxes, never closer than the camera and motors allow. */
export function gimbalLayout(spec: GimbalSpec): GimbalLayout {
  const yaw = boxSidesFromInertia(spec.links.yaw.massKg, spec.links.yaw.inertiaKgM2);
  const roll = boxSidesFromInertia(spec.links.roll.massKg, spec.links.roll.inertiaKgM2);
  const [depth, width, height] = CAMERA_BOX_M;
  const yawArmZ = Math.max(yaw[2] / 2, height / 2 + 0.015);
  return {
    yawArmZ,
    dropM: yawArmZ + ARM_M / 2 + MOTOR_HEIGHT_M + 0.002,
    rollBackX: Math.max(yaw[0] / 2, depth / 2 + MOTOR_HEIGHT_M / 2 + 0.008),
    pitchSideY: Math.max(roll[1] / 2, width / 2 + MOTOR_HEIGHT_M / 2 + 0.004),
  };
}

/** A bar between two points of a link frame. */
function bar(a: readonly [number, number, number], b: readonly [number, number, number], material: THREE.Material): THREE.Mesh {
  const dx = b[0] - a[0], dy = b[1] - a[1], dz = b[2] - a[2];
  const geometry = new THREE.BoxGeometry(Math.abs(dx) + ARM_M, Math.abs(dy) + ARM_M, Math.abs(dz) + ARM_M);
  const m = new THREE.Mesh(geometry, material);
  m.position.set((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2);
  return m;
}

/** A motor can centred at `p` with its axis along `axis` (0 x, 1 y, 2 z). */
function motor(p: readonly [number, number, number], axis: 0 | 1 | 2, material: THREE.Material): THREE.Mesh {
  const g = new THREE.CylinderGeometry(MOTOR_RADIUS_M, MOTOR_RADIUS_M, MOTOR_HEIGHT_M, 24);
  // three's cylinders lie along y.
  if (axis === 0) g.rotateZ(-Math.PI / 2);
  else if (axis === 2) g.rotateX(Math.PI / 2);
  const m = new THREE.Mesh(g, material);
  m.position.set(p[0], p[1], p[2]);
  return m;
}

/** Lines of a view frustum along +x (REP 103 camera frame) for a horizontal field and aspect. */
function frustum(hfovDeg: number, aspect: number, lengthM: number, material: THREE.LineBasicMaterial): THREE.LineSegments {
  const y = lengthM * Math.tan((hfovDeg * Math.PI) / 360);
  const z = lengthM * Math.tan((verticalFovDeg(hfovDeg, aspect) * Math.PI) / 360);
  const x0 = CAMERA_BOX_M[0] / 2 + LENS_LENGTH_M;
  const c: number[][] = [[lengthM, y, z], [lengthM, -y, z], [lengthM, -y, -z], [lengthM, y, -z]];
  const pts: number[] = [];
  for (let i = 0; i < 4; i++) {
    const a = c[i]!, b = c[(i + 1) % 4]!;
    pts.push(x0, 0, 0, a[0]!, a[1]!, a[2]!);
    pts.push(a[0]!, a[1]!, a[2]!, b[0]!, b[1]!, b[2]!);
  }
  // A tick on the top edge: which way is up in the picture.
  pts.push(lengthM, 0, z, lengthM, 0, z * 1.25);
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.Float32BufferAttribute(pts, 3));
  return new THREE.LineSegments(g, material);
}

export class GimbalLook {
  /** Everything of the gimbal, in world coordinates (add to the scene, not to the drone's group). */
  readonly group = new THREE.Group();
  readonly layout: GimbalLayout;
  private readonly base = new THREE.Group();
  private readonly yaw = new THREE.Group();
  private readonly roll = new THREE.Group();
  private readonly camera = new THREE.Group();

  /** @param hfovDeg, aspect: the picture-in-picture camera's, for the frustum */
  constructor(readonly gimbal: Gimbal, hfovDeg: number, aspect: number) {
    const spec = gimbal.dynamics.spec;
    const L = (this.layout = gimbalLayout(spec));
    this.group.name = 'gimbal';
    // Geometries and materials are freed with the scene's content (SceneView.clear traverses meshes and lines).
    const arm = new THREE.MeshStandardMaterial({ color: ARM_COLOR, roughness: 0.55, metalness: 0.4 });
    const can = new THREE.MeshStandardMaterial({ color: MOTOR_COLOR, roughness: 0.35, metalness: 0.7 });
    const body = new THREE.MeshStandardMaterial({ color: CAMERA_COLOR, roughness: 0.6 });
    const lens = new THREE.MeshStandardMaterial({ color: LENS_COLOR, roughness: 0.25, metalness: 0.3, emissive: LENS_COLOR, emissiveIntensity: 0.35 });
    const lines = new THREE.LineBasicMaterial({ color: FRUSTUM_COLOR, transparent: true, opacity: 0.6 });

    // Base (frame: the gimbal base G, origin at the mount point): plate and the yaw motor's stator.
    const plate = new THREE.Mesh(new THREE.BoxGeometry(0.07, 0.07, 0.004), arm);
    plate.position.z = -0.002;
    this.base.add(plate, motor([0, 0, -0.004 - MOTOR_HEIGHT_M / 2], 2, can));

    // Yaw link (origin at the drawn O): from under the yaw motor back to the roll motor behind the camera.
    const top = L.yawArmZ;
    this.yaw.add(
      bar([0, 0, top], [-L.rollBackX, 0, top], arm),
      bar([-L.rollBackX, 0, top], [-L.rollBackX, 0, MOTOR_RADIUS_M], arm),
      motor([-L.rollBackX, 0, 0], 0, can),
    );

    // Roll link: from the roll motor out to the right and forward to the pitch motor beside the camera.
    const back = -L.rollBackX + MOTOR_HEIGHT_M / 2 + ARM_M / 2;
    this.roll.add(
      bar([back, 0, 0], [back, -L.pitchSideY, 0], arm),
      bar([back, -L.pitchSideY, 0], [-MOTOR_RADIUS_M, -L.pitchSideY, 0], arm),
      motor([0, -L.pitchSideY, 0], 1, can),
    );

    // Camera (pitch link, REP 103 camera frame): the body, a bracket to the pitch motor, the lens along +x, the frustum.
    const [depth, width, height] = CAMERA_BOX_M;
    const cam = new THREE.Mesh(new THREE.BoxGeometry(depth, width, height), body);
    const bracket = bar([0, -width / 2, 0], [0, -L.pitchSideY + MOTOR_HEIGHT_M / 2, 0], arm);
    const barrel = new THREE.Mesh(new THREE.CylinderGeometry(LENS_RADIUS_M, LENS_RADIUS_M, LENS_LENGTH_M, 24).rotateZ(-Math.PI / 2), lens);
    barrel.position.x = depth / 2 + LENS_LENGTH_M / 2;
    const view = frustum(hfovDeg, aspect, FRUSTUM_LENGTH_M, lines);
    view.name = 'gimbal-frustum';
    this.camera.add(cam, bracket, barrel, view);

    for (const g of [this.base, this.yaw, this.roll, this.camera]) {
      g.traverse((o) => {
        if (o instanceof THREE.Mesh) o.castShadow = true;
      });
      this.group.add(g);
    }
    this.update();
  }

  /** Pose the links from the gimbal's ground truth (allocation-free). */
  update(): void {
    const d = this.gimbal.dynamics, p = this.gimbal.cameraPosition;
    const b = d.baseRotation, c = d.cameraRotation;
    this.base.position.set(p[0], p[1], p[2]);
    this.base.quaternion.set(b[0], b[1], b[2], b[3]);
    // The drawn O: dropM below the mount point along the base's z.
    const o = _v.set(0, 0, -this.layout.dropM).applyQuaternion(this.base.quaternion).add(this.base.position);
    this.yaw.position.copy(o);
    this.yaw.quaternion.copy(this.base.quaternion).multiply(_q.setFromAxisAngle(Z, d.q[0]!));
    this.roll.position.copy(o);
    this.roll.quaternion.copy(this.yaw.quaternion).multiply(_q.setFromAxisAngle(X, d.q[1]!));
    this.camera.position.copy(o);
    // The camera's own attitude (equal to roll * Ry(q3) by construction of the dynamics).
    this.camera.quaternion.set(c[0], c[1], c[2], c[3]);
  }

  /** The camera link's attitude as drawn, for tests: equal to the chain's roll * Ry(q pitch). */
  chainCameraQuaternion(out: THREE.Quaternion): THREE.Quaternion {
    return out.copy(this.roll.quaternion).multiply(_q.setFromAxisAngle(Y, this.gimbal.dynamics.q[2]!));
  }

  set visible(on: boolean) {
    this.group.visible = on;
  }

  get visible(): boolean {
    return this.group.visible;
  }
}
