/**
 * `battery-reserve`: the UAV battery's true state of charge (ground truth,
 * uav/mission/flight-environment.ts) never falls below the reserve, PX4's
 * critical threshold by default (seeds/ miit-2c-battery-reserve, 0.07).
 */
import type { Battery } from '../../uav/multirotor/battery.ts';
import { batteryOf } from '../../uav/mission/flight-environment.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';

export class BatteryReserve extends Criterion {
  readonly type = 'battery-reserve';
  private readonly threshold: ThresholdChoice;
  private battery: Battery | undefined;
  private lowest = NaN;

  constructor(name: string, private readonly actor: string, minStateOfCharge: number | undefined) {
    super(name, false);
    this.threshold = thresholdFrom(minStateOfCharge, 'miit-2c-battery-reserve');
  }

  override observe(): void {
    if (!this.battery) {
      this.battery = batteryOf(this.world.actor(this.actor));
      if (!this.battery) throw new Error(`battery-reserve: actor "${this.actor}" has no battery`);
    }
    const s = this.battery.stateOfCharge;
    if (!(s >= this.lowest)) this.lowest = s;
  }

  override finish(): void {
    const s = this.lowest;
    if (!(s >= this.threshold.value)) this.fail(`${this.actor}'s battery fell to ${(100 * s).toFixed(1)} % (reserve ${(100 * this.threshold.value).toFixed(1)} %)`);
    else this.succeed(`${this.actor}'s battery kept ${(100 * s).toFixed(1)} %`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    return this.record({
      value: Number.isFinite(this.lowest) ? this.lowest : null,
      threshold: this.threshold.value,
      unit: 'fraction',
      passed,
      reason: this.status === 'running' ? 'flying' : passed ? `${this.actor}'s battery kept ${(100 * this.lowest).toFixed(1)} % (reserve ${(100 * this.threshold.value).toFixed(1)} %)` : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}
