/**
 * Take-off and touchdown of a UAV for the mission criteria, from ground
 * truth and contact events: taken off once 0.3 m above where it started (a
 * Skylane choice, clear of the ground-effect settling and the estimate's
 * noise); touchdown is the first physics contact with a terrain actor after
 * the take-off, its vertical speed the UAV's at the tick before the contact
 * (the contact itself has already changed it). Contacts with anything else
 * are counted as collisions.
 */
import type { SimEvent, TickSnapshot } from '../../sim/snapshot.ts';
import type { World } from '../../sim/world.ts';
import { Criterion } from './criterion.ts';

/** Height above the start that counts as taken off, m (Skylane choice, see the header). */
export const TAKEOFF_HEIGHT_M = 0.3;
/** Rotor speed below which a rotor counts as stopped, as a share of the airframe's maximum (Skylane choice: idle spin-down). */
const STOPPED_ROTOR_SHARE = 0.02;

interface RotorActor {
  readonly rotorSpeedsRadPerS: Float64Array;
  readonly airframe: { readonly maxRotorRadPerS: number };
}

/** Take-off and touchdown of one actor, from ground truth and contact events. */
export class FlightTracker {
  startZ = NaN;
  takeoffAt: number | null = null;
  touchdownAt: number | null = null;
  touchdownSpeedMps = NaN;
  touchdownXY: [number, number] = [NaN, NaN];
  touchedTerrain = '';
  /** Contacts with anything but terrain. */
  collisions = 0;
  firstCollision = '';
  private prevVz = 0;
  private readonly terrain = new Set<string>();

  constructor(private readonly actor: string) {}

  attach(world: World): void {
    for (const a of world.actors()) if (a.descriptor.isTerrain) this.terrain.add(a.id);
  }

  observe(world: World, t: number): void {
    const s = world.stateOf(this.actor);
    if (Number.isNaN(this.startZ)) this.startZ = s.position[2];
    if (this.takeoffAt === null && s.position[2] > this.startZ + TAKEOFF_HEIGHT_M) this.takeoffAt = t;
    this.prevVz = s.linearVelocity[2];
  }

  onEvent(world: World, e: SimEvent): void {
    if (e.type !== 'collision' || !e.started) return;
    const other = e.a === this.actor ? e.b : e.b === this.actor ? e.a : null;
    if (other === null) return;
    if (!this.terrain.has(other)) {
      this.collisions++;
      if (!this.firstCollision) this.firstCollision = `${this.actor} hit ${other} at t=${e.time.toFixed(2)} s`;
      return;
    }
    if (this.takeoffAt !== null && this.touchdownAt === null) {
      const p = world.stateOf(this.actor).position;
      this.touchdownAt = e.time;
      this.touchdownSpeedMps = Math.max(0, -this.prevVz);
      this.touchdownXY = [p[0], p[1]];
      this.touchedTerrain = other;
    }
  }
}

export function rotorsStopped(world: World, actor: string): boolean {
  const a = world.actor(actor) as unknown as Partial<RotorActor>;
  if (!a.rotorSpeedsRadPerS || !a.airframe) throw new Error(`actor "${actor}" has no rotors (it is not a UAV)`);
  const lim = STOPPED_ROTOR_SHARE * a.airframe.maxRotorRadPerS;
  return a.rotorSpeedsRadPerS.every((w) => w <= lim);
}

export function dist(p: readonly number[], goal: readonly number[]): number {
  return goal.length > 2 ? Math.hypot(p[0]! - goal[0]!, p[1]! - goal[1]!, p[2]! - goal[2]!) : Math.hypot(p[0]! - goal[0]!, p[1]! - goal[1]!);
}

/**
 * A criterion about one UAV's flight: it owns the actor's `FlightTracker`
 * and feeds it every tick and contact event; a subclass that overrides
 * `observe` calls `super.observe(snap)` first.
 */
export abstract class FlightCriterion extends Criterion {
  protected readonly track: FlightTracker;

  constructor(name: string, protected readonly actor: string) {
    super(name, false);
    this.track = new FlightTracker(actor);
  }

  override attach(world: World): void {
    super.attach(world);
    this.track.attach(world);
  }

  override observe(snap: TickSnapshot): void {
    this.track.observe(this.world, snap.time);
  }

  override onEvent(e: SimEvent): void {
    this.track.onEvent(this.world, e);
  }
}
