/**
 * A clothoid (Euler spiral) reference-line primitive, OpenDRIVE
 * `<spiral curvStart curvEnd>`: curvature varies linearly with distance,
 *   kappa(u) = k0 + c*u,  heading(u) = h0 + k0*u + c*u^2/2,
 * and the position is the integral of (cos heading, sin heading).
 *
 * That integral is a generalised Fresnel integral. Instead of Fresnel
 * functions (whose shifted-argument form cancels badly when c is small, i.e.
 * for the gentle spirals of real roads), it is integrated directly with a
 * 10-point Gauss-Legendre rule on panels short enough that the heading turns
 * at most 0.5 rad and c*h^2 <= 0.5 rad on each. The integrand is entire, and
 * on such a panel the rule's truncation error is far below double rounding,
 * so positions are accurate to rounding: about 1e-15 of the length (tested
 * against C(1), S(1) and C(5), S(5) to 1e-13 relative). Panel end points are
 * integrated once in the constructor; `poseAt` integrates one partial panel
 * (10 sin/cos pairs) and allocates nothing.
 */
import type { GeometryDescriptor, PlanGeometry, RoadPose } from './geometry.ts';
import { gaussLegendre } from './quadrature.ts';

const RULE = gaussLegendre(10);
/** Largest heading change over one panel, rad. */
const MAX_PANEL_TURN_RAD = 0.5;

export class SpiralGeometry implements PlanGeometry {
  readonly type = 'spiral' as const;
  /** Curvature rate, 1/m^2. */
  readonly curvRate: number;
  private readonly panelM: number;
  private readonly nodeX: Float64Array;
  private readonly nodeY: Float64Array;

  constructor(
    readonly s: number,
    readonly x: number,
    readonly y: number,
    readonly headingRad: number,
    readonly lengthM: number,
    /** Curvature at the start, 1/m, positive to the left. */
    readonly curvStart: number,
    /** Curvature at the end, 1/m. */
    readonly curvEnd: number,
  ) {
    if (!Number.isFinite(curvStart) || !Number.isFinite(curvEnd)) {
      throw new RangeError(`spiral at s=${s}: curvatures must be finite, got ${curvStart} -> ${curvEnd}`);
    }
    this.curvRate = (curvEnd - curvStart) / lengthM;
    const kMax = Math.max(Math.abs(curvStart), Math.abs(curvEnd));
    const panels = Math.max(
      1,
      Math.ceil((lengthM * kMax) / MAX_PANEL_TURN_RAD),
      Math.ceil(lengthM * Math.sqrt(Math.abs(this.curvRate) / MAX_PANEL_TURN_RAD)),
    );
    this.panelM = lengthM / panels;
    this.nodeX = new Float64Array(panels + 1);
    this.nodeY = new Float64Array(panels + 1);
    for (let k = 0; k < panels; k++) {
      const a = k * this.panelM;
      this.integrate(a, a + this.panelM);
      this.nodeX[k + 1] = this.nodeX[k]! + _ix;
      this.nodeY[k + 1] = this.nodeY[k]! + _iy;
    }
  }

  poseAt(s: number, out: RoadPose): RoadPose {
    const u = s - this.s;
    const last = this.nodeX.length - 2;
    const k = u <= 0 ? 0 : Math.min(last, Math.floor(u / this.panelM));
    this.integrate(k * this.panelM, u);
    out.x = this.x + this.nodeX[k]! + _ix;
    out.y = this.y + this.nodeY[k]! + _iy;
    out.headingRad = this.headingRad + u * (this.curvStart + 0.5 * this.curvRate * u);
    out.curvature = this.curvStart + this.curvRate * u;
    return out;
  }

  /** Integral of (cos, sin) of the heading from local a to local b, into _ix, _iy. */
  private integrate(a: number, b: number): void {
    const half = 0.5 * (b - a);
    const mid = 0.5 * (a + b);
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < RULE.nodes.length; i++) {
      const u = mid + half * RULE.nodes[i]!;
      const h = this.headingRad + u * (this.curvStart + 0.5 * this.curvRate * u);
      const w = RULE.weights[i]!;
      sx += w * Math.cos(h);
      sy += w * Math.sin(h);
    }
    _ix = half * sx;
    _iy = half * sy;
  }

  descriptor(): GeometryDescriptor {
    return {
      type: 'spiral', s: this.s, x: this.x, y: this.y, headingRad: this.headingRad, lengthM: this.lengthM,
      curvStart: this.curvStart, curvEnd: this.curvEnd,
    };
  }
}

// Scratch results of `integrate` (module level: the hot path allocates nothing).
let _ix = 0;
let _iy = 0;
