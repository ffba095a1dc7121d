/**
 * First-order motor (rotor speed) dynamics with separate time constants for
 * speeding up and slowing down, as in Gazebo's multicopter motor model
 * (PX4-SITL_gazebo-classic `gazebo_motor_model.cpp`, `FirstOrderFilter`:
 * tau = timeConstantUp when the reference is above the state, else
 * timeConstantDown).
 *
 * The step is the exact solution of dw/dt = (w_ref - w) / tau over dt with
 * the reference held: w += (w_ref - w) (1 - exp(-dt / tau)). Gazebo's filter
 * uses the same exponential form. Exact, the response reaches
 * 1 - 1/e = 63.2 % of a step in tau whatever the physics rate.
 */

/**
 * The rotor speed after `dt` seconds, from `speed` towards the setpoint
 * `setpoint` clamped to [0, maxRadPerS] (rad/s). A rotor never reverses:
 * the ESCs of both airframes are unidirectional. The caller
 * checks that the setpoint is finite.
 */
export function stepRotorSpeed(
  speed: number,
  setpoint: number,
  dt: number,
  tauUpS: number,
  tauDownS: number,
  maxRadPerS: number,
): number {
  const ref = setpoint > maxRadPerS ? maxRadPerS : setpoint > 0 ? setpoint : 0;
  const tau = ref > speed ? tauUpS : tauDownS;
  return speed + (ref - speed) * (1 - Math.exp(-dt / tau));
}
