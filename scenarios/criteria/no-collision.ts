/** `no-collision`: contact events between the judged actors and anything but terrain. Twin of CARLA's CollisionTest. */
import type { SimEvent } from '../../sim/snapshot.ts';
import type { World } from '../../sim/world.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';

export class NoCollision extends Criterion {
  readonly type = 'no-collision';
  private readonly threshold: ThresholdChoice;
  private judged = new Set<string>();
  private terrain = new Set<string>();
  private count = 0;
  private first = '';

  constructor(name: string, private readonly actors: string[] | 'agents', maxCollisions: number | undefined, terminate: boolean) {
    super(name, terminate);
    this.threshold = thresholdFrom(maxCollisions, 'miit-2c-avoidance-collisions');
  }

  override attach(world: World): void {
    super.attach(world);
    for (const a of world.actors()) if (a.descriptor.isTerrain) this.terrain.add(a.id);
    this.judged = new Set(this.actors === 'agents' ? world.agentDriven() : this.actors);
  }

  override onEvent(e: SimEvent): void {
    if (e.type !== 'collision' || !e.started) return;
    if (this.terrain.has(e.a) || this.terrain.has(e.b)) return;
    const hit = this.judged.has(e.a) ? [e.a, e.b] : this.judged.has(e.b) ? [e.b, e.a] : null;
    if (!hit) return;
    this.count++;
    if (!this.first) this.first = `${hit[0]} hit ${hit[1]} at t=${e.time.toFixed(2)} s`;
    if (this.count > this.threshold.value) this.fail(`${this.count} collision(s); first: ${this.first}`);
  }

  result(): CriterionResult {
    const passed = this.count <= this.threshold.value;
    return this.record({
      value: this.count,
      threshold: this.threshold.value,
      unit: 'collisions',
      passed,
      reason: passed
        ? this.count === 0 ? `no collision of ${[...this.judged].join(', ') || 'any agent'}` : `${this.count} collision(s), within the allowed ${this.threshold.value}`
        : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}
