// The normalised Helmert basis: an orthonormal basis of R^n whose first vector is (1, ..., 1) / sqrt(n),
// so the first coefficient of a patch carries exactly its mean and the others only its detail.

/** n x n, row-major, rows are the basis vectors. */
export function helmertBasis(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`basis size must be a positive integer (got ${n})`);
  const B = new Float64Array(n * n);
  for (let j = 0; j < n; j++) B[j] = 1 / Math.sqrt(n);
  for (let k = 1; k < n; k++) {
    // row k: the mean of the first k entries minus entry k, normalised
    const norm = Math.sqrt(k * (k + 1));
    for (let j = 0; j < k; j++) B[k * n + j] = 1 / norm;
    B[k * n + k] = -k / norm;
  }
  return B;
}
