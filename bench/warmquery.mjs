#!/usr/bin/env node
// The warm query path over HTTP (issue 19, docs/bench.md "The warm query path"): what one query costs a server in
// steady state, seen from the official JS client, round after round, with Strata's stage means beside it.
//
//   node bench/warmquery.mjs ingest  URL [size]          load the benchmark's records (seed 42) into collection "warm"
//   node bench/warmquery.mjs measure URL [rounds] [n]    rounds of n queries (k=10, default include), then n heartbeats
//   node bench/warmquery.mjs raw     URL [rounds] [n]    as measure, over raw HTTP (bodies encoded once, kept-alive
//                                                        connection): the side-by-side benchmark's "raw HTTP" figures
//   node bench/warmquery.mjs load8   URL [seconds]       8 clients querying back to back: QPS
//   node bench/warmquery.mjs raw8    URL [seconds]       the same over raw HTTP (8 kept-alive connections)
//   node bench/warmquery.mjs floor   PORT                a server that answers a query with a canned answer and does
//                                                        nothing else: the client's own share of query - heartbeat
//
// "measure" prints per round: query p50, heartbeat p50, their difference (the side-by-side benchmark's "server time"),
// and, for Strata, the mean µs of the request (strata_http_requests_seconds, query route) and of each query stage.
import http from "node:http";
import { ChromaClient } from "chromadb";
import * as W from "./workload.mjs";
import { summarize } from "./measure.mjs";
import { rawHttp, queryPath, queryBodies } from "./raw-http.mjs";

const NAME = "warm";
const [mode, target, a1, a2] = process.argv.slice(2);
const usage = () => { console.error("usage: node bench/warmquery.mjs ingest|measure|raw|load8|raw8 URL [...] | floor PORT"); process.exit(2); };
if (!mode || !target) usage();

if (mode === "floor") {
  // Answers like a server whose query costs nothing: the JSON body is parsed (as any server must), and the answer is
  // the size and shape of a real one (10 records with documents, metadatas and distances).
  const port = Number(target);
  const ids = Array.from({ length: 10 }, (_, i) => W.recordId(i));
  const answer = Buffer.from(JSON.stringify({
    ids: [ids], embeddings: null, documents: [ids.map(() => "lagoon cabin amber violet helix forest berry orchid ledger onyx radar jade atlas orchid badge harbor")],
    metadatas: [ids.map((_, i) => ({ category: `cat-${i}`, year: 2000 + i, score: i / 10 }))],
    distances: [ids.map((_, i) => 0.1 + i / 100)], uris: null, include: ["documents", "metadatas", "distances"] }));
  const collection = (name) => JSON.stringify({ id: "00000000-0000-4000-8000-000000000000", name, configuration_json: {}, metadata: null,
    dimension: W.DIM, tenant: "default_tenant", database: "default_database", log_position: 0, version: 0 });
  http.createServer(async (req, res) => {
    const chunks = []; for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString();
    let out;
    if (req.url.endsWith("/query")) { JSON.parse(body); out = answer; }
    else if (req.url.endsWith("/heartbeat")) out = JSON.stringify({ "nanosecond heartbeat": Date.now() * 1e6 });
    else if (req.url.includes("/collections/")) out = collection(decodeURIComponent(req.url.split("/").pop()));
    else if (req.url.endsWith("/auth/identity")) out = JSON.stringify({ user_id: "", tenant: "default_tenant", databases: ["default_database"] });
    else out = "{}";
    res.writeHead(200, { "content-type": "application/json" }); res.end(out);
  }).listen(port, "127.0.0.1", () => console.error(`floor server on http://127.0.0.1:${port}`));
} else {
  const url = new URL(target);
  const client = () => new ChromaClient({ host: url.hostname, port: Number(url.port) });
  const ds = W.makeDataset(mode === "ingest" ? Number(a1 ?? 100_000) : 100_000, 42);
  const queries = W.makeQueries(ds, 200);
  const queryVector = (i) => Array.from(queries.subarray((i % 200) * W.DIM, (i % 200 + 1) * W.DIM));

  if (mode === "ingest") {
    const coll = await client().getOrCreateCollection({ name: NAME, configuration: { hnsw: { space: "cosine" } }, embeddingFunction: null });
    for (let from = 0; from < ds.size; from += 1000) {
      const ids = [], embeddings = [], metadatas = [], documents = [];
      for (let i = from; i < Math.min(ds.size, from + 1000); i++) {
        ids.push(W.recordId(i)); embeddings.push(W.vectorOf(ds, i)); metadatas.push(W.metadataOf(ds, i)); documents.push(ds.documents[i]);
      }
      await coll.add({ ids, embeddings, metadatas, documents });
    }
    console.log(`collection "${NAME}": ${await coll.count()} records`);
  } else if (mode === "measure" || mode === "raw") {
    const c = client();
    const coll = await c.getCollection({ name: NAME, embeddingFunction: null });
    const send = rawHttp(url.origin, 1);
    const bodies = queryBodies(Array.from({ length: 200 }, (_, i) => queryVector(i)), 10);
    const query = mode === "raw" ? (i) => send("POST", queryPath(coll.id), bodies[i % 200])
      : (i) => coll.query({ queryEmbeddings: [queryVector(i)], nResults: 10 });
    const heartbeat = mode === "raw" ? () => send("GET", "/api/v2/heartbeat") : () => c.heartbeat();
    const rounds = Number(a1 ?? 6), n = Number(a2 ?? 2000);
    for (let round = 0; round < rounds; round++) {
      const before = await strataMeans(url);
      const q = [];
      for (let i = 0; i < n; i++) { const s = performance.now(); await query(i); q.push(performance.now() - s); }
      const after = await strataMeans(url);
      const h = [];
      for (let i = 0; i < n; i++) { const s = performance.now(); await heartbeat(); h.push(performance.now() - s); }
      const qs = summarize(q, 0), hs = summarize(h, 0);
      const stages = Object.keys(after).map((k) => {
        const b = before[k] ?? { sum: 0, count: 0 }, d = after[k].count - b.count;
        return d > 0 ? `${k} ${Math.round(((after[k].sum - b.sum) / d) * 1e6)}` : null;
      }).filter(Boolean).join(", ");
      console.log(`round ${round}: query p50 ${qs.p50Ms.toFixed(2)} mean ${qs.meanMs.toFixed(2)} heartbeat p50 ${hs.p50Ms.toFixed(2)}`
        + ` query-heartbeat ${(qs.p50Ms - hs.p50Ms).toFixed(2)} ms${stages ? ` | mean µs: ${stages}` : ""}`);
    }
    send.close();
  } else if (mode === "load8") {
    const seconds = Number(a1 ?? 20);
    const colls = [];
    for (let w = 0; w < 8; w++) colls.push(await client().getCollection({ name: NAME, embeddingFunction: null }));
    const end = performance.now() + seconds * 1000;
    let done = 0;
    await Promise.all(colls.map(async (coll, w) => {
      for (let i = w; performance.now() < end; i += 8) { await coll.query({ queryEmbeddings: [queryVector(i)], nResults: 10 }); done++; }
    }));
    console.log(`8 clients: ${done} queries in ${seconds} s, ${(done / seconds).toFixed(0)} QPS`);
  } else if (mode === "raw8") {
    const seconds = Number(a1 ?? 20);
    const coll = await client().getCollection({ name: NAME, embeddingFunction: null });
    const send = rawHttp(url.origin, 8);
    const bodies = queryBodies(Array.from({ length: 200 }, (_, i) => queryVector(i)), 10);
    const end = performance.now() + seconds * 1000;
    let done = 0;
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; performance.now() < end; i += 8) { await send("POST", queryPath(coll.id), bodies[i % 200]); done++; }
    }));
    send.close();
    console.log(`8 raw clients: ${done} queries in ${seconds} s, ${(done / seconds).toFixed(0)} QPS`);
  } else usage();
}

/** Strata's query stage timers and the query route's request timer: { name: { sum (s), count } }; {} elsewhere. */
async function strataMeans(url) {
  const out = {};
  try {
    const text = await (await fetch(new URL("/metrics", url), { signal: AbortSignal.timeout(5000) })).text();
    for (const line of text.split("\n")) {
      let m = line.match(/^strata_http_requests_seconds_(sum|count)\{.*route="[^"]*\/query".*\}\s+(\S+)/);
      if (m) (out.request ??= { sum: 0, count: 0 })[m[1]] += Number(m[2]);
      m = line.match(/^strata_query_stage_seconds_(sum|count)\{stage="(\w+)"\}\s+(\S+)/);
      if (m) (out[m[2]] ??= { sum: 0, count: 0 })[m[1]] = Number(m[3]);
    }
  } catch { /* not Strata, or no metrics */ }
  return out;
}
