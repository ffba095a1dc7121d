/**
 * Live metrics of a run, for the plots and the recordings: named channels
 * sampled from GROUND TRUTH (like the criteria, never from an agent), at
 * whatever rate the caller samples (10-20 Hz for plots and recordings).
 *
 * Channels, each present only when it applies to the scenario:
 * - `speedMps`: the ego's speed (3D norm of its linear velocity). The ego is
 *   the first agent-driven actor (`World.agentDriven()[0]`).
 * - `ttcS`: the ego car's time-to-collision now, to the vehicle in its path
 *   it would hit first: the `min-ttc` criterion's constant-velocity method
 *   (nuPlan's, scenarios/criteria/driving/min-ttc.ts, re-evaluated every
 *   0.1 s). Read from the run's own `min-ttc` criterion on the ego when it
 *   has one, else from a private copy of it that never fails (threshold 0)
 *   and so never emits. Present when the ego is a car on a road; a sample is
 *   null while no vehicle is in its path within the 3 s horizon.
 * - `clearanceM`: the smallest distance between an agent-driven actor and
 *   any other non-terrain body (exact prism distance, as `min-clearance`:
 *   sim/geometry/clearance.ts). Present when some actor is agent-driven and
 *   there is anything else to be clear of.
 * - `gimbalErrorDeg`: the largest angle of the judged gimbal's camera
 *   attitude error (|error vector| of `Gimbal.errorLog`, about the command
 *   as issued), over every kHz substep since the previous sample (so no
 *   peak falls between samples), degrees. Present when an agent-driven UAV
 *   carries a gimbal (the first such).
 * - `gimbalJitterDeg`: the same error through the `gimbal-jitter`
 *   criterion's per-axis 1 Hz Butterworth high-pass (uav/gimbal/jitter.ts;
 *   the scenario's `cutoffHz` when it has that criterion), the largest
 *   |high-passed error vector| since the previous sample, degrees: the
 *   quantity judged against the plan's 0.005 deg (per axis there).
 * - `zoneMarginM`: the smallest horizontal margin of an agent-driven UAV to
 *   an active zone it may not enter (PROHIBITED, or REQ_AUTHORISATION
 *   without its authorisation), taken only for volumes whose vertical band
 *   the UAV is in (as `airspace-min-margin`); negative inside. Present when
 *   the scenario has `world.airspace`; null while no such zone is in band.
 *
 * Sampling reads the world and allocates one small object per sample; no
 * state of the world or of the run is changed (the recorder's test checks
 * the state hash).
 */
import type { ActorPart } from '../../sim/actor.ts';
import { newPrism, prismDistance, prismLowerBound, prismOf, type Prism } from '../../sim/geometry/clearance.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import type { World } from '../../sim/world.ts';
import { airspaceOf, type AirspaceService } from '../../uav/airspace/service.ts';
import { signedHorizontalDistanceM, verticalMargins, type VerticalMargins } from '../../uav/airspace/zone.ts';
import type { Gimbal } from '../../uav/gimbal/gimbal.ts';
import { gimbalOf } from '../../uav/gimbal/service.ts';
import { ButterworthHighPass } from '../../uav/gimbal/jitter.ts';
import { DrivingContexts } from '../criteria/index.ts';
import { MinTimeToCollision } from '../criteria/driving/min-ttc.ts';
import type { Run } from '../runner.ts';
import type { MetricChannel, MetricSample } from './channels.ts';

export { METRIC_CHANNELS, METRIC_INFO, type MetricChannel, type MetricSample } from './channels.ts';

interface Body {
  id: string;
  state: ActorState;
  parts: readonly ActorPart[];
  prisms: Prism[];
  isStatic: boolean;
  /** Prisms valid for the current sample (static ones once and for all). */
  fresh: boolean;
}

const RAD_TO_DEG = 180 / Math.PI;

export class LiveMetrics {
  /** The channels this run has, in METRIC_CHANNELS order. */
  readonly channels: readonly MetricChannel[];
  /** The ego (first agent-driven actor), or undefined. */
  readonly egoId: string | undefined;
  private readonly world: World;
  private readonly ego: ActorState | undefined;
  private readonly ttc: MinTimeToCollision | undefined;
  private readonly drivers: Body[] = [];
  private readonly bodies: Body[] = [];
  private readonly gimbal: Gimbal | undefined;
  /** Peaks of the raw and high-passed gimbal error since the last sample, rad, and the last tick's. */
  private readonly gimbalPeak = { raw: 0, hp: 0, lastRaw: 0, lastHp: 0, ticks: 0 };
  private readonly airspace: AirspaceService | undefined;
  private readonly uavs: { state: ActorState; forbidden: boolean[] }[] = [];
  private readonly vm: VerticalMargins = { aboveLowerM: 0, belowUpperM: 0 };
  /**
   * Who set the latest sample's `clearanceM`: the agent-driven actor and the
   * body nearest to it (null: no such pair, or the channel is absent).
   * Read after `sample()`, e.g. for the view's clearance marker.
   */
  clearancePair: { actorId: string; otherId: string } | null = null;

  constructor(run: Run) {
    const world = run.world;
    this.world = world;
    const driven = world.agentDriven();
    this.egoId = driven[0];
    this.ego = this.egoId !== undefined ? world.stateOf(this.egoId) : undefined;
    const channels: MetricChannel[] = [];
    if (this.ego) channels.push('speedMps');

    // TTC: the run's own min-ttc on the ego, else a private copy that cannot fail (threshold 0, TTC >= 0 always).
    const egoActor = this.egoId !== undefined ? world.actor(this.egoId) : undefined;
    if (egoActor && egoActor.kind === 'car' && run.road) {
      const own = run.criteria.find((c): c is MinTimeToCollision => c instanceof MinTimeToCollision && c.egoId === this.egoId);
      if (own) this.ttc = own;
      else {
        const ctx = new DrivingContexts({ scenario: run.scenario, world, road: run.road }).get({ type: 'min-ttc', ego: this.egoId } as Parameters<DrivingContexts['get']>[0]);
        const mine = new MinTimeToCollision('live-ttc', ctx, { minTtcS: 0 });
        mine.attach(world);
        world.tick$.subscribe((snap) => mine.observe(snap));
        this.ttc = mine;
      }
      channels.push('ttcS');
    }

    // Clearance: agent-driven actors against every other non-terrain body.
    const body = (id: string): Body => {
      const a = world.actor(id);
      return { id, state: world.stateOf(id), parts: a.descriptor.parts, prisms: a.descriptor.parts.map(newPrism), isStatic: a.descriptor.isStatic, fresh: false };
    };
    const drivenSet = new Set(driven);
    for (const a of world.actors()) {
      if (a.descriptor.isTerrain || a.descriptor.parts.length === 0) continue;
      const b = body(a.id);
      this.bodies.push(b);
      if (drivenSet.has(a.id)) this.drivers.push(b);
    }
    if (this.drivers.length > 0 && this.bodies.length > 1) channels.push('clearanceM');

    // Gimbal: the first agent-driven actor carrying one.
    for (const id of driven) {
      const g = gimbalOf(world.actor(id));
      if (g) {
        this.gimbal = g;
        break;
      }
    }
    if (this.gimbal) {
      const g = this.gimbal;
      const jitter = run.scenario.criteria.find((c) => c.type === 'gimbal-jitter') as { cutoffHz?: number } | undefined;
      const hp = [0, 1, 2].map(() => new ButterworthHighPass(jitter?.cutoffHz ?? 1, g.logHz));
      const pk = this.gimbalPeak;
      world.tick$.subscribe(() => {
        const log = g.errorLog;
        let raw = 0, high = 0;
        for (let k = 0; k < g.substeps; k++) {
          const x = log[3 * k]!, y = log[3 * k + 1]!, z = log[3 * k + 2]!;
          const e = x * x + y * y + z * z;
          if (e > raw) raw = e;
          const hx = hp[0]!.step(x), hy = hp[1]!.step(y), hz = hp[2]!.step(z);
          const h = hx * hx + hy * hy + hz * hz;
          if (h > high) high = h;
        }
        pk.lastRaw = Math.sqrt(raw);
        pk.lastHp = Math.sqrt(high);
        if (pk.lastRaw > pk.raw) pk.raw = pk.lastRaw;
        if (pk.lastHp > pk.hp) pk.hp = pk.lastHp;
        pk.ticks++;
      });
      channels.push('gimbalErrorDeg', 'gimbalJitterDeg');
    }

    // Airspace: agent-driven UAVs the service tracks, and the zones each may not enter.
    this.airspace = airspaceOf(world);
    if (this.airspace) {
      const svc = this.airspace;
      const tracked = new Set(svc.uavIds());
      for (const spec of run.scenario.actors) {
        if (spec.kind !== 'uav' || !drivenSet.has(spec.id) || !tracked.has(spec.id)) continue;
        const auth = new Set<string>(('airspaceAuthorisations' in spec ? (spec.airspaceAuthorisations as string[] | undefined) : undefined) ?? []);
        const forbidden = svc.zones.map((z) => z.restriction === 'PROHIBITED' || (z.restriction === 'REQ_AUTHORISATION' && !auth.has(z.id)));
        this.uavs.push({ state: world.stateOf(spec.id), forbidden });
      }
      channels.push('zoneMarginM');
    }
    this.channels = channels;
  }

  /**
   * Sample every present channel now (the world's current ground truth).
   * The gimbal channels are peaks since the previous call: use one
   * LiveMetrics per consumer.
   */
  sample(): MetricSample {
    const values: MetricSample['values'] = {};
    for (const ch of this.channels) values[ch] = this.value(ch);
    // Peaks are "since the previous sample".
    const pk = this.gimbalPeak;
    pk.raw = 0;
    pk.hp = 0;
    pk.ticks = 0;
    return { t: this.world.time, values };
  }

  /**
   * The actor that sets the ego's TTC now (the `ttcS` channel's partner at
   * the latest evaluation), or null while none is within the horizon or the
   * channel is absent.
   */
  get ttcWith(): string | null {
    if (!this.ttc || !Number.isFinite(this.ttc.currentTtcS)) return null;
    return this.ttc.currentTtcWith || null;
  }

  private value(ch: MetricChannel): number | null {
    switch (ch) {
      case 'speedMps': {
        const v = this.ego!.linearVelocity;
        return Math.hypot(v[0], v[1], v[2]);
      }
      case 'ttcS': {
        const t = this.ttc!.currentTtcS;
        return Number.isFinite(t) ? t : null;
      }
      case 'clearanceM':
        return this.clearance();
      case 'gimbalErrorDeg':
        return (this.gimbalPeak.ticks > 0 ? this.gimbalPeak.raw : this.gimbalPeak.lastRaw) * RAD_TO_DEG;
      case 'gimbalJitterDeg':
        return (this.gimbalPeak.ticks > 0 ? this.gimbalPeak.hp : this.gimbalPeak.lastHp) * RAD_TO_DEG;
      case 'zoneMarginM':
        return this.zoneMargin();
    }
  }

  private refresh(b: Body): void {
    if (b.fresh) return;
    for (let i = 0; i < b.parts.length; i++) prismOf(b.parts[i]!, b.state.position, b.state.rotation, b.prisms[i]!);
    b.fresh = true;
  }

  private clearance(): number | null {
    // Moving bodies' prisms are rebuilt once per sample; static ones once for the run.
    for (const b of this.bodies) if (!b.isStatic) b.fresh = false;
    let min = Infinity;
    let pairA = '', pairB = '';
    for (const d of this.drivers) {
      if (!d.state.present) continue;
      this.refresh(d);
      for (const o of this.bodies) {
        if (o === d || !o.state.present) continue;
        this.refresh(o);
        for (const a of d.prisms) {
          for (const b of o.prisms) {
            if (prismLowerBound(a, b) >= min) continue;
            const dist = prismDistance(a, b);
            if (dist < min) {
              min = dist;
              pairA = d.id;
              pairB = o.id;
            }
          }
        }
      }
    }
    this.clearancePair = Number.isFinite(min) ? { actorId: pairA, otherId: pairB } : null;
    return Number.isFinite(min) ? min : null;
  }

  private zoneMargin(): number | null {
    const svc = this.airspace!, t = this.world.time;
    let min = Infinity;
    for (const u of this.uavs) {
      if (!u.state.present) continue;
      const [x, y, z] = u.state.position;
      const amsl = svc.originAmslM + z;
      for (let i = 0; i < svc.zones.length; i++) {
        if (!u.forbidden[i] || !svc.isActive(i, t)) continue;
        for (const v of svc.zones[i]!.volumes) {
          verticalMargins(v, x, y, amsl, () => svc.originAmslM, this.vm);
          if (this.vm.aboveLowerM < 0 || this.vm.belowUpperM < 0) continue;
          const h = signedHorizontalDistanceM(v.shape, x, y);
          if (h < min) min = h;
        }
      }
    }
    return Number.isFinite(min) ? min : null;
  }
}
