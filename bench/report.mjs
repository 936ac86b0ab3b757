// The Markdown table: one row per figure, one column per server.
const fmt = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : Number(v).toFixed(digits));
const mb = (bytes) => (bytes === null || bytes === undefined ? "n/a" : (bytes / 2 ** 20).toFixed(1));

const ROWS = [
  ["startup to heartbeat (ms)", (s) => fmt(s.phases.startup?.ms, 0)],
  ["ingest (records/s, batches of 1000)", (s) => fmt(s.phases.ingest?.recordsPerSec, 0)],
  ["add batch p50 / p99 (ms)", (s) => s.phases.ingest ? `${fmt(s.phases.ingest.batchP50Ms)} / ${fmt(s.phases.ingest.batchP99Ms)}` : "n/a"],
  ["time until queryable (ms)", (s) => fmt(s.phases.queryable?.ms, 0)],
  ["then until indexed (ms; backlog at start)", (s) => s.phases.indexed?.backlogAtStart == null ? "n/a (in add)"
    : `${fmt(s.phases.indexed.ms, 0)} (${s.phases.indexed.backlogAtStart})`],
  ["right after the last add: query p50 / p95 / p99 (ms), QPS, 1 client", (s) => s.phases.queryAfterLoad ? `${lat(s.phases.queryAfterLoad)}, ${fmt(s.phases.queryAfterLoad.qps, 0)}` : "n/a"],
  ["right after the last add: queries answered in each of its first seconds, 1 client", (s) => seconds(s.phases.queryAfterLoad)],
  ["warm-up before the steady phases: p50 (ms) of each 5 s, 1 client", (s) => s.phases.warmup?.sliceP50Ms?.length
    ? s.phases.warmup.sliceP50Ms.map((v) => fmt(v, 1)).join(" / ") : "n/a"],
  ["query p50 / p95 / p99 (ms), 1 client", (s) => lat(s.phases.query1)],
  ["QPS, 1 client", (s) => fmt(s.phases.query1?.qps, 0)],
  ["heartbeat p50 (ms), 1 client", (s) => fmt(s.phases.heartbeat1?.p50Ms, 2)],
  ["server time per query: query p50 - heartbeat p50 (ms)", (s) => s.phases.query1 && s.phases.heartbeat1
    ? fmt(s.phases.query1.p50Ms - s.phases.heartbeat1.p50Ms, 2) : "n/a"],
  ["query p50 / p95 / p99 (ms), 8 clients", (s) => lat(s.phases.query8)],
  ["QPS, 8 clients", (s) => fmt(s.phases.query8?.qps, 0)],
  ["raw HTTP (bodies encoded once, keep-alive): query p50 / p95 / p99 (ms), 1 client", (s) => lat(s.phases.raw1)],
  ["raw HTTP: QPS, 1 client", (s) => fmt(s.phases.raw1?.qps, 0)],
  ["raw HTTP: heartbeat p50 (ms), 1 client", (s) => fmt(s.phases.rawHeartbeat1?.p50Ms, 2)],
  ["raw HTTP: server time per query, query p50 - heartbeat p50 (ms)", (s) => s.phases.raw1 && s.phases.rawHeartbeat1
    ? fmt(s.phases.raw1.p50Ms - s.phases.rawHeartbeat1.p50Ms, 2) : "n/a"],
  ["raw HTTP: query p50 / p95 / p99 (ms), 8 clients", (s) => lat(s.phases.raw8)],
  ["raw HTTP: QPS, 8 clients", (s) => fmt(s.phases.raw8?.qps, 0)],
  ["recall@10 (client / raw HTTP)", (s) => `${fmt(s.phases.query1?.recallAt10, 3)} / ${fmt(s.phases.raw1?.recallAt10, 3)}`],
  ["filter A (category =) p50 / p95 / p99 (ms)", (s) => lat(s.phases.filterA)],
  ["filter A recall@10", (s) => fmt(s.phases.filterA?.recallAt10, 3)],
  ["filter B ($and year range, $in) p50 / p95 / p99 (ms)", (s) => lat(s.phases.filterB)],
  ["filter B recall@10", (s) => fmt(s.phases.filterB?.recallAt10, 3)],
  ["get by filter A, limit 100: p50 / p99 (ms)", (s) => lat2(s.phases.getA)],
  ["get by filter B, limit 100: p50 / p99 (ms)", (s) => lat2(s.phases.getB)],
  ["RSS after ingest (MB)", (s) => fmt(s.memoryAfterIngest?.rssMb, 0)],
  ["RSS once indexed (MB)", (s) => fmt(s.memoryOnceIndexed?.rssMb, 0)],
  ["RSS after queries / peak (MB)", (s) => s.memoryAfterQueries ? `${fmt(s.memoryAfterQueries.rssMb, 0)} / ${fmt(s.memoryAfterQueries.peakRssMb, 0)}` : "n/a"],
  ["data on disk (MB)", (s) => mb(s.diskBytes)],
  ["cold start to first answered query (ms)", (s) => fmt(s.phases.coldStart?.ms, 0)],
  ["first query after cold start (ms)", (s) => fmt(s.phases.coldStart?.firstQueryMs)],
  ["RSS after cold first query (MB)", (s) => fmt(s.phases.coldStart?.memory?.rssMb, 0)],
  ["object-store requests per query (warm)", (s) => fmt(s.phases.query1?.objectStoreRequestsPerQuery, 2)],
  ["object-store requests, first cold query", (s) => fmt(s.phases.coldStart?.objectStoreRequestsFirstQuery, 0)],
  ["server stages per 1-client query, mean µs (parse / tail / filter / search / read / convert / write)", (s) => stages(s.phases.query1?.stageMeansUs)],
];

// Strata's own breakdown of a query (strata_query_stage_seconds); other servers have none.
function stages(us) {
  if (!us) return "n/a";
  return ["parse", "tail", "filter", "search", "read", "convert", "write"].map((k) => fmt(us[k], 0)).join(" / ");
}

// "4 / 6 / 30 / 150": requests completed in the 1st, 2nd, ... second of the phase (the last partial one left out).
function seconds(p) { return p?.perSecond?.length ? p.perSecond.join(" / ") : "n/a"; }

function lat(p) { return p ? `${fmt(p.p50Ms)} / ${fmt(p.p95Ms)} / ${fmt(p.p99Ms)}${partial(p)}` : "n/a"; }
function lat2(p) { return p ? `${fmt(p.p50Ms)} / ${fmt(p.p99Ms)}${partial(p)}` : "n/a"; }
// A phase stopped by --phase-seconds says how many requests its figures rest on.
function partial(p) { return p.count < p.requested ? ` (n=${p.count})` : ""; }

export function markdownReport(report) {
  const w = report.workload, m = report.machine;
  const lines = [
    `## ${w.size.toLocaleString("en-US")} records, ${w.dim}-d, ${w.space}`,
    "",
    `Seed ${w.seed}; ${w.clusters} Gaussian clusters; ${w.queries} queries per unfiltered phase, ${w.filteredQueries} per filtered ` +
      `phase, recall over ${w.recallQueries}; filter A matches ${(w.selectivityA * 100).toFixed(1)} %, filter B ` +
      `${(w.selectivityB * 100).toFixed(1)} %. Client ${m.client}, node ${m.node}, ${m.cpus} CPUs (${m.cpuModel}), ${m.date}.`,
    "",
    `| figure | ${report.servers.map((s) => s.label).join(" | ")} |`,
    `|---|${report.servers.map(() => "---:").join("|")}|`,
    ...ROWS.map(([name, f]) => `| ${name} | ${report.servers.map(f).join(" | ")} |`),
  ];
  const errors = report.servers.flatMap((s) => Object.entries(s.errors).map(([k, e]) => `- ${s.label}, ${k}: ${e.split("\n")[0]}`));
  if (errors.length) lines.push("", "Errors:", ...errors);
  return lines.join("\n") + "\n";
}
