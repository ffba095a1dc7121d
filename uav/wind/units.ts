/**
 * The MIL-F-8785C wind and turbulence laws are written in feet and knots;
 * Skylane works in SI. Conversions happen here, at the edge, and nowhere else.
 */

/** International foot, exactly 0.3048 m (international yard and pound agreement, 1959). */
export const M_PER_FT = 0.3048;
/** International knot, exactly 1852 m per hour. */
export const MPS_PER_KT = 1852 / 3600;
