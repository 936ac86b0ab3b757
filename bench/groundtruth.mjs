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
  const v = ds.vectors;
  for (let q = 0; q < count; q++) {
    const qo = q * DIM, fa = filterA(q), fb = filterB(q);
    const plain = new TopK(k), a = new TopK(k), b = new TopK(k);
    for (let r = 0, ro = 0; r < ds.size; r++, ro += DIM) {
      let s = 0;
      for (let j = 0; j < DIM; j++) s += queries[qo + j] * v[ro + j];
      plain.offer(r, s);
      if (fa.test(ds, r)) a.offer(r, s);
      if (fb.test(ds, r)) b.offer(r, s);
    }
    out.plain.push(plain.ids); out.a.push(a.ids); out.b.push(b.ids);
  }
  return out;
}
