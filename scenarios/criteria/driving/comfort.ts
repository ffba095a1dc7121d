/**
 * `comfort`: nuPlan's ego_is_comfortable on the ego's ground truth: seven
 * bounds, each a nuPlan default (seeds/requirements.ts), all of which must hold
 * over the whole run:
 *   longitudinal acceleration in [-4.05, 2.40] m/s^2, |lateral acceleration|
 *   <= 4.89 m/s^2, |yaw rate| <= 0.95 rad/s, |yaw acceleration| <= 1.93
 *   rad/s^2, |longitudinal jerk| <= 4.13 m/s^3, |jerk magnitude| <= 8.37 m/s^3.
 *
 * Signals, as nuPlan derives them:
 * - the ego is sampled every `SAMPLE_S` = 0.1 s (nuPlan's 10 Hz history);
 * - acceleration is the Savitzky-Golay derivative (degree 2, `WINDOW` = 5
 *   samples, nuPlan's approximate_derivatives default) of the world-frame
 *   velocity, resolved on the heading of the same instant into longitudinal
 *   and lateral parts (the lateral part includes v^2 / R);
 * - longitudinal jerk is the same derivative of the longitudinal
 *   acceleration; the jerk magnitude is the derivative of the acceleration
 *   magnitude (nuPlan's ego_jerk differentiates |a|);
 * - yaw rate is the ground-truth angular velocity about z, smoothed by the
 *   same filter; yaw acceleration is its derivative.
 * Each filter stage is centred, so estimates come 0.2 s per stage late and
 * the first and last 0.2 s per stage of a run are not judged.
 *
 * The value is the number of bounds exceeded (pass: 0); `peaks` has each
 * measured extreme and when it happened.
 */
import type { TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { Criterion, thresholdFrom, type CriterionResult } from '../criterion.ts';
import { headingOf, type DrivingContext } from './context.ts';
import type { RequirementId } from '../../../seeds/requirements.ts';
import { Delay, SavitzkyGolay } from './savitzky-golay.ts';

export type ComfortMetric = 'maxLonAccel' | 'minLonAccel' | 'maxAbsLatAccel' | 'maxAbsYawRate' | 'maxAbsYawAccel' | 'maxAbsLonJerk' | 'maxAbsMagJerk';

export type ComfortBounds = Record<ComfortMetric, number>;

interface MetricInfo {
  seed: RequirementId;
  unit: string;
  /** 'max': fail above the bound; 'min': fail below it. */
  side: 'max' | 'min';
  label: string;
}

const METRICS: Record<ComfortMetric, MetricInfo> = {
  maxLonAccel: { seed: 'miit-2a-comfort-max-lon-accel', unit: 'm/s^2', side: 'max', label: 'longitudinal acceleration' },
  minLonAccel: { seed: 'miit-2a-comfort-min-lon-accel', unit: 'm/s^2', side: 'min', label: 'longitudinal acceleration' },
  maxAbsLatAccel: { seed: 'miit-2a-comfort-max-abs-lat-accel', unit: 'm/s^2', side: 'max', label: '|lateral acceleration|' },
  maxAbsYawRate: { seed: 'miit-2a-comfort-max-abs-yaw-rate', unit: 'rad/s', side: 'max', label: '|yaw rate|' },
  maxAbsYawAccel: { seed: 'miit-2a-comfort-max-abs-yaw-accel', unit: 'rad/s^2', side: 'max', label: '|yaw acceleration|' },
  maxAbsLonJerk: { seed: 'miit-2a-comfort-max-abs-lon-jerk', unit: 'm/s^3', side: 'max', label: '|longitudinal jerk|' },
  maxAbsMagJerk: { seed: 'miit-2a-comfort-max-abs-mag-jerk', unit: 'm/s^3', side: 'max', label: '|jerk magnitude|' },
};
const METRIC_NAMES = Object.keys(METRICS) as ComfortMetric[];

export interface ComfortPeak {
  /** The extreme measured (the maximum, or the minimum for `minLonAccel`); NaN if never measured. */
  value: number;
  time: number;
}

export class Comfort extends Criterion {
  readonly type = 'comfort';
  static readonly SAMPLE_S = 0.1;
  static readonly WINDOW = 5;

  readonly bounds: Readonly<ComfortBounds>;
  private readonly sources: Record<ComfortMetric, string>;
  private readonly peakOf = {} as Record<ComfortMetric, ComfortPeak>;
  private readonly exceeded = new Set<ComfortMetric>();
  private nextSampleS = 0;
  // Stage 1: velocity -> acceleration; yaw rate -> smoothed yaw rate and yaw acceleration.
  private readonly ax = new SavitzkyGolay(Comfort.WINDOW, true, Comfort.SAMPLE_S);
  private readonly ay = new SavitzkyGolay(Comfort.WINDOW, true, Comfort.SAMPLE_S);
  private readonly yawDelay = new Delay((Comfort.WINDOW - 1) / 2);
  private readonly yawRate = new SavitzkyGolay(Comfort.WINDOW, false, Comfort.SAMPLE_S);
  private readonly yawAccel = new SavitzkyGolay(Comfort.WINDOW, true, Comfort.SAMPLE_S);
  // Stage 2: acceleration -> jerk.
  private readonly lonJerk = new SavitzkyGolay(Comfort.WINDOW, true, Comfort.SAMPLE_S);
  private readonly magJerk = new SavitzkyGolay(Comfort.WINDOW, true, Comfort.SAMPLE_S);

  constructor(name: string, private readonly ctx: DrivingContext, given: Partial<ComfortBounds> = {}) {
    super(name, false);
    const bounds = {} as ComfortBounds;
    this.sources = {} as Record<ComfortMetric, string>;
    for (const k of METRIC_NAMES) {
      const t = thresholdFrom(given[k], METRICS[k].seed);
      bounds[k] = t.value;
      this.sources[k] = t.source;
      this.peakOf[k] = { value: NaN, time: 0 };
    }
    this.bounds = bounds;
  }

  /** The extreme of each quantity over the run so far. */
  get peaks(): Readonly<Record<ComfortMetric, ComfortPeak>> {
    return this.peakOf;
  }

  override attach(world: World): void {
    super.attach(world);
    this.nextSampleS = world.time;
  }

  override observe(snap: TickSnapshot): void {
    if (snap.time + 1e-9 < this.nextSampleS) return;
    this.nextSampleS += Comfort.SAMPLE_S;
    const s = this.world.stateOf(this.ctx.egoId);
    if (!s.present) return;
    const lag = (Comfort.WINDOW - 1) / 2;
    const t1 = snap.time - lag * Comfort.SAMPLE_S;
    const ax = this.ax.push(s.linearVelocity[0]);
    const ay = this.ay.push(s.linearVelocity[1]);
    const yaw = this.yawDelay.push(headingOf(s));
    const wz = s.angularVelocity[2];
    this.note('maxAbsYawRate', Math.abs(this.yawRate.push(wz)), t1);
    this.note('maxAbsYawAccel', Math.abs(this.yawAccel.push(wz)), t1);
    if (Number.isNaN(ax)) return;
    const c = Math.cos(yaw), sn = Math.sin(yaw);
    const aLon = ax * c + ay * sn;
    const aLat = -ax * sn + ay * c;
    this.note('maxLonAccel', aLon, t1);
    this.note('minLonAccel', aLon, t1);
    this.note('maxAbsLatAccel', Math.abs(aLat), t1);
    const t2 = t1 - lag * Comfort.SAMPLE_S;
    this.note('maxAbsLonJerk', Math.abs(this.lonJerk.push(aLon)), t2);
    this.note('maxAbsMagJerk', Math.abs(this.magJerk.push(Math.hypot(ax, ay))), t2);
  }

  private note(k: ComfortMetric, v: number, time: number): void {
    if (Number.isNaN(v)) return;
    const p = this.peakOf[k];
    const min = METRICS[k].side === 'min';
    if (Number.isNaN(p.value) || (min ? v < p.value : v > p.value)) {
      p.value = v;
      p.time = time;
    }
    const bound = this.bounds[k];
    if (min ? v < bound : v > bound) {
      this.exceeded.add(k);
      this.fail(`${METRICS[k].label} ${v.toFixed(2)} ${METRICS[k].unit} at t=${time.toFixed(2)} s, bound ${bound}`);
    }
  }

  private describe(k: ComfortMetric): string {
    const m = METRICS[k];
    const p = this.peakOf[k];
    const word = m.side === 'min' ? 'min' : 'max';
    return `${m.label} ${word} ${p.value.toFixed(2)} ${m.unit} at t=${p.time.toFixed(2)} s (bound ${this.bounds[k]})`;
  }

  result(): CriterionResult {
    const passed = this.status !== 'failed';
    const measured = METRIC_NAMES.some((k) => !Number.isNaN(this.peakOf[k].value));
    const distinct = [...new Set(METRIC_NAMES.map((k) => this.sources[k]))];
    const source = distinct.length === 1 ? distinct[0]! : distinct.every((x) => x !== 'scenario') ? distinct.join(', ') : 'scenario, with defaults from seeds';
    return this.record({
      value: this.exceeded.size,
      threshold: 0,
      unit: 'bounds exceeded',
      passed,
      reason: !passed
        ? `${[...this.exceeded].map((k) => this.describe(k)).join('; ')}; first: ${this.failureReason}`
        : measured
          ? `within nuPlan's comfort bounds (${this.describe('minLonAccel')}; ${this.describe('maxAbsLonJerk')})`
          : 'running: not enough samples yet',
      thresholdSource: source,
    });
  }
}
