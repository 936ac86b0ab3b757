// The deterministic workload: every vector, document, metadata value and query derives from one seed, so two
// servers (or two runs) see byte-identical requests and their figures can be compared.

export const DIM = 384;
export const CLUSTERS = 100;
export const CATEGORIES = Array.from({ length: 10 }, (_, i) => `cat-${i}`);
export const YEAR_MIN = 1990;
export const YEAR_MAX = 2024;
// Per-coordinate spread around a unit-norm centre: noise of norm ~0.8 keeps clusters distinct but overlapping,
// so the nearest neighbours of a query are not all trivially inside one tight ball.
const CLUSTER_SIGMA = 0.04;

const VOCABULARY = (
  "amber anchor apple arch arrow atlas autumn badge basin beacon berry birch blade bloom bolt breeze brick bridge " +
  "brook cabin candle canyon carbon cedar chalk cherry cinder cipher citadel clover cobalt comet copper coral crane " +
  "crater crystal delta desert dune eagle ember engine falcon fern fiber flint forest fossil fountain frost garnet " +
  "glacier granite harbor hazel helix heron horizon iris island ivory jade jasper kernel lagoon lantern lattice " +
  "ledger lemon lily linen lotus magnet maple marble meadow meteor mirror monsoon mosaic nebula needle nickel " +
  "oasis obsidian ocean olive onyx orbit orchid pebble pepper pillar pine planet plume prism quartz quill radar " +
  "raven reef ridge river rocket saffron sapphire signal silver sketch slate spark spiral spruce stone summit " +
  "tango thistle thunder timber topaz torch tundra valley velvet violet vortex walnut willow winter zenith"
).split(" ");

/** xoshiro128** seeded through splitmix32: fast, well distributed, and identical in every Node version. */
export class Rng {
  constructor(seed) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
    this.spare = null;
  }
  nextU32() {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d, 11);
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    return result;
  }
  /** Uniform in [0, 1). */
  next() { return this.nextU32() / 4294967296; }
  int(lo, hi) { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  /** Standard normal (Box–Muller, the second value kept for the next call). */
  gaussian() {
    if (this.spare !== null) { const v = this.spare; this.spare = null; return v; }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u)), th = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }
}
function rotl(x, k) { return ((x << k) | (x >>> (32 - k))) >>> 0; }

function normalizeInPlace(v, off, dim) {
  let s = 0;
  for (let j = 0; j < dim; j++) s += v[off + j] * v[off + j];
  const inv = 1 / Math.sqrt(s);
  for (let j = 0; j < dim; j++) v[off + j] *= inv;
}

function clusterCentres(rng) {
  const c = new Float32Array(CLUSTERS * DIM);
  for (let i = 0; i < c.length; i++) c[i] = rng.gaussian();
  for (let k = 0; k < CLUSTERS; k++) normalizeInPlace(c, k * DIM, DIM);
  return c;
}

/** n unit vectors drawn from the Gaussian mixture, packed row-major. */
function mixtureVectors(rng, centres, n) {
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng.next() * CLUSTERS), off = i * DIM;
    for (let j = 0; j < DIM; j++) out[off + j] = centres[k * DIM + j] + CLUSTER_SIGMA * rng.gaussian();
    normalizeInPlace(out, off, DIM);
  }
  return out;
}

export function recordId(i) { return `id-${String(i).padStart(7, "0")}`; }

/** The records: vectors plus columnar metadata and documents (columns keep 1M records affordable). */
export function makeDataset(size, seed) {
  const centres = clusterCentres(new Rng(seed));
  const vectors = mixtureVectors(new Rng(seed + 1), centres, size);
  const rng = new Rng(seed + 2);
  const category = new Uint8Array(size), year = new Uint16Array(size), score = new Float64Array(size);
  const documents = new Array(size);
  for (let i = 0; i < size; i++) {
    category[i] = rng.int(0, CATEGORIES.length - 1);
    year[i] = rng.int(YEAR_MIN, YEAR_MAX);
    score[i] = Math.round(rng.next() * 1e6) / 1e6;
    const words = rng.int(18, 22), doc = new Array(words);
    for (let w = 0; w < words; w++) doc[w] = VOCABULARY[rng.int(0, VOCABULARY.length - 1)];
    documents[i] = doc.join(" ");
  }
  return { size, seed, centres, vectors, category, year, score, documents };
}

export function vectorOf(ds, i) { return Array.from(ds.vectors.subarray(i * DIM, (i + 1) * DIM)); }

export function metadataOf(ds, i) {
  return { category: CATEGORIES[ds.category[i]], year: ds.year[i], score: ds.score[i] };
}

/** Query vectors from the same mixture but a different stream, so none is a stored vector. */
export function makeQueries(ds, count) {
  return mixtureVectors(new Rng(ds.seed + 3), ds.centres, count);
}

/** The two filtered workloads. A: category equality (~10 %). B: a 25-year range and two categories (~14 %). */
export function filterA(i) {
  const c = i % CATEGORIES.length;
  return { where: { category: CATEGORIES[c] }, test: (ds, r) => ds.category[r] === c };
}

export function filterB(i) {
  const c1 = i % CATEGORIES.length, c2 = (i + 3) % CATEGORIES.length;
  const from = YEAR_MIN + (i % 11), to = from + 24;
  return {
    where: { $and: [{ year: { $gte: from } }, { year: { $lte: to } },
                    { category: { $in: [CATEGORIES[c1], CATEGORIES[c2]] } }] },
    test: (ds, r) => ds.year[r] >= from && ds.year[r] <= to && (ds.category[r] === c1 || ds.category[r] === c2),
  };
}

/** Fraction of records a filter matches, for the report (checks the ~10 % / ~14 % claims on the real data). */
export function selectivity(ds, filter) {
  let n = 0;
  for (let r = 0; r < ds.size; r++) if (filter.test(ds, r)) n++;
  return n / ds.size;
}
