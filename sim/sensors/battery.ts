/**
 * A battery monitor: what PX4's battery status gives a flight stack
 * (uORB battery_status, MAVLink BATTERY_STATUS / SYS_STATUS): the pack's
 * terminal voltage, the current drawn, the charge used, and an estimate of
 * the remaining charge with its warning level. It measures the airframe's
 * battery (uav/multirotor/battery.ts, drained by the world from the rotors'
 * shaft power); an agent sees only this sensor's output, never the
 * battery's true state of charge.
 *
 * Noise, each from the sensor's own seeded stream:
 * - voltage: white, 0.01 V RMS. Skylane assumption: an analog power module
 *   (e.g. the Holybro PM02 class) is read by a 12-bit ADC behind a ~18:1
 *   divider, 3.3 V / 4096 x 18 = 14.5 mV per count, whose quantisation
 *   noise is 14.5 / sqrt(12) = 4 mV RMS; rounded up to 10 mV for divider and
 *   reference noise;
 * - current: white, 0.1 A RMS. Skylane assumption: the same ADC behind a
 *   Hall or shunt amplifier of a few tens of mA per count, with the
 *   switching ripple of the ESCs on top; the order of the scatter seen in
 *   PX4 flight logs at hover;
 * - a current scale error drawn once per run, 1 % RMS (Skylane assumption:
 *   BAT_A_PER_V calibration is typically good to a few per cent). It makes
 *   the coulomb-counted estimate drift from the truth as a real one does.
 *
 * Remaining estimate, as PX4's battery library does it (src/lib/battery,
 * from memory: not re-read): at power-up, from the voltage, linear between
 * the empty and full cell voltages after adding back the I R drop of the
 * internal resistance; then by coulomb counting of the measured current
 * against the rated capacity (BAT_CAPACITY). The warning levels compare
 * the estimate with BAT_LOW_THR, BAT_CRIT_THR and BAT_EMERGEN_THR (the
 * battery's parameters: 15 %, 7 %, 5 % by default).
 *
 * Time remaining (PX4 battery_status.time_remaining_s): the estimated
 * remaining charge over a low-passed current.
 *
 * Rate 10 Hz: PX4 publishes battery_status at about that rate (Skylane
 * default).
 */
import type { Pose } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';

/** Warning level of a battery against its thresholds (PX4 battery_status warning). */
export type BatteryWarning = 'none' | 'low' | 'critical' | 'emergency';

/**
 * What the monitor measures: a battery's terminal state and its
 * configuration (structurally uav/multirotor/battery.ts's `Battery`; sim/
 * imports nothing of uav/).
 */
export interface MeasuredBattery {
  readonly voltageV: number;
  readonly currentA: number;
  readonly p: {
    readonly cells: number;
    readonly capacityAh: number;
    readonly cellEmptyV: number;
    readonly cellFullV: number;
    readonly cellInternalOhm: number;
    readonly lowThreshold: number;
    readonly criticalThreshold: number;
    readonly emergencyThreshold: number;
  };
}

export const BATTERY_MONITOR_DEFAULTS = {
  rateHz: 10, // Skylane default (PX4 battery_status rate order)
  voltageSigmaV: 0.01, // Skylane assumption (12-bit ADC behind a divider, see header)
  currentSigmaA: 0.1, // Skylane assumption (see header)
  currentScaleSigma: 0.01, // Skylane assumption (current calibration, see header)
} as const;

/**
 * Time constant of the average current behind the time-remaining estimate, s:
 * Skylane choice (PX4 low-passes the current for battery_status'
 * time_remaining_s too; its filter constant was not re-read). A few seconds
 * smooths the take-off and the turns out of the average.
 */
export const AVERAGE_CURRENT_TAU_S = 5;

export interface BatteryMonitorParams {
  name: string;
  rateHz: number;
  voltageSigmaV: number;
  currentSigmaA: number;
  currentScaleSigma: number;
}

export interface BatterySample {
  /** Terminal voltage, V. */
  voltageV: number;
  /** Current drawn, A. */
  currentA: number;
  /** Charge drawn since power-up (coulomb counted from the measured current), Ah. */
  dischargedAh: number;
  /** Estimated remaining charge, 0..1. */
  remaining: number;
  /** Rated capacity, Ah (PX4 BAT_CAPACITY, reported in battery_status). */
  capacityAh: number;
  /** Average current (first-order filter), A. */
  averageCurrentA: number;
  /** Time to empty at the average current, s (PX4 battery_status.time_remaining_s); Infinity at no load. */
  timeRemainingS: number;
  /** The estimate against the battery's thresholds. */
  warning: BatteryWarning;
  /** The thresholds the warning uses (the battery's configuration, BAT_*_THR). */
  lowThreshold: number;
  criticalThreshold: number;
  emergencyThreshold: number;
}

export class BatteryMonitor implements Sensor<BatterySample> {
  readonly type = 'battery';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
  private readonly p: BatteryMonitorParams;
  private prevTime = NaN;
  private scale = 1;
  private initialRemaining = 1;
  private dischargedAh = 0;
  private lastCurrentA = 0;
  private avgCurrentA = NaN;

  constructor(readonly battery: MeasuredBattery, p: BatteryMonitorParams) {
    for (const k of ['voltageSigmaV', 'currentSigmaA', 'currentScaleSigma'] as const) {
      if (!(p[k] >= 0) || !Number.isFinite(p[k])) throw new RangeError(`battery sensor '${p.name}': ${k} must be finite and >= 0`);
    }
    if (!(p.rateHz > 0)) throw new RangeError(`battery sensor '${p.name}': rateHz must be > 0`);
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
  }

  sample(ctx: SenseContext, rng: Rng): BatterySample {
    const p = this.p, b = this.battery, bp = b.p;
    const voltageV = b.voltageV + p.voltageSigmaV * rng.normal();
    if (Number.isNaN(this.prevTime)) this.scale = 1 + p.currentScaleSigma * rng.normal();
    const currentA = b.currentA * this.scale + p.currentSigmaA * rng.normal();
    if (Number.isNaN(this.prevTime)) {
      // Power-up: remaining from the load-compensated voltage, linear between the empty and full cell voltages.
      const cellV = (voltageV + currentA * bp.cells * bp.cellInternalOhm) / bp.cells;
      this.initialRemaining = clamp01((cellV - bp.cellEmptyV) / (bp.cellFullV - bp.cellEmptyV));
    } else {
      // Trapezoid over the sample interval.
      this.dischargedAh += (0.5 * (currentA + this.lastCurrentA) * (ctx.time - this.prevTime)) / 3600;
    }
    const dt = Number.isNaN(this.prevTime) ? 0 : ctx.time - this.prevTime;
    this.avgCurrentA = Number.isNaN(this.avgCurrentA) ? currentA : this.avgCurrentA + (1 - Math.exp(-dt / AVERAGE_CURRENT_TAU_S)) * (currentA - this.avgCurrentA);
    this.prevTime = ctx.time;
    this.lastCurrentA = currentA;
    const remaining = clamp01(this.initialRemaining - this.dischargedAh / bp.capacityAh);
    const warning: BatteryWarning =
      remaining <= bp.emergencyThreshold ? 'emergency' : remaining <= bp.criticalThreshold ? 'critical' : remaining <= bp.lowThreshold ? 'low' : 'none';
    return {
      voltageV,
      currentA,
      dischargedAh: this.dischargedAh,
      remaining,
      capacityAh: bp.capacityAh,
      averageCurrentA: this.avgCurrentA,
      timeRemainingS: this.avgCurrentA > 0.1 ? (remaining * bp.capacityAh * 3600) / this.avgCurrentA : Infinity,
      warning,
      lowThreshold: bp.lowThreshold,
      criticalThreshold: bp.criticalThreshold,
      emergencyThreshold: bp.emergencyThreshold,
    };
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
