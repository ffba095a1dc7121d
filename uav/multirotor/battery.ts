/**
 * A simple LiPo battery for multirotors (issue #4 section 5: return-to-home
 * on a low battery). Charge is counted in ampere-hours (coulomb counting);
 * the terminal voltage is the open-circuit voltage, linear in the state of
 * charge between the empty and full cell voltages, minus the internal
 * resistance drop; the current is whatever delivers the electrical power at
 * that voltage. This is PX4's own battery model (src/lib/battery: linear
 * open-circuit voltage between BAT_V_EMPTY and BAT_V_CHARGED, with a per-cell
 * internal resistance) run forwards instead of estimated.
 *
 * Electrical power = rotor shaft power (uav/multirotor/multirotor.ts,
 * `shaftPowerW`) / drive efficiency (motor and ESC).
 *
 * Figures:
 * - thresholds low 15 %, critical 7 %, emergency 5 %: PX4 BAT_LOW_THR,
 *   BAT_CRIT_THR, BAT_EMERGEN_THR defaults (battery_params.c);
 * - cell voltages 3.6 V empty, 4.05 V full: PX4 BAT_V_EMPTY (1.14 default;
 *   3.5 in older releases) and BAT_V_CHARGED;
 * - internal resistance 5 mOhm per cell: PX4 BAT1_R_INTERNAL as seen in a
 *   PX4 1.14 parameter dump (an estimate PX4 refines in flight);
 * - the Iris pack, 3S 5100 mAh: the 3DR Iris+ battery (from memory);
 * - drive efficiency 0.75: Skylane assumption (a brushless motor's ~80 %
 *   at cruise load times an ESC's ~95 %).
 */

export interface BatteryParams {
  cells: number;
  capacityAh: number;
  cellEmptyV: number;
  cellFullV: number;
  cellInternalOhm: number;
  /** Shaft power over electrical power (motor and ESC), 0..1. */
  driveEfficiency: number;
  lowThreshold: number;
  criticalThreshold: number;
  emergencyThreshold: number;
}

export const IRIS_BATTERY: Readonly<BatteryParams> = {
  cells: 3,
  capacityAh: 5.1,
  cellEmptyV: 3.6,
  cellFullV: 4.05,
  cellInternalOhm: 0.005,
  driveEfficiency: 0.75,
  lowThreshold: 0.15,
  criticalThreshold: 0.07,
  emergencyThreshold: 0.05,
};

export type BatteryWarning = 'none' | 'low' | 'critical' | 'emergency';

export class Battery {
  /** Charge left, Ah. */
  chargeAh: number;
  /** Terminal voltage and current at the last step. */
  voltageV: number;
  currentA = 0;

  constructor(readonly p: Readonly<BatteryParams>, initialStateOfCharge = 1) {
    if (!(p.cells >= 1 && p.capacityAh > 0 && p.cellFullV > p.cellEmptyV && p.driveEfficiency > 0 && p.driveEfficiency <= 1)) {
      throw new RangeError('battery: need cells >= 1, capacity > 0, full > empty cell voltage and an efficiency in (0, 1]');
    }
    if (!(initialStateOfCharge >= 0 && initialStateOfCharge <= 1)) throw new RangeError(`battery: initial state of charge must be in [0, 1], got ${initialStateOfCharge}`);
    this.chargeAh = p.capacityAh * initialStateOfCharge;
    this.voltageV = this.openCircuitV;
  }

  get stateOfCharge(): number {
    return this.chargeAh / this.p.capacityAh;
  }

  /** Open-circuit voltage of the pack at the current state of charge, V. */
  get openCircuitV(): number {
    const p = this.p;
    return p.cells * (p.cellEmptyV + Math.max(this.stateOfCharge, 0) * (p.cellFullV - p.cellEmptyV));
  }

  get warning(): BatteryWarning {
    const s = this.stateOfCharge, p = this.p;
    return s <= p.emergencyThreshold ? 'emergency' : s <= p.criticalThreshold ? 'critical' : s <= p.lowThreshold ? 'low' : 'none';
  }

  /**
   * Supply `shaftPowerW` to the rotors for `dt` seconds. The current solves
   * P = (V_oc - I R) I, the smaller root (the stable operating point);
   * beyond the pack's maximum power (V_oc^2 / 4R) it delivers that maximum.
   */
  step(shaftPowerW: number, dt: number): void {
    const p = this.p;
    const pe = Math.max(shaftPowerW, 0) / p.driveEfficiency;
    const voc = this.openCircuitV;
    const r = p.cells * p.cellInternalOhm;
    const disc = voc * voc - 4 * r * pe;
    const i = disc >= 0 ? (voc - Math.sqrt(disc)) / (2 * r) : voc / (2 * r);
    this.currentA = i;
    this.voltageV = voc - i * r;
    this.chargeAh = Math.max(this.chargeAh - (i * dt) / 3600, 0);
  }
}

/**
 * The Crazyflie 2.x pack: 1S 250 mAh LiPo (Bitcraze Crazyflie 2.1 product
 * data). Internal resistance 0.1 Ohm: Skylane assumption for a small 250 mAh
 * cell (tens of mOhm per Ah-class cell scale roughly inversely with
 * capacity). Thresholds and efficiency as the Iris.
 */
export const CRAZYFLIE_BATTERY: Readonly<BatteryParams> = {
  ...IRIS_BATTERY,
  cells: 1,
  capacityAh: 0.25,
  cellInternalOhm: 0.1,
};

/** The reference pack of an airframe by name (uav/multirotor/airframes.ts). */
export function batteryForAirframe(name: string): Readonly<BatteryParams> {
  if (name === 'iris') return IRIS_BATTERY;
  if (name === 'crazyflie2x') return CRAZYFLIE_BATTERY;
  throw new RangeError(`battery: no reference pack for airframe '${name}'`);
}
