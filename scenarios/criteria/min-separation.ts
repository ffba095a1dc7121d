/**
 * `min-separation`: the smallest ground-truth distance between any two of a
 * set of UAVs (a swarm) over the run, centre to centre (the centres of mass
 * in 3D: a swarm's separation is specified between vehicle centres, as ORCA
 * and Crazyswarm do; the airframe's size is in the threshold). Passes when
 * it stays at or above the threshold; reports the closest pair and when.
 * Only pairs present together count.
 */
import type { World } from '../../sim/world.ts';
import type { ActorState, TickSnapshot } from '../../sim/snapshot.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';

export class MinSeparation extends Criterion {
  readonly type = 'min-separation';
  private readonly threshold: ThresholdChoice;
  private states: ActorState[] = [];
  private min = Infinity;
  private pair: [string, string] = ['', ''];
  private minAt = 0;

  /**
   * `actorIds`: the UAVs judged pairwise (at least two). `thresholdM`: the
   * smallest allowed distance; undefined takes the seeds/ default. `source`
   * names where a scenario-configured threshold came from (for the report).
   */
  constructor(name: string, private readonly actorIds: readonly string[], thresholdM: number | undefined, source?: string) {
    super(name, false);
    if (actorIds.length < 2) throw new Error(`${name}: min-separation needs at least two actors, got ${actorIds.length}`);
    const t = thresholdFrom(thresholdM, 'miit-2c-swarm-separation');
    this.threshold = thresholdM !== undefined && source ? { ...t, source } : t;
  }

  override attach(world: World): void {
    super.attach(world);
    this.states = this.actorIds.map((id) => world.stateOf(id));
  }

  override observe(snap: TickSnapshot): void {
    const s = this.states, n = s.length;
    for (let i = 0; i < n; i++) {
      const a = s[i]!;
      if (!a.present) continue;
      const pa = a.position;
      for (let j = i + 1; j < n; j++) {
        const b = s[j]!;
        if (!b.present) continue;
        const dx = b.position[0] - pa[0], dy = b.position[1] - pa[1], dz = b.position[2] - pa[2];
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < this.min * this.min) {
          this.min = Math.sqrt(d2);
          this.pair = [this.actorIds[i]!, this.actorIds[j]!];
          this.minAt = snap.time;
        }
      }
    }
  }

  override finish(): void {
    if (!Number.isFinite(this.min)) {
      this.fail('no separation was measured: no two of the judged UAVs were present together');
      return;
    }
    if (this.min < this.threshold.value) {
      this.fail(`${this.pair[0]} and ${this.pair[1]} came within ${this.min.toFixed(3)} m (centre to centre) at t=${this.minAt.toFixed(2)} s (need >= ${this.threshold.value} m)`);
    }
  }

  result(): CriterionResult {
    return this.minimumResult(this.min, this.threshold, 'm', (v) => `closest pair ${this.pair[0]} and ${this.pair[1]}: ${v.toFixed(3)} m centre to centre at t=${this.minAt.toFixed(2)} s`);
  }
}
