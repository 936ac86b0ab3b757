// Helpers of the benchmarks that start their own processes (takeover.mjs, cost.mjs): every child is tracked and
// killed if the benchmark ends early, readiness is polled, and S3Mock is started with one bucket.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from './server.mjs';

export { freePort };

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every process the benchmark started, killed if it ends early.
export const children = new Set();
process.on('exit', () => children.forEach((p) => { if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL'); }));

/** Polls `probe` until it answers true; a throw is "not up yet" unless the error is marked `fatal`. */
export async function waitFor(what, timeoutMs, probe) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (e) {
      if (e.fatal) throw e; // otherwise: not up yet
    }
    await sleep(50);
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms`);
}

/** S3Mock from its jar, its data and log under `root`, with the bucket `bucket` created. */
export async function startS3Mock(jar, root, bucket) {
  const port = await freePort();
  const log = openSync(join(root, 's3mock.log'), 'a');
  const proc = spawn('java', ['-Xmx512m', '-jar', jar, `--http.port=${port}`, '--server.port=0',
    '--server.address=127.0.0.1', `--com.adobe.testing.s3mock.store.root=${join(root, 's3mock')}`,
    '--logging.level.root=WARN'], { stdio: ['ignore', log, log] });
  children.add(proc);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor('S3Mock', 120_000, async () => (await fetch(`${endpoint}/`)).status === 200);
  const put = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
  if (put.status !== 200) throw new Error(`cannot create the bucket: HTTP ${put.status}`);
  return { proc, endpoint };
}
