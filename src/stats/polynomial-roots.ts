/**
 * All complex roots of a real polynomial c[0] + c[1]·x + … + c[d]·x^d (Aberth–Ehrlich iteration with a
 * final Newton polish). Stands in for numpy's `np.roots` (companion-matrix eigenvalues) on the small
 * degrees LPB4 needs; the order of the roots is unspecified.
 */
export function polynomialRoots(coefficients: ArrayLike<number>): Array<{ re: number; im: number }> {
  let d = coefficients.length - 1;
  while (d > 0 && coefficients[d] === 0) d--;
  if (d <= 0) return [];
  const lead = coefficients[d]!;
  const c = Array.from({ length: d + 1 }, (_, i) => coefficients[i]! / lead);
  // Initial guesses on a circle whose radius bounds the roots (Cauchy bound).
  let radius = 0;
  for (let i = 0; i < d; i++) radius = Math.max(radius, Math.abs(c[i]!));
  radius = 1 + radius;
  const re = new Float64Array(d), im = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    const angle = (2 * Math.PI * k) / d + 0.4;
    re[k] = radius * 0.5 * Math.cos(angle);
    im[k] = radius * 0.5 * Math.sin(angle);
  }
  const evaluate = (xr: number, xi: number) => {
    // Horner for p and p'.
    let pr = c[d]!, pi = 0, dr = 0, di = 0;
    for (let i = d - 1; i >= 0; i--) {
      const ndr = dr * xr - di * xi + pr, ndi = dr * xi + di * xr + pi;
      dr = ndr; di = ndi;
      const npr = pr * xr - pi * xi + c[i]!, npi = pr * xi + pi * xr;
      pr = npr; pi = npi;
    }
    return { pr, pi, dr, di };
  };
  for (let iteration = 0; iteration < 500; iteration++) {
    let maxStep = 0;
    for (let k = 0; k < d; k++) {
      const { pr, pi, dr, di } = evaluate(re[k]!, im[k]!);
      const dd = dr * dr + di * di;
      if (pr === 0 && pi === 0) continue;
      // ratio = p / p'
      const rr = (pr * dr + pi * di) / dd, ri = (pi * dr - pr * di) / dd;
      let sr = 0, si = 0;
      for (let j = 0; j < d; j++) {
        if (j === k) continue;
        const ar = re[k]! - re[j]!, ai = im[k]! - im[j]!;
        const den = ar * ar + ai * ai;
        sr += ar / den; si += -ai / den;
      }
      // step = ratio / (1 - ratio * s)
      const br = 1 - (rr * sr - ri * si), bi = -(rr * si + ri * sr);
      const bd = br * br + bi * bi;
      const stepR = (rr * br + ri * bi) / bd, stepI = (ri * br - rr * bi) / bd;
      re[k]! -= stepR; im[k]! -= stepI;
      maxStep = Math.max(maxStep, Math.hypot(stepR, stepI) / Math.max(1, Math.hypot(re[k]!, im[k]!)));
    }
    if (maxStep < 1e-16) break;
  }
  for (let k = 0; k < d; k++) {
    for (let polish = 0; polish < 3; polish++) {
      const { pr, pi, dr, di } = evaluate(re[k]!, im[k]!);
      const dd = dr * dr + di * di;
      if (dd === 0) break;
      re[k]! -= (pr * dr + pi * di) / dd;
      im[k]! -= (pi * dr - pr * di) / dd;
    }
  }
  return Array.from({ length: d }, (_, k) => ({ re: re[k]!, im: im[k]! }));
}
