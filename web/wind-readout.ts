/**
 * The wind indicator's arithmetic, pure. Input: the wind at a drone, world
 * ENU, m/s, the velocity of the air (where it blows towards), as the
 * multirotor feels it (`Multirotor.windMps`: steady wind, gusts and Dryden
 * turbulence from `uav/wind/`, set each step by whoever owns the field).
 *
 * Read-outs follow the meteorological convention (the WMO's and every
 * aviation report's): the direction the wind blows FROM, as a compass
 * bearing clockwise from north, in degrees at this edge only.
 */
import type { Vec3 } from '../sim/math.ts';

/** Below this horizontal speed the direction is not meaningful: reported as calm, m/s (display convention). */
export const CALM_MPS = 0.05;

/** Arrow drawn in the scene: metres of arrow per m/s of wind, and its bounds, m (display convention). */
export const ARROW_M_PER_MPS = 0.4;
export const ARROW_MIN_M = 0.4;
export const ARROW_MAX_M = 6;

const POINTS_16 = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'] as const;

export interface WindReadout {
  /** |w|, m/s. */
  speedMps: number;
  /** Horizontal speed, m/s. */
  horizontalMps: number;
  /** Vertical component, m/s, positive up. */
  verticalMps: number;
  /** Direction the air moves towards, ENU, radians counter-clockwise from east (NaN when calm). */
  towardRad: number;
  /** Compass bearing the wind blows from, degrees clockwise from north in [0, 360) (NaN when calm). */
  fromDeg: number;
  /** 16-point compass name of `fromDeg` ('calm' when calm). */
  fromName: string;
}

export function windReadout(w: Readonly<Vec3>): WindReadout {
  const horizontalMps = Math.hypot(w[0], w[1]);
  const speedMps = Math.hypot(horizontalMps, w[2]);
  if (horizontalMps < CALM_MPS) return { speedMps, horizontalMps, verticalMps: w[2], towardRad: NaN, fromDeg: NaN, fromName: 'calm' };
  const towardRad = Math.atan2(w[1], w[0]);
  // Bearing towards: clockwise from north = atan2(east, north); from = towards + 180.
  const toDeg = (Math.atan2(w[0], w[1]) * 180) / Math.PI;
  const fromDeg = (((toDeg + 180) % 360) + 360) % 360;
  return { speedMps, horizontalMps, verticalMps: w[2], towardRad, fromDeg, fromName: POINTS_16[Math.round(fromDeg / 22.5) % 16]! };
}

/** Length of the scene arrow for a wind speed, m: proportional, clamped to [ARROW_MIN_M, ARROW_MAX_M]. */
export function arrowLengthM(speedMps: number): number {
  return Math.min(ARROW_MAX_M, Math.max(ARROW_MIN_M, ARROW_M_PER_MPS * speedMps));
}

/**
 * Rotation of the HUD vane (an arrow drawn pointing up), CSS degrees
 * (clockwise), so that it points where the wind blows as seen on screen.
 * `screenUpRad`: the ground direction (ENU, rad from east) that points up on
 * the screen (camera forward for an oblique view; north for the top view).
 */
export function vaneRotationDeg(towardRad: number, screenUpRad: number): number {
  if (Number.isNaN(towardRad)) return 0;
  // Counter-clockwise on the ground from screen-up is counter-clockwise on screen (seen from above), i.e. negative CSS.
  const rel = towardRad - screenUpRad;
  const deg = (-rel * 180) / Math.PI;
  return ((((deg + 180) % 360) + 360) % 360) - 180;
}

/** One line for the HUD: "3.2 m/s from WSW (248°) · ↑0.4 m/s", or "calm". */
export function formatWind(r: WindReadout): string {
  const vert = Math.abs(r.verticalMps) >= 0.05 ? ` · ${r.verticalMps > 0 ? '↑' : '↓'}${Math.abs(r.verticalMps).toFixed(1)} m/s` : '';
  if (r.fromName === 'calm') return `calm (${r.speedMps.toFixed(1)} m/s)${vert}`;
  return `${r.horizontalMps.toFixed(1)} m/s from ${r.fromName} (${Math.round(r.fromDeg) % 360}°)${vert}`;
}
