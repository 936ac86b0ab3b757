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
 * Runs request(i) for i = 0..count-1 over `clients` workers (each worker takes the next index), stops issuing
 * new requests after `maxSeconds`. Returns the summary and each request's result by index.
 */
export async function runLoad({ count, clients, maxSeconds, request }) {
  const latencies = [], results = new Array(count);
  let next = 0;
  const t0 = performance.now(), deadline = t0 + maxSeconds * 1000;
  async function worker(w) {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      results[i] = await request(i, w);
      latencies.push(performance.now() - s);
    }
  }
  await Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
  return { ...summarize(latencies, performance.now() - t0), requested: count, results };
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
