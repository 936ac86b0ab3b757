// What the node-driving benchmarks (cost.mjs, steady.mjs) share: their options, JSON calls to a node, its metrics,
// the `strata` command line, and a seeded random workload.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { children, freePort, startS3Mock, waitFor } from './processes.mjs';

/**
 * Options from argv as `--name value` pairs: {@code spec} maps each option to [key, parse] (parse: Number or
 * String); unknown options throw. Starts from {@code defaults}.
 */
export function parseOptions(argv, spec, defaults) {
  const o = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const entry = spec[argv[i]];
    if (!entry) throw new Error(`unknown option ${argv[i]}`);
    o[entry[0]] = entry[1](argv[i + 1]);
  }
  return o;
}

/** POSTs (or another method) a JSON body and returns the parsed answer; a status of 300 or more throws. */
export async function callJson(url, path, body, method = 'POST') {
  const res = await fetch(url + path, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

export const scrapeMetrics = async (url) => (await fetch(`${url}/metrics`)).text();

/** Every sample of a Prometheus metric in a scrape, by its label set ('' for none). */
export function metricSamples(text, metric) {
  const out = {};
  for (const l of text.split('\n')) {
    if (l.startsWith(metric + ' ') || l.startsWith(metric + '{')) {
      const labels = l.startsWith(metric + '{') ? l.slice(metric.length + 1, l.indexOf('}')) : '';
      out[labels] = Number(l.trim().split(/\s+/).pop());
    }
  }
  return out;
}

/** One sample of a metric (the first, or the one with exactly these labels); NaN when absent. */
export function metricValue(text, metric, labels) {
  const all = metricSamples(text, metric);
  return labels === undefined ? (Object.values(all)[0] ?? NaN) : (all[labels] ?? NaN);
}

/** Runs `strata ARGS` with the command line {@code strata} and returns its standard output. */
export function runStrata(strata, args, env) {
  const r = spawnSync('/bin/sh', ['-c', `exec ${strata} ${args}`], { env: { ...process.env, ...env }, encoding: 'utf8',
    maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`strata ${args}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  // A library on the classpath may print a line of its own first (commons-logging discovery with the S3 client).
  return r.stdout.split('\n').filter((l) => !l.startsWith('Standard Commons Logging')).join('\n');
}

/** A xorshift generator: the same workload every run from the same seed. */
export function seeded(seed = 42) {
  let s = seed;
  const random = () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return ((s >>> 0) % 1_000_000) / 1_000_000;
  };
  return { random, vector: (dim) => Array.from({ length: dim }, () => random() * 2 - 1) };
}

/**
 * Starts S3Mock (bucket {@code bucket}, data under {@code root}) and `strata serve` on it: {@code start} is the
 * command with {port} and {path}, {@code env} its extra environment; the node's output goes to OUT/node.log. Returns
 * the node's process and URL, S3Mock's handle, and the `strata` arguments and environment that reach the same bucket.
 */
export async function startNodeOnS3Mock({ start, s3mockJar, root, bucket, out, env = {} }) {
  const s3mock = await startS3Mock(s3mockJar, root, bucket);
  const s3env = {
    STRATA_STORAGE: 's3', STRATA_S3_BUCKET: bucket, STRATA_S3_ENDPOINT: s3mock.endpoint, STRATA_S3_PATH_STYLE: 'true',
    STRATA_S3_REGION: 'us-east-1', STRATA_S3_ACCESS_KEY_ID: 'bench', STRATA_S3_SECRET_ACCESS_KEY: 'bench',
  };
  const port = await freePort();
  const folder = join(root, 'node');
  mkdirSync(folder, { recursive: true });
  const log = openSync(join(out, 'node.log'), 'w');
  const cmd = start.replaceAll('{port}', String(port)).replaceAll('{path}', folder);
  const node = spawn('/bin/sh', ['-c', `exec ${cmd}`], { stdio: ['ignore', log, log],
    env: { ...process.env, ...s3env, STRATA_LOG_LEVEL: 'WARN', ...env } });
  children.add(node);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the node', 180_000, async () => (await fetch(`${url}/api/v2/heartbeat`)).status === 200);
  const storeArgs = `--storage s3 --s3-bucket ${bucket} --s3-endpoint ${s3mock.endpoint} --s3-path-style --s3-region us-east-1`;
  const awsEnv = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
  return { node, url, s3mock, storeArgs, awsEnv };
}

/**
 * Starts {@code op(i)} for i in [0, count) spread evenly over {@code spanMs} from {@code t0} (performance.now()),
 * without waiting for one to finish before the next is due; a failure goes to {@code onError}. Resolves when all
 * have settled.
 */
export async function paced(count, spanMs, t0, op, onError) {
  const inflight = [];
  for (let i = 0; i < count; i++) {
    const wait = t0 + (i + 0.5) * spanMs / count - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(op(i).catch(onError));
    if (inflight.length > 256) await Promise.all(inflight.splice(0, 128));
  }
  await Promise.all(inflight);
}
