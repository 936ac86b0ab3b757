// The seed's small workload (10k queries/day, 1k writes/day) on one node over S3Mock, compressed in time, priced
// with `strata cost` (see docs/bench.md "Cost of the small workload", scripts/bench-cost).
//
//   node bench/cost.mjs --start 'CMD {port} {path}' --strata 'CMD' --s3mock-jar JAR [--day-minutes 20] [--days 0.5]
//                       [--records 10000] [--dim 384] [--idle-s 330] [--queries-per-day 10000] [--writes-per-day 1000]
//                       [--out DIR]
//
// Two phases, because a node's requests have two clocks:
//  - idle: the loaded node with no traffic for --idle-s seconds of real time: what its timers cost (the writer
//    lease's heartbeat, GC runs, uploads), per real second;
//  - workload: --days simulated days, one day every --day-minutes real minutes: writes and queries at the seed's
//    rates times the compression; the compaction interval is compressed by the same factor, so a write waits as
//    long (in simulated time) before it is compacted as it would at the real rate.
// Monthly requests per op = (workload requests - idle rate x workload real time) x 30 / simulated days
//                           + idle rate x 30 days.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sleep, waitFor } from './processes.mjs';
import { callJson, metricValue, paced, parseOptions, runStrata, scrapeMetrics, seeded, startNodeOnS3Mock } from './strata-client.mjs';

function parseArgs(argv) {
  const o = parseOptions(argv, {
    '--start': ['start', String], '--strata': ['strata', String], '--s3mock-jar': ['s3mockJar', String],
    '--day-minutes': ['dayMinutes', Number], '--days': ['days', Number], '--records': ['records', Number],
    '--dim': ['dim', Number], '--idle-s': ['idleS', Number], '--queries-per-day': ['queriesPerDay', Number],
    '--writes-per-day': ['writesPerDay', Number], '--out': ['out', String],
  }, { dayMinutes: 20, days: 0.5, records: 10000, dim: 384, idleS: 330, queriesPerDay: 10000, writesPerDay: 1000,
    out: 'bench-results/cost' });
  if (!o.start || !o.strata || !o.s3mockJar) throw new Error('give --start, --strata and --s3mock-jar');
  return o;
}

const BUCKET = 'cost';
const API = '/api/v2/tenants/default_tenant/databases/default_database';

const call = callJson;
const scrape = scrapeMetrics;
const sample = (text, metric) => metricValue(text, metric);
const { random, vector } = seeded(42);
const record = (i) => ({ id: `r${i}`, doc: `document ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}`, meta: { n: i % 100, kind: i % 2 ? 'odd' : 'even' } });

const strataCost = (o, args, env) => runStrata(o.strata, `cost ${args}`, env);

function per1000(prices, op) {
  if (['get', 'get_range', 'head'].includes(op)) return prices.getPer1000;
  if (op === 'delete') return 0;
  return prices.putPer1000;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'strata-cost-'));
  const compression = 1440 / o.dayMinutes;
  // The compaction interval (default 60 s) compressed like the workload; everything else at its default.
  const compactionMs = Math.max(1, Math.round(60_000 / compression));
  const { node, url, s3mock, storeArgs, awsEnv } = await startNodeOnS3Mock({ start: o.start, s3mockJar: o.s3mockJar,
    root, bucket: BUCKET, out: o.out, env: { STRATA_COMPACTION_INTERVAL_MS: String(compactionMs) } });
  console.log(`bench-cost: node on S3Mock, data in ${root}; ${o.records} records x ${o.dim}, 1 day = ${o.dayMinutes} min`
    + ` (x${compression.toFixed(1)}), compaction interval ${compactionMs} ms`);

  // Load (not priced): the collection the workload queries and updates.
  const c = await call(url, `${API}/collections`, { name: 'small' });
  const coll = `${API}/collections/${c.id}`;
  for (let i = 0; i < o.records; i += 500) {
    const ids = []; const docs = []; const metas = []; const embs = [];
    for (let j = i; j < Math.min(o.records, i + 500); j++) {
      const r = record(j); ids.push(r.id); docs.push(r.doc); metas.push(r.meta); embs.push(vector(o.dim));
    }
    await call(url, `${coll}/add`, { ids, documents: docs, metadatas: metas, embeddings: embs });
  }
  await waitFor('compaction of the load', 600_000, async () => {
    const m = await scrape(url);
    return sample(m, 'strata_tail_records') === 0 && sample(m, 'strata_compaction_running') === 0;
  });
  console.log(`bench-cost: loaded and compacted ${o.records} records`);
  // What the load set going finishes before the idle phase (the warm graph's build 2 s after the version opened,
  // a GC run): the idle phase measures the timers alone, since its rate is extrapolated to a whole month.
  await waitFor('the node to settle after the load', 120_000, async () => {
    const gets = async () => sample(await scrape(url), 'strata_object_store_requests_total{op="get"}');
    const before = await gets();
    await sleep(10_000);
    return Object.is(await gets(), before);
  });

  // Idle phase.
  const idleStart = join(o.out, 'metrics-idle-start.txt');
  writeFileSync(idleStart, await scrape(url));
  console.log(`bench-cost: idle for ${o.idleS} s`);
  await sleep(o.idleS * 1000);
  const idle = JSON.parse(strataCost(o, `--metrics ${url}/metrics --since ${idleStart} --json`, {}));

  // Workload phase.
  const start = join(o.out, 'metrics-workload-start.txt');
  const startText = await scrape(url);
  writeFileSync(start, startText);
  const realMs = o.days * o.dayMinutes * 60_000;
  const writes = Math.round(o.writesPerDay * o.days);
  const queries = Math.round(o.queriesPerDay * o.days);
  console.log(`bench-cost: ${o.days} simulated day(s) in ${(realMs / 60000).toFixed(1)} min: ${writes} writes, ${queries} queries`);
  const t0 = performance.now();
  let nextId = o.records;
  let failures = 0;
  const failed = (e) => { failures++; if (failures < 5) console.error(`bench-cost: ${e.message}`); };
  const stream = (count, op) => paced(count, realMs, t0, op, failed);

  const writer = stream(writes, (i) => {
    // Half update an existing record, half add a new one.
    const r = record(i % 2 ? Math.floor(random() * o.records) : nextId++);
    return call(url, `${coll}/upsert`, { ids: [r.id], documents: [r.doc], metadatas: [r.meta], embeddings: [vector(o.dim)] });
  });
  const reader = stream(queries, (i) => call(url, `${coll}/query`, {
    query_embeddings: [vector(o.dim)], n_results: 10, include: ['documents', 'metadatas', 'distances'],
    ...(i % 4 === 0 ? { where: { kind: 'odd' } } : {}),
  }));
  await Promise.all([writer, reader]);
  const endText = await scrape(url);
  const realS = sample(endText, 'process_uptime_seconds') - sample(startText, 'process_uptime_seconds');
  const simulated = `${(o.days * 86400).toFixed(0)}s`;
  const workloadArgs = `--metrics ${url}/metrics --since ${start} --window ${simulated} ${storeArgs}`;
  const workload = JSON.parse(strataCost(o, `${workloadArgs} --json`, awsEnv));
  const table = strataCost(o, workloadArgs, awsEnv);
  const stats = JSON.parse(runStrata(o.strata, `stats ${storeArgs} --json`, awsEnv));
  node.kill('SIGTERM');
  await new Promise((r) => node.on('exit', r));
  s3mock.proc.kill('SIGTERM');

  // Idle timers at their real rate for a month; the workload's own requests scaled from simulated time.
  const month = 30 * 86400;
  const ops = [...new Set([...Object.keys(idle.requests), ...Object.keys(workload.requests)])].sort();
  const rows = ops.map((op) => {
    const idleRate = (idle.requests[op] ?? 0) / idle.windowSeconds;
    const own = Math.max(0, (workload.requests[op] ?? 0) - idleRate * realS);
    const fromWorkload = Math.round(own * month / (o.days * 86400));
    const fromIdle = Math.round(idleRate * month);
    const price = per1000(workload.prices, op);
    return { op, fromIdle, fromWorkload, monthly: fromIdle + fromWorkload, usd: (fromIdle + fromWorkload) / 1000 * price,
      usdIdle: fromIdle / 1000 * price };
  });
  const total = rows.reduce((s, r) => s + r.monthly, 0);
  const requestUsd = rows.reduce((s, r) => s + r.usd, 0);
  const idleUsd = rows.reduce((s, r) => s + r.usdIdle, 0);
  // Storage: the run lasts minutes of real time, but the TTL (7 days) keeps every version committed within it, and
  // the run committed versions at the simulated rate: what the TTL holds after a simulated week is 7 / days times
  // what it holds now. The GC's own sorting (strata stats, retained bytes by reason) says which bytes those are.
  const held = stats.collections.find((x) => x.name === 'small')?.retainedBytes ?? {};
  const ttlBytes = held.ttl ?? 0;
  const steadyBytes = workload.storedBytes - ttlBytes + Math.round(ttlBytes * 7 / o.days);
  const steadyStorageUsd = steadyBytes / 2 ** 30 * workload.prices.storagePerGbMonth;
  const summary = {
    date: new Date().toISOString(), records: o.records, dim: o.dim, dayMinutes: o.dayMinutes, simulatedDays: o.days,
    compaction_interval_ms: compactionMs, writes, queries, failures, realWorkloadSeconds: realS,
    idleSeconds: idle.windowSeconds, idleRequests: idle.requests, workloadRequests: workload.requests,
    monthly: rows, monthlyRequests: total, requestUsd, idleRequestUsd: idleUsd, storedBytes: workload.storedBytes,
    storageUsd: workload.storageCost, retainedBytes: held,
    keptVersions: stats.collections.find((x) => x.name === 'small')?.keptVersions,
    steadyStateStoredBytes: steadyBytes, steadyStateStorageUsd: steadyStorageUsd,
    totalUsd: requestUsd + steadyStorageUsd, loadAverage1m: loadavg()[0],
  };
  const file = resolve(o.out, `cost-${summary.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(summary, null, 2));
  console.log(`\nstrata cost of the workload window (scaled from ${simulated} simulated; idle timers included at the`
    + ` compressed window's rate, see below):\n${table}`);
  console.log(`idle node: ${JSON.stringify(idle.requests)} in ${idle.windowSeconds.toFixed(0)} s`);
  console.log(`\nmonthly, idle timers at their real rate + the workload's own requests scaled from simulated time:`);
  console.log(`${'OP'.padEnd(16)} ${'IDLE/MONTH'.padStart(12)} ${'WORKLOAD/MONTH'.padStart(15)} ${'TOTAL/MONTH'.padStart(12)} ${'USD/MONTH'.padStart(10)}`);
  for (const r of rows) {
    console.log(`${r.op.padEnd(16)} ${String(r.fromIdle).padStart(12)} ${String(r.fromWorkload).padStart(15)} ${String(r.monthly).padStart(12)} ${r.usd.toFixed(2).padStart(10)}`);
  }
  console.log(`requests: ${total} a month, $${requestUsd.toFixed(2)} (of which the idle node's timers $${idleUsd.toFixed(2)});`
    + ` storage ${workload.storedBytes} bytes now, $${workload.storageCost.toFixed(4)}`);
  console.log(`retained bytes by reason (strata stats): ${JSON.stringify(held)}, ${summary.keptVersions} versions kept;`
    + ` after a simulated week of TTL: ${steadyBytes} bytes, $${steadyStorageUsd.toFixed(4)} a month`);
  console.log(`total: $${summary.totalUsd.toFixed(2)} a month`);
  console.log(`failed requests: ${failures}; 1-min load average ${summary.loadAverage1m.toFixed(1)}; results: ${file}`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => { console.error(`bench-cost: ${e.stack ?? e}`); process.exit(2); });
