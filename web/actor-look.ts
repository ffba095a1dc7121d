/**
 * Looks beyond the descriptor's plain shapes: a person-like figure for
 * pedestrians, and brake and hazard lamps on cars. Both are built once per
 * actor; the lamps are switched per frame by recolouring their materials
 * (no allocation).
 */
import * as THREE from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import type { ActorDescriptor } from '../sim/actor.ts';
import type { ActorState } from '../sim/snapshot.ts';

export const PEDESTRIAN_COLOR = '#f08a3c';
const PEDESTRIAN_HEAD_COLOR = '#e9c8a4';

const BRAKE_ON = 0xff2a2a;
const BRAKE_OFF = 0x4a1010;
const HAZARD_ON = 0xffa21a;
const HAZARD_OFF = 0x3d2a0c;
/** Hazard flash rate: 1.5 Hz, inside UN ECE R48's 90 +/- 30 flashes per minute. */
const HAZARD_HZ = 1.5;
/** Brake demand (0..1) above which the brake lamps are lit. */
const BRAKE_LIT = 0.02;
/**
 * Deceleration above which a car that does not expose its brake is drawn
 * braking, m/s^2. A display convention for the NPC model (which commands an
 * acceleration, not a brake), from its ground-truth speed; not a sensor value.
 */
const DECEL_LIT_MPS2 = 1;

/** Below this speed a car counts as standing still, m/s. */
const STANDSTILL_MPS = 0.05;

export function isPedestrian(d: ActorDescriptor): boolean {
  return d.kind === 'pedestrian';
}

export function isCar(d: ActorDescriptor): boolean {
  return d.kind === 'car' || d.kind === 'car-kinematic';
}

/** Axis-aligned bounds of a descriptor's parts in the actor frame. */
function partBounds(d: ActorDescriptor, out: THREE.Box3): THREE.Box3 {
  out.makeEmpty();
  const v = new THREE.Vector3();
  for (const p of d.parts) {
    const [x, y, z] = p.offset.position;
    const s = p.shape;
    const h = s.type === 'box' ? s.halfExtents : s.type === 'cylinder' ? [s.radius, s.radius, s.halfHeight] : [s.radius, s.radius, s.radius];
    out.expandByPoint(v.set(x - h[0]!, y - h[1]!, z - h[2]!));
    out.expandByPoint(v.set(x + h[0]!, y + h[1]!, z + h[2]!));
  }
  return out;
}

/**
 * A standing person filling the descriptor's bounds: a capsule body and a
 * sphere head (about 1/8 of the height, as in human proportions), on the
 * bounds' footprint centre.
 */
export function buildPedestrian(d: ActorDescriptor): THREE.Group {
  const g = new THREE.Group();
  const b = partBounds(d, new THREE.Box3());
  if (b.isEmpty()) return g;
  const height = Math.max(0.3, b.max.z - b.min.z);
  const headR = height / 15;
  const radius = Math.max(0.05, Math.min(0.5 * Math.min(b.max.x - b.min.x, b.max.y - b.min.y), 0.22 * height));
  const bodyH = height - 2 * headR - 0.03 * height;
  const cx = (b.max.x + b.min.x) / 2, cy = (b.max.y + b.min.y) / 2;
  const bodyMat = new THREE.MeshStandardMaterial({ color: d.color ?? PEDESTRIAN_COLOR, roughness: 0.7 });
  const capsuleLen = Math.max(0.01, bodyH - 2 * radius);
  // three's capsule is y-aligned: +90 deg about x stands it on z.
  const body = new THREE.Mesh(new THREE.CapsuleGeometry(radius, capsuleLen, 6, 16).rotateX(Math.PI / 2), bodyMat);
  body.position.set(cx, cy, b.min.z + bodyH / 2);
  const head = new THREE.Mesh(new THREE.SphereGeometry(headR, 20, 12), new THREE.MeshStandardMaterial({ color: PEDESTRIAN_HEAD_COLOR, roughness: 0.8 }));
  head.position.set(cx, cy, b.max.z - headR);
  // A nose-like mark on the front of the head shows which way the person faces (body +x).
  const nose = new THREE.Mesh(new THREE.BoxGeometry(headR * 0.6, headR * 0.5, headR * 0.5), new THREE.MeshStandardMaterial({ color: '#5a4636' }));
  nose.position.set(cx + headR * 0.95, cy, b.max.z - headR);
  for (const m of [body, head, nose]) {
    m.castShadow = true;
    m.receiveShadow = true;
  }
  g.add(body, head, nose);
  return g;
}

/** What a car actor may expose about its lamps (vehicles/car/car.ts has both getters). */
/**
 * An actor as the looks read it: its descriptor, and (duck-typed) `brake`,
 * `hazardLights`, `rotorSpeedsRadPerS`, `spins`. A live actor, or the view's
 * stand-in fed from the sim worker's frames.
 */
export interface LookActor {
  readonly descriptor: ActorDescriptor;
}

interface LampSource {
  readonly brake?: unknown;
  readonly hazardLights?: unknown;
}

/**
 * A car's brake lamps (two, red, at the back) and hazard lamps (four amber
 * corners), placed on its first part (the chassis box). `update` switches
 * them from the actor's own `brake` and `hazardLights` when it exposes them
 * (the dynamic `Car`); otherwise brake lamps follow the ground-truth
 * deceleration and hazard lamps stay dark.
 */
export class CarLamps {
  private readonly brakeMat = new THREE.MeshBasicMaterial({ color: BRAKE_OFF });
  private readonly hazardMat = new THREE.MeshBasicMaterial({ color: HAZARD_OFF });
  private brakeOn = false;
  private hazardOn = false;
  private prevSpeed = NaN;
  private prevTime = NaN;
  private decelLit = false;

  private constructor(private readonly actor: LampSource) {}

  /** Lamps for a car actor, added to `group`; null if its first part is not a box. */
  static build(actor: LookActor, group: THREE.Group): CarLamps | null {
    const part = actor.descriptor.parts[0];
    if (!part || part.shape.type !== 'box') return null;
    const [hx, hy, hz] = part.shape.halfExtents;
    const [ox, oy, oz] = part.offset.position;
    const lamps = new CarLamps(actor as LampSource);
    const z = oz + 0.35 * hz;
    // One mesh per lamp function (2 draw calls a car, not 6: the dense highway has 36 cars).
    const brakes: THREE.BufferGeometry[] = [];
    const hazards: THREE.BufferGeometry[] = [];
    for (const side of [-1, 1]) {
      brakes.push(new THREE.BoxGeometry(0.06, Math.min(0.3, 0.35 * hy), 0.12).translate(ox - hx - 0.01, oy + side * 0.62 * hy, z));
      for (const end of [-1, 1]) hazards.push(new THREE.BoxGeometry(0.07, 0.12, 0.1).translate(ox + end * (hx + 0.01), oy + side * (hy - 0.08), z));
    }
    group.add(new THREE.Mesh(mergeGeometries(brakes), lamps.brakeMat), new THREE.Mesh(mergeGeometries(hazards), lamps.hazardMat));
    for (const g of [...brakes, ...hazards]) g.dispose();
    return lamps;
  }

  /** Switch the lamps for the actor's current state at sim time `t`; true if any lamp changed. */
  update(s: Readonly<ActorState>, t: number): boolean {
    let brake: boolean;
    if (typeof this.actor.brake === 'number') {
      brake = this.actor.brake > BRAKE_LIT;
    } else {
      // Longitudinal speed change since the last update (sim time), for the NPC model.
      const v = Math.hypot(s.linearVelocity[0], s.linearVelocity[1]);
      const dt = t - this.prevTime;
      if (dt > 1e-6) {
        const decel = (this.prevSpeed - v) / dt;
        // Lit while braking, and held through a standstill after braking (as a driver holds the pedal).
        if (decel > DECEL_LIT_MPS2) this.decelLit = true;
        else if (v > STANDSTILL_MPS) this.decelLit = false;
        this.prevSpeed = v;
        this.prevTime = t;
      } else if (!(dt >= 0)) {
        this.prevSpeed = v;
        this.prevTime = t;
      }
      brake = this.decelLit;
    }
    const hazard = this.actor.hazardLights === true && Math.floor(t * HAZARD_HZ * 2) % 2 === 0;
    if (brake === this.brakeOn && hazard === this.hazardOn) return false;
    this.brakeOn = brake;
    this.hazardOn = hazard;
    this.brakeMat.color.setHex(brake ? BRAKE_ON : BRAKE_OFF);
    this.hazardMat.color.setHex(hazard ? HAZARD_ON : HAZARD_OFF);
    return true;
  }

  dispose(): void {
    this.brakeMat.dispose();
    this.hazardMat.dispose();
  }
}

/** A drone: a kind 'uav' actor (uav/multirotor), whose rotor discs are its cylinder parts. */
export function isUav(d: ActorDescriptor): boolean {
  return d.kind === 'uav';
}

/**
 * Rotor blades that spin with the rotors' actual speeds. A rotor at hover
 * turns at ~800 rad/s (Iris) to ~1500 rad/s (Crazyflie): drawn at that rate
 * a 60 Hz view would alias (the wagon-wheel effect), so the blades turn at
 * `VISUAL_SPIN_FRACTION` of it, a drawing convention, faster when the motor
 * is faster and still when it stops. Direction follows each rotor's spin.
 */
const VISUAL_SPIN_FRACTION = 1 / 60;
const BLADE_COLOR = '#d9dee7';

interface RotorSource {
  readonly rotorSpeedsRadPerS?: ArrayLike<number>;
}

export class RotorSpin {
  private readonly blades: THREE.Mesh[] = [];
  private readonly material = new THREE.MeshStandardMaterial({ color: BLADE_COLOR, roughness: 0.6 });
  private lastT = NaN;

  private constructor(private readonly actor: RotorSource, private readonly spins: readonly number[]) {}

  /** Blades over each rotor disc of a UAV, added to `group`; null when the actor reports no rotor speeds. */
  static build(actor: LookActor, group: THREE.Group): RotorSpin | null {
    const src = actor as unknown as RotorSource & { spins?: ArrayLike<number> };
    if (!src.rotorSpeedsRadPerS) return null;
    const discs = actor.descriptor.parts.filter((p) => p.shape.type === 'cylinder');
    const spins = discs.map((_, i) => (src.spins && src.spins[i] !== undefined ? Math.sign(src.spins[i]!) || 1 : 1));
    const r = new RotorSpin(src, spins);
    for (const p of discs) {
      if (p.shape.type !== 'cylinder') continue;
      const R = p.shape.radius;
      // Two blades across the disc, a little above the hub.
      const g = new THREE.BoxGeometry(1.9 * R, 0.16 * R, 0.02 * R + 0.004);
      const blade = new THREE.Mesh(g, r.material);
      blade.position.set(p.offset.position[0], p.offset.position[1], p.offset.position[2] + p.shape.halfHeight + 0.005);
      blade.castShadow = true;
      group.add(blade);
      r.blades.push(blade);
    }
    return r;
  }

  /** Turn the blades for simulation time t. */
  update(t: number): void {
    const dt = Number.isNaN(this.lastT) ? 0 : t - this.lastT;
    this.lastT = t;
    if (!(dt > 0)) return;
    const w = this.actor.rotorSpeedsRadPerS!;
    for (let i = 0; i < this.blades.length; i++) this.blades[i]!.rotation.z += this.spins[i]! * (w[i] ?? 0) * VISUAL_SPIN_FRACTION * dt;
  }

  dispose(): void {
    for (const b of this.blades) b.geometry.dispose();
    this.material.dispose();
  }
}
