// Exact top-k by brute force in cosine space (all vectors are unit length, so cosine distance = 1 - dot).
// One pass over the data per query serves the unfiltered and both filtered answers at once.
import { DIM, filterA, filterB } from "./workload.mjs";

class TopK {
  constructor(k) { this.k = k; this.ids = []; this.sims = []; }
  offer(id, sim) {
    const { ids, sims, k } = this;
    if (sims.length === k && sim <= sims[k - 1]) return;
    let p = sims.length < k ? sims.length : k - 1;
    while (p > 0 && sims[p - 1] < sim) { sims[p] = sims[p - 1]; ids[p] = ids[p - 1]; p--; }
    sims[p] = sim; ids[p] = id;
  }
}

/** For each of the first `count` queries: exact top-k rows unfiltered, under filter A and under filter B. */
export function exactNeighbours(ds, queries, count, k) {
  const out = { plain: [], a: [], b: [] };
  const v = ds.vectors, sims = new Float32Array(ds.size);
  for (let q = 0; q < count; q++) {
    const qv = queries.subarray(q * DIM, (q + 1) * DIM);
    for (let r = 0, ro = 0; r < ds.size; r++, ro += DIM) {
      // Four partial sums: the loop is the whole cost of the ground truth and this halves it in V8.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < DIM; j += 4) {
        s0 += qv[j] * v[ro + j]; s1 += qv[j + 1] * v[ro + j + 1];
        s2 += qv[j + 2] * v[ro + j + 2]; s3 += qv[j + 3] * v[ro + j + 3];
      }
      sims[r] = s0 + s1 + s2 + s3;
    }
    const fa = filterA(q), fb = filterB(q);
    const plain = new TopK(k), a = new TopK(k), b = new TopK(k);
    for (let r = 0; r < ds.size; r++) {
      const s = sims[r];
      plain.offer(r, s);
      if (fa.test(ds, r)) a.offer(r, s);
      if (fb.test(ds, r)) b.offer(r, s);
    }
    out.plain.push(plain.ids); out.a.push(a.ids); out.b.push(b.ids);
  }
  return out;
}
