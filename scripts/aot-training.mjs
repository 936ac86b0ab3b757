// Writes a JVM AOT cache (JDK 25, JEP 483/514/515) for `strata serve`: starts the server with
// -XX:AOTCacheOutput, runs a small Chroma-API workload through it (the classes and profiles a server
// needs on its first requests), and stops it; the JVM writes the cache as it exits.
//   node scripts/aot-training.mjs <cache file> <classpath>       (JVM flags from $STRATA_JVM_FLAGS, $STRATA_NODE_JVM_FLAGS)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, statSync, renameSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [cacheFile, classpath] = process.argv.slice(2);
if (!cacheFile || !classpath) {
  console.error("usage: node scripts/aot-training.mjs <cache file> <classpath>");
  process.exit(2);
}
const java = join(process.env.JAVA_HOME ?? "", "bin", "java");
const flags = `${process.env.STRATA_JVM_FLAGS ?? ""} ${process.env.STRATA_NODE_JVM_FLAGS ?? ""}`.split(/\s+/).filter(Boolean);

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on("error", reject);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const port = await freePort();
const data = mkdtempSync(join(tmpdir(), "strata-aot-"));
// Written under a temporary name and renamed: two servers started at once must not mix their output.
const partial = `${cacheFile}.${process.pid}.tmp`;
const server = spawn(java, [...flags, `-XX:AOTCacheOutput=${partial}`, "-Xlog:aot=error", "-cp", classpath,
  "dev.strata.cli.Main", "serve", "--port", String(port), "--path", data], { stdio: ["ignore", "pipe", "pipe"] });
let output = ""; // the server's log, shown only when no cache comes out
server.stdout.on("data", (d) => { output += d; });
server.stderr.on("data", (d) => { output += d; });
const exited = new Promise((resolve) => server.on("exit", (code, signal) => resolve({ code, signal })));

const base = `http://127.0.0.1:${port}/api/v2`;
const coll = `${base}/tenants/default_tenant/databases/default_database/collections`;
async function call(method, url, body) {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

try {
  for (let i = 0; ; i++) {
    try { await call("GET", `${base}/heartbeat`); break; } catch (e) {
      if (i > 600) throw new Error(`server did not start: ${e.message}`);
      await sleep(50);
    }
  }
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
  await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
} catch (e) {
  console.error(`aot-training: ${e.message}`);
  process.exitCode = 1;
} finally {
  server.kill("SIGTERM");
  const { code, signal } = await exited;
  rmSync(data, { recursive: true, force: true });
  if (!existsSync(partial) || statSync(partial).size === 0) {
    console.error(`${output.slice(-4000)}\naot-training: no cache written (server exit ${code ?? signal})`);
    process.exitCode = 1;
  } else if (process.exitCode) {
    rmSync(partial, { force: true }); // a workload that failed half-way trained a partial cache
  } else {
    renameSync(partial, cacheFile);
  }
  rmSync(`${partial}.config`, { force: true });
}
