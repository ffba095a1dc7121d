/**
 * `min-ttc`: the smallest time-to-collision between the ego and a vehicle in
 * its path over the run, after nuPlan's time_to_collision_within_bound:
 *
 * - every `STEP_S` (0.1 s, nuPlan's time_step_size) the ego and each judged
 *   actor are projected forward at constant velocity, headings held, over
 *   `HORIZON_S` (3 s, nuPlan's time_horizon) in steps of `STEP_S`;
 * - the TTC is the first projected time at which their footprints (oriented
 *   rectangles) overlap; 0 if they overlap now. It lies on the 0.1 s grid, so
 *   it is the true contact time rounded up to the next step (as nuPlan's);
 * - the path corridor is thus the ego's footprint swept along its
 *   constant-velocity projection: a vehicle is "in the path" when its own
 *   projection meets that swept footprint at the same time;
 * - only actors whose centre is ahead of the ego's centre (along the ego's
 *   heading) count, as nuPlan ignores tracks behind the ego, and no TTC is
 *   taken while the ego is stopped (speed <= `STOPPED_MPS`, nuPlan's 5e-3 m/s).
 *
 * Judged actors: the context's vehicles by default. Passes when the
 * minimum stays at or above the threshold (default from seeds: 0.95 s,
 * nuPlan's least_min_ttc).
 */
import type { ActorState, TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from '../criterion.ts';
import { headingOf, rectanglesOverlap, speedOf, type DrivingActor, type DrivingCategory, type DrivingContext } from './context.ts';

interface Target {
  actor: DrivingActor;
  state: ActorState;
}

export interface MinTtcOptions {
  minTtcS?: number;
  categories?: readonly DrivingCategory[];
  horizonS?: number;
}

export class MinTimeToCollision extends Criterion {
  readonly type = 'min-ttc';
  static readonly STEP_S = 0.1;
  static readonly HORIZON_S = 3;
  static readonly STOPPED_MPS = 5e-3;

  private readonly threshold: ThresholdChoice;
  private readonly horizonS: number;
  private readonly categories: ReadonlySet<DrivingCategory>;
  private ego!: ActorState;
  private targets: Target[] = [];
  private nextEvalS = 0;
  private min = Infinity;
  private minWith = '';
  private minAt = 0;
  /** The latest evaluation's smallest TTC and its actor: live state for viewers (the web app's driving panel). */
  private current = Infinity;
  private currentWith = '';

  constructor(name: string, private readonly ctx: DrivingContext, o: MinTtcOptions = {}) {
    super(name, false);
    this.threshold = thresholdFrom(o.minTtcS, 'miit-2a-min-ttc');
    this.horizonS = o.horizonS ?? MinTimeToCollision.HORIZON_S;
    this.categories = new Set(o.categories ?? ['vehicle']);
  }

  override attach(world: World): void {
    super.attach(world);
    this.ego = world.stateOf(this.ctx.egoId);
    this.targets = this.ctx.others.filter((a) => this.categories.has(a.category)).map((actor) => ({ actor, state: world.stateOf(actor.id) }));
    this.nextEvalS = world.time;
  }

  /** The judged ego's id. */
  get egoId(): string {
    return this.ctx.egoId;
  }

  /** The smallest TTC so far, s (Infinity: none yet within the horizon). */
  get minTtcS(): number {
    return this.min;
  }

  /** The actor of the smallest TTC so far ('' while there is none). */
  get minTtcWith(): string {
    return this.minWith;
  }

  /** When the smallest TTC so far was taken, s. */
  get minTtcAtS(): number {
    return this.minAt;
  }

  /**
   * The TTC at the latest evaluation (every STEP_S) to the actor in the ego's
   * path that it would hit first, s; Infinity when none is within the horizon
   * or the ego is stopped. `currentTtcWith` names that actor ('' if none).
   */
  get currentTtcS(): number {
    return this.current;
  }

  get currentTtcWith(): string {
    return this.currentWith;
  }

  /** The constant-velocity TTC of the ego against one actor now, s (Infinity beyond the horizon or out of the path). */
  private ttcAgainst(t: Target): number {
    const e = this.ego, o = t.state;
    const ex = e.position[0], ey = e.position[1], eyaw = headingOf(e);
    const ox = o.position[0], oy = o.position[1], oyaw = headingOf(o);
    // Behind the ego: not in its path.
    if ((ox - ex) * Math.cos(eyaw) + (oy - ey) * Math.sin(eyaw) <= 0) return Infinity;
    const evx = e.linearVelocity[0], evy = e.linearVelocity[1], ovx = o.linearVelocity[0], ovy = o.linearVelocity[1];
    // Broad phase: the bodies cannot meet within the horizon.
    const reach = Math.hypot(evx - ovx, evy - ovy) * this.horizonS
      + Math.hypot(this.ctx.egoFootprint.lengthM, this.ctx.egoFootprint.widthM) / 2 + Math.hypot(t.actor.lengthM, t.actor.widthM) / 2;
    if (Math.hypot(ox - ex, oy - ey) > reach) return Infinity;
    const n = Math.round(this.horizonS / MinTimeToCollision.STEP_S);
    for (let k = 0; k <= n; k++) {
      const tau = k * MinTimeToCollision.STEP_S;
      if (rectanglesOverlap(ex + evx * tau, ey + evy * tau, eyaw, this.ctx.egoFootprint, ox + ovx * tau, oy + ovy * tau, oyaw, t.actor)) return tau;
    }
    return Infinity;
  }

  override observe(snap: TickSnapshot): void {
    if (snap.time + 1e-9 < this.nextEvalS) return;
    this.nextEvalS += MinTimeToCollision.STEP_S;
    this.current = Infinity;
    this.currentWith = '';
    if (!this.ego.present || speedOf(this.ego) <= MinTimeToCollision.STOPPED_MPS) return;
    for (const t of this.targets) {
      if (!t.state.present) continue;
      const ttc = this.ttcAgainst(t);
      if (ttc < this.current) {
        this.current = ttc;
        this.currentWith = t.actor.id;
      }
      if (ttc < this.min) {
        this.min = ttc;
        this.minWith = t.actor.id;
        this.minAt = snap.time;
      }
      if (ttc < this.threshold.value) this.fail(`TTC ${ttc.toFixed(2)} s to ${t.actor.id} at t=${snap.time.toFixed(2)} s`);
    }
  }

  result(): CriterionResult {
    return this.minimumResult(
      this.min,
      this.threshold,
      's',
      (v) => `minimum TTC ${v.toFixed(2)} s to ${this.minWith} at t=${this.minAt.toFixed(2)} s`,
      `minimum TTC ${this.min.toFixed(2)} s to ${this.minWith} at t=${this.minAt.toFixed(2)} s (need >= ${this.threshold.value} s); first: ${this.failureReason}`,
      `no ${[...this.categories].join('/')} in the path of ${this.ctx.egoId} within ${this.horizonS} s`,
    );
  }
}
