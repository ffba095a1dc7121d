/**
 * Position hold in MIL-F-8785C Dryden turbulence (issue #4 acceptance:
 * "Position-hold error statistics for light, moderate and severe turbulence
 * are reported, and they grow with severity"). The Iris holds 10 m above
 * the origin for 30 s while the wind field (uav/wind/) blows through its
 * rotor and body drag; the flight stack flies on the ground-truth estimate
 * (the estimator is judged separately), so these are the controller's and
 * the airframe's figures. Printed for the README; asserted to grow with
 * severity and to stay bounded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PhysicsBackend } from '../../../sim/physics/backend.ts';
import { Rng } from '../../../sim/rng.ts';
import { hoverRotorSpeed } from '../../../uav/multirotor/airframe.ts';
import { IRIS } from '../../../uav/multirotor/airframes.ts';
import { WindField } from '../../../uav/wind/wind-field.ts';
import type { TurbulenceSeverity } from '../../../uav/wind/dryden.ts';
import type { Vec3 } from '../../../sim/math.ts';
import { flight } from './harness.ts';

const live: PhysicsBackend[] = [];
afterEach(() => {
  while (live.length) live.pop()!.free();
});

async function hold(severity: TurbulenceSeverity | 'calm', seed: number): Promise<{ rmsM: number; maxM: number }> {
  const target: Vec3 = [0, 0, 10];
  const f = await flight('rapier', IRIS, { position: target, rotorRadPerS: hoverRotorSpeed(IRIS) }, false, live);
  f.stack.setMode({ kind: 'hold', positionM: target });
  const rng = Rng.stream(seed, 'turbulence-hold');
  const field = new WindField(severity === 'calm' ? {} : { turbulence: { severity } }, rng);
  const probe = field.probe('uav');
  const wind = f.uav.windMps;
  let sumSq = 0, n = 0, max = 0;
  f.fly(5, () => probe.sample(f.t, f.s.position, 0, wind)); // settle in the wind
  f.fly(30, () => {
    probe.sample(f.t, f.s.position, Math.hypot(f.s.linearVelocity[0] - wind[0], f.s.linearVelocity[1] - wind[1]), wind);
    const e = Math.hypot(f.s.position[0] - target[0], f.s.position[1] - target[1], f.s.position[2] - target[2]);
    sumSq += e * e;
    n++;
    if (e > max) max = e;
  });
  return { rmsM: Math.sqrt(sumSq / n), maxM: max };
}

describe('position hold in Dryden turbulence (Iris, 10 m, 30 s, ground-truth estimate)', () => {
  it('the hold error grows with severity and stays bounded', async () => {
    const rows: [string, { rmsM: number; maxM: number }][] = [];
    for (const sev of ['calm', 'light', 'moderate', 'severe'] as const) rows.push([sev, await hold(sev, 7)]);
    for (const [sev, r] of rows) console.log(`[turbulence-hold] ${sev}: RMS ${r.rmsM.toFixed(3)} m, max ${r.maxM.toFixed(3)} m`);
    const rms = rows.map(([, r]) => r.rmsM);
    expect(rms[0]!).toBeLessThan(0.01);
    for (let i = 1; i < rms.length; i++) expect(rms[i]!).toBeGreaterThan(rms[i - 1]!);
    expect(rows[3]![1].maxM).toBeLessThan(5);
  }, 120_000);
});
