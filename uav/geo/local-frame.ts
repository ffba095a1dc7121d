/**
 * WGS84 latitude/longitude/altitude to a scenario's local ENU frame and back,
 * through Karney's GeographicLib (`geographiclib-geodesic`, the JS port of
 * C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 2013): never
 * hand-written formulas.
 *
 * The horizontal map is the azimuthal equidistant projection about the
 * origin: a point's east/north are the geodesic distance s and azimuth az
 * from the origin, (s sin az, s cos az). Distances and bearings from the
 * origin are exact on the ellipsoid; PX4 projects global positions to its
 * local frame the same way (src/lib/geo, MapProjection). Up is the height
 * above the origin's: for the few kilometres of a mission the curvature drop
 * (~s^2 / 2R, 8 cm at 1 km) is left out, as PX4 does.
 *
 * Inputs are degrees (the edge: GeoJSON, ED-269, mission files); outputs
 * are metres.
 */
// A CommonJS (UMD) package: Node's ESM loader gives it only as the default export
// (a named import fails at run time under tsx, the CLI's loader), Vite and Vitest likewise.
import geographiclib from 'geographiclib-geodesic';

const WGS84 = geographiclib.Geodesic.WGS84;

export interface GeoPoint {
  latDeg: number;
  lonDeg: number;
  /** Height above the WGS84 ellipsoid (or a common datum), m. */
  altM: number;
}

export class LocalFrame {
  constructor(readonly origin: Readonly<GeoPoint>) {
    const { latDeg, lonDeg, altM } = origin;
    if (!(Math.abs(latDeg) <= 90) || !(Math.abs(lonDeg) <= 180) || !Number.isFinite(altM)) {
      throw new RangeError(`local frame origin must have latitude in [-90, 90], longitude in [-180, 180] and a finite altitude, got ${latDeg}, ${lonDeg}, ${altM}`);
    }
  }

  /** ENU metres of a geodetic point, into `out`. */
  toEnu(p: Readonly<GeoPoint>, out: [number, number, number] = [0, 0, 0]): [number, number, number] {
    if (!(Math.abs(p.latDeg) <= 90) || !(Math.abs(p.lonDeg) <= 180) || !Number.isFinite(p.altM)) {
      throw new RangeError(`expected latitude in [-90, 90], longitude in [-180, 180] and a finite altitude, got ${p.latDeg}, ${p.lonDeg}, ${p.altM}`);
    }
    const r = WGS84.Inverse(this.origin.latDeg, this.origin.lonDeg, p.latDeg, p.lonDeg);
    const s = r.s12 ?? 0, az = ((r.azi1 ?? 0) * Math.PI) / 180;
    out[0] = s * Math.sin(az);
    out[1] = s * Math.cos(az);
    out[2] = p.altM - this.origin.altM;
    return out;
  }

  /** Geodetic point of ENU metres. */
  toGeodetic(e: number, n: number, u: number): GeoPoint {
    const s = Math.hypot(e, n);
    const azDeg = s > 0 ? (Math.atan2(e, n) * 180) / Math.PI : 0;
    const r = WGS84.Direct(this.origin.latDeg, this.origin.lonDeg, azDeg, s);
    return { latDeg: r.lat2 ?? this.origin.latDeg, lonDeg: r.lon2 ?? this.origin.lonDeg, altM: this.origin.altM + u };
  }
}
