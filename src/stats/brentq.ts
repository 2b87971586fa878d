/**
 * Brent's root finder, a line-by-line port of scipy.optimize.brentq (scipy/optimize/Zeros/brentq.c) with
 * scipy's defaults, so that code ported from Python (momentchi2's LPB4) walks the same iterates.
 * Throws RangeError when f(a) and f(b) have the same sign (scipy raises ValueError there).
 */
export function brentq(
  f: (x: number) => number,
  a: number,
  b: number,
  options: { xtol?: number; rtol?: number; maxIterations?: number } = {},
): number {
  const xtol = options.xtol ?? 2e-12;
  const rtol = options.rtol ?? 4 * Number.EPSILON;
  const maxIterations = options.maxIterations ?? 100;
  let xpre = a, xcur = b, xblk = 0, fblk = 0, spre = 0, scur = 0;
  let fpre = f(xpre), fcur = f(xcur);
  if (fpre === 0) return xpre;
  if (fcur === 0) return xcur;
  if (Number.isNaN(fpre) || Number.isNaN(fcur) || signbit(fpre) === signbit(fcur)) {
    throw new RangeError("brentq: f(a) and f(b) must have different signs");
  }
  for (let i = 0; i < maxIterations; i++) {
    if (fpre !== 0 && fcur !== 0 && signbit(fpre) !== signbit(fcur)) {
      xblk = xpre; fblk = fpre; spre = scur = xcur - xpre;
    }
    if (Math.abs(fblk) < Math.abs(fcur)) {
      xpre = xcur; xcur = xblk; xblk = xpre;
      fpre = fcur; fcur = fblk; fblk = fpre;
    }
    const delta = (xtol + rtol * Math.abs(xcur)) / 2;
    const sbis = (xblk - xcur) / 2;
    if (fcur === 0 || Math.abs(sbis) < delta) return xcur;
    if (Math.abs(spre) > delta && Math.abs(fcur) < Math.abs(fpre)) {
      let stry: number;
      if (xpre === xblk) {
        stry = (-fcur * (xcur - xpre)) / (fcur - fpre); // interpolate
      } else {
        const dpre = (fpre - fcur) / (xpre - xcur); // extrapolate
        const dblk = (fblk - fcur) / (xblk - xcur);
        stry = (-fcur * (fblk * dblk - fpre * dpre)) / (dblk * dpre * (fblk - fpre));
      }
      if (2 * Math.abs(stry) < Math.min(Math.abs(spre), 3 * Math.abs(sbis) - delta)) {
        spre = scur; scur = stry; // good short step
      } else {
        spre = sbis; scur = sbis;
      }
    } else {
      spre = sbis; scur = sbis;
    }
    xpre = xcur; fpre = fcur;
    xcur += Math.abs(scur) > delta ? scur : sbis > 0 ? delta : -delta;
    fcur = f(xcur);
  }
  throw new RangeError(`brentq: no convergence after ${maxIterations} iterations`);
}

function signbit(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}
