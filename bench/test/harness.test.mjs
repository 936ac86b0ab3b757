import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { percentile, perSecond, summarize, recallAtK, runLoad } from "../measure.mjs";
import { scrapeCounter, treeMemory } from "../server.mjs";
import { parseArgs } from "../args.mjs";

test("percentiles use the nearest rank", () => {
  const s = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(s, 50), 50);
  assert.equal(percentile(s, 99), 99);
  assert.equal(percentile(s, 100), 100);
  assert.equal(summarize([], 10).p50Ms, null);
  assert.equal(summarize([5, 1, 3], 1000).qps, 3);
});

test("recall counts returned ids that are among the exact top k", () => {
  const idOf = (r) => `id-${r}`;
  assert.equal(recallAtK([["id-1", "id-2"], ["id-9", "id-4"]], [[1, 2], [3, 4]], idOf, 2), 0.75);
});

test("runLoad issues every index once over its workers", async () => {
  const seen = [];
  const r = await runLoad({ count: 50, clients: 8, maxSeconds: 30, request: async (i) => { seen.push(i); return i * 2; } });
  assert.equal(r.count, 50);
  assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(r.results[49], 98);
});

test("runLoad goes on past count until minSeconds and counts completions per whole second", async () => {
  const r = await runLoad({ count: 5, minSeconds: 1.2, clients: 1, maxSeconds: 30,
                            request: async (i) => { await new Promise((res) => setTimeout(res, 50)); return i; } });
  assert.ok(r.count > 5, `went on past count: ${r.count}`);
  assert.equal(r.results.length, 5);
  assert.deepEqual(r.results, [0, 1, 2, 3, 4]);
  assert.equal(r.perSecond.length, 1);
  assert.ok(r.perSecond[0] >= 10 && r.perSecond[0] <= 20, `about 20 per second at 50 ms: ${r.perSecond[0]}`);
});

test("perSecond counts completions per whole second and leaves the partial last one out", () => {
  assert.deepEqual(perSecond([10, 900, 1500, 2100, 2999, 3500]), [2, 1, 2]);
  assert.deepEqual(perSecond([]), []);
  assert.deepEqual(perSecond([100, 12_500], 10).length, 10);
});

test("the object-store counter is summed over its labelled series; absent counter gives null", async () => {
  const body = [
    "# HELP strata_object_store_requests_total requests",
    "# TYPE strata_object_store_requests_total counter",
    'strata_object_store_requests_total{op="get"} 12.0',
    'strata_object_store_requests_total{op="put"} 3',
    "strata_object_store_requests_total_created 1.7e9",
    "other_total 99",
  ].join("\n");
  const server = http.createServer((req, res) => { res.statusCode = req.url === "/metrics" ? 200 : 404; res.end(body); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    assert.equal(await scrapeCounter(`${base}/metrics`, "strata_object_store_requests_total"), 15);
    assert.equal(await scrapeCounter(`${base}/metrics`, "absent_total"), null);
    assert.equal(await scrapeCounter(`${base}/nothing`, "other_total"), null);
  } finally { server.close(); }
});

test("process-tree memory covers this process", () => {
  const m = treeMemory(process.pid);
  assert.ok(m.rssMb > 1);
  assert.ok(m.processes.some((p) => p.endsWith(`:${process.pid}`)));
});

test("arguments: servers keep their order and labels, sizes parse, bad input is named", () => {
  const o = parseArgs(["--start", "x {port}", "--label", "a", "--url", "http://127.0.0.1:8000", "--size", "10k", "--size", "1m"]);
  assert.deepEqual(o.servers.map((s) => s.label), ["a", "url2"]);
  assert.deepEqual(o.sizes, [10000, 1000000]);
  assert.throws(() => parseArgs(["--url", "http://example.com:8000"]), /loopback/);
  assert.throws(() => parseArgs(["--size", "10k"]), /no server/);
  assert.throws(() => parseArgs(["--start", "x", "--size", "ten"]), /not a size/);
  assert.throws(() => parseArgs(["--label", "a"]), /must follow/);
  assert.equal(o.warmupSeconds, 30);
  assert.equal(parseArgs(["--url", "http://127.0.0.1:8000", "--warmup-seconds", "0"]).warmupSeconds, 0);
  assert.throws(() => parseArgs(["--url", "http://127.0.0.1:8000", "--warmup-seconds", "-1"]), /whole number/);
});
