/** The LiPo battery model: coulomb counting, voltage sag, PX4's warning thresholds. */
import { describe, expect, it } from 'vitest';
import { Battery, IRIS_BATTERY } from '../../../uav/multirotor/battery.ts';

describe('Battery', () => {
  it('a full 3S pack reads 12.15 V open-circuit, and sags under load by I R', () => {
    const b = new Battery(IRIS_BATTERY);
    expect(b.openCircuitV).toBeCloseTo(12.15, 12);
    const voc = b.openCircuitV;
    b.step(300, 0.01);
    const r = 3 * IRIS_BATTERY.cellInternalOhm;
    expect(b.voltageV).toBeCloseTo(voc - b.currentA * r, 9);
    expect(b.voltageV).toBeLessThan(voc);
    // Electrical power delivered equals shaft power over efficiency.
    expect(b.voltageV * b.currentA).toBeCloseTo(300 / IRIS_BATTERY.driveEfficiency, 6);
  });

  it('drains by the integral of current: a constant load for an hour uses I x 1 h of charge', () => {
    const b = new Battery({ ...IRIS_BATTERY, capacityAh: 1000 }); // so large the voltage hardly moves
    const i0 = (() => {
      b.step(150, 0);
      return b.currentA;
    })();
    for (let k = 0; k < 3600; k++) b.step(150, 1);
    // The voltage falls by ~0.1 % over the hour, so the current rises by as much.
    expect(Math.abs((1000 - b.chargeAh) / i0 - 1)).toBeLessThan(0.002);
  });

  it('warns low at 15 %, critical at 7 %, emergency at 5 % (PX4 defaults), in that order as it drains', () => {
    const b = new Battery(IRIS_BATTERY, 0.2);
    const seen: string[] = [];
    for (let k = 0; k < 100000 && b.stateOfCharge > 0.01; k++) {
      b.step(700, 0.1);
      if (seen[seen.length - 1] !== b.warning) seen.push(b.warning);
    }
    expect(seen).toEqual(['none', 'low', 'critical', 'emergency']);
  });

  it('refuses impossible parameters and states of charge', () => {
    expect(() => new Battery({ ...IRIS_BATTERY, cellFullV: 3 })).toThrow(/full > empty/);
    expect(() => new Battery(IRIS_BATTERY, 1.5)).toThrow(/state of charge/);
  });
});
