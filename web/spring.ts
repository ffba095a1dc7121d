/**
 * A critically damped spring, advanced with its exact solution for a target
 * held over the step, so the motion is the same at 30, 60 or 144 fps (an
 * Euler step or a per-frame `lerp(k)` would change with the frame rate).
 * Critically damped: the quickest approach with no overshoot, so a camera on
 * it never swings past where it is going.
 *
 * x'' = -2w x' - w^2 (x - target): with d = x - target and a = (v + w d) dt,
 * after dt: d' = (d + a) e^(-w dt), v' = (v - w a) e^(-w dt).
 */
export class CriticalSpring {
  value = 0;
  velocity = 0;

  /** @param omegaRadPerS natural frequency; the error falls to ~5 % in 4.7 / omega seconds. */
  constructor(public omegaRadPerS: number) {}

  reset(value: number): void {
    this.value = value;
    this.velocity = 0;
  }

  /** Move towards `target` for `dt` seconds; returns the new value. */
  update(target: number, dt: number): number {
    if (dt <= 0) return this.value;
    const w = this.omegaRadPerS;
    const d = this.value - target;
    const a = (this.velocity + w * d) * dt;
    const e = Math.exp(-w * dt);
    this.velocity = (this.velocity - w * a) * e;
    this.value = target + (d + a) * e;
    return this.value;
  }

  /**
   * The same for an angle (rad): the target is taken on the branch nearest
   * the current value, so a heading crossing ±pi turns the short way.
   */
  updateAngle(targetRad: number, dt: number): number {
    let t = targetRad;
    while (t - this.value > Math.PI) t -= 2 * Math.PI;
    while (t - this.value < -Math.PI) t += 2 * Math.PI;
    this.update(t, dt);
    // Keep the stored angle in (-pi, pi] so it never grows without bound.
    if (this.value > Math.PI) this.value -= 2 * Math.PI;
    else if (this.value <= -Math.PI) this.value += 2 * Math.PI;
    return this.value;
  }
}
