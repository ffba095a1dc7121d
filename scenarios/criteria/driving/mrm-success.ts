/**
 * `mrm-success`: after a trigger (a fault or an ODD exit), the ego performs a
 * minimal risk manoeuvre and reaches a minimal risk condition (MRC) within
 * `withinS`, with no collision from the trigger on (issue #3, section 6:
 * "a controlled stop in lane or on the shoulder, hazard lights on, no
 * collision").
 *
 * - Trigger: the first `fault` event on the ego (a sensor failing), or the
 *   first timeline event with a given name, or a fixed time.
 * - MRC: speed below `STOPPED_MPS` = 0.1 m/s (the standstill threshold CARLA
 *   uses for a stop) with the hazard lights on. Hazard lights are actor
 *   state, not in the snapshot, so the builder passes an accessor (for a
 *   `Car`: `() => car.hazardLights`).
 * - Collisions: counted as `driving-collisions` counts them, from the
 *   trigger on; one fails the criterion, even after the MRC.
 * The value is the time from trigger to MRC, s.
 */
import type { SimEvent, TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { Criterion, type CriterionResult } from '../criterion.ts';
import { CollisionTally } from './collision-tally.ts';
import { speedOf, type DrivingContext } from './context.ts';

export type MrmTrigger = { kind: 'fault' } | { kind: 'timeline'; event: string } | { kind: 'time'; atS: number };

export interface MrmOptions {
  /** Time allowed from the trigger to the MRC, s (set by the scenario). */
  withinS: number;
  hazardLights: () => boolean;
  trigger?: MrmTrigger;
  terminate?: boolean;
}

export class MrmSuccess extends Criterion {
  readonly type = 'mrm-success';
  static readonly STOPPED_MPS = 0.1;
  private readonly tally: CollisionTally;
  private readonly trigger: MrmTrigger;
  private triggeredAt: number | null = null;
  private mrcAt: number | null = null;

  constructor(name: string, private readonly ctx: DrivingContext, private readonly o: MrmOptions) {
    super(name, o.terminate ?? false);
    if (!(o.withinS > 0)) throw new RangeError(`${name}: withinS must be > 0, got ${o.withinS}`);
    this.trigger = o.trigger ?? { kind: 'fault' };
    this.tally = new CollisionTally(ctx);
  }

  /** When the MRM was triggered, s (null before). */
  get triggerTime(): number | null {
    return this.triggeredAt;
  }

  override attach(world: World): void {
    super.attach(world);
    this.tally.attach(world);
  }

  override onEvent(e: SimEvent): void {
    if (this.triggeredAt === null) {
      const t = this.trigger;
      if ((t.kind === 'fault' && e.type === 'fault' && e.actor === this.ctx.egoId) || (t.kind === 'timeline' && e.type === 'timeline' && e.event === t.event)) {
        this.triggeredAt = e.time;
      }
    }
    const c = this.tally.onEvent(e);
    if (c && this.triggeredAt !== null) this.fail(`${this.ctx.egoId} hit ${c.category} ${c.other} at t=${c.time.toFixed(2)} s, ${(c.time - this.triggeredAt).toFixed(2)} s into the MRM`);
  }

  override observe(snap: TickSnapshot): void {
    this.tally.observe();
    if (this.triggeredAt === null && this.trigger.kind === 'time' && snap.time + 1e-9 >= this.trigger.atS) this.triggeredAt = this.trigger.atS;
    if (this.triggeredAt === null || this.mrcAt !== null) return;
    const s = this.world.stateOf(this.ctx.egoId);
    if (s.present && speedOf(s) < MrmSuccess.STOPPED_MPS && this.o.hazardLights()) {
      this.mrcAt = snap.time;
      if (snap.time - this.triggeredAt <= this.o.withinS + 1e-9) {
        this.succeed(`${this.ctx.egoId} reached an MRC (stopped, hazard lights on) at t=${snap.time.toFixed(2)} s, ${(snap.time - this.triggeredAt).toFixed(2)} s after the trigger`);
        return;
      }
    }
    if (snap.time - this.triggeredAt > this.o.withinS + 1e-9) {
      const st = speedOf(s);
      this.fail(`no MRC within ${this.o.withinS} s of the trigger at t=${this.triggeredAt.toFixed(2)} s (now ${st.toFixed(2)} m/s, hazard lights ${this.o.hazardLights() ? 'on' : 'off'})`);
    }
  }

  override finish(endTime: number): void {
    if (this.triggeredAt === null) this.fail(`the MRM trigger (${this.trigger.kind}) never came, so nothing was judged`);
    else if (this.mrcAt === null) this.fail(`no MRC by the end of the run at t=${endTime.toFixed(2)} s (trigger at t=${this.triggeredAt.toFixed(2)} s)`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    const value = this.mrcAt !== null && this.triggeredAt !== null ? this.mrcAt - this.triggeredAt : null;
    return this.record({
      value,
      threshold: this.o.withinS,
      unit: 's',
      passed,
      reason: passed ? `MRC ${value!.toFixed(2)} s after the trigger, no collision` : this.failureReason || 'running: no MRC yet',
      thresholdSource: 'scenario',
    });
  }
}
