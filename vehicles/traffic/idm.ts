/**
 * The Intelligent Driver Model (IDM): longitudinal car-following for NPC traffic.
 *
 * Treiber, Hennecke & Helbing (2000), "Congested traffic states in empirical
 * observations and microscopic simulations", Phys. Rev. E 62:1805, eq. (2)-(3):
 *
 *   dv/dt = a [ 1 - (v/v0)^δ - (s*(v, Δv) / s)^2 ]
 *   s*(v, Δv) = s0 + v T + v Δv / (2 sqrt(a b))
 *
 * with s the net (bumper-to-bumper) gap to the leader, Δv = v - v_leader the
 * approaching rate (positive when closing in). The variant with the extra
 * jam-distance term s1 sqrt(v/v0) is not used (s1 = 0, as in the book).
 *
 * Everything here is a pure, allocation-free function of numbers: the NPC loop
 * calls it for every car every tick of a sweep.
 *
 * Two deliberate departures from the bare equation, both because a simulator
 * must never produce a non-physical or non-finite command:
 * - The result is floored at -maxDecelMps2. The bare IDM is unbounded below
 *   (s -> 0 gives -infinity); a real car cannot brake harder than its tyres
 *   allow. In normal following the IDM stays far above this floor, so the
 *   dynamics the tests check are the paper's.
 * - A gap that is not positive (overlap, contact, or NaN from a bad caller)
 *   returns exactly -maxDecelMps2: full emergency braking, never NaN.
 *
 * Integrate with the ballistic update and clamp the speed at 0 (Treiber &
 * Kanagaraj 2015, Physica A 419:183, recommend it for IDM): the IDM may ask for
 * deceleration at v = 0, which must not make a car reverse.
 */

export interface IdmParams {
  /** v0, desired speed on a free road, m/s. */
  desiredSpeedMps: number;
  /** T, desired time headway, s. */
  timeHeadwayS: number;
  /** s0, minimum (standstill) net gap, m. */
  minGapM: number;
  /** a, maximum acceleration, m/s^2. */
  maxAccelMps2: number;
  /** b, comfortable deceleration (positive number), m/s^2. */
  comfortDecelMps2: number;
  /** δ, acceleration exponent (dimensionless). */
  accelExponent: number;
  /** b_max, physical braking limit (positive number), m/s^2: floor of the output. */
  maxDecelMps2: number;
}

const KMH = 1 / 3.6;

/**
 * b_max = 9 m/s^2: about mu*g on dry asphalt (mu ~ 0.9); the "maximum
 * deceleration of about 9 m/s^2" that Treiber's MOBIL page gives as the limit
 * b_safe must stay below (M. Treiber, "The lane-change model MOBIL",
 * www.vwi.tu-dresden.de/~treiber/MicroApplet/MOBIL.html, parameter table).
 */
const MAX_DECEL_DRY_MPS2 = 9;

/**
 * Motorway traffic: Treiber & Kesting, Traffic Flow Dynamics (Springer 2013),
 * table 11.2, "highway" column: v0 = 120 km/h, T = 1.0 s, s0 = 2 m, δ = 4,
 * a = 1.0 m/s^2, b = 1.5 m/s^2.
 */
export const IDM_HIGHWAY: Readonly<IdmParams> = Object.freeze({
  desiredSpeedMps: 120 * KMH,
  timeHeadwayS: 1.0,
  minGapM: 2,
  maxAccelMps2: 1.0,
  comfortDecelMps2: 1.5,
  accelExponent: 4,
  maxDecelMps2: MAX_DECEL_DRY_MPS2,
});

/**
 * City traffic: Treiber & Kesting 2013, table 11.2, "city traffic" column:
 * v0 = 54 km/h, other parameters as on the highway.
 */
export const IDM_CITY: Readonly<IdmParams> = Object.freeze({
  ...IDM_HIGHWAY,
  desiredSpeedMps: 54 * KMH,
});

/**
 * The original calibration: Treiber, Hennecke & Helbing 2000, Phys. Rev. E
 * 62:1805, table I: v0 = 120 km/h, T = 1.6 s, s0 = 2 m, a = 0.73 m/s^2,
 * b = 1.67 m/s^2, δ = 4.
 */
export const IDM_THH2000: Readonly<IdmParams> = Object.freeze({
  desiredSpeedMps: 120 * KMH,
  timeHeadwayS: 1.6,
  minGapM: 2,
  maxAccelMps2: 0.73,
  comfortDecelMps2: 1.67,
  accelExponent: 4,
  maxDecelMps2: MAX_DECEL_DRY_MPS2,
});

/**
 * Throw a RangeError naming the first bad parameter. Call once when a driver is
 * built, not per tick: the hot functions below trust their parameters.
 */
export function validateIdmParams(p: Readonly<IdmParams>): void {
  const positive: (keyof IdmParams)[] = ['desiredSpeedMps', 'maxAccelMps2', 'comfortDecelMps2', 'accelExponent', 'maxDecelMps2'];
  for (const k of positive) {
    if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new RangeError(`IDM ${k} must be a positive finite number, got ${p[k]}`);
  }
  for (const k of ['timeHeadwayS', 'minGapM'] as const) {
    if (!(p[k] >= 0) || !Number.isFinite(p[k])) throw new RangeError(`IDM ${k} must be a non-negative finite number, got ${p[k]}`);
  }
}

/** s*(v, Δv), the desired dynamical gap, m. Never below s0 (the paper's max(0, ...) on the dynamic part). */
export function idmDesiredGap(speedMps: number, approachRateMps: number, p: Readonly<IdmParams>): number {
  const dynamic = speedMps * p.timeHeadwayS + (speedMps * approachRateMps) / (2 * Math.sqrt(p.maxAccelMps2 * p.comfortDecelMps2));
  // A leader pulling away fast makes the dynamic part negative; the desired gap
  // must still not shrink below s0 (Treiber & Kesting 2013, ch. 11).
  return p.minGapM + (dynamic > 0 ? dynamic : 0);
}

/** a (1 - (v/v0)^δ): acceleration with no leader in sight, m/s^2 (floored at -b_max). */
export function idmFreeAccel(speedMps: number, p: Readonly<IdmParams>): number {
  const acc = p.maxAccelMps2 * (1 - Math.pow(Math.abs(speedMps) / p.desiredSpeedMps, p.accelExponent));
  return acc < -p.maxDecelMps2 ? -p.maxDecelMps2 : acc;
}

/**
 * IDM acceleration, m/s^2, of a car at `speedMps` following a leader at net
 * gap `gapM` and approaching it at `approachRateMps` (= v - v_leader).
 *
 * - No leader: pass `gapM = Infinity` (any Δv); the result is idmFreeAccel.
 * - `gapM <= 0` or NaN: returns -maxDecelMps2 (emergency braking), never NaN.
 * - Always in [-maxDecelMps2, maxAccelMps2] for finite speed and Δv.
 */
export function idmAccel(speedMps: number, gapM: number, approachRateMps: number, p: Readonly<IdmParams>): number {
  if (!(gapM > 0)) return -p.maxDecelMps2;
  const free = p.maxAccelMps2 * (1 - Math.pow(Math.abs(speedMps) / p.desiredSpeedMps, p.accelExponent));
  let acc = free;
  if (gapM !== Infinity) {
    const ratio = idmDesiredGap(speedMps, approachRateMps, p) / gapM;
    acc -= p.maxAccelMps2 * ratio * ratio;
  }
  // A non-finite Δv (bad caller) would otherwise propagate NaN into the physics.
  if (!(acc >= -p.maxDecelMps2)) return -p.maxDecelMps2;
  return acc;
}

/**
 * s_e(v) = (s0 + v T) / sqrt(1 - (v/v0)^δ): the steady-state gap at which a car
 * at speed v behind a leader at the same speed has zero IDM acceleration, m
 * (Treiber & Kesting 2013, ch. 11:
 * from dv/dt = 0 with Δv = 0). Infinity for v >= v0.
 */
export function idmEquilibriumGap(speedMps: number, p: Readonly<IdmParams>): number {
  const free = 1 - Math.pow(Math.abs(speedMps) / p.desiredSpeedMps, p.accelExponent);
  if (!(free > 0)) return Infinity;
  return (p.minGapM + Math.abs(speedMps) * p.timeHeadwayS) / Math.sqrt(free);
}
