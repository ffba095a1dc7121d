/**
 * UAV mission criteria (issue #4 section 7), all on ground truth:
 *
 * - `mission-completion`, FlightBench-style (Yu et al., "FlightBench: A
 *   Comprehensive Benchmark of Spatial Planning Methods for Quadrotors",
 *   2024, arXiv 2406.05687): success when the run ends with the UAV within
 *   1.5 m of its goal (seeds/ miit-2c-mission-completion-radius) and it
 *   touched nothing but terrain on the way. Reports the final distance.
 * - `flight-time`: from the take-off (the UAV 0.3 m above where it started:
 *   a Skylane choice, clear of the ground-effect settling and the estimate's
 *   noise) to reaching a goal, or to the touchdown; an optional maximum.
 * - `position-hold`: the horizontal and vertical distance from a setpoint
 *   over a window after settling: RMS, 95th percentile and largest, each
 *   with an optional bound (the scenario's).
 * - `landing`: the first touchdown on terrain (the ground or a pad obstacle
 *   marked `terrain`) after the take-off must be within the pad's radius
 *   and no faster than 1.0 m/s vertically (seeds/
 *   miit-2c-landing-touchdown-speed, after PX4's MPC_LAND_SPEED 0.7 m/s),
 *   and the rotors must have stopped by the end (disarmed).
 * - `battery-reserve`: the battery's true state of charge at the end is at
 *   least PX4's critical threshold (seeds/ miit-2c-battery-reserve, 0.07).
 *
 * Touchdown is the first physics contact between the UAV and a terrain actor
 * after the take-off; its vertical speed is the UAV's at the tick before the
 * contact (the contact itself has already changed it).
 */
import type { SimEvent, TickSnapshot } from '../../sim/snapshot.ts';
import type { World } from '../../sim/world.ts';
import type { Battery } from '../../uav/multirotor/battery.ts';
import { batteryOf } from '../../uav/mission/flight-environment.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';

/** Height above the start that counts as taken off, m (Skylane choice, see the header). */
export const TAKEOFF_HEIGHT_M = 0.3;
/** Rotor speed below which a rotor counts as stopped, as a share of the airframe's maximum (Skylane choice: idle spin-down). */
const STOPPED_ROTOR_SHARE = 0.02;

interface RotorActor {
  readonly rotorSpeedsRadPerS: Float64Array;
  readonly airframe: { readonly maxRotorRadPerS: number };
}

/** Take-off and touchdown of one actor, from ground truth and contact events. */
class FlightTracker {
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

function rotorsStopped(world: World, actor: string): boolean {
  const a = world.actor(actor) as unknown as Partial<RotorActor>;
  if (!a.rotorSpeedsRadPerS || !a.airframe) throw new Error(`actor "${actor}" has no rotors (it is not a UAV)`);
  const lim = STOPPED_ROTOR_SHARE * a.airframe.maxRotorRadPerS;
  return a.rotorSpeedsRadPerS.every((w) => w <= lim);
}

function dist(p: readonly number[], goal: readonly number[]): number {
  return goal.length > 2 ? Math.hypot(p[0]! - goal[0]!, p[1]! - goal[1]!, p[2]! - goal[2]!) : Math.hypot(p[0]! - goal[0]!, p[1]! - goal[1]!);
}

export class MissionCompletion extends Criterion {
  readonly type = 'mission-completion';
  private readonly threshold: ThresholdChoice;
  private readonly track: FlightTracker;
  private finalM = NaN;

  constructor(name: string, private readonly actor: string, private readonly goal: readonly number[], radiusM: number | undefined) {
    super(name, false);
    this.threshold = thresholdFrom(radiusM, 'miit-2c-mission-completion-radius');
    this.track = new FlightTracker(actor);
  }

  override attach(world: World): void {
    super.attach(world);
    this.track.attach(world);
  }

  override observe(snap: TickSnapshot): void {
    this.track.observe(this.world, snap.time);
    this.finalM = dist(this.world.stateOf(this.actor).position, this.goal);
  }

  override onEvent(e: SimEvent): void {
    this.track.onEvent(this.world, e);
  }

  override finish(): void {
    const r = this.threshold.value;
    if (this.track.collisions > 0) this.fail(`${this.track.collisions} collision(s); first: ${this.track.firstCollision} (ended ${this.finalM.toFixed(2)} m from the goal)`);
    else if (!(this.finalM <= r)) this.fail(`${this.actor} ended ${this.finalM.toFixed(2)} m from the goal (success within ${r} m)`);
    else this.succeed(`${this.actor} ended ${this.finalM.toFixed(2)} m from the goal with no collision`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    return this.record({
      value: Number.isFinite(this.finalM) ? this.finalM : null,
      threshold: this.threshold.value,
      unit: 'm',
      passed,
      reason: this.status === 'running' ? `${this.finalM.toFixed(2)} m from the goal so far` : passed ? `${this.actor} ended ${this.finalM.toFixed(2)} m from the goal (within ${this.threshold.value} m), no collision` : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}

export type FlightEnd = { goal: readonly number[]; radiusM: number } | 'landing';

export class FlightTime extends Criterion {
  readonly type = 'flight-time';
  private readonly track: FlightTracker;
  private endAt: number | null = null;

  constructor(name: string, private readonly actor: string, private readonly until: FlightEnd, private readonly maxS: number | undefined) {
    super(name, false);
    this.track = new FlightTracker(actor);
  }

  override attach(world: World): void {
    super.attach(world);
    this.track.attach(world);
  }

  override observe(snap: TickSnapshot): void {
    this.track.observe(this.world, snap.time);
    if (this.endAt !== null || this.track.takeoffAt === null) return;
    if (this.until === 'landing') {
      if (this.track.touchdownAt !== null) this.endAt = this.track.touchdownAt;
    } else if (dist(this.world.stateOf(this.actor).position, this.until.goal) <= this.until.radiusM) {
      this.endAt = snap.time;
    }
  }

  override onEvent(e: SimEvent): void {
    this.track.onEvent(this.world, e);
  }

  /** Flight time, s, or null before the end. */
  get seconds(): number | null {
    return this.endAt === null || this.track.takeoffAt === null ? null : this.endAt - this.track.takeoffAt;
  }

  private get what(): string {
    return this.until === 'landing' ? 'the touchdown' : 'the goal';
  }

  override finish(): void {
    const s = this.seconds;
    if (this.track.takeoffAt === null) this.fail(`${this.actor} never took off`);
    else if (s === null) this.fail(`${this.actor} never reached ${this.what}`);
    else if (this.maxS !== undefined && s > this.maxS) this.fail(`${this.actor} took ${s.toFixed(2)} s from the take-off to ${this.what} (limit ${this.maxS} s)`);
    else this.succeed(`${this.actor} took ${s.toFixed(2)} s from the take-off to ${this.what}`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    const s = this.seconds;
    return this.record({
      value: s,
      threshold: this.maxS ?? null,
      unit: 's',
      passed,
      reason: this.status === 'running' ? 'flying' : passed ? `${this.actor} took ${s!.toFixed(2)} s from the take-off to ${this.what}${this.maxS !== undefined ? ` (limit ${this.maxS} s)` : ''}` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}

export interface HoldBounds {
  rmsM?: number | undefined;
  p95M?: number | undefined;
  maxM?: number | undefined;
}

export interface HoldStats {
  rmsM: number;
  p95M: number;
  maxM: number;
}

/** RMS, 95th percentile (nearest rank) and largest of a sample of errors. */
export function holdStats(errors: readonly number[]): HoldStats {
  if (errors.length === 0) return { rmsM: NaN, p95M: NaN, maxM: NaN };
  let ss = 0, max = 0;
  for (const e of errors) {
    ss += e * e;
    if (e > max) max = e;
  }
  const sorted = Float64Array.from(errors).sort();
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { rmsM: Math.sqrt(ss / errors.length), p95M: p95, maxM: max };
}

export class PositionHold extends Criterion {
  readonly type = 'position-hold';
  private readonly h: number[] = [];
  private readonly v: number[] = [];

  constructor(
    name: string,
    private readonly actor: string,
    private readonly setpoint: readonly [number, number, number],
    private readonly fromS: number,
    private readonly toS: number | undefined,
    private readonly horizontal: HoldBounds,
    private readonly vertical: HoldBounds,
  ) {
    super(name, false);
  }

  override observe(snap: TickSnapshot): void {
    if (snap.time < this.fromS || (this.toS !== undefined && snap.time > this.toS)) return;
    const p = this.world.stateOf(this.actor).position, sp = this.setpoint;
    this.h.push(Math.hypot(p[0] - sp[0], p[1] - sp[1]));
    this.v.push(Math.abs(p[2] - sp[2]));
  }

  get stats(): { horizontal: HoldStats; vertical: HoldStats; samples: number } {
    return { horizontal: holdStats(this.h), vertical: holdStats(this.v), samples: this.h.length };
  }

  private describe(): string {
    const { horizontal: h, vertical: v } = this.stats;
    const f = (s: HoldStats) => `RMS ${s.rmsM.toFixed(3)} m, p95 ${s.p95M.toFixed(3)} m, max ${s.maxM.toFixed(3)} m`;
    return `horizontal ${f(h)}; vertical ${f(v)}`;
  }

  override finish(endTime: number): void {
    if (this.h.length === 0) {
      this.fail(`no sample in the window from ${this.fromS} s (run ended at ${endTime.toFixed(2)} s)`);
      return;
    }
    const st = this.stats;
    const over: string[] = [];
    for (const [axis, bounds, s] of [['horizontal', this.horizontal, st.horizontal], ['vertical', this.vertical, st.vertical]] as const) {
      for (const k of ['rmsM', 'p95M', 'maxM'] as const) {
        const b = bounds[k];
        if (b !== undefined && !(s[k] <= b)) over.push(`${axis} ${k.replace('M', '')} ${s[k].toFixed(3)} m > ${b} m`);
      }
    }
    if (over.length) this.fail(`${this.actor} held ${this.describe()}: ${over.join(', ')}`);
    else this.succeed(`${this.actor} held ${this.describe()}`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    const h = this.stats.horizontal;
    return this.record({
      value: Number.isFinite(h.rmsM) ? h.rmsM : null,
      threshold: this.horizontal.rmsM ?? null,
      unit: 'm',
      passed,
      reason: this.status === 'running' ? 'holding' : passed ? `${this.actor} held ${this.describe()}` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}

export class Landing extends Criterion {
  readonly type = 'landing';
  private readonly speed: ThresholdChoice;
  private readonly track: FlightTracker;
  private stoppedAtEnd = false;

  constructor(
    name: string,
    private readonly actor: string,
    private readonly pad: { center: readonly [number, number]; radiusM: number },
    maxTouchdownSpeedMps: number | undefined,
    private readonly requireDisarmed: boolean,
  ) {
    super(name, false);
    this.speed = thresholdFrom(maxTouchdownSpeedMps, 'miit-2c-landing-touchdown-speed');
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

  /** Horizontal distance of the touchdown from the pad centre, m (NaN before). */
  get offsetM(): number {
    const [x, y] = this.track.touchdownXY;
    return Math.hypot(x - this.pad.center[0], y - this.pad.center[1]);
  }

  override finish(): void {
    const t = this.track;
    this.stoppedAtEnd = rotorsStopped(this.world, this.actor);
    if (t.takeoffAt === null) return this.fail(`${this.actor} never took off`);
    if (t.touchdownAt === null) return this.fail(`${this.actor} never touched down`);
    const where = `touched down on ${t.touchedTerrain} at t=${t.touchdownAt.toFixed(2)} s, ${this.offsetM.toFixed(2)} m from the pad centre at ${t.touchdownSpeedMps.toFixed(2)} m/s`;
    if (!(this.offsetM <= this.pad.radiusM)) return this.fail(`${this.actor} ${where}: outside the pad (radius ${this.pad.radiusM} m)`);
    if (!(t.touchdownSpeedMps <= this.speed.value)) return this.fail(`${this.actor} ${where}: faster than ${this.speed.value} m/s`);
    if (this.requireDisarmed && !this.stoppedAtEnd) return this.fail(`${this.actor} ${where}, but its rotors were still turning at the end`);
    this.succeed(`${this.actor} ${where}${this.requireDisarmed ? ', rotors stopped' : ''}`);
  }

  result(): CriterionResult {
    const passed = this.status === 'passed';
    const t = this.track;
    return this.record({
      value: Number.isFinite(t.touchdownSpeedMps) ? t.touchdownSpeedMps : null,
      threshold: this.speed.value,
      unit: 'm/s',
      passed,
      reason: this.status === 'running' ? 'not judged yet' : passed ? `${this.actor} touched down at t=${t.touchdownAt!.toFixed(2)} s ${this.offsetM.toFixed(2)} m from the pad centre (radius ${this.pad.radiusM} m) at ${t.touchdownSpeedMps.toFixed(2)} m/s (limit ${this.speed.value} m/s)` : this.failureReason,
      thresholdSource: this.speed.source,
    });
  }
}

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
