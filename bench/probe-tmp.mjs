import { ChromaClient } from "chromadb";
import * as W from "./workload.mjs";
const [url, size, waitS, q] = [process.argv[2], Number(process.argv[3] || 10000), Number(process.argv[4] || 10), Number(process.argv[5] || 2000)];
const u = new URL(url);
const client = new ChromaClient({ host: u.hostname, port: Number(u.port), ssl: false });
const ds = W.makeDataset(size, 42);
const reuse = process.env.REUSE === "1";
if (!reuse) { try { await client.deleteCollection({ name: "probe" }); } catch {} }
const coll = reuse ? await client.getCollection({ name: "probe", embeddingFunction: null })
  : await client.createCollection({ name: "probe", embeddingFunction: null, configuration: { hnsw: { space: "cosine" } } });
for (let s = 0; !reuse && s < size; s += 1000) {
  const ids = [], emb = [], docs = [], metas = [];
  for (let i = s; i < Math.min(size, s + 1000); i++) { ids.push(W.recordId(i)); emb.push(W.vectorOf(ds, i)); docs.push(ds.documents[i]); metas.push(W.metadataOf(ds, i)); }
  await coll.add({ ids, embeddings: emb, documents: docs, metadatas: metas });
}
if (!reuse) await new Promise(r => setTimeout(r, waitS * 1000));
const queries = W.makeQueries(ds, 200);
async function serverSum() {
  try { const t = await (await fetch(url + "/metrics")).text();
    const line = t.split("\n").find(l => l.startsWith("strata_http_requests_seconds_sum") && l.includes("/query\""));
    const c = t.split("\n").find(l => l.startsWith("strata_http_requests_seconds_count") && l.includes("/query\""));
    return line ? [Number(line.split(" ").pop()), Number(c.split(" ").pop())] : [0, 0]; } catch { return [0, 0]; }
}
for (let i = 0; i < 200; i++) await coll.query({ queryEmbeddings: [Array.from(queries.subarray((i % 200) * W.DIM, (i % 200 + 1) * W.DIM))], nResults: 10 });
const [s0, c0] = await serverSum();
const lat = [];
const t0 = performance.now();
for (let i = 0; i < q; i++) {
  const v = Array.from(queries.subarray((i % 200) * W.DIM, (i % 200 + 1) * W.DIM));
  const a = performance.now();
  await coll.query({ queryEmbeddings: [v], nResults: 10 });
  lat.push(performance.now() - a);
}
const wall = performance.now() - t0;
const [s1, c1] = await serverSum();
lat.sort((a, b) => a - b);
const hb = [];
for (let i = 0; i < 500; i++) { const a = performance.now(); await client.heartbeat(); hb.push(performance.now() - a); }
hb.sort((a, b) => a - b);
console.log(JSON.stringify({ url, p50: lat[Math.floor(q / 2)].toFixed(2), p95: lat[Math.floor(q * 0.95)].toFixed(2), qps: (q / wall * 1000).toFixed(0),
  serverMeanMs: c1 > c0 ? ((s1 - s0) / (c1 - c0) * 1000).toFixed(2) : "n/a", heartbeatP50: hb[250].toFixed(2) }));
