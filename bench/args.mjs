// Command line of bench.mjs. Servers keep the order they are given in; --label names the server given just before.
const USAGE = `usage: node bench.mjs [options] (--url URL | --start 'CMD with {port} {path}') [--label NAME] ...
  --url URL              a running Chroma-API server (no restart, memory or disk figures unless --pid / --data-dir)
  --pid PID              (after --url) the server's process, for its memory
  --data-dir DIR         (after --url) the server's data folder, for its size on disk
  --start CMD            a command that starts a server on {port} with its data in {path} (also $PORT, $DATA_DIR)
  --label NAME           name of the server given just before (column title)
  --size N               records: 10k, 100k, 1m or a number; repeatable (default 10k)
  --seed N               workload seed (default 42)
  --queries N            queries per unfiltered phase (default 1000)
  --filtered-queries N   queries per filtered phase (default 300)
  --recall-queries N     queries checked against exact answers (default 200; 50 at 1M)
  --gets N               get-by-filter requests per filter (default 200)
  --get-limit N          limit of each get-by-filter (default 100)
  --batch-size N         records per add (default 1000)
  --phase-seconds S      upper bound of each query phase (default 120)
  --warmup-seconds S     queries before the steady phases, reported as p50 per 5 s (default 30; 0: 20 queries)
  --ready-timeout S      start / cold start timeout (default 180)
  --queryable-timeout S  time-until-queryable timeout (default 300)
  --metrics-path P       Prometheus endpoint of the server (default /metrics)
  --out DIR              results folder (default bench-results)
  --data-root DIR        where started servers keep their data (default <out>/data)
  --keep-data            keep started servers' data folders`;

function parseSize(s) {
  const m = String(s).toLowerCase().match(/^(\d+(?:\.\d+)?)([km]?)$/);
  if (!m) throw new Error(`--size: not a size: ${s} (10k, 100k, 1m or a number)`);
  const n = Math.round(Number(m[1]) * (m[2] === "k" ? 1e3 : m[2] === "m" ? 1e6 : 1));
  if (n < 100) throw new Error(`--size: at least 100 records, got ${s}`);
  return n;
}

function positiveInt(flag, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag}: a positive integer is needed, got ${v}`);
  return n;
}

export function parseArgs(argv) {
  const o = { servers: [], sizes: [], seed: 42, queries: 1000, filteredQueries: 300, recallQueries: null, gets: 200,
              getLimit: 100, batchSize: 1000, phaseSeconds: 120, warmupSeconds: 30, readyTimeoutSec: 180, queryableTimeoutSec: 300,
              metricsPath: "/metrics", outDir: "bench-results", dataRoot: null, keepData: false };
  const last = (flag) => { const s = o.servers.at(-1); if (!s) throw new Error(`${flag} must follow --url or --start`); return s; };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`); return argv[++i]; };
    switch (flag) {
      case "--url": o.servers.push({ url: val(), label: `url${o.servers.length + 1}` }); break;
      case "--start": o.servers.push({ start: val(), label: `server${o.servers.length + 1}` }); break;
      case "--label": last(flag).label = val(); break;
      case "--pid": last(flag).pid = positiveInt(flag, val()); break;
      case "--data-dir": last(flag).dataDir = val(); break;
      case "--size": o.sizes.push(parseSize(val())); break;
      case "--seed": o.seed = positiveInt(flag, val()); break;
      case "--queries": o.queries = positiveInt(flag, val()); break;
      case "--filtered-queries": o.filteredQueries = positiveInt(flag, val()); break;
      case "--recall-queries": o.recallQueries = positiveInt(flag, val()); break;
      case "--gets": o.gets = positiveInt(flag, val()); break;
      case "--get-limit": o.getLimit = positiveInt(flag, val()); break;
      case "--batch-size": o.batchSize = positiveInt(flag, val()); break;
      case "--phase-seconds": o.phaseSeconds = positiveInt(flag, val()); break;
      case "--warmup-seconds": { const v = Number(val()); if (!Number.isInteger(v) || v < 0) throw new Error(`--warmup-seconds: a whole number of seconds is needed, got ${v}`); o.warmupSeconds = v; break; }
      case "--ready-timeout": o.readyTimeoutSec = positiveInt(flag, val()); break;
      case "--queryable-timeout": o.queryableTimeoutSec = positiveInt(flag, val()); break;
      case "--metrics-path": o.metricsPath = val(); break;
      case "--out": o.outDir = val(); break;
      case "--data-root": o.dataRoot = val(); break;
      case "--keep-data": o.keepData = true; break;
      case "-h": case "--help": console.log(USAGE); process.exit(0);
      default: throw new Error(`unknown argument: ${flag}\n${USAGE}`);
    }
  }
  if (o.servers.length === 0) throw new Error(`no server given\n${USAGE}`);
  for (const s of o.servers) {
    if (s.url && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(s.url))
      throw new Error(`--url ${s.url}: only loopback servers are benchmarked (http://127.0.0.1:PORT)`);
  }
  const labels = o.servers.map((s) => s.label);
  if (new Set(labels).size !== labels.length) throw new Error(`server labels must differ: ${labels.join(", ")}`);
  if (o.sizes.length === 0) o.sizes.push(10_000);
  o.dataRoot ??= `${o.outDir}/data`;
  return o;
}
