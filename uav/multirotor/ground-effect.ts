/**
 * Ground effect on a rotor in hover: Cheeseman & Bennett's image-method model,
 * T_IGE / T_OGE = 1 / (1 - (R / 4z)^2) at constant power, with R the rotor
 * radius and z the rotor's height above the ground (I. C. Cheeseman and
 * W. E. Bennett, "The effect of the ground on a helicopter rotor in forward
 * flight", Aeronautical Research Council R&M 3021, 1955; its hover limit).
 * Sanchez-Cuevas, Heredia and Ollero, "Characterization of the aerodynamic
 * ground effect and its influence in multirotor control", Int. J. Aerospace
 * Engineering 2017, 1823056, find it fits a single small rotor; on a full
 * multirotor the measured gain is larger close to the ground (the rotors'
 * wakes interact), which this model does not capture.
 *
 * The formula diverges at z = R/4. Skylane assumption: it is held at its
 * value for z = R/2 (4/3) below that height, where the rotor is about to
 * touch down and the model's premises (a far-field image vortex) fail anyway.
 */

/** Height (as a multiple of the rotor radius) below which the ratio is held. */
export const GROUND_EFFECT_MIN_HEIGHT_RADII = 0.5;

/** Thrust ratio in ground effect over out of ground effect for a rotor of radius `radiusM` at `heightM` above the ground. */
export function groundEffectRatio(heightM: number, radiusM: number): number {
  const z = Math.max(heightM, GROUND_EFFECT_MIN_HEIGHT_RADII * radiusM);
  const r = radiusM / (4 * z);
  return 1 / (1 - r * r);
}

/** Cap of the ratio: its value at the lowest modelled height, 4/3 for the R/2 floor. */
export const GROUND_EFFECT_MAX_RATIO = groundEffectRatio(0, 1);
