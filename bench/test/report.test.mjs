import { test } from "node:test";
import assert from "node:assert/strict";
import { markdownReport } from "../report.mjs";

const workload = { size: 10000, dim: 384, space: "cosine", seed: 42, clusters: 100, queries: 10, filteredQueries: 5,
                   recallQueries: 5, selectivityA: 0.1, selectivityB: 0.14 };
const machine = { client: "chromadb@3.5.0 (JS)", node: "v20", cpus: 2, cpuModel: "x", date: "d" };

test("one column per server, cut phases show their count, missing figures are n/a, errors listed", () => {
  const servers = [
    { label: "chroma", errors: {}, diskBytes: 2 ** 20 * 3,
      phases: { query1: { p50Ms: 1, p95Ms: 2, p99Ms: 3, qps: 500, count: 10, requested: 10, recallAt10: 0.987 },
                heartbeat1: { p50Ms: 0.25, count: 10, requested: 10 },
                raw1: { p50Ms: 0.5, p95Ms: 0.75, p99Ms: 1, qps: 1500, count: 10, requested: 10, recallAt10: 0.986 },
                rawHeartbeat1: { p50Ms: 0.125, count: 10, requested: 10 },
                warmup: { seconds: 15, queries: 900, sliceP50Ms: [3.14, 2.0, 1.25] },
                queryAfterLoad: { p50Ms: 1, p95Ms: 2, p99Ms: 3, qps: 90, count: 300, requested: 300, perSecond: [4, 6, 30] },
                filterB: { p50Ms: 4, p95Ms: 5, p99Ms: 6, count: 3, requested: 5 } } },
    { label: "strata", errors: { ingest: "HTTP 500: boom\nstack" }, phases: {} },
  ];
  const md = markdownReport({ workload, machine, servers });
  assert.match(md, /\| figure \| chroma \| strata \|/);
  assert.match(md, /\| query p50 \/ p95 \/ p99 \(ms\), 1 client \| 1\.0 \/ 2\.0 \/ 3\.0 \| n\/a \|/);
  assert.match(md, /\| recall@10 \(client \/ raw HTTP\) \| 0\.987 \/ 0\.986 \| n\/a \/ n\/a \|/);
  assert.match(md, /\| raw HTTP: server time per query, query p50 - heartbeat p50 \(ms\) \| 0\.38 \| n\/a \|/);
  assert.match(md, /\| raw HTTP: QPS, 1 client \| 1500 \| n\/a \|/);
  assert.match(md, /\| warm-up before the steady phases: p50 \(ms\) of each 5 s, 1 client \| 3\.1 \/ 2\.0 \/ 1\.3 \| n\/a \|/);
  assert.match(md, /\| right after the last add: queries answered in each of its first seconds, 1 client \| 4 \/ 6 \/ 30 \| n\/a \|/);
  assert.match(md, /\| heartbeat p50 \(ms\), 1 client \| 0\.25 \| n\/a \|/);
  assert.match(md, /\| server time per query: query p50 - heartbeat p50 \(ms\) \| 0\.75 \| n\/a \|/);
  assert.match(md, /6\.0 \(n=3\)/);
  assert.match(md, /\| data on disk \(MB\) \| 3\.0 \| n\/a \|/);
  assert.match(md, /- strata, ingest: HTTP 500: boom\n?$/m);
  assert.doesNotMatch(md, /stack/);
});
