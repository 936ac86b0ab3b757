// Writer takeover benchmark (issue 12 item 7; see docs/bench.md "Writer takeover" and docs/reliability.md).
//
// Starts S3Mock (or uses a local objects folder shared by two node folders), a writer node (`strata serve`),
// writes continuously with every acknowledged id recorded, SIGKILLs the writer, starts a replacement node on the
// same bucket at once (as a supervisor would) and measures the time from the kill to the first write the
// replacement accepts. Repeats --kills times, alternating two node folders (two "machines"), then checks on a
// last node that every acknowledged write is there. Run by scripts/bench-takeover, which passes --start.
//
//   node bench/takeover.mjs --start 'CMD {port} {path}' [--kills 20] [--storage s3|local] [--s3mock-jar JAR]
//                           [--writers 4] [--warmup-ms 1500] [--out DIR] [--standby]
//
// --standby: each replacement is started before the kill, as a standby (STRATA_LEASE_WAIT_MS): it watches the live
// writer's lease and takes over once it goes unrenewed, so its JVM start is out of the measured time.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { children, freePort, sleep, startS3Mock, waitFor } from './processes.mjs';

function parseArgs(argv) {
  const o = { kills: 20, storage: 's3', writers: 4, warmupMs: 1500, out: 'bench-results/takeover', standby: false };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--standby') { o.standby = true; i -= 1; continue; }
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k} needs a value`);
    switch (k) {
      case '--start': o.start = v; break;
      case '--kills': o.kills = Number(v); break;
      case '--storage': o.storage = v; break;
      case '--s3mock-jar': o.s3mockJar = v; break;
      case '--writers': o.writers = Number(v); break;
      case '--warmup-ms': o.warmupMs = Number(v); break;
      case '--out': o.out = v; break;
      default: throw new Error(`unknown option ${k}`);
    }
  }
  if (!o.start) throw new Error('give --start (scripts/bench-takeover does)');
  if (o.storage === 's3' && !o.s3mockJar) throw new Error('give --s3mock-jar with --storage s3');
  return o;
}

/** A `strata serve` process on the shared bucket; its output goes to OUT/node-N.log. */
async function startNode(o, folder, env, logFile) {
  const port = await freePort();
  const cmd = o.start.replaceAll('{port}', String(port)).replaceAll('{path}', folder);
  const log = openSync(logFile, 'a');
  const proc = spawn('/bin/sh', ['-c', `exec ${cmd}`], { stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  children.add(proc);
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
  return { proc, port, url: `http://127.0.0.1:${port}`, exited };
}

const API = '/api/v2/tenants/default_tenant/databases/default_database';

async function post(url, path, body, timeoutMs = 10_000) {
  const res = await fetch(url + path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'strata-takeover-'));
  const folders = [join(root, 'node-a'), join(root, 'node-b')];
  folders.forEach((f) => mkdirSync(f, { recursive: true }));
  const env = { STRATA_DURABILITY: 's3' }; // a write is acknowledged once its log is in the bucket
  if (o.standby) env.STRATA_LEASE_WAIT_MS = '600000';
  let s3mock = null;
  if (o.storage === 's3') {
    s3mock = await startS3Mock(o.s3mockJar, root, 'takeover');
    Object.assign(env, {
      STRATA_STORAGE: 's3', STRATA_S3_BUCKET: 'takeover', STRATA_S3_ENDPOINT: s3mock.endpoint,
      STRATA_S3_PATH_STYLE: 'true', STRATA_S3_REGION: 'us-east-1', STRATA_S3_ACCESS_KEY_ID: 'bench',
      STRATA_S3_SECRET_ACCESS_KEY: 'bench',
    });
  } else {
    // Two node folders over one objects folder: local storage with conditional writes across both nodes.
    env.STRATA_STORAGE = 'local';
    mkdirSync(join(folders[0], 'objects'), { recursive: true });
    symlinkSync(join(folders[0], 'objects'), join(folders[1], 'objects'));
  }
  console.log(`bench-takeover: ${o.kills} kills, storage ${o.storage}, durability s3, ${o.writers} writers,`
    + ` ${o.standby ? 'replacement started before the kill (standby)' : 'replacement started after the kill'}; data in ${root}`);

  const acknowledged = new Set();
  let next = 0;
  let target = null; // { url } of the node writes go to
  let firstAccepted = null; // resolves at the first write the current target accepts
  let collection = null;
  let stop = false;
  const errors = new Map();

  async function writer() {
    while (!stop) {
      const t = target;
      const id = `w${next++}`;
      const sentAt = performance.now();
      try {
        const r = await post(t.url, `${API}/collections/${collection}/add`,
          { ids: [id], embeddings: [[Math.random(), Math.random(), Math.random(), Math.random()]] }, 30_000);
        if (r.status === 200 || r.status === 201) {
          acknowledged.add(id);
          if (t.onAccepted) t.onAccepted(performance.now(), sentAt);
        } else {
          const name = `HTTP ${r.status} ${r.body?.error ?? ''}`;
          errors.set(name, (errors.get(name) ?? 0) + 1);
          t.errors.set(name, (t.errors.get(name) ?? 0) + 1);
          await sleep(10);
        }
      } catch (e) {
        const name = e.cause?.code ?? e.name;
        errors.set(name, (errors.get(name) ?? 0) + 1);
        t.errors.set(name, (t.errors.get(name) ?? 0) + 1);
        await sleep(10); // connection refused while the replacement starts
      }
    }
  }

  function retarget(node) {
    let resolveFirst;
    firstAccepted = new Promise((r) => { resolveFirst = r; });
    const t = { url: node.url, errors: new Map(), firstSentAt: NaN };
    t.onAccepted = (at, sentAt) => {
      if (resolveFirst) { t.firstSentAt = sentAt; resolveFirst(at); resolveFirst = null; }
    };
    target = t;
    return t;
  }

  let current = await startNode(o, folders[0], env, join(o.out, 'node-0.log'));
  let currentLog = join(o.out, 'node-0.log');
  await waitFor('the first node', 120_000, async () => (await fetch(`${current.url}/api/v2/heartbeat`)).ok);
  const created = await post(current.url, `${API}/collections`, { name: 'takeover', get_or_create: true });
  if (created.status !== 200) throw new Error(`cannot create the collection: ${JSON.stringify(created)}`);
  collection = created.body.id;
  retarget(current);
  const writers = Array.from({ length: o.writers }, () => writer());

  const takeovers = [];
  const listeningMs = [];
  const loadBefore = loadavg()[0];
  for (let kill = 1; kill <= o.kills; kill++) {
    let standby = null;
    if (o.standby) {
      const log = join(o.out, `node-${kill}.log`);
      standby = await startNode(o, folders[kill % 2], env, log);
      await waitFor('the standby', 120_000, async () => {
        if (standby.proc.exitCode !== null) throw Object.assign(new Error(`the standby exited: see ${log}`), { fatal: true });
        return readFileSync(log, 'utf8').includes('standing by');
      });
      if (adaptiveHeartbeat({ ...process.env, ...env })) {
        // The writer renews fast (and declares the short stale interval) once it has seen the standby's beacon,
        // within one slow renew interval: a kill before that would measure the unwatched stale interval.
        await waitFor('the writer to see the standby', 60_000, async () => {
          const text = readFileSync(currentLog, 'utf8');
          return text.lastIndexOf('a standby watches writer lease') > text.lastIndexOf('no standby watches writer lease');
        });
      }
    }
    await firstAccepted;
    await sleep(o.warmupMs); // the writer is busy when it dies
    const killedAt = performance.now();
    current.proc.kill('SIGKILL');
    const replacement = standby ?? await startNode(o, folders[kill % 2], env, join(o.out, `node-${kill}.log`));
    const replacementTarget = retarget(replacement);
    // When the replacement answers its heartbeat: the JVM started, the lease was watched and taken, the node opened.
    const listening = waitFor('the replacement', 120_000,
      async () => (await fetch(`${replacement.url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) })).ok)
      .then(() => performance.now(), () => NaN);
    const acceptedAt = await Promise.race([firstAccepted,
      replacement.exited.then((x) => { throw new Error(`replacement exited (${JSON.stringify(x)}): see ${o.out}/node-${kill}.log`); }),
      sleep(120_000).then(() => { throw new Error('no write accepted within 120 s'); })]);
    await current.exited;
    const ms = acceptedAt - killedAt;
    const upMs = (await listening) - killedAt;
    takeovers.push(ms);
    listeningMs.push(upMs);
    console.log(`kill ${String(kill).padStart(2)}: replacement listening after ${upMs.toFixed(0)} ms, first write accepted`
      + ` ${ms.toFixed(0)} ms after SIGKILL (${acknowledged.size} writes acknowledged so far; load ${loadavg()[0].toFixed(1)})`);
    // Where the time between listening and the first accepted write went: when that write was sent, and what
    // the replacement answered before it.
    console.log(`         the first accepted write was sent ${(replacementTarget.firstSentAt - killedAt).toFixed(0)} ms after`
      + ` SIGKILL; refused or failed before it: ${JSON.stringify(Object.fromEntries(replacementTarget.errors))}`);
    current = replacement;
    currentLog = join(o.out, `node-${kill}.log`);
  }
  stop = true;
  await Promise.allSettled(writers);

  // Every acknowledged id must be on the last writer, which recovered from the bucket alone.
  const got = await post(current.url, `${API}/collections/${collection}/get`, { include: [] }, 120_000);
  if (got.status !== 200) throw new Error(`cannot read back: ${JSON.stringify(got).slice(0, 300)}`);
  const present = new Set(got.body.ids);
  const lost = [...acknowledged].filter((id) => !present.has(id));
  current.proc.kill('SIGTERM');
  await current.exited;
  if (s3mock) s3mock.proc.kill('SIGTERM');

  const summary = {
    date: new Date().toISOString(), storage: o.storage, durability: 's3', kills: o.kills, writers: o.writers,
    standby: o.standby,
    takeoverMs: { min: Math.min(...takeovers), median: median(takeovers), max: Math.max(...takeovers), all: takeovers.map((x) => Math.round(x)) },
    listeningMs: { min: Math.min(...listeningMs), median: median(listeningMs), max: Math.max(...listeningMs) },
    loadAverage1m: { before: loadBefore, after: loadavg()[0] },
    acknowledged: acknowledged.size, lost: lost.length, lostIds: lost.slice(0, 20), errorsWhileNoWriter: Object.fromEntries(errors),
  };
  const file = resolve(o.out, `takeover-${summary.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(summary, null, 2));
  console.log(`takeover after SIGKILL (kill -> first accepted write), ${o.kills} kills: min ${summary.takeoverMs.min.toFixed(0)} ms,`
    + ` median ${summary.takeoverMs.median.toFixed(0)} ms, max ${summary.takeoverMs.max.toFixed(0)} ms`);
  console.log(`kill -> replacement listening: min ${summary.listeningMs.min.toFixed(0)} ms, median`
    + ` ${summary.listeningMs.median.toFixed(0)} ms, max ${summary.listeningMs.max.toFixed(0)} ms; 1-min load average`
    + ` ${loadBefore.toFixed(1)} before, ${summary.loadAverage1m.after.toFixed(1)} after`);
  console.log(`acknowledged writes: ${acknowledged.size}, lost: ${lost.length}${lost.length ? ' ' + lost.slice(0, 10).join(',') : ''}`);
  console.log(`errors meanwhile (refused while no writer): ${JSON.stringify(summary.errorsWhileNoWriter)}`);
  console.log(`results: ${file}`);
  process.exit(lost.length === 0 ? 0 : 1);
}

main().catch((e) => { console.error(`bench-takeover: ${e.stack ?? e}`); process.exit(2); });

/** True unless the environment gives the standby heartbeat the same values as the unwatched one (then no beacon). */
function adaptiveHeartbeat(env) {
  const renew = Number(env.STRATA_LEASE_RENEW_MS ?? 10000), stale = Number(env.STRATA_LEASE_STALE_MS ?? 30000);
  const standbyRenew = Math.min(Number(env.STRATA_LEASE_STANDBY_RENEW_MS ?? 1000), renew);
  const standbyStale = Math.min(Number(env.STRATA_LEASE_STANDBY_STALE_MS ?? 3000), stale);
  return standbyRenew !== renew || standbyStale !== stale;
}
