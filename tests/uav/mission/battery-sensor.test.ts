/**
 * The battery monitor (sim/sensors/battery.ts): PX4-style remaining
 * estimate (voltage at power-up, then coulomb counting of the measured
 * current), its noise, its warning levels and time remaining; and the
 * battery in the loop of a scenario (drained by the rotors' shaft power over
 * the drive efficiency).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/rng.ts';
import type { SenseContext } from '../../../sim/sensor.ts';
import { BatteryMonitor, BATTERY_MONITOR_DEFAULTS, type BatteryMonitorParams, type BatterySample } from '../../../sim/sensors/battery.ts';
import { Battery, IRIS_BATTERY } from '../../../uav/multirotor/battery.ts';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { startRun } from '../../../scenarios/runner.ts';
import { batteryOf } from '../../../uav/mission/flight-environment.ts';
import { readFileSync } from 'node:fs';
import { editedText, LIBRARY } from '../../helpers.ts';

const ctxAt = (time: number) => ({ time }) as unknown as SenseContext;

function drain(initial: number, shaftW: number, seconds: number, params: Omit<BatteryMonitorParams, 'name'> = BATTERY_MONITOR_DEFAULTS, seed = 1) {
  const b = new Battery(IRIS_BATTERY, initial);
  const m = new BatteryMonitor(b, { name: 'battery', ...params });
  const rng = Rng.stream(seed, 'battery-test');
  const out: { t: number; truth: number; s: BatterySample }[] = [];
  const dt = 0.01;
  for (let k = 0; k <= seconds / dt; k++) {
    const t = k * dt;
    if (k % 10 === 0) out.push({ t, truth: b.stateOfCharge, s: m.sample(ctxAt(t), rng) });
    b.step(shaftW, dt);
  }
  return out;
}

describe('battery monitor', () => {
  it('starts from the voltage and counts coulombs: the estimate follows the truth within 3 % over a 60 s drain', () => {
    // The power-up reading's 0.01 V noise is 0.74 % of charge per sigma on a 3S pack (0.45 V per cell from empty to full),
    // and the 1 % current scale error adds 1 % of what is drawn: 3 % is about three sigma.
    const xs = drain(0.6, 700, 60);
    expect(Math.abs(xs[0]!.s.remaining - 0.6)).toBeLessThan(0.025);
    for (const x of xs) expect(Math.abs(x.s.remaining - x.truth)).toBeLessThan(0.03);
    const last = xs[xs.length - 1]!;
    // 700 W shaft / 0.75 at ~11 V is ~85 A: about 1.4 Ah in a minute, 28 % of the 5.1 Ah pack.
    expect(0.6 - last.truth).toBeGreaterThan(0.2);
    expect(last.s.dischargedAh).toBeCloseTo((0.6 - last.truth) * IRIS_BATTERY.capacityAh, 1);
    // Time remaining: the estimated charge over the average current.
    expect(last.s.timeRemainingS).toBeCloseTo((last.s.remaining * last.s.capacityAh * 3600) / last.s.averageCurrentA, 6);
  });

  it('its voltage and current noise have the stated sigma; without noise it reads the battery exactly', () => {
    const xs = drain(0.9, 400, 60);
    const b = new Battery(IRIS_BATTERY, 0.9);
    // Compare against a noiseless monitor on a twin battery.
    const clean = drain(0.9, 400, 60, { ...BATTERY_MONITOR_DEFAULTS, voltageSigmaV: 0, currentSigmaA: 0, currentScaleSigma: 0 });
    void b;
    const dv = xs.map((x, i) => x.s.voltageV - clean[i]!.s.voltageV);
    const sd = Math.sqrt(dv.reduce((a, x) => a + x * x, 0) / dv.length);
    expect(sd).toBeGreaterThan(0.7 * BATTERY_MONITOR_DEFAULTS.voltageSigmaV);
    expect(sd).toBeLessThan(1.3 * BATTERY_MONITOR_DEFAULTS.voltageSigmaV);
    expect(Math.abs(clean[0]!.s.remaining - 0.9)).toBeLessThan(1e-9);
    expect(Math.abs(clean[clean.length - 1]!.s.remaining - clean[clean.length - 1]!.truth)).toBeLessThan(1e-3);
  });

  it('warns low, critical and emergency at the battery thresholds (PX4 BAT_*_THR), on the estimate', () => {
    const xs = drain(0.2, 700, 60);
    const first = (w: string) => xs.find((x) => x.s.warning === w);
    const low = first('low')!, crit = first('critical')!, emer = first('emergency')!;
    expect(low.t).toBeLessThan(crit.t);
    expect(crit.t).toBeLessThan(emer.t);
    expect(low.s.remaining).toBeLessThanOrEqual(0.15);
    expect(crit.s.remaining).toBeLessThanOrEqual(0.07);
    expect(emer.s.remaining).toBeLessThanOrEqual(0.05);
    expect(xs[0]!.s.warning).toBe('none');
  });

  it('refuses negative noise figures', () => {
    expect(() => new BatteryMonitor(new Battery(IRIS_BATTERY), { name: 'b', ...BATTERY_MONITOR_DEFAULTS, voltageSigmaV: -1 })).toThrow(/voltageSigmaV/);
  });
});

describe('battery in the loop of a scenario', () => {
  it('the rotors drain it: over a hover the charge falls by the shaft energy over the drive efficiency, at the pack voltage', async () => {
    const text = editedText(readFileSync(`${LIBRARY}/uav/rth-low-battery.yaml`, 'utf8'), (d) => {
      d.vary = [];
      d.duration = 10;
      d.actors[0].battery.initialStateOfCharge = 0.9;
      d.criteria = [{ type: 'energy', actor: 'drone', maxWh: 100 }];
    });
    const run = await startRun(loadScenarioText(text, 'b.yaml'), { backend: 'rapier' });
    const world = run.world;
    const battery = batteryOf(world.actor('drone'))!;
    let shaftJ = 0, chargeJ = 0;
    while (world.time < 10 - 1e-9) {
      const p = (world.actor('drone') as unknown as { shaftPowerW: number }).shaftPowerW;
      const before = battery.chargeAh;
      run.step();
      shaftJ += p * world.dt;
      chargeJ += (before - battery.chargeAh) * 3600 * battery.voltageV;
    }
    // Charge x terminal voltage = electrical energy = shaft energy / efficiency (to the one-step lag of the rectangle rule).
    expect(shaftJ).toBeGreaterThan(1000);
    expect(chargeJ / (shaftJ / IRIS_BATTERY.driveEfficiency)).toBeGreaterThan(0.97);
    expect(chargeJ / (shaftJ / IRIS_BATTERY.driveEfficiency)).toBeLessThan(1.03);
    expect(battery.stateOfCharge).toBeLessThan(0.9);
  }, 60_000);
});
