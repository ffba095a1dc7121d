/**
 * `landing`: the first touchdown on terrain (the ground, or an obstacle
 * marked `terrain` such as a pad) after the take-off (flight-tracker.ts) must
 * be within the pad's radius and no faster than 1.0 m/s vertically (seeds/
 * miit-2c-landing-touchdown-speed, after PX4's MPC_LAND_SPEED 0.7 m/s), and
 * the rotors must have stopped by the end (disarmed).
 */
import { thresholdFrom, type CriterionResult, type ThresholdChoice } from './criterion.ts';
import { FlightCriterion, rotorsStopped } from './flight-tracker.ts';

export class Landing extends FlightCriterion {
  readonly type = 'landing';
  private readonly speed: ThresholdChoice;
  private stoppedAtEnd = false;

  constructor(
    name: string,
    actor: string,
    private readonly pad: { center: readonly [number, number]; radiusM: number },
    maxTouchdownSpeedMps: number | undefined,
    private readonly requireDisarmed: boolean,
  ) {
    super(name, actor);
    this.speed = thresholdFrom(maxTouchdownSpeedMps, 'miit-2c-landing-touchdown-speed');
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
