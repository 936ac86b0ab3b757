import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ChromaNotFoundError, ChromaClientError, ChromaValueError } from "chromadb";
import { client, uniqueName, raw, DB_PATH, l2 } from "./helpers.mjs";

const chroma = client();
let coll;

const vectors = {
  a: [1, 0, 0],
  b: [0, 1, 0],
  c: [0, 0, 1],
  d: [1, 1, 0],
  e: [0.5, 0.5, 0.5],
};
const metas = {
  a: { genre: "jazz", year: 1959, rating: 4.5, live: false },
  b: { genre: "rock", year: 1969, rating: 4.0, live: true },
  c: { genre: "jazz", year: 1965, rating: 3.5, live: true },
  d: { genre: "pop", year: 1982, rating: 3.0, live: false },
  e: { genre: "rock", year: 1991, rating: 5.0, live: false },
};
const docs = {
  a: "kind of blue by miles davis",
  b: "abbey road by the beatles",
  c: "a love supreme by john coltrane",
  d: "thriller by michael jackson",
  e: "nevermind by nirvana",
};
const ids = Object.keys(vectors);

before(async () => {
  coll = await chroma.createCollection({ name: uniqueName("records"), embeddingFunction: null });
  await coll.add({
    ids,
    embeddings: ids.map((id) => vectors[id]),
    metadatas: ids.map((id) => metas[id]),
    documents: ids.map((id) => docs[id]),
  });
});

after(async () => {
  await chroma.deleteCollection({ name: coll.name });
});

function sorted(a) {
  return [...a].sort();
}

test("add then count and get everything with embeddings", async () => {
  assert.equal(await coll.count(), 5);
  const all = await coll.get({ include: ["embeddings", "metadatas", "documents"] });
  assert.deepEqual(sorted(all.ids), ids);
  for (let i = 0; i < all.ids.length; i++) {
    const id = all.ids[i];
    assert.deepEqual(Array.from(all.embeddings[i]), vectors[id]);
    assert.deepEqual(all.metadatas[i], metas[id]);
    assert.equal(all.documents[i], docs[id]);
  }
});

test("get by ids, with limit/offset, and include selects fields", async () => {
  const two = await coll.get({ ids: ["b", "d"], include: ["documents"] });
  assert.deepEqual(sorted(two.ids), ["b", "d"]);
  assert.deepEqual(sorted(two.documents), [docs.b, docs.d].sort());
  assert.deepEqual(two.metadatas, [], "metadatas were not included");
  const page = await coll.get({ limit: 2, offset: 1 });
  assert.equal(page.ids.length, 2);
  const unknown = await coll.get({ ids: ["zzz"] });
  assert.deepEqual(unknown.ids, []);
});

test("metadata filters: $eq, $gte, $in, $and, $or, $ne, bool", async () => {
  const check = async (where, expected) => {
    const r = await coll.get({ where });
    assert.deepEqual(sorted(r.ids), sorted(expected), JSON.stringify(where));
  };
  await check({ genre: "jazz" }, ["a", "c"]);
  await check({ year: { $gte: 1969 } }, ["b", "d", "e"]);
  await check({ genre: { $in: ["pop", "rock"] } }, ["b", "d", "e"]);
  await check({ $and: [{ genre: "rock" }, { rating: { $gt: 4.5 } }] }, ["e"]);
  await check({ $or: [{ genre: "pop" }, { year: { $lt: 1960 } }] }, ["a", "d"]);
  await check({ genre: { $ne: "jazz" } }, ["b", "d", "e"]);
  await check({ live: true }, ["b", "c"]);
  // The JS client refuses a one-clause $and itself; servers accept it.
  const single = await raw("POST", `${DB_PATH}/collections/${coll.id}/get`, { where: { $and: [{ genre: "jazz" }] } });
  assert.equal(single.status, 200);
  assert.deepEqual(sorted(single.json.ids), ["a", "c"]);
});

test("document filters: $contains, $not_contains, with metadata filter", async () => {
  const r = await coll.get({ whereDocument: { $contains: "by the" } });
  assert.deepEqual(r.ids, ["b"]);
  const n = await coll.get({ whereDocument: { $not_contains: "by" } });
  assert.deepEqual(n.ids, []);
  const both = await coll.get({ where: { genre: "jazz" }, whereDocument: { $contains: "coltrane" } });
  assert.deepEqual(both.ids, ["c"]);
});

test("query: nearest first with l2 distances, include and filters", async () => {
  const q = [0.9, 0.1, 0];
  const r = await coll.query({ queryEmbeddings: [q], nResults: 3, include: ["distances", "embeddings", "metadatas", "documents"] });
  const expected = ids.map((id) => [id, l2(q, vectors[id])]).sort((x, y) => x[1] - y[1]).slice(0, 3);
  assert.deepEqual(r.ids[0], expected.map((e) => e[0]));
  r.distances[0].forEach((d, i) => assert.ok(Math.abs(d - expected[i][1]) < 1e-5, `distance ${d} vs ${expected[i][1]}`));
  assert.deepEqual(Array.from(r.embeddings[0][0]), vectors[expected[0][0]]);
  assert.deepEqual(r.metadatas[0][0], metas[expected[0][0]]);

  const filtered = await coll.query({ queryEmbeddings: [q], nResults: 10, where: { genre: "rock" } });
  assert.deepEqual(sorted(filtered.ids[0]), ["b", "e"], "fewer results than n_results, no error");
  const byDoc = await coll.query({ queryEmbeddings: [q], nResults: 2, whereDocument: { $contains: "miles" } });
  assert.deepEqual(byDoc.ids[0], ["a"]);
  const byIds = await coll.query({ queryEmbeddings: [q], nResults: 5, ids: ["c", "e"] });
  assert.deepEqual(byIds.ids[0], ["e", "c"]);

  const two = await coll.query({ queryEmbeddings: [[0, 0, 1], [0, 1, 0]], nResults: 1 });
  assert.deepEqual(two.ids, [["c"], ["b"]]);
});

test("upsert inserts and updates, update changes only what it is given", async () => {
  await coll.upsert({ ids: ["f", "a"], embeddings: [[2, 2, 2], [1, 0, 0]], metadatas: [{ genre: "folk" }, { genre: "bebop" }], documents: ["new record", "kind of blue"] });
  assert.equal(await coll.count(), 6);
  const a = await coll.get({ ids: ["a"] });
  assert.equal(a.metadatas[0].genre, "bebop");
  assert.equal(a.metadatas[0].year, 1959, "upsert merges metadata key by key");
  assert.equal(a.documents[0], "kind of blue");

  await coll.update({ ids: ["f"], metadatas: [{ genre: "blues", extra: 1 }] });
  const f = await coll.get({ ids: ["f"], include: ["metadatas", "documents", "embeddings"] });
  assert.deepEqual(f.metadatas[0], { genre: "blues", extra: 1 });
  assert.equal(f.documents[0], "new record");
  assert.deepEqual(Array.from(f.embeddings[0]), [2, 2, 2]);

  await coll.update({ ids: ["f"], embeddings: [[3, 3, 3]] });
  const f2 = await coll.get({ ids: ["f"], include: ["embeddings"] });
  assert.deepEqual(Array.from(f2.embeddings[0]), [3, 3, 3]);

  // Re-adding an existing id is accepted and ignored; updating a missing id is ignored.
  await coll.add({ ids: ["f"], embeddings: [[9, 9, 9]] });
  await coll.update({ ids: ["nope"], metadatas: [{ genre: "x" }] });
  assert.equal(await coll.count(), 6);
  const f3 = await coll.get({ ids: ["f"], include: ["embeddings"] });
  assert.deepEqual(Array.from(f3.embeddings[0]), [3, 3, 3]);
});

test("delete by ids and by where", async () => {
  const tmp = await chroma.createCollection({ name: uniqueName("del"), embeddingFunction: null });
  await tmp.add({ ids: ["1", "2", "3", "4"], embeddings: [[1], [2], [3], [4]], metadatas: [{ k: 1 }, { k: 2 }, { k: 3 }, { k: 4 }] });
  await tmp.delete({ ids: ["1"] });
  assert.equal(await tmp.count(), 3);
  await tmp.delete({ where: { k: { $gte: 3 } } });
  assert.deepEqual((await tmp.get()).ids, ["2"]);
  const res = await raw("POST", `${DB_PATH}/collections/${tmp.id}/delete`, { ids: ["2", "zzz"] });
  assert.equal(res.status, 200);
  // Chroma answers with the number of ids it was given (2) without checking they exist; Strata answers
  // with the number of records it deleted (1). Both are accepted.
  assert.ok([1, 2].includes(res.json.deleted), `deleted: ${res.json.deleted}`);
  assert.equal(await tmp.count(), 0);
  await chroma.deleteCollection({ name: tmp.name });
});

test("embeddings as JSON arrays and as base64 float32 are the same records", async () => {
  const tmp = await chroma.createCollection({ name: uniqueName("b64"), embeddingFunction: null });
  const b64 = Buffer.from(new Float32Array([0.25, -1.5]).buffer).toString("base64");
  const add = await raw("POST", `${DB_PATH}/collections/${tmp.id}/add`, { ids: ["x"], embeddings: [b64] });
  assert.equal(add.status, 201);
  const add2 = await raw("POST", `${DB_PATH}/collections/${tmp.id}/add`, { ids: ["y"], embeddings: [[0.5, 2]] });
  assert.equal(add2.status, 201);
  const got = await tmp.get({ ids: ["x", "y"], include: ["embeddings"] });
  const byId = Object.fromEntries(got.ids.map((id, i) => [id, Array.from(got.embeddings[i])]));
  assert.deepEqual(byId, { x: [0.25, -1.5], y: [0.5, 2] });
  const count = await raw("GET", `${DB_PATH}/collections/${tmp.id}/count`);
  assert.equal(count.json, 2, "count is a bare number");
  await chroma.deleteCollection({ name: tmp.name });
});

test("record errors: wrong dimension 400, unknown collection 404, malformed filter 400", async () => {
  await assert.rejects(coll.add({ ids: ["bad"], embeddings: [[1, 2]] }), (e) => e instanceof ChromaClientError && /dimension/.test(e.message));
  const wrongDim = await raw("POST", `${DB_PATH}/collections/${coll.id}/query`, { query_embeddings: [[1, 2]], n_results: 1 });
  assert.equal(wrongDim.status, 400);
  assert.equal(wrongDim.json.error, "InvalidArgumentError");
  assert.match(wrongDim.json.message, /dimension/);

  // The client checks filters itself (ChromaValueError) before the server could (400, ChromaClientError).
  const filterError = (e) => e instanceof ChromaValueError || e instanceof ChromaClientError;
  await assert.rejects(coll.get({ where: { genre: { $bad: 1 } } }), filterError);
  await assert.rejects(coll.query({ queryEmbeddings: [[1, 0, 0]], where: { year: { $gt: "1960" } } }), filterError);
  for (const where of [{ genre: { $gt: "jazz" } }, { $and: "x" }, { year: { $in: [] } }, { a: 1, b: 2 }]) {
    const res = await raw("POST", `${DB_PATH}/collections/${coll.id}/get`, { where });
    assert.equal(res.status, 400, JSON.stringify(where));
    assert.equal(res.json.error, "InvalidArgumentError");
  }
  const badWhere = await raw("POST", `${DB_PATH}/collections/${coll.id}/get`, { where: { genre: { $bad: 1 } } });
  assert.equal(badWhere.status, 400);
  assert.equal(badWhere.json.error, "InvalidArgumentError");
  assert.match(badWhere.json.message, /where/i);

  const tmp = await chroma.createCollection({ name: uniqueName("gone"), embeddingFunction: null });
  await chroma.deleteCollection({ name: tmp.name });
  await assert.rejects(tmp.count(), ChromaNotFoundError);
  await assert.rejects(tmp.add({ ids: ["1"], embeddings: [[1]] }), ChromaNotFoundError);
  const missing = await raw("POST", `${DB_PATH}/collections/${tmp.id}/get`, {});
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error, "NotFoundError");
});

test("request shape errors: malformed JSON 400, wrong types 422", async () => {
  const malformed = await raw("POST", `${DB_PATH}/collections/${coll.id}/get`, "{\"limit\": 1");
  assert.equal(malformed.status, 400);
  assert.equal(typeof malformed.json.message, "string");
  const wrongType = await raw("POST", `${DB_PATH}/collections/${coll.id}/get`, { limit: "ten" });
  assert.equal(wrongType.status, 422);
  assert.equal(typeof wrongType.json.message, "string");
  const notObject = await raw("POST", `${DB_PATH}/collections/${coll.id}/get`, []);
  assert.equal(notObject.status, 422);
  const missingIds = await raw("POST", `${DB_PATH}/collections/${coll.id}/add`, { embeddings: [[1, 2, 3]] });
  assert.equal(missingIds.status, 422);
});
