/**
 * Colour of each airspace restriction class, shared by the 3D view
 * (web/zone-geometry.ts), the legend and the gallery's thumbnails
 * (web/thumbnail.ts). No three.js here, so Node tests can import it.
 */
import type { RestrictionClass } from '../uav/airspace/zone.ts';

/** PROHIBITED red ... NO_RESTRICTION grey. */
export const ZONE_COLORS: Readonly<Record<RestrictionClass, string>> = {
  PROHIBITED: '#ff3b3b',
  REQ_AUTHORISATION: '#ff8a1f',
  CONDITIONAL: '#ffe14d',
  WARNING: '#ffb300',
  ALTITUDE_CAP: '#a066ff',
  NO_RESTRICTION: '#9aa3ad',
};
