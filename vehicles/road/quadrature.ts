/**
 * Gauss-Legendre quadrature nodes and weights on [-1, 1], computed once at
 * load by Newton's method on the Legendre polynomial (Press et al.,
 * Numerical Recipes 3rd ed., section 4.6, `gauleg`), so no table can carry a
 * typo. An n-point rule is exact for polynomials of degree 2n - 1.
 */
export interface GaussLegendreRule {
  nodes: Float64Array;
  weights: Float64Array;
}

export function gaussLegendre(n: number): GaussLegendreRule {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      const step = legendreRatio(n, z);
      z -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    // The weight from P'_n at the converged node, not at the previous iterate.
    const pp = legendreSlope(n, z);
    nodes[i] = -z;
    nodes[n - 1 - i] = z;
    weights[i] = weights[n - 1 - i] = 2 / ((1 - z * z) * pp * pp);
  }
  return { nodes, weights };
}

/** P_n(z) and P_{n-1}(z) by the three-term recurrence, into _p1, _p2. */
function legendre(n: number, z: number): void {
  let p1 = 1;
  let p2 = 0;
  for (let j = 0; j < n; j++) {
    const p3 = p2;
    p2 = p1;
    p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
  }
  _p1 = p1;
  _p2 = p2;
}

function legendreSlope(n: number, z: number): number {
  legendre(n, z);
  return (n * (z * _p1 - _p2)) / (z * z - 1);
}

/** Newton step P_n / P'_n. */
function legendreRatio(n: number, z: number): number {
  const pp = legendreSlope(n, z);
  return _p1 / pp;
}

let _p1 = 0;
let _p2 = 0;
