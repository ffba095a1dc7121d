/**
 * The scenario's airspace as a world service (issue #6): the zones, the
 * mapping from simulation time to UTC, which zones apply now (their schedule,
 * unless a timeline `zone` event switched them), and the compliance engine
 * that checks every UAV's ground-truth position against the active zones
 * every physics step.
 *
 * It implements `AirspaceKnowledge` (knowledge.ts): agents get the same
 * object through `AgentEnv.airspace`, so a geo-awareness service and the
 * judge never disagree on a zone. Agents must only use the knowledge part
 * (zones, activation, `warningsFor`); the incursion records and margins are
 * ground truth for the criteria (scenarios/criteria/airspace.ts).
 *
 * Compliance, per UAV and zone, on ground truth (position AMSL = origin
 * altitude + world z; flat ground at the origin's altitude):
 * - incursion: from the first step inside an active zone (3D, boundary
 *   inside) to the first step outside it (or the zone's deactivation, or the
 *   end of the run); its depth is minus the signed 3D distance (the distance
 *   to the nearest side, floor or ceiling), and the record keeps the largest;
 * - margins: the smallest horizontal margin (signed horizontal distance to
 *   the footprint of a volume, taken while the UAV is within that volume's
 *   vertical band, so a zone far above is no horizontal conflict) and the
 *   smallest vertical margin (gap to the floor or ceiling of a volume whose
 *   footprint the UAV is over);
 * - predicted breach: the UAV's stopping distance at its current speed,
 *   d = v^2 / (2 a) + v t_r with a = 5 m/s^2 and t_r = 0.5 s, along its
 *   velocity. If a point of that segment lies in an active zone the UAV may
 *   not enter (PROHIBITED; REQ_AUTHORISATION without the authorisation), a
 *   warning is raised (a SimEvent `airspace` of kind `warning` when it
 *   starts) and kept in `warningsFor(uav)` while it lasts, the way a DJI GEO
 *   or U-space geo-awareness service warns ahead of a boundary.
 *   Why 5 m/s^2 and 0.5 s: a multirotor's braking is bounded by its tilt
 *   limit, g tan(tilt); PX4's MPC_ACC_HOR default is 3 m/s^2 and
 *   MPC_ACC_HOR_MAX 5 m/s^2, and a 27 deg tilt gives g tan(27 deg) = 5.0
 *   m/s^2. 0.5 s covers the reaction of the agent loop plus the attitude
 *   response (PX4's MPC_TILTMAX_AIR default 45 deg is not reached in a
 *   controlled stop). These are Skylane's choices, stated here, not a
 *   standard's numbers.
 */
import type { SimEvent } from '../../sim/snapshot.ts';
import type { World, WorldService } from '../../sim/world.ts';
import type { AirspaceKnowledge } from './knowledge.ts';
import { signedHorizontalDistanceM, verticalMargins, type RestrictionClass, type VerticalMargins, type Zone } from './zone.ts';

/** Braking deceleration for the stopping distance, m/s^2 (see the header). */
export const STOP_DECEL_MPS2 = 5;
/** Reaction time for the stopping distance, s (see the header). */
export const STOP_REACTION_S = 0.5;

/** Stopping distance at `speedMps`, m: v^2 / (2 a) + v t_r. */
export function stoppingDistanceM(speedMps: number): number {
  return (speedMps * speedMps) / (2 * STOP_DECEL_MPS2) + speedMps * STOP_REACTION_S;
}

export interface Incursion {
  uav: string;
  zone: string;
  zoneIndex: number;
  restriction: RestrictionClass;
  /** Simulation time of the first step inside, s. */
  entryS: number;
  /** Simulation time of the first step outside again, s; null while inside at the end. */
  exitS: number | null;
  /** Largest depth inside, m (3D: distance to the nearest side, floor or ceiling). */
  maxDepthM: number;
  /** The UAV carried an authorisation for this zone. */
  authorised: boolean;
}

export interface ZoneMargins {
  /** Smallest horizontal margin while within a volume's vertical band, m (negative: inside); +Infinity if never in its band. */
  minHorizontalM: number;
  /** Smallest vertical gap to a volume whose footprint the UAV was over, m (negative: inside); +Infinity if never over it. */
  minVerticalM: number;
  /** Time of the smallest horizontal margin, s. */
  minHorizontalAtS: number;
}

export interface BreachWarning {
  zone: string;
  zoneIndex: number;
  restriction: RestrictionClass;
  /** Simulation time the warning started, s. */
  sinceS: number;
  /** Distance along the velocity to the first predicted point inside, m. */
  distanceM: number;
}

export interface AirspaceUav {
  id: string;
  /** Zone ids this UAV is authorised to enter (REQ_AUTHORISATION). */
  authorisations: readonly string[];
}

export interface AirspaceServiceOptions {
  zones: readonly Zone[];
  /** UTC epoch ms at simulation time 0. */
  startUtcMs: number;
  /** Ground (and origin) height AMSL, m. */
  originAmslM: number;
  uavs: readonly AirspaceUav[];
  /** Zones off at the start until a timeline event switches them on (by index). */
  offAtStart?: readonly number[];
  /** Importer warnings, kept for the report. */
  warnings?: readonly string[];
}

interface UavTrack {
  id: string;
  authorised: Set<string>;
  open: (Incursion | null)[];
  margins: ZoneMargins[];
  warnings: BreachWarning[];
  /** Index into `warnings` per zone, -1 when none. */
  warningOf: number[];
  lengthM: number;
  /** Last observed position (valid once `start` is set). */
  last: [number, number, number];
  start: [number, number, number] | null;
}

const services = new WeakMap<World, AirspaceService>();

/** The world's airspace service, if the scenario has airspace. */
export function airspaceOf(world: World): AirspaceService | undefined {
  return services.get(world);
}

/** Number of points checked along the stopping segment (its end included). */
const PREDICT_SAMPLES = 8;

export class AirspaceService implements WorldService, AirspaceKnowledge {
  readonly zones: readonly Zone[];
  readonly startUtcMs: number;
  readonly originAmslM: number;
  readonly warnings: readonly string[];
  /** Every incursion, closed or open, in order of entry. */
  readonly incursions: Incursion[] = [];
  /** Per zone, the timeline switches that have fired: [time s, active]. */
  private readonly overrides: [number, boolean][][];
  private readonly tracks: UavTrack[];
  private readonly ground: (e: number, n: number) => number;
  private readonly _vm: VerticalMargins = { aboveLowerM: 0, belowUpperM: 0 };
  private world: World | undefined;

  constructor(opts: AirspaceServiceOptions) {
    this.zones = opts.zones;
    this.startUtcMs = opts.startUtcMs;
    this.originAmslM = opts.originAmslM;
    this.warnings = opts.warnings ?? [];
    this.overrides = opts.zones.map(() => []);
    for (const i of opts.offAtStart ?? []) this.overrides[i]!.push([-Infinity, false]);
    const alt = opts.originAmslM;
    this.ground = () => alt;
    this.tracks = opts.uavs.map((u) => ({
      id: u.id,
      authorised: new Set(u.authorisations),
      open: opts.zones.map(() => null),
      margins: opts.zones.map(() => ({ minHorizontalM: Infinity, minVerticalM: Infinity, minHorizontalAtS: 0 })),
      warnings: [],
      warningOf: opts.zones.map(() => -1),
      lengthM: 0,
      last: [0, 0, 0],
      start: null,
    }));
  }

  /** Register with a world: it is stepped with it and `airspaceOf(world)` finds it. */
  attach(world: World): void {
    this.world = world;
    services.set(world, this);
    world.addService(this);
  }

  // ---------- AirspaceKnowledge ----------
  utcMsAt(simTimeS: number): number {
    return this.startUtcMs + simTimeS * 1000;
  }

  isActive(index: number, simTimeS: number): boolean {
    const o = this.overrides[index];
    if (!o) throw new RangeError(`no airspace zone ${index} (there are ${this.zones.length})`);
    for (let k = o.length - 1; k >= 0; k--) if (o[k]![0] <= simTimeS) return o[k]![1];
    return this.zones[index]!.isActive(this.utcMsAt(simTimeS));
  }

  groundAmslM(_e: number, _n: number): number {
    return this.originAmslM;
  }

  /** Zone index by id (the first zone with it), -1 if none. */
  indexOf(id: string): number {
    return this.zones.findIndex((z) => z.id === id);
  }

  /** A timeline event: switch a zone on or off from `timeS` on (every zone with that id). */
  setActive(id: string, active: boolean, timeS: number): void {
    this.zones.forEach((z, i) => {
      if (z.id === id) this.overrides[i]!.push([timeS, active]);
    });
  }

  /** The predicted-breach warnings standing for a UAV now (a geo-awareness feed). */
  warningsFor(uav: string): readonly BreachWarning[] {
    return this.track(uav).warnings;
  }

  /** Margins of a UAV to zone `index` over the run so far. */
  marginsOf(uav: string, index: number): Readonly<ZoneMargins> {
    return this.track(uav).margins[index]!;
  }

  /** Ground-truth path length flown by a UAV so far, m, and its start position. */
  pathOf(uav: string): { lengthM: number; start: readonly [number, number, number] | null } {
    const t = this.track(uav);
    return { lengthM: t.lengthM, start: t.start };
  }

  /** The latest incursion of a UAV into a zone (by id), or null. */
  latestIncursion(uav: string, zone: string): Incursion | null {
    for (let k = this.incursions.length - 1; k >= 0; k--) {
      const x = this.incursions[k]!;
      if (x.uav === uav && x.zone === zone) return x;
    }
    return null;
  }

  uavIds(): string[] {
    return this.tracks.map((t) => t.id);
  }

  private track(uav: string): UavTrack {
    const t = this.tracks.find((x) => x.id === uav);
    if (!t) throw new RangeError(`airspace: "${uav}" is not a UAV of this scenario`);
    return t;
  }

  private emit(e: SimEvent): void {
    this.world?.emit(e);
  }

  // ---------- compliance (ground truth) ----------
  tick(): void {}

  afterPhysics(time: number): void {
    const w = this.world;
    if (!w) return;
    for (const t of this.tracks) {
      const st = w.stateOf(t.id);
      if (!st.present) continue;
      const [x, y, z] = st.position;
      this.observe(t, time, x, y, z, st.linearVelocity[0], st.linearVelocity[1], st.linearVelocity[2]);
    }
  }

  /** One compliance step for a UAV at ground-truth position (x, y, z world) and velocity; public for tests. */
  observe(t: UavTrack | string, time: number, x: number, y: number, z: number, vx: number, vy: number, vz: number): void {
    const tr = typeof t === 'string' ? this.track(t) : t;
    const last = tr.last;
    if (tr.start) tr.lengthM += Math.hypot(x - last[0], y - last[1], z - last[2]);
    else tr.start = [x, y, z];
    last[0] = x;
    last[1] = y;
    last[2] = z;
    const amsl = this.originAmslM + z;
    const speed = Math.hypot(vx, vy, vz);
    const stop = stoppingDistanceM(speed);
    for (let i = 0; i < this.zones.length; i++) {
      const zone = this.zones[i]!;
      const active = this.isActive(i, time);
      const open = tr.open[i];
      if (!active) {
        if (open) this.close(tr, i, time);
        this.clearWarning(tr, i);
        continue;
      }
      const d = zone.signedDistanceM(x, y, amsl, this.ground);
      if (d <= 0) {
        if (open) open.maxDepthM = Math.max(open.maxDepthM, -d);
        else {
          const inc: Incursion = { uav: tr.id, zone: zone.id, zoneIndex: i, restriction: zone.restriction, entryS: time, exitS: null, maxDepthM: -d, authorised: tr.authorised.has(zone.id) };
          tr.open[i] = inc;
          this.incursions.push(inc);
          this.emit({ type: 'airspace', time, actor: tr.id, zone: zone.id, kind: 'entry', detail: `entered ${zone.restriction} zone ${zone.id}${inc.authorised ? ' (authorised)' : ''}` });
        }
      } else if (open) this.close(tr, i, time);
      // Margins.
      const m = tr.margins[i]!;
      for (const v of zone.volumes) {
        const h = signedHorizontalDistanceM(v.shape, x, y);
        verticalMargins(v, x, y, amsl, this.ground, this._vm);
        const inBand = this._vm.aboveLowerM >= 0 && this._vm.belowUpperM >= 0;
        if (inBand && h < m.minHorizontalM) {
          m.minHorizontalM = h;
          m.minHorizontalAtS = time;
        }
        if (h <= 0) {
          const gap = inBand ? -Math.min(this._vm.aboveLowerM, this._vm.belowUpperM) : Math.max(-this._vm.aboveLowerM, -this._vm.belowUpperM);
          if (gap < m.minVerticalM) m.minVerticalM = gap;
        }
      }
      // Predicted breach along the velocity, within the stopping distance.
      const forbidden = zone.restriction === 'PROHIBITED' || (zone.restriction === 'REQ_AUTHORISATION' && !tr.authorised.has(zone.id));
      let hitAt = -1;
      if (forbidden && d > 0 && speed > 1e-3 && d <= stop) {
        for (let k = 1; k <= PREDICT_SAMPLES; k++) {
          const s = (stop * k) / PREDICT_SAMPLES;
          const f = s / speed;
          if (zone.contains(x + vx * f, y + vy * f, amsl + vz * f, this.ground)) {
            hitAt = s;
            break;
          }
        }
      }
      if (hitAt >= 0) {
        const wi = tr.warningOf[i]!;
        if (wi >= 0) tr.warnings[wi]!.distanceM = hitAt;
        else {
          tr.warningOf[i] = tr.warnings.length;
          tr.warnings.push({ zone: zone.id, zoneIndex: i, restriction: zone.restriction, sinceS: time, distanceM: hitAt });
          this.emit({ type: 'airspace', time, actor: tr.id, zone: zone.id, kind: 'warning', detail: `predicted breach of ${zone.restriction} zone ${zone.id} within ${hitAt.toFixed(1)} m (stopping distance ${stop.toFixed(1)} m at ${speed.toFixed(1)} m/s)` });
        }
      } else this.clearWarning(tr, i);
    }
  }

  private close(tr: UavTrack, i: number, time: number): void {
    const inc = tr.open[i]!;
    inc.exitS = time;
    tr.open[i] = null;
    this.emit({ type: 'airspace', time, actor: tr.id, zone: inc.zone, kind: 'exit', detail: `left zone ${inc.zone} after ${(time - inc.entryS).toFixed(2)} s, deepest ${inc.maxDepthM.toFixed(2)} m` });
  }

  private clearWarning(tr: UavTrack, i: number): void {
    const wi = tr.warningOf[i]!;
    if (wi < 0) return;
    tr.warnings.splice(wi, 1);
    tr.warningOf[i] = -1;
    for (let k = 0; k < tr.warningOf.length; k++) if (tr.warningOf[k]! > wi) tr.warningOf[k] = tr.warningOf[k]! - 1;
  }

  /** Time inside an incursion up to `endS` (open ones count to it), s. */
  static durationS(inc: Incursion, endS: number): number {
    return (inc.exitS ?? endS) - inc.entryS;
  }
}
