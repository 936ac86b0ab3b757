// Latency and throughput of a stream of requests issued by `clients` concurrent workers.

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function summarize(latenciesMs, wallMs) {
  const s = Float64Array.from(latenciesMs).sort();
  return {
    count: s.length,
    p50Ms: percentile(s, 50), p95Ms: percentile(s, 95), p99Ms: percentile(s, 99),
    meanMs: s.length ? s.reduce((a, b) => a + b, 0) / s.length : null,
    qps: wallMs > 0 ? (s.length * 1000) / wallMs : null,
  };
}

/**
 * Runs request(i) for i = 0..count-1 over `clients` workers (each worker takes the next index), then more
 * (request(i % count)) until `minSeconds` have passed; stops issuing new requests after `maxSeconds`. Returns the
 * summary, the requests completed in each second, and the first `count` results by index.
 */
export async function runLoad({ count, minSeconds = 0, clients, maxSeconds, request }) {
  const latencies = [], doneAtMs = [], results = new Array(count);
  let next = 0;
  const t0 = performance.now(), deadline = t0 + maxSeconds * 1000, minimum = t0 + minSeconds * 1000;
  async function worker(w) {
    // past `count`, requests go on (indices wrap over request(i % count)) until minSeconds have passed
    while ((next < count || performance.now() < minimum) && performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      const r = await request(i % count, w);
      if (i < count) results[i] = r;
      const e = performance.now();
      latencies.push(e - s);
      doneAtMs.push(e - t0);
    }
  }
  await Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
  return { ...summarize(latencies, performance.now() - t0), perSecond: perSecond(doneAtMs), requested: count, results };
}

/**
 * Requests completed in each whole second of a load, from its start (at most the first `seconds`): what a user
 * meets second by second, where a mean over the load would hide a slow first second. A last, partial second is
 * left out.
 */
export function perSecond(doneAtMs, seconds = 10) {
  if (doneAtMs.length === 0) return [];
  const whole = Math.min(seconds, Math.floor(Math.max(...doneAtMs) / 1000));
  const counts = new Array(whole).fill(0);
  for (const t of doneAtMs) {
    const s = Math.floor(t / 1000);
    if (s < whole) counts[s]++;
  }
  return counts;
}

/** Mean recall@k of returned id lists against exact neighbour rows. */
export function recallAtK(returnedIds, exactRows, idOf, k) {
  let hit = 0, n = 0;
  for (let q = 0; q < exactRows.length; q++) {
    const got = returnedIds[q];
    if (!got) continue;
    const truth = new Set(exactRows[q].slice(0, k).map(idOf));
    for (const id of got.slice(0, k)) if (truth.has(id)) hit++;
    n += Math.min(k, truth.size);
  }
  return n ? hit / n : null;
}
