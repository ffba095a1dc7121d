/**
 * How far along its route the ego has driven, CARLA style
 * (RouteCompletionTest): progress only grows, and it advances to the
 * furthest point of the route the ego's centre projects onto within a window
 * just ahead of the current progress and within `maxDeviationM` of the
 * route. The window (CARLA: the next WINDOWS_SIZE = 2 route waypoints, about
 * 1 m apart; here `WINDOW_M` of route) stops a route that doubles back from
 * being skipped, and the deviation bound (CARLA InRouteTest: 30 m) stops a
 * car far off the route from making progress. When progress reaches
 * `COMPLETE_PERCENT` and the ego is within `COMPLETE_DISTANCE_M` of the route's
 * end, the route counts as complete (CARLA PERCENTAGE_THRESHOLD = 99 %,
 * DISTANCE_THRESHOLD = 10 m).
 *
 * A measuring part: `RouteCompletion` and `DrivingScore` each own one.
 */
import type { World } from '../../../sim/world.ts';
import type { DrivingContext, Polyline } from './context.ts';

export class RouteProgress {
  static readonly WINDOW_M = 10;
  static readonly MAX_DEVIATION_M = 30;
  static readonly COMPLETE_PERCENT = 99;
  static readonly COMPLETE_DISTANCE_M = 10;

  readonly lengthM: number;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  /** Route length up to each point. */
  private readonly cum: Float64Array;
  private segment = 0;
  private progressM = 0;
  private done = false;
  private world!: World;

  constructor(private readonly ctx: DrivingContext, private readonly maxDeviationM = RouteProgress.MAX_DEVIATION_M) {
    const route: Polyline | undefined = ctx.route;
    if (!route || route.length < 2) throw new Error('route progress: the driving context has no route (at least two points are needed)');
    const n = route.length;
    this.xs = Float64Array.from(route, (p) => p[0]);
    this.ys = Float64Array.from(route, (p) => p[1]);
    this.cum = new Float64Array(n);
    for (let i = 1; i < n; i++) this.cum[i] = this.cum[i - 1]! + Math.hypot(this.xs[i]! - this.xs[i - 1]!, this.ys[i]! - this.ys[i - 1]!);
    this.lengthM = this.cum[n - 1]!;
    if (!(this.lengthM > 0)) throw new Error('route progress: the route has zero length');
  }

  attach(world: World): void {
    this.world = world;
  }

  /** Metres of the route driven. */
  get metres(): number {
    return this.done ? this.lengthM : this.progressM;
  }

  /** Route completion, 0..100 %. */
  get percent(): number {
    return (100 * this.metres) / this.lengthM;
  }

  get complete(): boolean {
    return this.done;
  }

  observe(): void {
    if (this.done) return;
    const st = this.world.stateOf(this.ctx.egoId);
    if (!st.present) return;
    const x = st.position[0], y = st.position[1];
    const n = this.xs.length;
    const limit = this.progressM + RouteProgress.WINDOW_M;
    for (let i = this.segment; i + 1 < n && this.cum[i]! <= limit; i++) {
      const ax = this.xs[i]!, ay = this.ys[i]!;
      const dx = this.xs[i + 1]! - ax, dy = this.ys[i + 1]! - ay;
      const len2 = dx * dx + dy * dy;
      if (len2 === 0) continue;
      let u = ((x - ax) * dx + (y - ay) * dy) / len2;
      if (u < 0) continue;
      if (u > 1) u = 1;
      if (Math.hypot(ax + u * dx - x, ay + u * dy - y) > this.maxDeviationM) continue;
      const s = Math.min(this.cum[i]! + u * Math.sqrt(len2), limit);
      if (s > this.progressM) {
        this.progressM = s;
        this.segment = i;
      }
    }
    const endDist = Math.hypot(this.xs[n - 1]! - x, this.ys[n - 1]! - y);
    if (this.percent >= RouteProgress.COMPLETE_PERCENT && endDist <= RouteProgress.COMPLETE_DISTANCE_M) this.done = true;
  }
}
