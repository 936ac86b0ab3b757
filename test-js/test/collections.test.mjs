import { test } from "node:test";
import assert from "node:assert/strict";
import { ChromaNotFoundError, ChromaUniqueError, ChromaClientError } from "chromadb";
import { client, uniqueName, raw, DB_PATH } from "./helpers.mjs";

const chroma = client();

test("heartbeat and version answer", async () => {
  const beat = await chroma.heartbeat();
  assert.equal(typeof beat, "number");
  assert.ok(beat > 0);
  const version = await chroma.version();
  assert.match(version, /^\d+\.\d+\.\d+/);
});

test("pre-flight-checks announce the batch size and base64 support", async () => {
  const res = await raw("GET", "/api/v2/pre-flight-checks");
  assert.equal(res.status, 200);
  assert.equal(typeof res.json.max_batch_size, "number");
  assert.equal(res.json.supports_base64_encoding, true);
});

test("collections: create, get, list, count, modify, get-or-create, delete", async () => {
  const name = uniqueName("crud");
  const created = await chroma.createCollection({ name, embeddingFunction: null, metadata: { owner: "tests", rank: 3 } });
  assert.equal(created.name, name);
  assert.deepEqual(created.metadata, { owner: "tests", rank: 3 });
  assert.match(created.id, /^[0-9a-f-]{36}$/);

  const fetched = await chroma.getCollection({ name, embeddingFunction: null });
  assert.equal(fetched.id, created.id);
  assert.deepEqual(fetched.metadata, { owner: "tests", rank: 3 });
  assert.equal(fetched.configuration.hnsw.space, "l2");

  const listed = await chroma.listCollections();
  assert.ok(listed.some((c) => c.id === created.id));
  const count = await chroma.countCollections();
  assert.ok(count >= 1);
  assert.equal(count, (await chroma.listCollections()).length);

  const again = await chroma.getOrCreateCollection({ name, embeddingFunction: null, metadata: { ignored: true } });
  assert.equal(again.id, created.id);
  assert.deepEqual(again.metadata, { owner: "tests", rank: 3 }, "get_or_create of an existing collection keeps its metadata");

  const renamed = uniqueName("renamed");
  await fetched.modify({ name: renamed, metadata: { owner: "others" } });
  const afterModify = await chroma.getCollection({ name: renamed, embeddingFunction: null });
  assert.equal(afterModify.id, created.id);
  assert.deepEqual(afterModify.metadata, { owner: "others" });
  await assert.rejects(chroma.getCollection({ name, embeddingFunction: null }), ChromaNotFoundError);

  await chroma.deleteCollection({ name: renamed });
  await assert.rejects(chroma.getCollection({ name: renamed, embeddingFunction: null }), ChromaNotFoundError);
  assert.ok(!(await chroma.listCollections()).some((c) => c.id === created.id));
});

test("collection configuration: space from configuration and from legacy hnsw:space metadata", async () => {
  const a = await chroma.createCollection({ name: uniqueName("cos"), embeddingFunction: null, configuration: { hnsw: { space: "cosine", ef_search: 50 } } });
  assert.equal(a.configuration.hnsw.space, "cosine");
  assert.equal(a.configuration.hnsw.ef_search, 50);
  const b = await chroma.createCollection({ name: uniqueName("ip"), embeddingFunction: null, metadata: { "hnsw:space": "ip" } });
  const got = await chroma.getCollection({ name: b.name, embeddingFunction: null });
  assert.equal(got.configuration.hnsw.space, "ip");
  await chroma.deleteCollection({ name: a.name });
  await chroma.deleteCollection({ name: b.name });
});

test("collection errors: duplicate 409, unknown 404, bad name 400", async () => {
  const name = uniqueName("dup");
  await chroma.createCollection({ name, embeddingFunction: null });
  await assert.rejects(chroma.createCollection({ name, embeddingFunction: null }), ChromaUniqueError);
  await assert.rejects(chroma.getCollection({ name: uniqueName("missing"), embeddingFunction: null }), ChromaNotFoundError);
  await assert.rejects(chroma.deleteCollection({ name: uniqueName("missing") }), ChromaNotFoundError);
  await assert.rejects(chroma.createCollection({ name: "a!", embeddingFunction: null }), ChromaClientError);

  const dup = await raw("POST", `${DB_PATH}/collections`, { name });
  assert.equal(dup.status, 409);
  assert.equal(typeof dup.json.error, "string");
  assert.match(dup.json.message, /already exists/);
  const missing = await raw("GET", `${DB_PATH}/collections/${uniqueName("missing")}`);
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error, "NotFoundError");
  await chroma.deleteCollection({ name });
});

test("tenants and databases: create, get, list, delete", async () => {
  const tenant = uniqueName("tenant");
  assert.equal((await raw("POST", "/api/v2/tenants", { name: tenant })).status, 200);
  const got = await raw("GET", `/api/v2/tenants/${tenant}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.name, tenant);
  assert.equal((await raw("POST", "/api/v2/tenants", { name: tenant })).status, 409);
  assert.equal((await raw("GET", `/api/v2/tenants/${uniqueName("nobody")}`)).status, 404);

  const db = uniqueName("db");
  assert.equal((await raw("POST", `/api/v2/tenants/${tenant}/databases`, { name: db })).status, 200);
  const dbGot = await raw("GET", `/api/v2/tenants/${tenant}/databases/${db}`);
  assert.equal(dbGot.status, 200);
  assert.equal(dbGot.json.name, db);
  assert.equal(dbGot.json.tenant, tenant);
  const list = await raw("GET", `/api/v2/tenants/${tenant}/databases`);
  assert.ok(list.json.some((d) => d.name === db));
  assert.equal((await raw("POST", `/api/v2/tenants/${tenant}/databases`, { name: db })).status, 409);

  // A collection in the new database is invisible from the default one.
  const scoped = client({ tenant, database: db });
  const name = uniqueName("scoped");
  await scoped.createCollection({ name, embeddingFunction: null });
  await assert.rejects(chroma.getCollection({ name, embeddingFunction: null }), ChromaNotFoundError);
  assert.equal((await scoped.getCollection({ name, embeddingFunction: null })).name, name);

  assert.equal((await raw("DELETE", `/api/v2/tenants/${tenant}/databases/${db}`)).status, 200);
  assert.equal((await raw("GET", `/api/v2/tenants/${tenant}/databases/${db}`)).status, 404);
});

test("the v1 API answers 410", async () => {
  const res = await raw("GET", "/api/v1/heartbeat");
  assert.equal(res.status, 410);
  assert.equal(typeof res.json.message, "string");
});
