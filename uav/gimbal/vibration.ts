/**
 * Rotor-induced airframe vibration at the gimbal mount (issue #5 section 1):
 * per rotor, a 1x shaft-rate component (residual imbalance: a force rotating
 * in the rotor plane) and components at the blade-pass rate (blades x shaft
 * rate) and its harmonics (thrust and moment pulsation as each blade passes
 * an arm), with the amplitudes of `VibrationSpec` (cited in SOURCES.md).
 *
 * The physics tick (250 Hz) cannot carry a 170 Hz blade-pass tone, so the
 * vibration is synthesised at the gimbal's substep rate from each rotor's
 * actual speed (uav/multirotor/: after the motor lag), with the phase
 * integrated so a speed change sweeps the tone continuously. Amplitudes
 * scale with (w / w_hover)^2 (imbalance force m e w^2; thrust pulsation
 * proportional to thrust), so a stopped rotor does not shake. Each rotor
 * starts at a seeded random phase: the sum of four rotors beats as on a
 * real airframe.
 *
 * Output, airframe axes: linear acceleration (m/s^2) with its analytic
 * integrals, velocity and displacement, and the angular rate (rad/s) with
 * its integral, the small rotation angle (rad); the isolators are driven by
 * the displacements and angles (uav/gimbal/dynamics.ts). The slow sweep of a
 * speed change is neglected in the integrals.
 */
import type { Vec3 } from '../../sim/math.ts';
import type { Rng } from '../../sim/rng.ts';
import type { VibrationSpec } from './spec.ts';

export class RotorVibration {
  private readonly phase: Float64Array;
  /** Fixed random phase offsets per rotor and component: [shaft, harmonic 1.., ] x 3 axes. */
  private readonly offsets: Float64Array;
  private readonly harmonics: number;
  readonly accelMps2: Vec3 = [0, 0, 0];
  readonly rateRadPerS: Vec3 = [0, 0, 0];
  /** The vibration's rotation angle (the analytic integral of the rate), rad, airframe axes. */
  readonly angleRad: Vec3 = [0, 0, 0];
  /** The vibration's linear velocity (m/s) and displacement (m): analytic integrals of the acceleration, airframe axes. */
  readonly velocityMps: Vec3 = [0, 0, 0];
  readonly displacementM: Vec3 = [0, 0, 0];

  constructor(private readonly spec: VibrationSpec, private readonly rotorCount: number, private readonly hoverRadPerS: number, rng: Rng) {
    if (!(hoverRadPerS > 0)) throw new RangeError(`vibration: hover rotor speed must be > 0, got ${hoverRadPerS}`);
    if (spec.bladePassAccelMps2.length !== spec.bladePassRateRadPerS.length) throw new RangeError('vibration: one acceleration and one rate amplitude per blade-pass harmonic');
    this.harmonics = spec.bladePassAccelMps2.length;
    this.phase = new Float64Array(rotorCount);
    this.offsets = new Float64Array(rotorCount * (1 + this.harmonics) * 3);
    for (let k = 0; k < rotorCount; k++) this.phase[k] = rng.uniform(0, 2 * Math.PI);
    for (let i = 0; i < this.offsets.length; i++) this.offsets[i] = rng.uniform(0, 2 * Math.PI);
  }

  /** Advance the rotor phases by `dt` at speeds `rotorRadPerS` and evaluate the vibration at the end. */
  step(dt: number, rotorRadPerS: ArrayLike<number>): void {
    const s = this.spec;
    const a = this.accelMps2, r = this.rateRadPerS;
    const th = this.angleRad, vel = this.velocityMps, dis = this.displacementM;
    a[0] = a[1] = a[2] = r[0] = r[1] = r[2] = th[0] = th[1] = th[2] = 0;
    vel[0] = vel[1] = vel[2] = dis[0] = dis[1] = dis[2] = 0;
    const per = (1 + this.harmonics) * 3;
    for (let k = 0; k < this.rotorCount; k++) {
      const w = Math.abs(rotorRadPerS[k] ?? 0);
      const ph = (this.phase[k] = (this.phase[k]! + w * dt) % (2 * Math.PI));
      const scale = (w / this.hoverRadPerS) ** 2;
      if (scale === 0) continue;
      const o = k * per;
      // 1x shaft: the imbalance force rotates in the rotor plane (x, y); the rate about x, y.
      const accS = s.shaftAccelMps2 * scale, rateS = s.shaftRateRadPerS * scale;
      a[0] += accS * Math.cos(ph + this.offsets[o]!);
      a[1] += accS * Math.sin(ph + this.offsets[o]!);
      if (w > 0) {
        // integrals of A cos p and A sin p with p' = w
        vel[0] += (accS / w) * Math.sin(ph + this.offsets[o]!);
        vel[1] -= (accS / w) * Math.cos(ph + this.offsets[o]!);
        dis[0] -= (accS / (w * w)) * Math.cos(ph + this.offsets[o]!);
        dis[1] -= (accS / (w * w)) * Math.sin(ph + this.offsets[o]!);
      }
      r[0] += rateS * Math.sin(ph + this.offsets[o + 1]!);
      r[1] += rateS * Math.cos(ph + this.offsets[o + 1]!);
      if (w > 0) {
        th[0] -= (rateS / w) * Math.cos(ph + this.offsets[o + 1]!);
        th[1] += (rateS / w) * Math.sin(ph + this.offsets[o + 1]!);
      }
      // Blade pass and harmonics: thrust pulsation (z) and a rocking moment (x, y), plus a smaller in-plane part.
      for (let h = 0; h < this.harmonics; h++) {
        const n = s.bladesPerRotor * (h + 1);
        const accB = s.bladePassAccelMps2[h]! * scale, rateB = s.bladePassRateRadPerS[h]! * scale;
        const b = o + 3 * (h + 1);
        const p0 = n * ph + this.offsets[b]!, p1 = n * ph + this.offsets[b + 1]!, p2 = n * ph + this.offsets[b + 2]!;
        a[2] += accB * Math.sin(p0);
        a[0] += 0.3 * accB * Math.sin(p1);
        a[1] += 0.3 * accB * Math.sin(p2);
        if (w > 0) {
          const wn1 = n * w, wn2 = wn1 * wn1;
          // integrals of A sin p: -A cos p / w, then -A sin p / w^2
          vel[2] -= (accB / wn1) * Math.cos(p0);
          vel[0] -= (0.3 * accB / wn1) * Math.cos(p1);
          vel[1] -= (0.3 * accB / wn1) * Math.cos(p2);
          dis[2] -= (accB / wn2) * Math.sin(p0);
          dis[0] -= (0.3 * accB / wn2) * Math.sin(p1);
          dis[1] -= (0.3 * accB / wn2) * Math.sin(p2);
        }
        r[0] += rateB * Math.sin(p1);
        r[1] += rateB * Math.sin(p2);
        r[2] += 0.3 * rateB * Math.sin(p0);
        const wn = n * w;
        if (wn > 0) {
          th[0] -= (rateB / wn) * Math.cos(p1);
          th[1] -= (rateB / wn) * Math.cos(p2);
          th[2] -= (0.3 * rateB / wn) * Math.cos(p0);
        }
      }
    }
  }
}
