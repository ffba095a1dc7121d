/**
 * Geometry of an airspace zone volume for the 3D view (issue #6 section 8):
 * a circle becomes a cylinder, a polygon an extruded prism, between the
 * volume's floor and ceiling in world z (m above the flat ground at the
 * scenario origin's altitude, as the airspace service judges it).
 *
 * A volume without a ceiling is drawn up to ZONE_DISPLAY_CAP_M (and the view
 * says so): "no ceiling" has no height to draw.
 */
import * as THREE from 'three';
import type { RestrictionClass, VerticalLimit, VolumeDescriptor } from '../uav/airspace/zone.ts';

/** A ceiling-less volume is drawn up to this height above the ground, m (display convention: the 120 m AGL open-category limit plus room). */
export const ZONE_DISPLAY_CAP_M = 150;
/** A ceiling-less volume whose floor is at or above the cap is drawn this thick, m (display convention). */
const CAPPED_MIN_THICKNESS_M = 10;
/** Segments of a circle's cylinder (a multiple of 4, so the extremes along x and y are vertices). */
export const CIRCLE_SEGMENTS = 64;

export { ZONE_COLORS } from './zone-colors.ts';

/** A volume's vertical extent in world z, m. */
export interface ZoneBand {
  bottomZ: number;
  topZ: number;
  /** The volume has no ceiling: `topZ` is the display cap. */
  capped: boolean;
}

/** World z of a vertical limit, m: AGL over the flat ground at z = 0; AMSL less the ground's (origin's) altitude. */
export function limitZ(limit: VerticalLimit, originAmslM: number): number {
  return limit.reference === 'AGL' ? limit.valueM : limit.valueM - originAmslM;
}

/** The floor and ceiling of a volume in world z; a missing ceiling is drawn at `capM`. */
export function zoneBand(v: VolumeDescriptor, originAmslM: number, capM = ZONE_DISPLAY_CAP_M): ZoneBand {
  const bottomZ = limitZ(v.lower, originAmslM);
  if (v.upper) return { bottomZ, topZ: Math.max(limitZ(v.upper, originAmslM), bottomZ), capped: false };
  return { bottomZ, topZ: Math.max(capM, bottomZ + CAPPED_MIN_THICKNESS_M), capped: true };
}

/**
 * The closed solid of a volume between `band.bottomZ` and `band.topZ`, in
 * world coordinates (ENU, z up): a cylinder for a circle, an extruded prism
 * for a polygon. A zero-thickness band gets a centimetre, so it still draws.
 */
export function zoneVolumeGeometry(v: VolumeDescriptor, band: ZoneBand): THREE.BufferGeometry {
  const h = Math.max(band.topZ - band.bottomZ, 0.01);
  const s = v.shape;
  if (s.kind === 'circle') {
    // CylinderGeometry's axis is y; turned about x it stands on z.
    return new THREE.CylinderGeometry(s.radiusM, s.radiusM, h, CIRCLE_SEGMENTS, 1, false)
      .rotateX(Math.PI / 2)
      .translate(s.centre[0], s.centre[1], band.bottomZ + h / 2);
  }
  const shape = new THREE.Shape(s.vertices.map((p) => new THREE.Vector2(p[0], p[1])));
  return new THREE.ExtrudeGeometry(shape, { depth: h, bevelEnabled: false, curveSegments: 1 }).translate(0, 0, band.bottomZ);
}
