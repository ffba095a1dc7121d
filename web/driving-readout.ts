/**
 * The driving readout (pure, runs in the sim worker): for a scenario with driving criteria, the live driving
 * score, the ego's speed, the current and minimum time-to-collision, and the
 * infractions as they happen. Every number is read from the running
 * criteria's own state (scenarios/criteria/driving/), so the panel shows
 * exactly what the verdict will be computed from, with no second copy of the
 * scoring rules. All of it is ground truth, as the criteria judge it: not
 * what the agent perceives.
 */
import type { Criterion } from '../scenarios/criteria/criterion.ts';
import {
  CARLA_PENALTIES, DrivingCollisions, DrivingScore, LaneDeparture, MinTimeToCollision, OffRoad,
  RedLightViolations, RouteCompletion, Speeding, StopSignViolations,
} from '../scenarios/criteria/driving/index.ts';
import type { CollisionTally } from '../scenarios/criteria/driving/collision-tally.ts';
import type { StopLineMonitor } from '../scenarios/criteria/driving/stop-line-monitor.ts';
import type { ActorState } from '../sim/snapshot.ts';
import type { DrivingFrame, DrivingInit } from './sim-protocol.ts';

const MPS_TO_KMH = 3.6;

export interface Infraction {
  time: number;
  kind: string;
  text: string;
}

/** One list of infractions the panel appends from, and how many of it are shown. */
interface Feed {
  length(): number;
  item(i: number): Infraction;
  shown: number;
}

/** Criterion types whose presence makes a scenario a driving scenario. */
function isDriving(c: Criterion): boolean {
  return c instanceof DrivingScore || c instanceof RouteCompletion || c instanceof MinTimeToCollision || c instanceof Speeding
    || c instanceof DrivingCollisions || c instanceof LaneDeparture || c instanceof OffRoad || c instanceof RedLightViolations
    || c instanceof StopSignViolations;
}

function collisionFeed(t: CollisionTally): Feed {
  return {
    length: () => t.counted.length,
    item: (i) => {
      const c = t.counted[i]!;
      return { time: c.time, kind: `collision · ${c.category}`, text: `${c.other} (×${CARLA_PENALTIES[c.category].toFixed(2)})` };
    },
    shown: 0,
  };
}

function stopLineFeed(m: StopLineMonitor): Feed {
  return {
    length: () => m.violations.length,
    item: (i) => {
      const v = m.violations[i]!;
      return v.kind === 'red-light'
        ? { time: v.time, kind: 'red light', text: `stop line ${v.stopLineId}${v.lightId ? ` (${v.lightId})` : ''} (×${CARLA_PENALTIES.redLight.toFixed(2)})` }
        : { time: v.time, kind: 'stop sign', text: `stop line ${v.stopLineId}, no full stop (×${CARLA_PENALTIES.stopSign.toFixed(2)})` };
    },
    shown: 0,
  };
}

function episodeFeed(times: readonly number[], kind: string, text: string): Feed {
  return { length: () => times.length, item: (i) => ({ time: times[i]!, kind, text }), shown: 0 };
}

function speedingFeed(s: Speeding): Feed {
  return {
    length: () => s.episodes.length,
    item: (i) => {
      const e = s.episodes[i]!;
      return { time: e.time, kind: 'speeding', text: `${(e.speedMps * MPS_TO_KMH).toFixed(0)} km/h, limit ${(e.limitMps * MPS_TO_KMH).toFixed(0)}` };
    },
    shown: 0,
  };
}

/**
 * Reads a run's driving criteria into the strings the driving panel shows
 * (null from `of` when the run has none). Every number is the criteria's own.
 */
export class DrivingReadout {
  private scoreC: DrivingScore | null = null;
  private routeC: RouteCompletion | null = null;
  private ttcC: MinTimeToCollision | null = null;
  private speedC: Speeding | null = null;
  /** TTC now below this is shown as a warning: twice the criterion's threshold, s. */
  private ttcWarnS = 0;
  private readonly feeds: Feed[] = [];
  readonly init: DrivingInit;

  private constructor(driving: Criterion[]) {
    const find = <T>(k: abstract new (...a: never[]) => T): T | null => (driving.find((c) => c instanceof k) as T | undefined) ?? null;
    this.scoreC = find(DrivingScore);
    this.routeC = find(RouteCompletion);
    this.ttcC = find(MinTimeToCollision);
    this.speedC = find(Speeding);
    this.ttcWarnS = 2 * (this.ttcC?.result().threshold ?? 0);
    const egoId = (driving[0] as unknown as { egoId: string }).egoId;
    // One source per kind of infraction: the score's own parts first (they are what it charges), else the criteria's.
    const tally = this.scoreC?.collisions ?? find(DrivingCollisions)?.tally ?? null;
    if (tally) this.feeds.push(collisionFeed(tally));
    const lines = this.scoreC?.stopLines ?? find(RedLightViolations)?.monitor ?? find(StopSignViolations)?.monitor ?? null;
    if (lines) this.feeds.push(stopLineFeed(lines));
    const lane = find(LaneDeparture);
    if (lane) this.feeds.push(episodeFeed(lane.episodeTimes, 'lane departure', 'across a solid marking or off the drivable lanes'));
    const off = find(OffRoad);
    if (off) this.feeds.push(episodeFeed(off.episodeTimes, 'off road', 'a corner off every driving lane and shoulder'));
    if (this.speedC) this.feeds.push(speedingFeed(this.speedC));
    this.init = { egoId, label: this.scoreC ? 'Driving score' : this.routeC ? 'Route completion' : 'Driving score' };
  }

  /** The readout of a run's criteria, or null when none is a driving criterion. */
  static of(criteria: readonly Criterion[]): DrivingReadout | null {
    const driving = criteria.filter(isDriving);
    return driving.length === 0 ? null : new DrivingReadout(driving);
  }

  /** The panel's strings now, and the infractions found since the last call. */
  read(): DrivingFrame {
    let score: string, detail: string;
    if (this.scoreC) {
      score = this.scoreC.score.toFixed(1);
      detail = `route ${this.scoreC.route.percent.toFixed(1)} %\n× penalty ${this.scoreC.penalty.toFixed(2)}`;
    } else if (this.routeC) {
      score = `${this.routeC.progress.percent.toFixed(1)} %`;
      detail = 'no driving-score criterion in this scenario';
    } else {
      score = '—';
      detail = 'no driving-score criterion in this scenario';
    }
    const lim = this.speedC?.currentLimitMps ?? NaN;
    const limit = Number.isFinite(lim) ? `limit ${(lim * MPS_TO_KMH).toFixed(0)}` : this.speedC ? 'no limit here' : '';
    const t = this.ttcC;
    const ttcNow = t ? (Number.isFinite(t.currentTtcS) ? `${t.currentTtcS.toFixed(1)} s · ${t.currentTtcWith}` : `none within ${MinTimeToCollision.HORIZON_S} s`) : 'no min-ttc criterion';
    const ttcMin = t && Number.isFinite(t.minTtcS) ? `${t.minTtcS.toFixed(1)} s · ${t.minTtcWith} @ ${t.minTtcAtS.toFixed(1)} s` : '—';
    const infractions: Infraction[] = [];
    for (const f of this.feeds) {
      const n = f.length();
      for (; f.shown < n; f.shown++) infractions.push(f.item(f.shown));
    }
    infractions.sort((a, b) => a.time - b.time);
    return { score, detail, limit, ttcNow, ttcMin, ttcWarn: !!t && t.currentTtcS < this.ttcWarnS, infractions };
  }
}

/** Ground speed of a state, km/h, or '—' once removed. */
export function speedKmh(e: Readonly<ActorState> | null): string {
  return e && e.present ? (Math.hypot(e.linearVelocity[0], e.linearVelocity[1]) * MPS_TO_KMH).toFixed(1) : '—';
}
