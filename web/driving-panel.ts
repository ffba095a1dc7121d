/**
 * The driving panel: for a scenario with driving criteria, the live driving
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
import type { Run } from '../scenarios/runner.ts';
import type { ActorState } from '../sim/snapshot.ts';
import { $, setText } from './ui.ts';

const MPS_TO_KMH = 3.6;

interface Infraction {
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

export class DrivingPanel {
  private readonly root = $('driving-card');
  private readonly score = $('drv-score');
  private readonly scoreLabel = $('drv-score-label');
  private readonly scoreDetail = $('drv-score-detail');
  private readonly speed = $('drv-speed');
  private readonly limit = $('drv-limit');
  private readonly ttcNow = $('drv-ttc-now');
  private readonly ttcMin = $('drv-ttc-min');
  private readonly list = $('drv-infractions');
  private readonly count = $('drv-infraction-count');
  private readonly egoName = $('drv-ego');

  private scoreC: DrivingScore | null = null;
  private routeC: RouteCompletion | null = null;
  private ttcC: MinTimeToCollision | null = null;
  private speedC: Speeding | null = null;
  private ego: ActorState | null = null;
  /** TTC now below this is shown as a warning: twice the criterion's threshold, s. */
  private ttcWarnS = 0;
  private feeds: Feed[] = [];
  private total = 0;

  /** Find the run's driving criteria; shows the panel only if there are any. */
  attach(run: Run): void {
    this.clear();
    const driving = run.criteria.filter(isDriving);
    if (driving.length === 0) return;
    const find = <T>(k: abstract new (...a: never[]) => T): T | null => (driving.find((c) => c instanceof k) as T | undefined) ?? null;
    this.scoreC = find(DrivingScore);
    this.routeC = find(RouteCompletion);
    this.ttcC = find(MinTimeToCollision);
    this.speedC = find(Speeding);
    this.ttcWarnS = 2 * (this.ttcC?.result().threshold ?? 0);
    const egoId = (driving[0] as unknown as { egoId: string }).egoId;
    this.ego = run.world.stateOf(egoId);
    setText(this.egoName, egoId);

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

    setText(this.scoreLabel, this.scoreC ? 'Driving score' : this.routeC ? 'Route completion' : 'Driving score');
    this.root.hidden = false;
    this.update();
  }

  clear(): void {
    this.root.hidden = true;
    this.scoreC = this.routeC = null;
    this.ttcC = null;
    this.speedC = null;
    this.ego = null;
    this.feeds = [];
    this.total = 0;
    this.list.replaceChildren();
    setText(this.count, '');
  }

  /** Refresh from the criteria's running state (called at the panel rate, not per frame). */
  update(): void {
    if (this.root.hidden) return;
    if (this.scoreC) {
      setText(this.score, this.scoreC.score.toFixed(1));
      setText(this.scoreDetail, `route ${this.scoreC.route.percent.toFixed(1)} %\n× penalty ${this.scoreC.penalty.toFixed(2)}`);
    } else if (this.routeC) {
      setText(this.score, `${this.routeC.progress.percent.toFixed(1)} %`);
      setText(this.scoreDetail, 'no driving-score criterion in this scenario');
    } else {
      setText(this.score, '—');
      setText(this.scoreDetail, 'no driving-score criterion in this scenario');
    }

    const e = this.ego;
    setText(this.speed, e && e.present ? (Math.hypot(e.linearVelocity[0], e.linearVelocity[1]) * MPS_TO_KMH).toFixed(1) : '—');
    const lim = this.speedC?.currentLimitMps ?? NaN;
    setText(this.limit, Number.isFinite(lim) ? `limit ${(lim * MPS_TO_KMH).toFixed(0)}` : this.speedC ? 'no limit here' : '');

    const t = this.ttcC;
    if (t) {
      setText(this.ttcNow, Number.isFinite(t.currentTtcS) ? `${t.currentTtcS.toFixed(1)} s · ${t.currentTtcWith}` : `none within ${MinTimeToCollision.HORIZON_S} s`);
      setText(this.ttcMin, Number.isFinite(t.minTtcS) ? `${t.minTtcS.toFixed(1)} s · ${t.minTtcWith} @ ${t.minTtcAtS.toFixed(1)} s` : '—');
      this.ttcNow.classList.toggle('drv-warn', t.currentTtcS < this.ttcWarnS);
    } else {
      setText(this.ttcNow, 'no min-ttc criterion');
      setText(this.ttcMin, '—');
    }

    this.appendInfractions();
  }

  private appendInfractions(): void {
    let fresh: Infraction[] | null = null;
    for (const f of this.feeds) {
      const n = f.length();
      for (; f.shown < n; f.shown++) (fresh ??= []).push(f.item(f.shown));
    }
    if (!fresh) {
      if (this.total === 0) setText(this.count, '0');
      return;
    }
    fresh.sort((a, b) => a.time - b.time);
    for (const i of fresh) {
      const li = document.createElement('li');
      li.className = 'drv-infraction';
      li.dataset.testid = 'driving-infraction';
      const time = document.createElement('span');
      time.className = 'event-time';
      time.textContent = i.time.toFixed(2);
      const kind = document.createElement('span');
      kind.className = 'drv-infraction-kind';
      kind.textContent = i.kind;
      const text = document.createElement('span');
      text.className = 'event-text';
      text.textContent = i.text;
      li.title = `${i.kind}: ${i.text} at t=${i.time.toFixed(2)} s`;
      li.append(time, kind, text);
      this.list.append(li);
    }
    this.total += fresh.length;
    setText(this.count, String(this.total));
  }
}
