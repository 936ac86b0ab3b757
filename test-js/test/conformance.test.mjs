// Chroma conformance through the official client: metadata null, the embedding function and the schema stored
// and given back, databases in tenants nobody created, writes larger than max_batch_size, reset, and what Strata
// adds beyond Chroma's single-node server (fork, fork count, indexing status; skipped where the server lacks them).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminClient,
  ChromaUniqueError,
  Schema,
  StringInvertedIndexConfig,
  VectorIndexConfig,
  registerEmbeddingFunction,
} from "chromadb";
import { client, uniqueName, raw, DB_PATH, baseUrl } from "./helpers.mjs";

const chroma = client();
const token = process.env.STRATA_TOKEN;

/** An embedding function the client can describe ("known"), so the server's copy of it can rebuild it. */
class TinyEmbedding {
  constructor(label = "tiny") {
    this.label = label;
    this.name = "strata_tiny_test_ef";
  }
  async generate(texts) {
    return texts.map((t) => [t.length, this.label.length, 1]);
  }
  getConfig() {
    return { label: this.label };
  }
  static buildFromConfig(config) {
    return new TinyEmbedding(config.label);
  }
}
try {
  registerEmbeddingFunction("strata_tiny_test_ef", TinyEmbedding);
} catch {
  // registered already (watch mode)
}

test("a collection created without metadata answers metadata null", async () => {
  const name = uniqueName("nometa");
  const c = await chroma.createCollection({ name, embeddingFunction: null });
  assert.equal(c.metadata, undefined);
  const got = await raw("GET", `${DB_PATH}/collections/${name}`);
  assert.equal(got.json.metadata, null);
  await chroma.deleteCollection({ name });
});

test("the embedding function is stored, given back, rebuilt by the client and replaced by modify", async () => {
  const name = uniqueName("ef");
  await chroma.createCollection({ name, embeddingFunction: new TinyEmbedding("first") });
  const got = await raw("GET", `${DB_PATH}/collections/${name}`);
  assert.deepEqual(got.json.configuration_json.embedding_function, {
    type: "known",
    name: "strata_tiny_test_ef",
    config: { label: "first" },
  });
  // A client that did not create it gets the function back from the server's description.
  const reopened = await client().getCollection({ name });
  await reopened.add({ ids: ["a"], documents: ["hello"] });
  const row = await reopened.get({ ids: ["a"], include: ["embeddings"] });
  assert.deepEqual(Array.from(row.embeddings[0]), [5, 5, 1]);

  await reopened.modify({ configuration: { embeddingFunction: new TinyEmbedding("second") } });
  const after = await raw("GET", `${DB_PATH}/collections/${name}`);
  assert.deepEqual(after.json.configuration_json.embedding_function.config, { label: "second" });
  assert.equal(after.json.schema.keys["#embedding"].float_list.vector_index.config.embedding_function.config.label, "second");

  const legacy = await raw("POST", `${DB_PATH}/collections`, {
    name: uniqueName("legacy"),
    configuration: { embedding_function: { type: "legacy" } },
  });
  assert.equal(legacy.status, 200);
  assert.deepEqual(legacy.json.configuration_json.embedding_function, { type: "legacy" });
  const bad = await raw("POST", `${DB_PATH}/collections`, {
    name: uniqueName("badef"),
    configuration: { embedding_function: { type: "mystery" } },
  });
  assert.equal(bad.status, 422);
  assert.match(bad.json.message, /embedding_function/);
  await chroma.deleteCollection({ name });
  await chroma.deleteCollection({ name: legacy.json.name });
});

test("every collection response carries a schema with Chroma's defaults", async () => {
  const name = uniqueName("schema-default");
  const res = await raw("POST", `${DB_PATH}/collections`, { name });
  const s = res.json.schema;
  assert.equal(s.keys["#document"].string.fts_index.enabled, true);
  assert.equal(s.keys["#embedding"].float_list.vector_index.enabled, true);
  assert.equal(s.keys["#embedding"].float_list.vector_index.config.source_key, "#document");
  assert.equal(s.keys["#embedding"].float_list.vector_index.config.space, "l2");
  assert.equal(s.defaults.string.string_inverted_index.enabled, true);
  assert.equal(s.defaults.int.int_inverted_index.enabled, true);
  assert.equal(s.defaults.float.float_inverted_index.enabled, true);
  assert.equal(s.defaults.bool.bool_inverted_index.enabled, true);
  const listed = await raw("GET", `${DB_PATH}/collections`);
  assert.ok(listed.json.every((c) => c.schema && c.schema.keys["#document"]));
  await chroma.deleteCollection({ name });
});

test("a schema's vector index and disabled indexes are honoured", async () => {
  const schema = new Schema();
  schema.createIndex(new VectorIndexConfig({ space: "cosine", hnsw: { ef_search: 42, max_neighbors: 24 } }));
  schema.deleteIndex(new StringInvertedIndexConfig(), "secret");
  const name = uniqueName("schema");
  const c = await chroma.createCollection({ name, schema, embeddingFunction: null });
  assert.equal(c.configuration.hnsw.space, "cosine");
  assert.equal(c.configuration.hnsw.ef_search, 42);
  assert.equal(c.configuration.hnsw.max_neighbors, 24);

  const got = await raw("GET", `${DB_PATH}/collections/${name}`);
  assert.equal(got.json.schema.keys.secret.string.string_inverted_index.enabled, false);
  assert.equal(got.json.schema.keys["#embedding"].float_list.vector_index.config.hnsw.ef_search, 42);

  await c.add({ ids: ["a", "b"], embeddings: [[1, 0], [0, 1]], metadatas: [{ secret: "x", open: "y" }, { secret: "z", open: "y" }] });
  assert.deepEqual((await c.get({ where: { open: "y" } })).ids.sort(), ["a", "b"]);
  const refused = await raw("POST", `${DB_PATH}/collections/${c.id}/get`, { where: { secret: "x" } });
  assert.equal(refused.status, 400);
  assert.match(refused.json.message, /secret/);

  const sparse = await raw("POST", `${DB_PATH}/collections`, {
    name: uniqueName("sparse"),
    schema: { defaults: {}, keys: { s: { sparse_vector: { sparse_vector_index: { enabled: true, config: {} } } } } },
  });
  assert.equal(sparse.status, 400);
  assert.match(sparse.json.message, /[Ss]parse vector/);
  await chroma.deleteCollection({ name });
});

test("a database may be created in a tenant nobody created, once", async () => {
  const admin = new AdminClient({
    host: new URL(baseUrl).hostname,
    port: Number(new URL(baseUrl).port),
    headers: token ? { "X-Chroma-Token": token } : undefined,
  });
  const tenant = uniqueName("fresh-tenant");
  const database = uniqueName("db");
  await admin.createDatabase({ name: database, tenant });
  await assert.rejects(admin.createDatabase({ name: database, tenant }), ChromaUniqueError);
  const listed = await admin.listDatabases({ tenant });
  assert.ok(listed.some((d) => d.name === database));
});

test("a write larger than max_batch_size is taken whole, or refused whole", async () => {
  const { json: preflight } = await raw("GET", "/api/v2/pre-flight-checks");
  const n = preflight.max_batch_size + 600;
  const c = await chroma.createCollection({ name: uniqueName("big"), embeddingFunction: null });
  const ids = Array.from({ length: n }, (_, i) => `id${i}`);
  const embeddings = ids.map((_, i) => [i, 1]);
  const added = await raw("POST", `${DB_PATH}/collections/${c.id}/add`, { ids, embeddings });
  assert.equal(added.status, 201);
  assert.equal(await c.count(), n);

  const more = Array.from({ length: n }, (_, i) => `more${i}`);
  const broken = more.map((_, i) => (i === n - 1 ? [1, 2, 3] : [i, 2]));
  const refused = await raw("POST", `${DB_PATH}/collections/${c.id}/add`, { ids: more, embeddings: broken });
  assert.equal(refused.status, 400);
  assert.equal(await c.count(), n, "nothing of a refused write is stored");
  await chroma.deleteCollection({ name: c.name });
});

test("reset deletes everything and leaves the default tenant and database empty (when allowed)", async (t) => {
  const tenant = uniqueName("reset-tenant");
  await raw("POST", "/api/v2/tenants", { name: tenant });
  await chroma.createCollection({ name: uniqueName("doomed"), embeddingFunction: null });
  const probe = await raw("POST", "/api/v2/reset");
  if (probe.status === 403) {
    assert.equal(typeof probe.json.message, "string");
    t.skip("reset is not allowed on this server (start it with --allow-reset)");
    return;
  }
  assert.equal(probe.status, 200);
  assert.equal(probe.json, true);
  assert.equal(await chroma.countCollections(), 0);
  assert.equal((await raw("GET", `/api/v2/tenants/${tenant}`)).status, 404);
  assert.equal((await raw("GET", "/api/v2/tenants/default_tenant/databases/default_database")).status, 200);
  await chroma.reset();
  assert.equal(await chroma.countCollections(), 0);
});

test("fork: the fork has the source's records and diverges (Strata; Chroma's single node answers 501)", async (t) => {
  const source = await chroma.createCollection({ name: uniqueName("source"), embeddingFunction: null });
  await source.add({ ids: ["a", "b", "c"], embeddings: [[1, 0], [0, 1], [1, 1]], documents: ["x", "y", "z"] });
  const probe = await raw("GET", `${DB_PATH}/collections/${source.id}/fork_count`);
  if (probe.status === 501) {
    t.skip("this server does not fork collections");
    return;
  }
  assert.equal(await source.forkCount(), 0);
  const forkName = uniqueName("forked");
  const fork = await source.fork({ name: forkName });
  assert.equal(fork.name, forkName);
  assert.notEqual(fork.id, source.id);
  assert.equal(await fork.count(), 3);
  await fork.add({ ids: ["d"], embeddings: [[2, 2]], documents: ["w"] });
  await source.delete({ ids: ["a"] });
  assert.equal(await fork.count(), 4);
  assert.equal(await source.count(), 2);
  assert.deepEqual((await fork.get({ ids: ["a"] })).documents, ["x"]);
  assert.equal(await source.forkCount(), 1);
  await fork.fork({ name: uniqueName("forked-again") });
  assert.equal(await source.forkCount(), 2);
  assert.equal(await fork.forkCount(), 2);
  const dup = await raw("POST", `${DB_PATH}/collections/${source.id}/fork`, { new_name: forkName });
  assert.equal(dup.status, 409);
});

test("indexing status reports the compaction backlog in Chroma's shape", async (t) => {
  const c = await chroma.createCollection({ name: uniqueName("indexing"), embeddingFunction: null });
  await c.add({ ids: ["a", "b"], embeddings: [[1, 0], [0, 1]] });
  const probe = await raw("GET", `${DB_PATH}/collections/${c.id}/indexing_status`);
  if (probe.status !== 200) {
    t.skip(`this server does not report indexing status (${probe.status})`);
    return;
  }
  const status = await c.getIndexingStatus();
  assert.equal(status.num_indexed_ops + status.num_unindexed_ops, status.total_ops);
  assert.ok(status.total_ops >= 2);
  assert.ok(status.op_indexing_progress >= 0 && status.op_indexing_progress <= 1);
});
