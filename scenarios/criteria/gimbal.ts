/**
 * The gimbal criteria (issue #5 section 4), on ground truth only: the
 * camera's true attitude error about its true command, at every substep of
 * the gimbal's kHz loop (uav/gimbal/gimbal.ts `errorLog`), after the
 * settling time the scenario declares.
 *
 * - `gimbal-jitter`: the angular vibration range, as commercial gimbals
 *   specify it (DJI Mavic 2 Zoom +-0.005 deg): per axis, the error through a
 *   2nd-order Butterworth high-pass at `cutoffHz` (1 Hz; why, in
 *   uav/gimbal/jitter.ts), its peak and RMS. Passes when every axis's peak is
 *   at most the threshold (seeds: miit-2c-gimbal-precision, 0.005 deg).
 * - `gimbal-drift`: the part below the cutoff (error minus its high-passed
 *   part), its peak-to-peak per axis (seeds: miit-2c-gimbal-drift).
 * - `gimbal-pointing`: the largest angle between the camera's optical axis
 *   and the commanded one; in point-at mode the commanded axis is the true
 *   line of sight to the target's true position, so the command tracker's
 *   lag counts too (seeds: miit-2c-gimbal-pointing).
 *
 * Each reports the baseline controllers run beside the judged one on
 * identical copies of the gimbal (the scenario's `gimbal.compare`), and the
 * motors' saturation after settling: a failure while a motor saturated says
 * so, because then the disturbance exceeded the available torque and no
 * controller could have held the camera.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import { rotateVec } from '../../sim/math.ts';
import type { TickSnapshot } from '../../sim/snapshot.ts';
import type { Gimbal } from '../../uav/gimbal/gimbal.ts';
import { ButterworthHighPass } from '../../uav/gimbal/jitter.ts';
import { gimbalsOf } from '../../uav/gimbal/service.ts';
import { Criterion, thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';

const DEG = 180 / Math.PI;
/** The motors in the gimbal's joint order (uav/gimbal/dynamics.ts): yaw, roll, pitch. */
const MOTORS = ['yaw', 'roll', 'pitch'] as const;

/** Per-axis statistics of one gimbal after settling. */
export interface GimbalStats {
  controller: string;
  /** Peak and RMS of the high-passed error, rad. */
  jitterPeakRad: Vec3;
  jitterRmsRad: Vec3;
  /** Peak-to-peak of the low-frequency error, rad. */
  driftRad: Vec3;
  /** Largest and RMS optical-axis error, rad. */
  pointingMaxRad: number;
  pointingRmsRad: number;
  /** Fraction of control ticks after settling whose torque demand exceeded the motor's limit, per motor (yaw, roll, pitch). */
  saturatedFraction: Vec3;
  /** Largest torque demand over the limit after settling, per motor (yaw, roll, pitch). */
  peakTorqueRatio: Vec3;
  samples: number;
}

const _a: Vec3 = [0, 0, 0];
const _b: Vec3 = [0, 0, 0];
const X: Vec3 = [1, 0, 0];

/** Follows one gimbal's ground truth through the run (one per gimbal per criterion). */
class GimbalTrack {
  private readonly hp: ButterworthHighPass[];
  readonly peak: Vec3 = [0, 0, 0];
  readonly sq: Vec3 = [0, 0, 0];
  readonly lfMin: Vec3 = [Infinity, Infinity, Infinity];
  readonly lfMax: Vec3 = [-Infinity, -Infinity, -Infinity];
  pointMax = 0;
  pointSq = 0;
  pointN = 0;
  n = 0;
  private ticksAtSettle = -1;
  private readonly satAtSettle: Vec3 = [0, 0, 0];
  private readonly peakTorque: Vec3 = [0, 0, 0];

  constructor(readonly gimbal: Gimbal, cutoffHz: number) {
    this.hp = [0, 1, 2].map(() => new ButterworthHighPass(cutoffHz, gimbal.logHz));
  }

  /** Fold in the last physics tick's substeps; `settled` when the tick ends after the settling time. */
  observe(settled: boolean, target: Readonly<Vec3> | undefined): void {
    const g = this.gimbal, log = g.errorLog;
    if (settled && this.ticksAtSettle < 0) {
      this.ticksAtSettle = g.controlTicks;
      for (let i = 0; i < 3; i++) this.satAtSettle[i] = g.saturatedTicks[i]!;
    }
    if (settled) for (let i = 0; i < 3; i++) if (g.tickPeakTorqueRatio[i]! > this.peakTorque[i]!) this.peakTorque[i] = g.tickPeakTorqueRatio[i]!;
    for (let k = 0; k < g.substeps; k++) {
      for (let i = 0; i < 3; i++) {
        const e = log[3 * k + i]!;
        const y = this.hp[i]!.step(e);
        if (!settled) continue;
        const a = Math.abs(y);
        if (a > this.peak[i]!) this.peak[i] = a;
        this.sq[i] = this.sq[i]! + y * y;
        const lf = e - y;
        if (lf < this.lfMin[i]!) this.lfMin[i] = lf;
        if (lf > this.lfMax[i]!) this.lfMax[i] = lf;
      }
      if (settled) this.n++;
    }
    if (!settled) return;
    // Pointing, once per tick: the optical axes (camera +x) of the truth and of the command or line of sight.
    const cam = g.dynamics.cameraRotation;
    rotateVec(cam, X, _a);
    if (target) {
      const p = g.cameraPosition;
      _b[0] = target[0] - p[0]; _b[1] = target[1] - p[1]; _b[2] = target[2] - p[2];
      const n = Math.hypot(_b[0], _b[1], _b[2]);
      if (!(n > 0)) return;
      _b[0] /= n; _b[1] /= n; _b[2] /= n;
    } else {
      rotateVec(g.truthCommand.rotation as Quat, X, _b);
    }
    const c = Math.max(-1, Math.min(1, _a[0] * _b[0] + _a[1] * _b[1] + _a[2] * _b[2]));
    const ang = Math.acos(c);
    if (ang > this.pointMax) this.pointMax = ang;
    this.pointSq += ang * ang;
    this.pointN++;
  }

  stats(): GimbalStats {
    const g = this.gimbal;
    const ticks = this.ticksAtSettle < 0 ? 0 : g.controlTicks - this.ticksAtSettle;
    const sat: Vec3 = [0, 0, 0];
    for (let i = 0; i < 3; i++) sat[i] = ticks > 0 ? (g.saturatedTicks[i]! - this.satAtSettle[i]!) / ticks : 0;
    return {
      controller: g.controllerName,
      jitterPeakRad: [...this.peak] as Vec3,
      jitterRmsRad: this.sq.map((s) => (this.n > 0 ? Math.sqrt(s / this.n) : NaN)) as Vec3,
      driftRad: [0, 1, 2].map((i) => (this.n > 0 ? this.lfMax[i]! - this.lfMin[i]! : NaN)) as Vec3,
      pointingMaxRad: this.pointMax,
      pointingRmsRad: this.pointN > 0 ? Math.sqrt(this.pointSq / this.pointN) : NaN,
      saturatedFraction: sat,
      peakTorqueRatio: [...this.peakTorque] as Vec3,
      samples: this.n,
    };
  }
}

const mdeg = (rad: number) => (rad * DEG).toFixed(4);

/** "the yaw motor saturated 12 % of the control ticks (demand up to 2.4x its limit)", or '' when none did. */
export function saturationNote(s: GimbalStats): string {
  const parts: string[] = [];
  s.saturatedFraction.forEach((f, i) => {
    if (f > 0) parts.push(`the ${MOTORS[i]} motor saturated in ${(100 * f).toFixed(1)} % of the control ticks (torque demand up to ${s.peakTorqueRatio[i]!.toFixed(1)}x its limit)`);
  });
  return parts.length ? `motor saturation: ${parts.join('; ')}` : '';
}

type Measure = 'jitter' | 'drift' | 'pointing';

/** The base of the three gimbal criteria: the tracks of every gimbal on the actor, judged one first. */
abstract class GimbalCriterion extends Criterion {
  protected tracks: GimbalTrack[] = [];
  private targetId: string | Readonly<Vec3> | undefined;
  protected abstract readonly measure: Measure;

  constructor(name: string, readonly actorId: string, protected readonly settleS: number, protected readonly threshold: ThresholdChoice, private readonly cutoffHz: number) {
    super(name, false);
  }

  override observe(snap: TickSnapshot): void {
    if (this.tracks.length === 0) {
      const gs = gimbalsOf(this.world.actor(this.actorId));
      if (gs.length === 0) throw new Error(`${this.name}: actor '${this.actorId}' carries no gimbal`);
      this.tracks = gs.map((g) => new GimbalTrack(g, this.cutoffHz));
      this.targetId = gs[0]!.target;
    }
    const t = this.targetId;
    const target = t === undefined ? undefined : typeof t === 'string' ? (this.world.hasActor(t) ? this.world.stateOf(t).position : undefined) : t;
    const settled = snap.time > this.settleS + 1e-9;
    for (const tr of this.tracks) tr.observe(settled, target);
  }

  /** Every gimbal's statistics, the judged one first. */
  get stats(): GimbalStats[] {
    return this.tracks.map((t) => t.stats());
  }

  /** The judged value of one gimbal (rad) and the per-axis figures for the reason. */
  protected abstract value(s: GimbalStats): { value: number; detail: string };

  override finish(endTime: number): void {
    const all = this.stats;
    const s = all[0];
    if (!s || s.samples === 0) {
      this.fail(`no sample after the settling time ${this.settleS} s (run ended at ${endTime.toFixed(2)} s)`);
      return;
    }
    const v = this.value(s).value;
    if (!(v <= this.threshold.value / DEG)) {
      const sat = saturationNote(s);
      this.fail(`${this.value(s).detail} > ${this.threshold.value} deg${sat ? `; ${sat}` : ''}${this.baselines(all)}`);
    }
  }

  private baselines(all: GimbalStats[]): string {
    if (all.length < 2) return '';
    return `; beside it: ${all.slice(1).map((b) => `${b.controller} ${this.value(b).detail}${this.threshold.value / DEG >= this.value(b).value ? ' (passes)' : ''}`).join('; ')}`;
  }

  override result(): CriterionResult {
    const all = this.stats;
    const s = all[0];
    const v = s && s.samples > 0 ? this.value(s) : undefined;
    const passed = this.status !== 'failed';
    return this.record({
      value: v ? v.value * DEG : null,
      threshold: this.threshold.value,
      unit: 'deg',
      passed,
      reason: !passed ? this.failureReason : v ? `${v.detail} <= ${this.threshold.value} deg (${s!.controller})${this.baselines(all)}` : 'running: nothing measured yet',
      thresholdSource: this.threshold.source,
    });
  }
}

export class GimbalJitter extends GimbalCriterion {
  readonly type = 'gimbal-jitter';
  protected readonly measure = 'jitter';
  constructor(name: string, actor: string, settleS: number, thresholdDeg: number | undefined, cutoffHz: number) {
    super(name, actor, settleS, thresholdFrom(thresholdDeg, 'miit-2c-gimbal-precision'), cutoffHz);
  }
  protected value(s: GimbalStats): { value: number; detail: string } {
    const v = Math.max(...s.jitterPeakRad);
    return { value: v, detail: `peak ${s.jitterPeakRad.map(mdeg).join('/')} deg (roll/pitch/yaw), RMS ${s.jitterRmsRad.map(mdeg).join('/')} deg` };
  }
}

export class GimbalDrift extends GimbalCriterion {
  readonly type = 'gimbal-drift';
  protected readonly measure = 'drift';
  constructor(name: string, actor: string, settleS: number, thresholdDeg: number | undefined, cutoffHz: number) {
    super(name, actor, settleS, thresholdFrom(thresholdDeg, 'miit-2c-gimbal-drift'), cutoffHz);
  }
  protected value(s: GimbalStats): { value: number; detail: string } {
    return { value: Math.max(...s.driftRad), detail: `drift (peak-to-peak below the cutoff) ${s.driftRad.map((x) => (x * DEG).toFixed(3)).join('/')} deg (roll/pitch/yaw)` };
  }
}

export class GimbalPointing extends GimbalCriterion {
  readonly type = 'gimbal-pointing';
  protected readonly measure = 'pointing';
  constructor(name: string, actor: string, settleS: number, thresholdDeg: number | undefined) {
    super(name, actor, settleS, thresholdFrom(thresholdDeg, 'miit-2c-gimbal-pointing'), 1);
  }
  protected value(s: GimbalStats): { value: number; detail: string } {
    return { value: s.pointingMaxRad, detail: `pointing error max ${(s.pointingMaxRad * DEG).toFixed(3)} deg, RMS ${(s.pointingRmsRad * DEG).toFixed(3)} deg` };
  }
}
