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
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { children, freePort, sleep, startS3Mock, waitFor } from './processes.mjs';

function parseArgs(argv) {
  const o = { dayMinutes: 20, days: 0.5, records: 10000, dim: 384, idleS: 330, queriesPerDay: 10000,
    writesPerDay: 1000, out: 'bench-results/cost' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]; const v = argv[i + 1];
    switch (k) {
      case '--start': o.start = v; break;
      case '--strata': o.strata = v; break;
      case '--s3mock-jar': o.s3mockJar = v; break;
      case '--day-minutes': o.dayMinutes = Number(v); break;
      case '--days': o.days = Number(v); break;
      case '--records': o.records = Number(v); break;
      case '--dim': o.dim = Number(v); break;
      case '--idle-s': o.idleS = Number(v); break;
      case '--queries-per-day': o.queriesPerDay = Number(v); break;
      case '--writes-per-day': o.writesPerDay = Number(v); break;
      case '--out': o.out = v; break;
      default: throw new Error(`unknown option ${k}`);
    }
  }
  if (!o.start || !o.strata || !o.s3mockJar) throw new Error('give --start, --strata and --s3mock-jar');
  return o;
}

const BUCKET = 'cost';
const API = '/api/v2/tenants/default_tenant/databases/default_database';

async function call(url, path, body, method = 'POST') {
  const res = await fetch(url + path, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function scrape(url) {
  const res = await fetch(`${url}/metrics`);
  return await res.text();
}

function sample(text, metric) {
  const line = text.split('\n').find((l) => l.startsWith(metric + ' ') || l.startsWith(metric + '{'));
  return line ? Number(line.trim().split(/\s+/).pop()) : NaN;
}

let seed = 42;
function random() { // xorshift: the same vectors every run
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return ((seed >>> 0) % 1_000_000) / 1_000_000;
}
const vector = (dim) => Array.from({ length: dim }, () => random() * 2 - 1);
const record = (i) => ({ id: `r${i}`, doc: `document ${i}: ${'lorem ipsum dolor sit amet '.repeat(3)}`, meta: { n: i % 100, kind: i % 2 ? 'odd' : 'even' } });

function strataCost(o, args, env) {
  return runStrata(o, `cost ${args}`, env);
}

function runStrata(o, args, env) {
  const r = spawnSync('/bin/sh', ['-c', `exec ${o.strata} ${args}`], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`strata ${args}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  // A library on the classpath may print a line of its own first (commons-logging discovery with the S3 client).
  return r.stdout.split('\n').filter((l) => !l.startsWith('Standard Commons Logging')).join('\n');
}

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
  const s3mock = await startS3Mock(o.s3mockJar, root, BUCKET);
  const s3env = {
    STRATA_STORAGE: 's3', STRATA_S3_BUCKET: BUCKET, STRATA_S3_ENDPOINT: s3mock.endpoint, STRATA_S3_PATH_STYLE: 'true',
    STRATA_S3_REGION: 'us-east-1', STRATA_S3_ACCESS_KEY_ID: 'bench', STRATA_S3_SECRET_ACCESS_KEY: 'bench',
  };
  // The compaction interval (default 60 s) compressed like the workload; everything else at its default.
  const compactionMs = Math.max(1, Math.round(60_000 / compression));
  const env = { ...s3env, STRATA_COMPACTION_INTERVAL_MS: String(compactionMs), STRATA_LOG_LEVEL: 'WARN' };
  const port = await freePort();
  const folder = join(root, 'node');
  mkdirSync(folder, { recursive: true });
  const log = openSync(join(o.out, 'node.log'), 'w');
  const cmd = o.start.replaceAll('{port}', String(port)).replaceAll('{path}', folder);
  const node = spawn('/bin/sh', ['-c', `exec ${cmd}`], { stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  children.add(node);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the node', 180_000, async () => (await fetch(`${url}/api/v2/heartbeat`)).status === 200);
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
  async function stream(count, op) {
    const inflight = [];
    for (let i = 0; i < count; i++) {
      const due = t0 + (i + 0.5) * realMs / count;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      inflight.push(op(i).catch((e) => { failures++; if (failures < 5) console.error(`bench-cost: ${e.message}`); }));
    }
    await Promise.all(inflight);
  }
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
  const storeArgs = `--storage s3 --s3-bucket ${BUCKET} --s3-endpoint ${s3mock.endpoint} --s3-path-style --s3-region us-east-1`;
  const awsEnv = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
  const workloadArgs = `--metrics ${url}/metrics --since ${start} --window ${simulated} ${storeArgs}`;
  const workload = JSON.parse(strataCost(o, `${workloadArgs} --json`, awsEnv));
  const table = strataCost(o, workloadArgs, awsEnv);
  const stats = JSON.parse(runStrata(o, `stats ${storeArgs} --json`, awsEnv));
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
