import { test } from "node:test";
import assert from "node:assert/strict";
import * as W from "../workload.mjs";
import { exactNeighbours } from "../groundtruth.mjs";

test("the same seed gives the same records and a different seed different ones", () => {
  const a = W.makeDataset(300, 7), b = W.makeDataset(300, 7), c = W.makeDataset(300, 8);
  assert.deepEqual(a.vectors, b.vectors);
  assert.deepEqual(a.documents, b.documents);
  assert.deepEqual(W.metadataOf(a, 123), W.metadataOf(b, 123));
  assert.notDeepEqual(a.vectors.subarray(0, W.DIM), c.vectors.subarray(0, W.DIM));
});

test("vectors are unit length, metadata within its ranges, documents about 20 words", () => {
  const ds = W.makeDataset(500, 1);
  for (let i = 0; i < ds.size; i++) {
    let s = 0;
    for (const x of ds.vectors.subarray(i * W.DIM, (i + 1) * W.DIM)) s += x * x;
    assert.ok(Math.abs(s - 1) < 1e-4, `row ${i} has squared norm ${s}`);
    const m = W.metadataOf(ds, i);
    assert.ok(W.CATEGORIES.includes(m.category));
    assert.ok(Number.isInteger(m.year) && m.year >= W.YEAR_MIN && m.year <= W.YEAR_MAX);
    assert.ok(m.score >= 0 && m.score < 1);
    const words = ds.documents[i].split(" ").length;
    assert.ok(words >= 18 && words <= 22, `document ${i} has ${words} words`);
  }
});

test("filter A matches about 10 % and filter B about 14 % of the records", () => {
  const ds = W.makeDataset(20000, 42);
  for (let q = 0; q < 11; q++) {
    assert.ok(Math.abs(W.selectivity(ds, W.filterA(q)) - 0.10) < 0.01);
    assert.ok(Math.abs(W.selectivity(ds, W.filterB(q)) - 0.143) < 0.012);
  }
});

test("filter B's where clause says what its predicate tests", () => {
  const f = W.filterB(4);
  const [gte, lte, cats] = f.where.$and;
  const ds = { year: [gte.year.$gte, lte.year.$lte + 1], category: [W.CATEGORIES.indexOf(cats.category.$in[0]), 0] };
  assert.equal(f.test(ds, 0), true);
  assert.equal(f.test(ds, 1), false);
});

test("exact neighbours are sorted by similarity, respect the filters, and a stored vector finds itself", () => {
  const ds = W.makeDataset(2000, 3);
  const q = new Float32Array(ds.vectors.subarray(17 * W.DIM, 18 * W.DIM));
  const truth = exactNeighbours(ds, q, 1, 10);
  assert.equal(truth.plain[0][0], 17);
  const sim = (r) => { let s = 0; for (let j = 0; j < W.DIM; j++) s += q[j] * ds.vectors[r * W.DIM + j]; return s; };
  const sims = truth.plain[0].map(sim);
  assert.deepEqual([...sims].sort((x, y) => y - x), sims);
  assert.ok(truth.a[0].every((r) => W.filterA(0).test(ds, r)));
  assert.ok(truth.b[0].every((r) => W.filterB(0).test(ds, r)));
  assert.equal(truth.a[0].length, 10);
});
