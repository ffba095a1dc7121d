/**
 * `min-clearance`: the smallest ground-truth distance between an actor and
 * the others over the run (exact prism distance, see sim/geometry/clearance.ts).
 * Passes when it stays at or above the threshold.
 */
import { newPrism, prismDistance, prismLowerBound, prismOf, type Prism } from '../../sim/geometry/clearance.ts';
import type { World } from '../../sim/world.ts';
import type { ActorPart } from '../../sim/actor.ts';
import type { ActorState, TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';

interface Target {
  id: string;
  state: ActorState;
  parts: ActorPart[];
  prisms: Prism[];
  isStatic: boolean;
}

export class MinClearance extends Criterion {
  readonly type = 'min-clearance';
  private readonly threshold: ThresholdChoice;
  private self!: Target;
  private others: Target[] = [];
  private min = Infinity;
  private minWith = '';
  private minAt = 0;

  constructor(name: string, private readonly actor: string, private readonly otherIds: string[] | undefined, thresholdM: number | undefined) {
    super(name, false);
    this.threshold = thresholdFrom(thresholdM, 'miit-2c-avoidance-clearance');
  }

  override attach(world: World): void {
    super.attach(world);
    const target = (id: string): Target => {
      const a = world.actor(id);
      return { id, state: world.stateOf(id), parts: a.descriptor.parts, prisms: a.descriptor.parts.map(newPrism), isStatic: a.descriptor.isStatic };
    };
    this.self = target(this.actor);
    const ids = this.otherIds ?? world.actors().filter((a) => !a.descriptor.isTerrain && a.id !== this.actor).map((a) => a.id);
    this.others = ids.map(target);
    for (const o of this.others) if (o.isStatic) this.updatePrisms(o);
  }

  private updatePrisms(t: Target): void {
    for (let i = 0; i < t.parts.length; i++) prismOf(t.parts[i]!, t.state.position, t.state.rotation, t.prisms[i]!);
  }

  override observe(snap: TickSnapshot): void {
    if (!this.self.state.present) return;
    this.updatePrisms(this.self);
    for (const o of this.others) {
      if (!o.state.present) continue;
      if (!o.isStatic) this.updatePrisms(o);
      for (const a of this.self.prisms) {
        for (const b of o.prisms) {
          // The running minimum only decreases: a pair whose lower bound is already above it cannot lower it.
          if (prismLowerBound(a, b) >= this.min) continue;
          const d = prismDistance(a, b);
          if (d < this.min) {
            this.min = d;
            this.minWith = o.id;
            this.minAt = snap.time;
          }
        }
      }
    }
  }

  override finish(): void {
    if (!Number.isFinite(this.min)) {
      this.fail(`no clearance was measured: ${this.actor} and the actors it is measured against were never present together`);
      return;
    }
    if (this.min < this.threshold.value) this.fail(`${this.actor} came within ${this.min.toFixed(3)} m of ${this.minWith} at t=${this.minAt.toFixed(2)} s (need >= ${this.threshold.value} m)`);
  }

  result(): CriterionResult {
    return this.minimumResult(this.min, this.threshold, 'm', (v) => `closest approach ${v.toFixed(3)} m to ${this.minWith} at t=${this.minAt.toFixed(2)} s`);
  }
}
