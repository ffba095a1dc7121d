/**
 * Airspace compliance criteria (issue #6, section 5). Each reads the world's
 * `AirspaceService` (uav/airspace/service.ts), which checks every UAV's
 * ground-truth position against the active zones each physics step; a
 * criterion only filters its records (by UAV and zone class) and compares.
 *
 * - `airspace-no-incursion`: the number of incursions into active zones of
 *   the judged classes (default PROHIBITED); more than the bound (default
 *   seeds/ miit-2c-forced-zone-avoidance: 0) fails, at the entry.
 * - `airspace-incursion`: total time inside and largest depth, against
 *   optional bounds.
 * - `airspace-min-margin`: the smallest horizontal margin to an active zone
 *   of the classes, taken while the UAV is inside the zone's vertical band.
 * - `airspace-authorisation`: a REQ_AUTHORISATION zone entered by a UAV
 *   that does not carry its authorisation fails.
 * - `airspace-path-extra`: flown length minus the straight route from the
 *   start to the goal (the zone-free route), reported, optionally bounded.
 */
import type { SimEvent } from '../../sim/snapshot.ts';
import type { World } from '../../sim/world.ts';
import { airspaceOf, AirspaceService, type Incursion } from '../../uav/airspace/service.ts';
import type { RestrictionClass } from '../../uav/airspace/zone.ts';
import type { Scenario } from '../schema.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';

/** The UAVs an airspace criterion judges: its actor, else every agent-driven UAV of the scenario. */
export function airspaceJudged(actor: string | undefined, s: Scenario): string[] {
  return actor !== undefined ? [actor] : s.actors.filter((a) => a.kind === 'uav' && a.agent !== undefined).map((a) => a.id);
}

function serviceOf(world: World, name: string): AirspaceService {
  const s = airspaceOf(world);
  if (!s) throw new Error(`${name}: the scenario has no world.airspace`);
  return s;
}

abstract class AirspaceCriterion extends Criterion {
  protected svc!: AirspaceService;
  protected uavs!: Set<string>;

  /** `uavIds`: the judged UAVs (the criterion's actor, else every agent-driven UAV; see `airspaceJudged`). */
  constructor(name: string, terminate: boolean, protected readonly actor: string | undefined, uavIds: readonly string[], protected readonly classes: readonly RestrictionClass[]) {
    super(name, terminate);
    this.uavs = new Set(uavIds);
  }

  override attach(world: World): void {
    super.attach(world);
    this.svc = serviceOf(world, this.name);
  }

  protected judged(inc: Incursion): boolean {
    return this.uavs.has(inc.uav) && this.classes.includes(inc.restriction);
  }

  protected get who(): string {
    return this.actor ?? 'the UAVs';
  }
}

export class AirspaceNoIncursion extends AirspaceCriterion {
  readonly type = 'airspace-no-incursion';
  private readonly threshold: ThresholdChoice;
  private count = 0;

  constructor(name: string, actor: string | undefined, uavIds: readonly string[], classes: readonly RestrictionClass[], maxIncursions: number | undefined, terminate: boolean) {
    super(name, terminate, actor, uavIds, classes);
    this.threshold = thresholdFrom(maxIncursions, 'miit-2c-forced-zone-avoidance');
  }

  override onEvent(e: SimEvent): void {
    if (e.type !== 'airspace' || e.kind !== 'entry') return;
    const inc = this.svc.latestIncursion(e.actor, e.zone);
    if (!inc || !this.judged(inc)) return;
    this.count++;
    if (this.count > this.threshold.value) this.fail(`${inc.uav} entered ${inc.restriction} zone ${inc.zone} at t=${inc.entryS.toFixed(2)} s (incursion ${this.count}, allowed ${this.threshold.value})`);
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed';
    return this.record({
      value: this.count,
      threshold: this.threshold.value,
      unit: 'incursions',
      passed,
      reason: passed ? `${this.count} incursion${this.count === 1 ? '' : 's'} into active ${this.classes.join('/')} zones by ${this.who}` : this.failureReason,
      thresholdSource: this.threshold.source,
    });
  }
}

export class AirspaceIncursion extends AirspaceCriterion {
  readonly type = 'airspace-incursion';
  private totalS = 0;
  private maxDepthM = 0;
  private deepest: Incursion | null = null;

  constructor(name: string, actor: string | undefined, uavIds: readonly string[], classes: readonly RestrictionClass[], private readonly maxTotalS: number | undefined, private readonly maxDepthBoundM: number | undefined) {
    super(name, false, actor, uavIds, classes);
  }

  override finish(endTime: number): void {
    const incs = this.svc.incursions.filter((x) => this.judged(x));
    this.totalS = incs.reduce((s, x) => s + AirspaceService.durationS(x, endTime), 0);
    for (const x of incs) {
      if (x.maxDepthM >= this.maxDepthM) {
        this.maxDepthM = x.maxDepthM;
        this.deepest = x;
      }
    }
    if (this.maxTotalS !== undefined && this.totalS > this.maxTotalS) this.fail(`${this.who} spent ${this.totalS.toFixed(2)} s inside active ${this.classes.join('/')} zones (allowed ${this.maxTotalS} s)`);
    else if (this.maxDepthBoundM !== undefined && this.maxDepthM > this.maxDepthBoundM) this.fail(`${this.deepest!.uav} reached ${this.maxDepthM.toFixed(2)} m deep into zone ${this.deepest!.zone} (allowed ${this.maxDepthBoundM} m)`);
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed';
    return this.record({
      value: this.totalS,
      threshold: this.maxTotalS ?? null,
      unit: 's',
      passed,
      reason: passed ? `${this.totalS.toFixed(2)} s inside, deepest ${this.maxDepthM.toFixed(2)} m${this.deepest ? ` (${this.deepest.uav} in ${this.deepest.zone})` : ''}` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}

export class AirspaceMinMargin extends AirspaceCriterion {
  readonly type = 'airspace-min-margin';
  private min = Infinity;
  private where = '';
  /** Smallest vertical margin (over or under a zone's footprint), reported only. */
  private minVertical = Infinity;
  private readonly threshold: ThresholdChoice;

  constructor(name: string, actor: string | undefined, uavIds: readonly string[], classes: readonly RestrictionClass[], thresholdM: number) {
    super(name, false, actor, uavIds, classes);
    this.threshold = { value: thresholdM, source: 'scenario' };
  }

  override finish(): void {
    this.svc.zones.forEach((z, i) => {
      if (!this.classes.includes(z.restriction)) return;
      for (const u of this.uavs) {
        const m = this.svc.marginsOf(u, i);
        if (m.minVerticalM < this.minVertical) this.minVertical = m.minVerticalM;
        if (m.minHorizontalM < this.min) {
          this.min = m.minHorizontalM;
          this.where = `${u} to ${z.id} at t=${m.minHorizontalAtS.toFixed(2)} s`;
        }
      }
    });
    if (this.min < this.threshold.value) this.fail(`horizontal margin ${this.min.toFixed(2)} m (${this.where}), need >= ${this.threshold.value} m`);
  }

  result(): CriterionResult {
    const vert = Number.isFinite(this.minVertical) ? `; smallest vertical margin ${this.minVertical.toFixed(2)} m` : '';
    return this.minimumResult(this.min, this.threshold, 'm', (v) => `smallest horizontal margin ${v.toFixed(2)} m (${this.where})${vert}`, this.failureReason, `never within the vertical band of an active zone of the judged classes${vert}`);
  }
}

export class AirspaceAuthorisation extends AirspaceCriterion {
  readonly type = 'airspace-authorisation';
  private violations = 0;
  private entries = 0;

  constructor(name: string, actor: string | undefined, uavIds: readonly string[]) {
    super(name, false, actor, uavIds, ['REQ_AUTHORISATION']);
  }

  override onEvent(e: SimEvent): void {
    if (e.type !== 'airspace' || e.kind !== 'entry') return;
    const inc = this.svc.latestIncursion(e.actor, e.zone);
    if (!inc || !this.judged(inc)) return;
    this.entries++;
    if (!inc.authorised) {
      this.violations++;
      this.fail(`${inc.uav} entered REQ_AUTHORISATION zone ${inc.zone} at t=${inc.entryS.toFixed(2)} s without its authorisation`);
    }
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed';
    return this.record({
      value: this.violations,
      threshold: 0,
      unit: 'unauthorised entries',
      passed,
      reason: passed ? `${this.entries} entr${this.entries === 1 ? 'y' : 'ies'} into REQ_AUTHORISATION zones, all authorised` : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}

export class AirspacePathExtra extends Criterion {
  readonly type = 'airspace-path-extra';
  private svc!: AirspaceService;
  private extraM: number | null = null;
  private ratio: number | null = null;

  constructor(name: string, private readonly actor: string, private readonly goal: readonly number[], private readonly maxExtraM: number | undefined) {
    super(name, false);
  }

  override attach(world: World): void {
    super.attach(world);
    this.svc = serviceOf(world, this.name);
  }

  override finish(): void {
    const p = this.svc.pathOf(this.actor);
    if (!p.start) {
      this.fail(`${this.actor} never flew`);
      return;
    }
    const g = this.goal;
    const straight = g.length === 3 ? Math.hypot(g[0]! - p.start[0], g[1]! - p.start[1], g[2]! - p.start[2]) : Math.hypot(g[0]! - p.start[0], g[1]! - p.start[1]);
    this.extraM = p.lengthM - straight;
    this.ratio = straight > 0 ? p.lengthM / straight : null;
    if (this.maxExtraM !== undefined && this.extraM > this.maxExtraM) this.fail(`${this.actor} flew ${this.extraM.toFixed(1)} m more than the ${straight.toFixed(1)} m straight route (allowed ${this.maxExtraM} m)`);
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed';
    return this.record({
      value: this.extraM,
      threshold: this.maxExtraM ?? null,
      unit: 'm',
      passed,
      reason: passed ? (this.extraM === null ? 'running' : `flown path ${this.extraM.toFixed(1)} m longer than the straight route${this.ratio !== null ? ` (ratio ${this.ratio.toFixed(3)})` : ''}`) : this.failureReason,
      thresholdSource: 'scenario',
    });
  }
}
