import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricSamples, metricValue, paced, parseOptions, seeded } from '../strata-client.mjs';

test('options parse by their spec over the defaults, and an unknown one is refused', () => {
  const spec = { '--records': ['records', Number], '--out': ['out', String] };
  assert.deepEqual(parseOptions(['--records', '300'], spec, { records: 10, out: 'x' }), { records: 300, out: 'x' });
  assert.throws(() => parseOptions(['--recrds', '3'], spec, {}), /unknown option --recrds/);
});

test('a scrape gives each sample of a metric by its labels, and one by name or by labels', () => {
  const text = [
    '# HELP strata_cache_hits_total hits',
    'strata_cache_hits_total{tier="memory"} 12.0',
    'strata_cache_hits_total{tier="disk"} 3.0',
    'strata_cache_hits_total_other 9',
    'strata_tail_records 0.0',
  ].join('\n');
  assert.deepEqual(metricSamples(text, 'strata_cache_hits_total'), { 'tier="memory"': 12, 'tier="disk"': 3 });
  assert.equal(metricValue(text, 'strata_cache_hits_total', 'tier="disk"'), 3);
  assert.equal(metricValue(text, 'strata_cache_hits_total{tier="memory"}'), 12);
  assert.equal(metricValue(text, 'strata_tail_records'), 0);
  assert.ok(Number.isNaN(metricValue(text, 'strata_missing')));
});

test('the seeded workload repeats itself', () => {
  const a = seeded(7);
  const b = seeded(7);
  assert.deepEqual(a.vector(4), b.vector(4));
  assert.notDeepEqual(seeded(8).vector(4), seeded(7).vector(4));
});

test('paced calls start spread over the span and failures go to the handler', async () => {
  const starts = [];
  const errors = [];
  const t0 = performance.now();
  await paced(5, 200, t0, async (i) => { starts.push(performance.now() - t0); if (i === 2) throw new Error('no'); },
    (e) => errors.push(e.message));
  assert.equal(starts.length, 5);
  assert.ok(starts[4] >= 170, `the last starts near the end of the span, not at ${starts[4]} ms`);
  assert.deepEqual(errors, ['no']);
});
