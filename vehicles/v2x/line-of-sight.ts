/**
 * Line of sight between two V2X antennas, and what a building in the way does
 * to the link.
 *
 * What is modelled: a physics raycast from the sender's antenna to the
 * receiver's. If the first thing it hits is a static obstacle (a building
 * box, a wall: any static, non-terrain actor), the link is non-line-of-sight
 * (NLOS). An NLOS link still closes when the NLOS path loss at its length is
 * no more than the LOS path loss at the radio's range (the same link budget
 * that sets `rangeM` in the open), so a building shortens the range to
 * `nlosRangeM` instead of cutting every link: round a corner near the
 * intersection a message still gets through, farther out it does not.
 *
 * Path loss, 3GPP TR 37.885 (V15) Table 6.2.1-1, V2V Urban grid (d in m,
 * fc in GHz), as implemented in ns-3's ThreeGppV2vUrbanPropagationLossModel:
 *   LOS:  PL = 38.77 + 16.7 log10(d) + 18.2 log10(fc)
 *   NLOS: PL = 36.85 + 30   log10(d) + 18.9 log10(fc)
 * at fc = 5.9 GHz (the ITS band, 5.855 to 5.925 GHz). With the default
 * 300 m LOS range this gives an NLOS range of about 27 m.
 *
 * What is not modelled: shadow fading (TR 37.885 gives 3 dB LOS and 4 dB
 * NLOS standard deviations) and fast fading, so the NLOS edge is sharp;
 * blocking by other vehicles (NLOSv: only static obstacles block here; a ray
 * whose first hit is a vehicle counts as line of sight); and the dependence
 * of intersection NLOS reception on each party's distance to the crossing
 * that Mangel, Klemp & Hartenstein measured at 5.9 GHz ("A validated 5.9 GHz
 * non-line-of-sight path-loss and fading model for inter-vehicle
 * communication", ITST 2011): their model is the refinement to take when a
 * scenario needs it; the 3GPP curve is distance-only.
 */
import type { Vec3 } from '../../sim/math.ts';
import type { BodyHandle, PhysicsBackend } from '../../sim/physics/backend.ts';

/** Carrier frequency, GHz: the 5.9 GHz ITS band of DSRC (IEEE 802.11p) and LTE-V2X PC5. */
export const ITS_CARRIER_GHZ = 5.9;

/**
 * Antenna heights above the ground plane (z = 0), m. Vehicle: 1.5 m, a roof
 * antenna on a passenger car (Skylane's assumption, the vehicle UE height
 * used in 3GPP V2X evaluations). RSU: 5 m, on a signal mast (Skylane's
 * assumption).
 */
export const VEHICLE_ANTENNA_HEIGHT_M = 1.5;
export const RSU_ANTENNA_HEIGHT_M = 5;

/** TR 37.885 V2V Urban LOS path loss, dB. */
export function urbanLosPathLossDb(distanceM: number, carrierGHz = ITS_CARRIER_GHZ): number {
  return 38.77 + 16.7 * Math.log10(distanceM) + 18.2 * Math.log10(carrierGHz);
}

/** TR 37.885 V2V Urban NLOS path loss, dB. */
export function urbanNlosPathLossDb(distanceM: number, carrierGHz = ITS_CARRIER_GHZ): number {
  return 36.85 + 30 * Math.log10(distanceM) + 18.9 * Math.log10(carrierGHz);
}

/**
 * The NLOS distance at which the link budget that reaches `losRangeM` in line
 * of sight runs out: solves urbanNlosPathLossDb(d) = urbanLosPathLossDb(losRangeM).
 */
export function nlosRangeM(losRangeM: number, carrierGHz = ITS_CARRIER_GHZ): number {
  if (!(losRangeM > 0) || !Number.isFinite(losRangeM)) throw new RangeError(`losRangeM must be a positive finite number, got ${losRangeM}`);
  const budgetDb = urbanLosPathLossDb(losRangeM, carrierGHz);
  return 10 ** ((budgetDb - 36.85 - 18.9 * Math.log10(carrierGHz)) / 30);
}

const _origin: Vec3 = [0, 0, 0];
const _dir: Vec3 = [0, 0, 0];

/** The raycast half of the model: is there a building between two antennas? */
export class LineOfSight {
  /** Ray casts made (for cost accounting in tests and the bench). */
  casts = 0;

  constructor(
    private readonly physics: Pick<PhysicsBackend, 'castRay'>,
    /** Bodies that block radio: static, non-terrain actors (buildings, walls). */
    private readonly blockers: ReadonlySet<BodyHandle>,
    /** NLOS links longer than this do not close, m. */
    readonly nlosRangeM: number,
  ) {}

  /** True when a blocker is the first thing on the straight line from antenna `a` to antenna `b`. */
  blocked(a: Readonly<Vec3>, b: Readonly<Vec3>): boolean {
    if (this.blockers.size === 0) return false;
    _dir[0] = b[0] - a[0];
    _dir[1] = b[1] - a[1];
    _dir[2] = b[2] - a[2];
    const d = Math.hypot(_dir[0], _dir[1], _dir[2]);
    if (!(d > 1e-6)) return false;
    _dir[0] /= d;
    _dir[1] /= d;
    _dir[2] /= d;
    _origin[0] = a[0];
    _origin[1] = a[1];
    _origin[2] = a[2];
    this.casts++;
    const hit = this.physics.castRay(_origin, _dir, d);
    return hit !== null && this.blockers.has(hit.body);
  }

  /** Does the link between antennas `a` and `b`, `distanceM` apart, close? */
  closes(a: Readonly<Vec3>, b: Readonly<Vec3>, distanceM: number): boolean {
    return distanceM <= this.nlosRangeM || !this.blocked(a, b);
  }
}
