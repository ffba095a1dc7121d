/**
 * Counts the ego's collisions per category (pedestrian, vehicle, static),
 * de-duplicated as issue #3 asks and as CARLA's CollisionTest does: a contact
 * counts once if it starts within `SAME_PLACE_M` of a collision already
 * counted (CARLA MIN_AREA_OF_COLLISION = 3 m, here 5 m as the issue states),
 * or with the same actor within `SAME_ACTOR_S` of its last counted collision
 * (CARLA MAX_ID_TIME = 5 s). A counted place is forgotten once the ego is
 * farther than `SAME_PLACE_M` from it (CARLA MAX_AREA_OF_COLLISION = 5 m), so
 * a car that drives on and hits something else is charged again.
 *
 * A measuring part, not a criterion: `DrivingCollisions` and `DrivingScore`
 * each own one, so that the rule lives in one place.
 */
import type { SimEvent } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { categoryMap, DRIVING_CATEGORIES, type DrivingActor, type DrivingCategory, type DrivingContext } from './context.ts';

export interface CountedCollision {
  time: number;
  other: string;
  category: DrivingCategory;
  /** Ego position at the start of the contact, m. */
  x: number;
  y: number;
}

export class CollisionTally {
  /** Contacts starting this close to a counted collision are the same collision, m. */
  static readonly SAME_PLACE_M = 5;
  /** Contacts with the same actor this soon after its counted collision are the same collision, s. */
  static readonly SAME_ACTOR_S = 5;

  readonly counts: Record<DrivingCategory, number> = { pedestrian: 0, vehicle: 0, static: 0 };
  readonly counted: CountedCollision[] = [];
  private readonly others: Map<string, DrivingActor>;
  private readonly lastCountedAt = new Map<string, number>();
  /** Places of counted collisions the ego has not yet left. */
  private places: CountedCollision[] = [];
  private world!: World;

  constructor(private readonly ctx: DrivingContext) {
    this.others = categoryMap(ctx);
  }

  attach(world: World): void {
    this.world = world;
  }

  get total(): number {
    return this.counts.pedestrian + this.counts.vehicle + this.counts.static;
  }

  /** Forget the places the ego has left. Call once per tick. */
  observe(): void {
    if (this.places.length === 0) return;
    const p = this.world.stateOf(this.ctx.egoId).position;
    this.places = this.places.filter((c) => Math.hypot(p[0] - c.x, p[1] - c.y) <= CollisionTally.SAME_PLACE_M);
  }

  /** The collision this event adds to the count, or null (not the ego's, not a judged actor, or a repeat). */
  onEvent(e: SimEvent): CountedCollision | null {
    if (e.type !== 'collision' || !e.started) return null;
    const ego = this.ctx.egoId;
    const otherId = e.a === ego ? e.b : e.b === ego ? e.a : null;
    if (otherId === null) return null;
    const other = this.others.get(otherId);
    if (!other) return null;
    const p = this.world.stateOf(ego).position;
    const last = this.lastCountedAt.get(otherId);
    if (last !== undefined && e.time - last <= CollisionTally.SAME_ACTOR_S) return null;
    for (const c of this.places) if (Math.hypot(p[0] - c.x, p[1] - c.y) <= CollisionTally.SAME_PLACE_M) return null;
    const c: CountedCollision = { time: e.time, other: otherId, category: other.category, x: p[0], y: p[1] };
    this.counts[other.category]++;
    this.counted.push(c);
    this.places.push(c);
    this.lastCountedAt.set(otherId, e.time);
    return c;
  }

  /** "pedestrian 0, vehicle 1, static 0". */
  summary(): string {
    return DRIVING_CATEGORIES.map((k) => `${k} ${this.counts[k]}`).join(', ');
  }
}
