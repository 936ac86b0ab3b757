#!/usr/bin/env node
// End-to-end benchmark of Chroma-API servers with the official JS client (chromadb@3.5.0, no embedding
// function). Usually run through scripts/bench, which also knows how to start Chroma and Strata.
import { ChromaClient } from "chromadb";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "./args.mjs";
import * as W from "./workload.mjs";
import { exactNeighbours } from "./groundtruth.mjs";
import { runLoad, recallAtK, summarize } from "./measure.mjs";
import { SpawnedServer, ExternalServer, scrapeCounter, scrapeStages, stageMeansUs } from "./server.mjs";
import { markdownReport } from "./report.mjs";
import { rawHttp, queryPath, queryBodies } from "./raw-http.mjs";

const K = 10;
const OS_COUNTER = "strata_object_store_requests_total";
// A server that indexes after add returns may expose its backlog as this gauge (Strata: records in the
// uncompacted log tails, which queries scan exactly). Queries are measured once it reads 0, so that
// they measure the index and not the backlog; the wait is reported as its own row.
const BACKLOG_GAUGE = "strata_tail_records";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

function clientFor(url) {
  const u = new URL(url);
  return new ChromaClient({ host: u.hostname, port: Number(u.port || (u.protocol === "https:" ? 443 : 80)), ssl: u.protocol === "https:" });
}

function batchOf(ds, from, to) {
  const ids = [], embeddings = [], metadatas = [], documents = [];
  for (let i = from; i < to; i++) {
    ids.push(W.recordId(i)); embeddings.push(W.vectorOf(ds, i));
    metadatas.push(W.metadataOf(ds, i)); documents.push(ds.documents[i]);
  }
  return { ids, embeddings, metadatas, documents };
}

function queryVector(queries, i) { return Array.from(queries.subarray(i * W.DIM, (i + 1) * W.DIM)); }

async function ingest(coll, ds, batchSize) {
  const batchLatencies = [];
  let clientPrepMs = 0;
  const t0 = performance.now();
  for (let from = 0; from < ds.size; from += batchSize) {
    const p = performance.now();
    const batch = batchOf(ds, from, Math.min(ds.size, from + batchSize));
    const s = performance.now();
    clientPrepMs += s - p;
    await coll.add(batch);
    batchLatencies.push(performance.now() - s);
  }
  // Building the batches is the harness's work, not the server's: it is left out of the rate.
  const wallMs = performance.now() - t0 - clientPrepMs;
  const sum = summarize(batchLatencies, wallMs);
  return { records: ds.size, batchSize, seconds: wallMs / 1000, recordsPerSec: (ds.size * 1000) / wallMs,
           batchP50Ms: sum.p50Ms, batchP99Ms: sum.p99Ms };
}

/** Time from the last acknowledged add until count() and a query both see every probe record. */
async function timeUntilQueryable(coll, ds, timeoutSec) {
  const probes = Array.from({ length: 20 }, (_, j) => Math.min(ds.size - 1, Math.floor((j * ds.size) / 19)));
  const embeddings = probes.map((i) => W.vectorOf(ds, i));
  const t0 = performance.now();
  let polls = 0;
  while (performance.now() - t0 < timeoutSec * 1000) {
    polls++;
    const count = await coll.count();
    if (count === ds.size) {
      const res = await coll.query({ queryEmbeddings: embeddings, nResults: K, include: ["distances"] });
      if (probes.every((i, j) => res.ids[j].includes(W.recordId(i)))) return { ms: performance.now() - t0, polls };
    }
    await sleep(20);
  }
  throw new Error(`records not all visible after ${timeoutSec} s`);
}

async function timeUntilIndexed(metricsUrl, timeoutSec) {
  const t0 = performance.now();
  const first = await scrapeCounter(metricsUrl, BACKLOG_GAUGE);
  if (first === null) return { ms: null, backlogAtStart: null }; // no such gauge: indexed within add
  for (let backlog = first; backlog > 0; backlog = await scrapeCounter(metricsUrl, BACKLOG_GAUGE) ?? 0) {
    if (performance.now() - t0 > timeoutSec * 1000) throw new Error(`backlog still ${backlog} after ${timeoutSec} s`);
    await sleep(50);
  }
  return { ms: performance.now() - t0, backlogAtStart: first };
}

async function queryLoad(colls, queries, { count, minSeconds, clients, maxSeconds, where, nResults = K }) {
  return runLoad({
    count, minSeconds, clients, maxSeconds,
    request: async (i, w) => {
      const res = await colls[w].query({ queryEmbeddings: [queryVector(queries, i % (queries.length / W.DIM))],
                                         nResults, where: where ? where(i) : undefined });
      return res.ids[0];
    },
  });
}

/** Queries back to back for `seconds` (at least 20 queries): the p50 of each 5 s slice, the warm-up curve. */
async function warmUp(coll, queries, seconds) {
  const t0 = performance.now(), end = t0 + seconds * 1000, sliceP50Ms = [];
  let count = 0;
  const n = queries.length / W.DIM;
  do {
    const latencies = [], sliceEnd = Math.min(end, performance.now() + 5000);
    do {
      const s = performance.now();
      await coll.query({ queryEmbeddings: [queryVector(queries, count++ % n)], nResults: K });
      latencies.push(performance.now() - s);
    } while (performance.now() < sliceEnd || count < 20);
    sliceP50Ms.push(summarize(latencies, 0).p50Ms);
  } while (performance.now() < end);
  return { seconds: (performance.now() - t0) / 1000, queries: count, sliceP50Ms };
}

async function benchOne(spec, ds, queries, truth, opts) {
  const result = { label: spec.label, phases: {}, errors: {} };
  const name = `bench_${ds.size}_${Date.now()}`;
  let server;
  if (spec.url) {
    server = new ExternalServer({ label: spec.label, url: spec.url, pid: spec.pid, dataDir: spec.dataDir });
  } else {
    const dataDir = mkdtempSync(path.join(opts.dataRoot, `${spec.label}-${ds.size}-`));
    server = new SpawnedServer({ label: spec.label, template: spec.start, dataDir,
                                 logFile: path.join(opts.outDir, `${spec.label}-${ds.size}.log`) });
  }
  const metricsUrl = () => new URL(opts.metricsPath, server.url).toString();
  const phase = async (key, fn) => {
    log(`${spec.label} ${ds.size}: ${key}`);
    try { result.phases[key] = await fn(); return result.phases[key]; }
    catch (e) { result.errors[key] = String(e?.message ?? e); log(`${spec.label}: ${key} failed: ${result.errors[key]}`); return null; }
  };
  try {
    if (server instanceof SpawnedServer) {
      await phase("startup", async () => {
        const t0 = await server.spawn();
        await server.waitForHeartbeat(opts.readyTimeoutSec * 1000);
        return { ms: performance.now() - t0 };
      });
      if (result.errors.startup) return result;
    }
    result.url = server.url;
    const client = clientFor(server.url);
    const coll = await client.createCollection({ name, configuration: { hnsw: { space: "cosine" } }, embeddingFunction: null });

    if (!(await phase("ingest", () => ingest(coll, ds, opts.batchSize)))) return result;
    await phase("queryable", () => timeUntilQueryable(coll, ds, opts.queryableTimeoutSec));
    result.memoryAfterIngest = server.memory();
    // What a user meets right after a bulk load: queries while the server may still index the backlog.
    await phase("queryAfterLoad", async () => {
      // 300 queries or 5 s, whichever is longer: enough seconds to show when the server catches up
      const { results, ...summary } = await queryLoad([coll], queries, { count: 300, minSeconds: 5, clients: 1, maxSeconds: 30 });
      return summary;
    });
    await phase("indexed", () => timeUntilIndexed(metricsUrl(), opts.queryableTimeoutSec));
    result.memoryOnceIndexed = server.memory();

    // The steady phases below measure a warm server, as issue 19 defines them: a JVM's JIT and a node's background
    // work after a bulk load take tens of seconds to settle. What a user meets meanwhile is reported, 5 s at a time.
    await phase("warmup", () => warmUp(coll, queries, opts.warmupSeconds));
    await phase("query1", async () => {
      const before = await scrapeCounter(metricsUrl(), OS_COUNTER);
      const stagesBefore = await scrapeStages(metricsUrl());
      const r = await queryLoad([coll], queries, { count: opts.queries, clients: 1, maxSeconds: opts.phaseSeconds });
      const after = await scrapeCounter(metricsUrl(), OS_COUNTER);
      r.stageMeansUs = stageMeansUs(stagesBefore, await scrapeStages(metricsUrl()));
      const { results, ...summary } = r;
      summary.recallAt10 = recallAtK(results.slice(0, truth.plain.length), truth.plain, W.recordId, K);
      summary.objectStoreRequestsPerQuery = before !== null && after !== null ? (after - before) / r.count : null;
      return summary;
    });
    // The same client's round trip without a query: query p50 minus this is the server's time per query
    // (issue 19's measure), free of the client's and the loopback's share.
    await phase("heartbeat1", async () => {
      const { results, ...summary } = await runLoad({ count: opts.queries, clients: 1, maxSeconds: opts.phaseSeconds,
                                                      request: async () => client.heartbeat() });
      return summary;
    });
    await phase("query8", async () => {
      const colls = [];
      for (let w = 0; w < 8; w++) colls.push(await clientFor(server.url).getCollection({ name }));
      const { results, ...summary } = await queryLoad(colls, queries, { count: opts.queries, clients: 8, maxSeconds: opts.phaseSeconds });
      return summary;
    });
    // The same queries without the official client: bodies encoded once, sent over kept-alive connections, answers
    // read but parsed only for the recall check. What the server costs per query when the client costs little.
    const bodies = queryBodies(Array.from({ length: queries.length / W.DIM }, (_, i) => queryVector(queries, i)), K);
    const rawQueries = (send, clients, keep) => runLoad({
      count: opts.queries, clients, maxSeconds: opts.phaseSeconds,
      request: async (i) => {
        const answer = await send("POST", queryPath(coll.id), bodies[i % bodies.length]);
        return i < keep ? JSON.parse(answer.toString("utf8")).ids[0] : undefined;
      },
    });
    await phase("raw1", async () => {
      const send = rawHttp(server.url, 1);
      try {
        const { results, ...summary } = await rawQueries(send, 1, truth.plain.length);
        summary.recallAt10 = recallAtK(results.slice(0, truth.plain.length), truth.plain, W.recordId, K);
        return summary;
      } finally { send.close(); }
    });
    await phase("rawHeartbeat1", async () => {
      const send = rawHttp(server.url, 1);
      try {
        const { results, ...summary } = await runLoad({ count: opts.queries, clients: 1, maxSeconds: opts.phaseSeconds,
                                                        request: async () => { await send("GET", "/api/v2/heartbeat"); } });
        return summary;
      } finally { send.close(); }
    });
    await phase("raw8", async () => {
      const send = rawHttp(server.url, 8);
      try {
        const { results, ...summary } = await rawQueries(send, 8, 0);
        return summary;
      } finally { send.close(); }
    });
    for (const [key, filter, rows] of [["filterA", W.filterA, truth.a], ["filterB", W.filterB, truth.b]]) {
      await phase(key, async () => {
        const { results, ...summary } = await queryLoad([coll], queries, {
          count: opts.filteredQueries, clients: 1, maxSeconds: opts.phaseSeconds, where: (i) => filter(i).where });
        summary.recallAt10 = recallAtK(results.slice(0, rows.length), rows, W.recordId, K);
        return summary;
      });
    }
    for (const [key, filter] of [["getA", W.filterA], ["getB", W.filterB]]) {
      await phase(key, async () => {
        const { results, ...summary } = await runLoad({
          count: opts.gets, clients: 1, maxSeconds: opts.phaseSeconds,
          request: async (i) => (await coll.get({ where: filter(i).where, limit: opts.getLimit, include: ["metadatas", "documents"] })).ids.length,
        });
        summary.limit = opts.getLimit;
        summary.allFull = results.filter((n) => n !== undefined).every((n) => n === opts.getLimit);
        return summary;
      });
    }
    result.memoryAfterQueries = server.memory();

    if (server instanceof SpawnedServer) {
      await server.stop();
      result.diskBytes = server.diskBytes();
      await phase("coldStart", async () => {
        const t0 = await server.spawn();
        const deadline = t0 + opts.readyTimeoutSec * 1000;
        const probe = queryVector(queries, 0);
        let lastError = null;
        while (performance.now() < deadline) {
          if (!server.alive()) throw new Error(`exited during cold start; see ${server.logFile}`);
          try {
            const c = await clientFor(server.url).getCollection({ name });
            const before = await scrapeCounter(metricsUrl(), OS_COUNTER);
            const qs = performance.now();
            const res = await c.query({ queryEmbeddings: [probe], nResults: K });
            const firstQueryMs = performance.now() - qs;
            const totalMs = performance.now() - t0;
            const after = await scrapeCounter(metricsUrl(), OS_COUNTER);
            return { ms: totalMs, firstQueryMs, results: res.ids[0].length, memory: server.memory(),
                     objectStoreRequestsFirstQuery: before !== null && after !== null ? after - before : null };
          } catch (e) { lastError = e; }
          await sleep(20);
        }
        throw new Error(`no answered query within ${opts.readyTimeoutSec} s: ${lastError?.message}`);
      });
    } else {
      result.diskBytes = server.diskBytes();
      await client.deleteCollection({ name }).catch(() => {});
    }
  } catch (e) {
    result.errors.run = String(e?.stack ?? e);
    log(`${spec.label}: ${result.errors.run}`);
  } finally {
    if (server instanceof SpawnedServer) {
      await server.stop();
      if (!opts.keepData) rmSync(server.dataDir, { recursive: true, force: true });
      else result.dataDir = server.dataDir;
    }
  }
  return result;
}

async function main() {
  let opts;
  try { opts = parseArgs(process.argv.slice(2)); }
  catch (e) { console.error(`bench: ${e.message}`); process.exit(2); }
  mkdirSync(opts.outDir, { recursive: true });
  mkdirSync(opts.dataRoot, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  for (const size of opts.sizes) {
    log(`generating ${size} records (seed ${opts.seed})`);
    const ds = W.makeDataset(size, opts.seed);
    const queries = W.makeQueries(ds, opts.queries);
    const recallQueries = Math.min(opts.queries, opts.filteredQueries, opts.recallQueries ?? (size >= 1_000_000 ? 50 : 200));
    log(`exact top-${K} of ${recallQueries} queries by brute force`);
    const t0 = performance.now();
    const truth = exactNeighbours(ds, queries, recallQueries, K);
    log(`ground truth in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const report = {
      workload: { size, seed: opts.seed, dim: W.DIM, clusters: W.CLUSTERS, space: "cosine", batchSize: opts.batchSize,
                  queries: opts.queries, filteredQueries: opts.filteredQueries, recallQueries, gets: opts.gets, getLimit: opts.getLimit,
                  selectivityA: W.selectivity(ds, W.filterA(0)), selectivityB: W.selectivity(ds, W.filterB(0)) },
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: os.totalmem() / 2 ** 30, node: process.version,
                 client: "chromadb@3.5.0 (JS)", date: new Date().toISOString() },
      servers: [],
    };
    for (const spec of opts.servers) report.servers.push(await benchOne(spec, ds, queries, truth, opts));
    const base = path.join(opts.outDir, `bench-${size}-${stamp}`);
    writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
    const md = markdownReport(report);
    writeFileSync(`${base}.md`, md);
    console.log(md);
    log(`wrote ${base}.json and ${base}.md`);
  }
}

main().catch((e) => { console.error(e?.stack ?? e); process.exit(1); });
