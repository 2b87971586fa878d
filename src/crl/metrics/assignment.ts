/**
 * Rectangular linear assignment: the rows/columns pairing of minimum total cost, as
 * `scipy.optimize.linear_sum_assignment` (a port of scipy's rectangular_lsap.cpp: Crouse's shortest
 * augmenting path variant of Jonker–Volgenant). With more rows than columns the problem is solved on the
 * transpose, exactly as scipy does, so ties resolve the same way.
 */
export interface Assignment {
  /** Matched row indices, increasing. */
  rowInd: number[];
  /** colInd[k] is the column matched to rowInd[k]. */
  colInd: number[];
}

/** `cost[i][j]` (rows × cols, any rectangular shape); `maximize` flips the objective. */
export function linearSumAssignment(cost: number[][], maximize = false): Assignment {
  let nr = cost.length;
  let nc = nr === 0 ? 0 : cost[0]!.length;
  if (nr === 0 || nc === 0) return { rowInd: [], colInd: [] };
  for (const row of cost) {
    if (row.length !== nc) throw new RangeError("linearSumAssignment: cost matrix rows differ in length");
    for (const v of row) if (Number.isNaN(v) || v === -Infinity) throw new RangeError("linearSumAssignment: cost matrix contains NaN or -inf");
  }
  const transpose = nc < nr;
  let c: Float64Array;
  if (transpose) {
    c = new Float64Array(nr * nc);
    for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) c[j * nr + i] = cost[i]![j]!;
    [nr, nc] = [nc, nr];
  } else {
    c = new Float64Array(nr * nc);
    for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) c[i * nc + j] = cost[i]![j]!;
  }
  if (maximize) for (let k = 0; k < c.length; k++) c[k] = -c[k]!;

  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortestPathCosts = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const SR = new Uint8Array(nr);
  const SC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // augmenting_path()
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    SR.fill(0);
    SC.fill(0);
    shortestPathCosts.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      SR[i] = 1;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it]!;
        const r = minVal + c[i * nc + j]! - u[i]! - v[j]!;
        if (r < shortestPathCosts[j]!) {
          path[j] = i;
          shortestPathCosts[j] = r;
        }
        if (shortestPathCosts[j]! < lowest || (shortestPathCosts[j] === lowest && row4col[j] === -1)) {
          lowest = shortestPathCosts[j]!;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) throw new RangeError("linearSumAssignment: cost matrix is infeasible");
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      SC[j] = 1;
      remaining[index] = remaining[--numRemaining]!;
    }
    // Update the dual variables.
    u[curRow] = u[curRow]! + minVal;
    for (let r = 0; r < nr; r++) {
      if (SR[r] && r !== curRow) u[r] = u[r]! + minVal - shortestPathCosts[col4row[r]!]!;
    }
    for (let j = 0; j < nc; j++) if (SC[j]) v[j] = v[j]! - (minVal - shortestPathCosts[j]!);
    // Augment the previous solution along the path.
    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const tmp = col4row[r]!;
      col4row[r] = j;
      j = tmp;
      if (r === curRow) break;
    }
  }

  if (transpose) {
    const order = Array.from(col4row.keys()).sort((a, b) => col4row[a]! - col4row[b]!);
    return { rowInd: order.map((k) => col4row[k]!), colInd: order };
  }
  return { rowInd: Array.from(col4row.keys()), colInd: Array.from(col4row) };
}
