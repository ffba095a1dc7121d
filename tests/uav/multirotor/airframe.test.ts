/**
 * The engine-free parts of the multirotor model against their closed forms:
 * airframe figures and unit conversions, the hover rotor speed, the motor
 * lag and the ground-effect ratio.
 */
import { describe, expect, it } from 'vitest';
import { hoverRotorSpeed, inertiaBoxHalfExtents, type Airframe } from '../../../uav/multirotor/airframe.ts';
import { AIRFRAMES, CRAZYFLIE_2X, IRIS, airframeByName } from '../../../uav/multirotor/airframes.ts';
import { GROUND_EFFECT_MAX_RATIO, groundEffectRatio } from '../../../uav/multirotor/ground-effect.ts';
import { stepRotorSpeed } from '../../../uav/multirotor/motor.ts';

const G = 9.81;

describe('airframes', () => {
  it('loads both airframes by name and names the known ones on a miss', () => {
    expect(airframeByName('iris')).toBe(IRIS);
    expect(airframeByName('crazyflie2x')).toBe(CRAZYFLIE_2X);
    expect(() => airframeByName('x500')).toThrow(/Unknown airframe "x500"; expected one of: iris, crazyflie2x/);
    // Not fooled by Object.prototype.
    expect(() => airframeByName('toString')).toThrow(/Unknown airframe/);
  });

  it('keeps the Iris figures of the PX4 SITL Gazebo model', () => {
    expect(IRIS.massKg).toBe(1.5);
    expect(IRIS.thrustCoeffNPerRadPerS2).toBe(5.84e-6);
    expect(IRIS.torqueCoeffNmPerRadPerS2).toBeCloseTo(0.06 * 5.84e-6, 18);
    expect([IRIS.motorTauUpS, IRIS.motorTauDownS, IRIS.maxRotorRadPerS]).toEqual([0.0125, 0.025, 1100]);
  });

  it('converts the Crazyflie coefficients from per RPM^2 to per (rad/s)^2', () => {
    const k = (60 / (2 * Math.PI)) ** 2;
    expect(CRAZYFLIE_2X.thrustCoeffNPerRadPerS2).toBeCloseTo(3.16e-10 * k, 20);
    expect(CRAZYFLIE_2X.thrustCoeffNPerRadPerS2).toBeCloseTo(2.8816e-8, 12);
    expect(CRAZYFLIE_2X.torqueCoeffNmPerRadPerS2).toBeCloseTo(7.2404e-10, 14);
    // The same thrust either way: 14476 rpm is 1515.9 rad/s.
    const rpm = 14476;
    expect(CRAZYFLIE_2X.thrustCoeffNPerRadPerS2 * ((rpm * 2 * Math.PI) / 60) ** 2).toBeCloseTo(3.16e-10 * rpm * rpm, 12);
  });

  it('has one inertia box per airframe whose moments are the airframe moments (the Iris box is its SDF collision box)', () => {
    for (const a of Object.values(AIRFRAMES)) {
      const [x, y, z] = inertiaBoxHalfExtents(a);
      const m = a.massKg;
      expect((m / 3) * (y * y + z * z)).toBeCloseTo(a.inertiaKgM2[0], 12);
      expect((m / 3) * (x * x + z * z)).toBeCloseTo(a.inertiaKgM2[1], 12);
      expect((m / 3) * (x * x + y * y)).toBeCloseTo(a.inertiaKgM2[2], 12);
    }
    const h = inertiaBoxHalfExtents(IRIS);
    expect(h[0]).toBeCloseTo(0.235, 12);
    expect(h[1]).toBeCloseTo(0.235, 12);
    expect(h[2]).toBeCloseTo(0.055, 12);
    const bad: Airframe = { ...IRIS, name: 'bad', inertiaKgM2: [0.01, 0.01, 0.05] };
    expect(() => inertiaBoxHalfExtents(bad)).toThrow(/not that of a physical body/);
  });

  it('has level, torque-free rotor layouts at equal speeds (CW and CCW pairs, moments about x and y cancel)', () => {
    for (const a of Object.values(AIRFRAMES)) {
      let mx = 0, my = 0, spin = 0;
      for (const r of a.rotors) {
        mx += r.positionM[1];
        my -= r.positionM[0];
        spin += r.spin;
      }
      expect(Math.abs(mx)).toBeLessThan(1e-15);
      expect(Math.abs(my)).toBeLessThan(1e-15);
      expect(spin).toBe(0);
    }
  });
});

describe('hoverRotorSpeed', () => {
  it('is sqrt(m g / (4 kf)): 793.7 rad/s for the Iris, 1515.9 rad/s (14476 rpm) for the Crazyflie', () => {
    for (const a of [IRIS, CRAZYFLIE_2X]) {
      const w = hoverRotorSpeed(a, G);
      expect(w).toBeCloseTo(Math.sqrt((a.massKg * G) / (4 * a.thrustCoeffNPerRadPerS2)), 9);
      expect(4 * a.thrustCoeffNPerRadPerS2 * w * w).toBeCloseTo(a.massKg * G, 12);
      expect(w).toBeLessThan(a.maxRotorRadPerS);
    }
    expect(hoverRotorSpeed(IRIS, G)).toBeCloseTo(793.68, 2);
    expect(hoverRotorSpeed(CRAZYFLIE_2X, G)).toBeCloseTo(1515.9, 1);
  });

  it('leaves thrust-to-weight 2.25 at the Crazyflie maximum (the figure its maximum is derived from)', () => {
    const a = CRAZYFLIE_2X;
    expect((4 * a.thrustCoeffNPerRadPerS2 * a.maxRotorRadPerS ** 2) / (a.massKg * G)).toBeCloseTo(2.25, 12);
  });
});

describe('stepRotorSpeed (first-order motor)', () => {
  const { motorTauUpS: up, motorTauDownS: down, maxRotorRadPerS: max } = IRIS;

  it('reaches 63.2 % of a step up in tau_up and of a step down in tau_down, at any step size', () => {
    for (const dt of [1 / 400, 1 / 1000, up]) {
      let w = 0;
      for (let t = 0; t < up - 1e-12; t += dt) w = stepRotorSpeed(w, 800, Math.min(dt, up - t), up, down, max);
      expect(w / 800).toBeCloseTo(1 - Math.exp(-1), 12);
      let v = 800;
      for (let t = 0; t < down - 1e-12; t += dt) v = stepRotorSpeed(v, 0, Math.min(dt, down - t), up, down, max);
      expect(v / 800).toBeCloseTo(Math.exp(-1), 12);
    }
  });

  it('saturates at the maximum speed and never reverses', () => {
    let w = 0;
    for (let i = 0; i < 400; i++) w = stepRotorSpeed(w, 5000, 1 / 400, up, down, max);
    expect(w).toBeCloseTo(max, 9);
    let v = 500;
    for (let i = 0; i < 400; i++) v = stepRotorSpeed(v, -300, 1 / 400, up, down, max);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(1e-6);
  });
});

describe('groundEffectRatio (Cheeseman-Bennett)', () => {
  const R = IRIS.rotorRadiusM;
  it('is 1 / (1 - (R/4z)^2): 4/3 at z = R/2, 16/15 at z = R, 64/63 at z = 2R', () => {
    expect(groundEffectRatio(R / 2, R)).toBeCloseTo(4 / 3, 14);
    expect(groundEffectRatio(R, R)).toBeCloseTo(16 / 15, 14);
    expect(groundEffectRatio(2 * R, R)).toBeCloseTo(64 / 63, 14);
    expect(groundEffectRatio(100 * R, R)).toBeCloseTo(1, 4);
  });

  it('is held at its z = R/2 value (4/3) closer to the ground, where the formula diverges', () => {
    expect(GROUND_EFFECT_MAX_RATIO).toBeCloseTo(4 / 3, 14);
    for (const z of [R / 4, R / 8, 0, -0.01]) expect(groundEffectRatio(z, R)).toBeCloseTo(4 / 3, 14);
  });
});
