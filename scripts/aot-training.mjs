// Writes a JVM AOT cache (JDK 25, JEP 483/514/515) for `strata serve`: starts the server with
// -XX:AOTCacheOutput, runs a small Chroma-API workload through it (the classes and profiles a server
// needs on its first requests), and stops it; the JVM writes the cache as it exits.
//   node scripts/aot-training.mjs <cache file> <classpath>       (JVM flags from $STRATA_JVM_FLAGS, $STRATA_NODE_JVM_FLAGS)
// The server is started, awaited and stopped as the benchmark harness does it (bench/server.mjs).
import { mkdtempSync, rmSync, existsSync, statSync, renameSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SpawnedServer } from "../bench/server.mjs";

const [cacheFile, classpath] = process.argv.slice(2);
if (!cacheFile || !classpath) {
  console.error("usage: node scripts/aot-training.mjs <cache file> <classpath>");
  process.exit(2);
}
const java = join(process.env.JAVA_HOME ?? "", "bin", "java");
const flags = `${process.env.STRATA_JVM_FLAGS ?? ""} ${process.env.STRATA_NODE_JVM_FLAGS ?? ""}`.split(/\s+/).filter(Boolean);
const quote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;

const data = mkdtempSync(join(tmpdir(), "strata-aot-"));
// Written under a temporary name and renamed: two servers started at once must not mix their output.
const partial = `${cacheFile}.${process.pid}.tmp`;
const logFile = `${partial}.log`; // the server's log, shown only when no cache comes out
const template = [java, ...flags, `-XX:AOTCacheOutput=${partial}`, "-Xlog:aot=error", "-cp", classpath,
  "dev.strata.cli.Main", "serve", "--port", "{port}", "--path", "{path}"].map(quote).join(" ");
const server = new SpawnedServer({ label: "strata (AOT training)", template, dataDir: data, logFile });

async function call(method, url, body) {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

try {
  await server.spawn();
  await server.waitForHeartbeat(30_000);
  const coll = `${server.url}/api/v2/tenants/default_tenant/databases/default_database/collections`;
  const { id } = await call("POST", coll, { name: "aot-training", configuration: { hnsw: { space: "cosine" } } });
  const dim = 384;
  let seed = 1;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
  const vec = () => Array.from({ length: dim }, rnd);
  for (let b = 0; b < 3; b++) {
    const ids = Array.from({ length: 500 }, (_, i) => `r${b * 500 + i}`);
    await call("POST", `${coll}/${id}/add`, {
      ids, embeddings: ids.map(vec), documents: ids.map((r) => `document ${r} about a few words`),
      metadatas: ids.map((_, i) => ({ category: `c${i % 10}`, year: 1990 + (i % 35), score: i / 500 })),
    });
  }
  for (let i = 0; i < 200; i++) {
    await call("POST", `${coll}/${id}/query`, { query_embeddings: [vec()], n_results: 10, include: ["documents", "metadatas", "distances"] });
    await call("POST", `${coll}/${id}/query`, { query_embeddings: [vec()], n_results: 10,
      where: { $and: [{ year: { $gte: 2000 } }, { category: { $in: ["c1", "c2"] } }] } });
  }
  await call("POST", `${coll}/${id}/get`, { where: { category: "c3" }, limit: 100 });
  await call("POST", `${coll}/${id}/get`, { where_document: { $contains: "words" }, limit: 10 });
  await call("POST", `${coll}/${id}/upsert`, { ids: ["r1"], embeddings: [vec()], documents: ["changed"] });
  await call("POST", `${coll}/${id}/delete`, { ids: ["r2"] });
  await call("GET", `${coll}/${id}/count`);
  await fetch(`${server.url}/metrics`).then((r) => r.text());
} catch (e) {
  console.error(`aot-training: ${e.message}`);
  process.exitCode = 1;
} finally {
  await server.stop(60_000); // SIGINT: the JVM writes the cache as it exits
  rmSync(data, { recursive: true, force: true });
  if (!existsSync(partial) || statSync(partial).size === 0) {
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : "";
    console.error(`${log}\naot-training: no cache written (server exit ${JSON.stringify(server.exitInfo)})`);
    process.exitCode = 1;
  } else if (process.exitCode) {
    rmSync(partial, { force: true }); // a workload that failed half-way trained a partial cache
  } else {
    renameSync(partial, cacheFile);
  }
  rmSync(`${partial}.config`, { force: true });
  if (!process.exitCode) rmSync(logFile, { force: true });
}
