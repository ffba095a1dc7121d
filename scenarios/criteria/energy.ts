/**
 * `energy`: the rotor shaft energy a UAV spends over the run, integrated from
 * its motors' mechanical power (sum of km w^3, uav/multirotor/multirotor.ts),
 * in watt-hours; fails above `maxWh`. Issue #4 section 7. Shaft energy is
 * exact in the rotor model; a battery supplies it plus the motor and ESC
 * losses, which the battery model (with return-to-home) will add.
 *
 * Note on the Iris: PX4 SITL's Gazebo momentConstant (0.06 m of reaction
 * torque per newton of thrust) gives ~700 W of shaft power at hover, well
 * above what a real 1.5 kg quadrotor draws (a few hundred watts); the figure
 * is the reference simulator's, reported as it is.
 */
import type { TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, type CriterionResult } from './criterion.ts';

interface PoweredActor {
  readonly shaftPowerW: number;
}

export class Energy extends Criterion {
  readonly type = 'energy';
  private joules = 0;
  private lastT = NaN;
  private source: PoweredActor | undefined;

  constructor(name: string, private readonly actor: string, private readonly maxWh: number) {
    super(name, false);
  }

  override observe(snap: TickSnapshot): void {
    if (!this.source) {
      const a = this.world.actor(this.actor) as unknown as Partial<PoweredActor>;
      if (typeof a.shaftPowerW !== 'number') throw new Error(`energy: actor "${this.actor}" reports no motor power (it is not a UAV)`);
      this.source = a as PoweredActor;
    }
    // The power after the step that ends at snap.time, held over it (rectangle rule at the physics rate).
    if (!Number.isNaN(this.lastT)) this.joules += this.source.shaftPowerW * (snap.time - this.lastT);
    this.lastT = snap.time;
  }

  get wattHours(): number {
    return this.joules / 3600;
  }

  override finish(): void {
    if (this.status !== 'running') return;
    if (this.wattHours > this.maxWh) this.fail(`${this.actor} spent ${this.wattHours.toFixed(3)} Wh of rotor shaft energy (limit ${this.maxWh} Wh)`);
    else this.succeed(`${this.actor} spent ${this.wattHours.toFixed(3)} Wh of rotor shaft energy`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    return this.record({
      value: this.wattHours,
      threshold: this.maxWh,
      unit: 'Wh',
      passed,
      reason: this.status === 'running' ? `${this.wattHours.toFixed(3)} Wh so far` : passed ? `${this.actor} spent ${this.wattHours.toFixed(3)} Wh of rotor shaft energy (limit ${this.maxWh} Wh)` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}
