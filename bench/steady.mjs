// The steady-state benchmark of issue 15 (see docs/bench.md "Steady state", scripts/bench-steady): one node
// (`strata serve`) over S3Mock with a loaded collection, then a sustained mix of upserts, adds, deletes and queries
// at real rates while GC's clock runs fast, so that a week of retention passes in --week-minutes real minutes.
//
//   node bench/steady.mjs --start 'CMD {port} {path}' --strata 'CMD' --s3mock-jar JAR [--records 100000] [--dim 384]
//                         [--minutes 10] [--week-minutes 10] [--writes-per-minute 1000] [--queries-per-second 5]
//                         [--sample-s 60] [--out DIR]
//
// GC's clock: STRATA_GC_TTL_MS (7 days), STRATA_GC_VERSION_SPACING_MS (1 hour), STRATA_GC_GRACE_MS (10 min) and
// STRATA_GC_INTERVAL_MS (5 min) are divided by the compression (7 days / --week-minutes); everything else runs on its default policy at the real rates.
// Reported over time (every --sample-s) and at the end: stored bytes by kind and against the raw bytes, retained bytes
// by reason, object-store requests by op, cache hit rates per tier, the time share of compaction and GC, the CPU of
// the node and of its maintenance threads; after the mix, a quiet phase of queries alone gives the requests of a warm
// query; `strata cost` prices the mix's requests for a month and the stored bytes.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sleep, waitFor } from './processes.mjs';
import { callJson, metricSamples, metricValue, parseOptions, paced, runStrata, scrapeMetrics, seeded, startNodeOnS3Mock } from './strata-client.mjs';

function parseArgs(argv) {
  const o = parseOptions(argv, {
    '--start': ['start', String], '--strata': ['strata', String], '--s3mock-jar': ['s3mockJar', String],
    '--records': ['records', Number], '--dim': ['dim', Number], '--minutes': ['minutes', Number],
    '--week-minutes': ['weekMinutes', Number], '--writes-per-minute': ['writesPerMinute', Number],
    '--queries-per-second': ['queriesPerSecond', Number], '--sample-s': ['sampleS', Number], '--out': ['out', String],
  }, { records: 100000, dim: 384, minutes: 10, weekMinutes: null, writesPerMinute: 1000, queriesPerSecond: 5,
    sampleS: 60, out: 'bench-results/steady' });
  if (!o.start || !o.strata || !o.s3mockJar) throw new Error('give --start, --strata and --s3mock-jar');
  o.weekMinutes ??= o.minutes;
  return o;
}

const BUCKET = 'steady';
const API = '/api/v2/tenants/default_tenant/databases/default_database';
const WEEK_MS = 7 * 86400_000;

const call = callJson;
const scrape = scrapeMetrics;
const samples = metricSamples;
const one = (text, metric, labels = '') => metricValue(text, metric, labels);
const { random, vector } = seeded(42);
const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon'
  .split(' ');
const doc = (i) => `record ${i}: ${Array.from({ length: 12 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')}`;
const meta = (i) => ({ category: `cat-${i % 10}`, n: i % 1000 });

/** CPU seconds of each live thread of the process, with its name (Linux /proc; clock ticks of 1/100 s). */
function threadCpu(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), s: (Number(f[11]) + Number(f[12])) / 100 });
    } catch { /* a thread that ended meanwhile */ }
  }
  return out;
}

/** The process's CPU seconds between two readings (/proc/PID/stat), and its threads' by group (threads that ended
 *  between them are left out of the groups: short-lived pool threads undercount their group). */
function cpuBetween(pid, before, after, processBefore, processAfter) {
  const group = (name) => name.startsWith('strata-compacti') ? 'compaction'
    : name.startsWith('strata-kmeans') || name.startsWith('strata-index-bu') ? 'compaction (index build)'
      : name.startsWith('strata-block-w') ? 'compaction (block writes)'
      : name.startsWith('strata-gc') ? 'gc' : name.startsWith('strata-warm-ind') ? 'warm graph' : 'other';
  const groups = {};
  for (const [tid, t] of after) {
    const g = group(t.name);
    groups[g] = (groups[g] ?? 0) + t.s - (before.get(tid)?.s ?? 0);
  }
  return { total: processAfter - processBefore, groups };
}

function processCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function delta(after, before) {
  const out = {};
  for (const k of Object.keys(after)) out[k] = after[k] - (before[k] ?? 0);
  return out;
}

function hitRates(text, before) {
  const hits = delta(samples(text, 'strata_cache_hits_total'), samples(before, 'strata_cache_hits_total'));
  const misses = delta(samples(text, 'strata_cache_misses_total'), samples(before, 'strata_cache_misses_total'));
  const out = {};
  for (const k of Object.keys(hits)) {
    const tier = k.replace(/.*tier="([^"]*)".*/, '$1');
    const n = hits[k] + (misses[k] ?? 0);
    out[tier] = n === 0 ? null : hits[k] / n;
  }
  return out;
}

const requestsByOp = (text, before) => {
  const d = delta(samples(text, 'strata_object_store_requests_total'), samples(before, 'strata_object_store_requests_total'));
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k.replace(/.*op="([^"]*)".*/, '$1'), v]));
};

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'strata-steady-'));
  const compression = WEEK_MS / (o.weekMinutes * 60_000);
  const gcEnv = {
    STRATA_GC_TTL_MS: String(Math.round(WEEK_MS / compression)),
    STRATA_GC_VERSION_SPACING_MS: String(Math.max(1, Math.round(3_600_000 / compression))),
    STRATA_GC_GRACE_MS: String(Math.round(600_000 / compression)),
    STRATA_GC_INTERVAL_MS: String(Math.max(1000, Math.round(300_000 / compression))),
  };
  const started = await startNodeOnS3Mock({ start: o.start, s3mockJar: o.s3mockJar, root, bucket: BUCKET, out: o.out,
    env: gcEnv });
  const { node, url, s3mock, storeArgs } = started;
  const awsEnv = { ...started.awsEnv, ...gcEnv }; // `strata stats` sorts retained bytes by the node's GC settings
  const stats = (raw) => JSON.parse(runStrata(o.strata, `stats ${storeArgs} --json${raw ? ' --raw' : ''}`, awsEnv));
  console.log(`bench-steady: node on S3Mock, data in ${root}; ${o.records} records x ${o.dim}; a week of GC clock in`
    + ` ${o.weekMinutes} min (x${compression.toFixed(0)}: ${JSON.stringify(gcEnv)})`);

  // Load.
  const c = await call(url, `${API}/collections`, { name: 'steady' });
  const coll = `${API}/collections/${c.id}`;
  const live = [];
  const loadStart = performance.now();
  for (let i = 0; i < o.records; i += 1000) {
    const ids = []; const docs = []; const metas = []; const embs = [];
    for (let j = i; j < Math.min(o.records, i + 1000); j++) {
      ids.push(`r${j}`); docs.push(doc(j)); metas.push(meta(j)); embs.push(vector(o.dim)); live.push(j);
    }
    await call(url, `${coll}/add`, { ids, documents: docs, metadatas: metas, embeddings: embs });
  }
  await waitFor('compaction of the load', 1_800_000, async () => {
    const m = await scrape(url);
    return one(m, 'strata_tail_records') === 0 && one(m, 'strata_compaction_running') === 0;
  });
  const loadS = (performance.now() - loadStart) / 1000;
  console.log(`bench-steady: loaded and compacted ${o.records} records in ${loadS.toFixed(0)} s`);
  const pid = node.pid; // sh -c exec: the node's own process

  // The mix at real rates.
  const phaseMs = o.minutes * 60_000;
  const writes = Math.round(o.writesPerMinute * o.minutes);
  const queries = Math.round(o.queriesPerSecond * o.minutes * 60);
  const startVersion = stats(false).collections.find((x) => x.name === 'steady').version;
  const startText = await scrape(url);
  const startThreads = threadCpu(pid);
  const startProcess = processCpu(pid);
  writeFileSync(join(o.out, 'metrics-start.txt'), startText);
  const t0 = performance.now();
  let next = o.records;
  const counts = { upsert: 0, add: 0, delete: 0, query: 0, failures: 0 };
  const timeline = [];
  const failed = (e) => { counts.failures++; if (counts.failures < 5) console.error(`bench-steady: ${e.message}`); };
  const stream = (count, op) => paced(count, phaseMs, t0, op, failed);
  const writer = stream(writes, () => {
    const r = random();
    if (r < 0.5 && live.length > 0) { // upsert an existing record: new vector, document, metadata
      const id = live[Math.floor(random() * live.length)];
      counts.upsert++;
      return call(url, `${coll}/upsert`, { ids: [`r${id}`], documents: [doc(id)], metadatas: [meta(id)], embeddings: [vector(o.dim)] });
    }
    if (r < 0.8 || live.length === 0) { // add a new one
      const id = next++;
      live.push(id);
      counts.add++;
      return call(url, `${coll}/add`, { ids: [`r${id}`], documents: [doc(id)], metadatas: [meta(id)], embeddings: [vector(o.dim)] });
    }
    const at = Math.floor(random() * live.length); // delete one
    const id = live[at];
    live[at] = live[live.length - 1];
    live.pop();
    counts.delete++;
    return call(url, `${coll}/delete`, { ids: [`r${id}`] });
  });
  const reader = stream(queries, (i) => {
    counts.query++;
    return call(url, `${coll}/query`, {
      query_embeddings: [vector(o.dim)], n_results: 10, include: ['documents', 'metadatas', 'distances'],
      ...(i % 4 === 0 ? { where: { category: 'cat-3' } } : {}),
    });
  });
  const sampler = (async () => {
    let previous = startText;
    for (let s = 1; performance.now() - t0 < phaseMs - 1000; s++) {
      const wait = t0 + s * o.sampleS * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      const text = await scrape(url);
      const st = stats(false).collections.find((x) => x.name === 'steady');
      const row = {
        atS: Math.round((performance.now() - t0) / 1000), simulatedDays: (performance.now() - t0) / 60_000 / o.weekMinutes * 7,
        storedBytes: Object.values(st.bytesByKind).reduce((a, b) => a + b, 0), retainedBytes: st.retainedBytes,
        keptVersions: st.keptVersions, version: st.version, records: st.records, hitRates: hitRates(text, previous),
        requests: requestsByOp(text, previous),
      };
      timeline.push(row);
      console.log(`bench-steady: ${row.atS} s (day ${row.simulatedDays.toFixed(1)}): stored ${(row.storedBytes / 1e6).toFixed(1)} MB,`
        + ` kept ${row.keptVersions} versions, retained ${JSON.stringify(row.retainedBytes)}`);
      previous = text;
    }
  })();
  await Promise.all([writer, reader, sampler]);
  const endText = await scrape(url);
  const endThreads = threadCpu(pid);
  const endProcess = processCpu(pid);
  const phaseS = one(endText, 'process_uptime_seconds') - one(startText, 'process_uptime_seconds');
  writeFileSync(join(o.out, 'metrics-end.txt'), endText);

  // Queries alone: what a warm query asks of the object store.
  const quietStart = await scrape(url);
  for (let i = 0; i < 200; i++) {
    await call(url, `${coll}/query`, { query_embeddings: [vector(o.dim)], n_results: 10, include: ['documents', 'metadatas', 'distances'] });
  }
  const quietRequests = requestsByOp(await scrape(url), quietStart);

  // One GC past the grace period, then the bytes stored against the raw bytes.
  await sleep(Math.max(Number(gcEnv.STRATA_GC_GRACE_MS), Number(gcEnv.STRATA_GC_INTERVAL_MS)) + 2000);
  const final = stats(true).collections.find((x) => x.name === 'steady');
  const storedBytes = Object.values(final.bytesByKind).reduce((a, b) => a + b, 0);
  const costJson = JSON.parse(runStrata(o.strata, `cost --metrics ${url}/metrics --since ${join(o.out, 'metrics-start.txt')}`
    + ` --window ${Math.round(phaseS)}s ${storeArgs} --json`, awsEnv));
  node.kill('SIGTERM');
  await new Promise((r) => node.on('exit', r));
  s3mock.proc.kill('SIGTERM');

  const requests = requestsByOp(endText, startText);
  const writeCount = counts.upsert + counts.add + counts.delete;
  // Churn: what each retained version beyond the current one adds, against the raw bytes of the records it changed.
  const versionsInPhase = Math.max(1, final.version - startVersion);
  const rawPerRecord = final.rawBytes / Math.max(1, final.records);
  const changedBytesPerVersion = writeCount / versionsInPhase * rawPerRecord;
  const retainedBesidesCurrent = Object.entries(final.retainedBytes)
    .filter(([k]) => ['newest', 'ttl', 'pinned', 'grace'].includes(k)).reduce((a, [, v]) => a + v, 0);
  const addedPerVersion = retainedBesidesCurrent / Math.max(1, final.keptVersions - 1);
  const cpuDelta = cpuBetween(pid, startThreads, endThreads, startProcess, endProcess);
  const summary = {
    date: new Date().toISOString(), records: o.records, dim: o.dim, minutes: o.minutes, weekMinutes: o.weekMinutes,
    compression, gcEnv, writesPerMinute: o.writesPerMinute, queriesPerSecond: o.queriesPerSecond, counts, loadSeconds: loadS,
    phaseSeconds: phaseS,
    final: { version: final.version, keptVersions: final.keptVersions, records: final.records, rawBytes: final.rawBytes,
      storedBytes, storedOverRaw: storedBytes / final.rawBytes, bytesByKind: final.bytesByKind, retainedBytes: final.retainedBytes },
    requests, requestsPerWrite: Object.fromEntries(Object.entries(requests).map(([k, v]) => [k, v / Math.max(1, writeCount)])),
    warmQueryRequests: Object.fromEntries(Object.entries(quietRequests).map(([k, v]) => [k, v / 200])),
    hitRates: hitRates(endText, startText),
    timeShare: {
      compaction: (one(endText, 'strata_compaction_time_seconds_total') - one(startText, 'strata_compaction_time_seconds_total')) / phaseS,
      gc: (one(endText, 'strata_gc_time_seconds_total') - one(startText, 'strata_gc_time_seconds_total')) / phaseS,
    },
    gc: { runs: one(endText, 'strata_gc_runs_total') - one(startText, 'strata_gc_runs_total'),
      deletedBytes: one(endText, 'strata_gc_deleted_bytes_total') - one(startText, 'strata_gc_deleted_bytes_total') },
    compactions: one(endText, 'strata_compaction_runs_total') - one(startText, 'strata_compaction_runs_total'),
    cpuCores: { node: cpuDelta.total / phaseS, ...Object.fromEntries(Object.entries(cpuDelta.groups).map(([k, v]) => [k, v / phaseS])) },
    churn: { versionsInPhase, changedBytesPerVersion, addedPerVersion, ratio: addedPerVersion / changedBytesPerVersion },
    cost: costJson, timeline, loadAverage1m: loadavg()[0],
  };
  const file = resolve(o.out, `steady-${summary.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(summary, null, 2));
  const mb = (b) => (b / 1e6).toFixed(1);
  console.log(`\n## Steady state, ${o.records} x ${o.dim}, ${o.minutes} min of ${o.writesPerMinute} writes/min and`
    + ` ${o.queriesPerSecond} queries/s; a week of GC clock in ${o.weekMinutes} min\n`);
  console.log(`| figure | value |\n|---|---|`);
  console.log(`| writes (upsert / add / delete), queries, failures | ${counts.upsert} / ${counts.add} / ${counts.delete}, ${counts.query}, ${counts.failures} |`);
  console.log(`| stored after one GC past the grace period / raw | ${mb(storedBytes)} MB / ${mb(final.rawBytes)} MB = ${(storedBytes / final.rawBytes).toFixed(2)}x |`);
  console.log(`| stored by kind (MB) | ${Object.entries(final.bytesByKind).map(([k, v]) => `${k} ${mb(v)}`).join(', ')} |`);
  console.log(`| retained by reason (MB) | ${Object.entries(final.retainedBytes).map(([k, v]) => `${k} ${mb(v)}`).join(', ')} |`);
  console.log(`| versions kept / committed in the mix | ${final.keptVersions} / ${versionsInPhase} |`);
  console.log(`| churn: bytes a kept version adds / raw bytes of the records it changed | ${mb(addedPerVersion)} MB / ${mb(changedBytesPerVersion)} MB = ${(addedPerVersion / changedBytesPerVersion).toFixed(1)}x |`);
  console.log(`| object-store requests per write (by op) | ${Object.entries(summary.requestsPerWrite).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} |`);
  console.log(`| requests per warm query (200 alone, by op) | ${Object.entries(summary.warmQueryRequests).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') || 'none'} |`);
  console.log(`| cache hit rate by tier | ${Object.entries(summary.hitRates).map(([k, v]) => `${k} ${v === null ? 'n/a' : (100 * v).toFixed(1) + ' %'}`).join(', ')} |`);
  console.log(`| time share: compaction / GC | ${(100 * summary.timeShare.compaction).toFixed(1)} % / ${(100 * summary.timeShare.gc).toFixed(2)} % |`);
  console.log(`| CPU (cores): node, by thread group | ${Object.entries(summary.cpuCores).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')} |`);
  console.log(`| monthly cost of the mix (strata cost) | $${(costJson.requestCost ?? 0).toFixed(2)} requests + $${(costJson.storageCost ?? 0).toFixed(2)} storage |`);
  console.log(`\nresults: ${file}`);
  process.exit(counts.failures === 0 ? 0 : 1);
}

main().catch((e) => { console.error(`bench-steady: ${e.stack ?? e}`); process.exit(2); });
