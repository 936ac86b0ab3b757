// Kernels of a clustered (IVF) index: k-means training, nearest-centroid assignment and 8-bit scalar
// quantization (SQ8) with a top-k scan in the code domain. All distance work goes through the active
// kernel table (AVX2+FMA or portable), so STRATA_DISPATCH / strata_set_dispatch apply here too.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kernels.h"
#include "status.h"
#include "top_k.h"

namespace strata {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

void check_matrix(const void* data, int64_t n, int64_t dim, const char* what) {
  if (dim <= 0) throw invalid("dimension must be positive, got " + std::to_string(dim));
  if (n < 0) throw invalid(std::string(what) + " count must not be negative, got " + std::to_string(n));
  if (data == nullptr && n > 0) throw invalid(std::string(what) + " is null");
}

// ---- threads ----

// Splits rows [0, n) over a few threads when the work (row count * cost per row) is worth a thread start.
template <typename Body>
void parallel_rows(int64_t n, double cost_per_row, Body&& body) {
  unsigned threads = 1;
  if (static_cast<double>(n) * cost_per_row > 4e6) {
    threads = std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<unsigned>(std::min<int64_t>(threads, std::max<int64_t>(1, n / 64)));
  }
  if (threads <= 1) {
    body(0, n);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> workers;
  workers.reserve(threads);
  int64_t step = (n + threads - 1) / threads;
  for (unsigned t = 0; t < threads; t++) {
    int64_t begin = std::min(n, t * step), end = std::min(n, begin + step);
    workers.emplace_back([&, t, begin, end] {
      try {
        body(begin, end);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// ---- nearest centroids ----

struct Scored {
  float score;
  int32_t id;
};

// Keeps the `size` best (lowest score) in ascending order. Candidates arrive in increasing id, so
// "strictly lower score" also breaks ties toward the lower id.
inline void offer(Scored* best, int size, float score, int32_t id) {
  if (!(score < best[size - 1].score)) return;
  int pos = size - 1;
  while (pos > 0 && score < best[pos - 1].score) {
    best[pos] = best[pos - 1];
    pos--;
  }
  best[pos] = Scored{score, id};
}

// Ranks centroids by a score that orders them like the distance but needs only a dot product per pair:
// l2 -> |c|^2 - 2 x.c (|x|^2 is common to every centroid), ip and cosine -> -x.c. Vectors are taken in
// blocks against blocks of centroids that stay in cache, four centroids per kernel call (the HNSW walk's
// dot4: each load of x serves four rows). The kept ones then get their exact distance and are re-sorted.
class NearestCentroids {
 public:
  NearestCentroids(bool l2, const float* centroids, int64_t k, size_t dim)
      : l2_(l2), centroids_(centroids), k_(k), dim_(dim), kernels_(active_kernels()) {
    if (l2_) {
      norms_.resize(static_cast<size_t>(k));
      for (int64_t c = 0; c < k; c++) norms_[c] = kernels_.dot(row(c), row(c), dim);
    }
    // A centroid block of about 128 KB (a multiple of four rows) stays in L2 while a vector block passes.
    int64_t rows = static_cast<int64_t>((128 * 1024) / (dim * sizeof(float)));
    block_ = std::max<int64_t>(4, rows / 4 * 4);
  }

  // For vectors [begin, end): the `keep` best centroids each, into best[(i - begin) * keep ...], with
  // exact distances (kInf / -1 past k).
  void run(const float* vectors, int64_t begin, int64_t end, int keep, Scored* best) const {
    constexpr int64_t kVectorBlock = 16;
    for (int64_t vb = begin; vb < end; vb += kVectorBlock) {
      int64_t ve = std::min(end, vb + kVectorBlock);
      for (int64_t i = vb; i < ve; i++) {
        std::fill(best + (i - begin) * keep, best + (i - begin + 1) * keep, Scored{kInf, -1});
      }
      for (int64_t cb = 0; cb < k_; cb += block_) {
        int64_t ce = std::min(k_, cb + block_);
        for (int64_t i = vb; i < ve; i++) scan(vectors + i * dim_, cb, ce, keep, best + (i - begin) * keep);
      }
      for (int64_t i = vb; i < ve; i++) exact(vectors + i * dim_, keep, best + (i - begin) * keep);
    }
  }

 private:
  const float* row(int64_t c) const { return centroids_ + c * static_cast<int64_t>(dim_); }

  float score(int64_t c, float dot) const { return l2_ ? norms_[c] - 2.0f * dot : -dot; }

  void scan(const float* x, int64_t cb, int64_t ce, int keep, Scored* best) const {
    int64_t c = cb;
    for (; c + 4 <= ce; c += 4) {
      const float* rows[4] = {row(c), row(c + 1), row(c + 2), row(c + 3)};
      float dots[4];
      kernels_.dot4(x, rows, dim_, dots);
      for (int r = 0; r < 4; r++) offer(best, keep, score(c + r, dots[r]), static_cast<int32_t>(c + r));
    }
    for (; c < ce; c++) offer(best, keep, score(c, kernels_.dot(x, row(c), dim_)), static_cast<int32_t>(c));
  }

  // Scores become distances: exact l2 recomputed (the expansion loses precision for large norms),
  // ip/cosine 1 - dot; then re-sorted by (distance, id).
  void exact(const float* x, int keep, Scored* best) const {
    for (int j = 0; j < keep && best[j].id >= 0; j++) {
      best[j].score = l2_ ? kernels_.l2sq(x, row(best[j].id), dim_) : 1.0f + best[j].score;
    }
    if (l2_) {
      std::sort(best, best + keep, [](const Scored& a, const Scored& b) {
        if (a.id < 0 || b.id < 0) return a.id >= 0 && b.id < 0;
        return a.score < b.score || (a.score == b.score && a.id < b.id);
      });
    }
  }

  bool l2_;
  const float* centroids_;
  int64_t k_;
  size_t dim_;
  const KernelTable& kernels_;
  std::vector<float> norms_;
  int64_t block_;
};

void assign(bool l2, const float* vectors, int64_t n, size_t dim, const float* centroids, int64_t k, int keep,
            Scored* out) {
  NearestCentroids nearest(l2, centroids, k, dim);
  parallel_rows(n, static_cast<double>(k) * static_cast<double>(dim),
                [&](int64_t begin, int64_t end) { nearest.run(vectors, begin, end, keep, out + begin * keep); });
}

// ---- k-means ----

// A uniform double in [0, 1) from the engine's raw bits (std::uniform_real_distribution differs between
// standard libraries; this does not, so a seed gives the same centroids everywhere).
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

void normalize(float* v, size_t dim) {
  double norm2 = 0;
  for (size_t j = 0; j < dim; j++) norm2 += static_cast<double>(v[j]) * v[j];
  if (norm2 > 0) {
    float inv = static_cast<float>(1.0 / std::sqrt(norm2));
    for (size_t j = 0; j < dim; j++) v[j] *= inv;
  }
}

// k-means++ over a seeded sample: D^2 sampling reads the whole sample once per centroid, so the sample is
// capped at 2^30 / (k * dim) vectors (at least k): seeding then costs about one Lloyd iteration.
void seed_plus_plus(const float* vectors, int64_t n, size_t dim, int64_t k, std::mt19937_64& rng, float* centroids) {
  const KernelTable& kernels = active_kernels();
  int64_t budget = static_cast<int64_t>((1LL << 30) / (static_cast<double>(k) * static_cast<double>(dim)));
  int64_t m = std::min(n, std::max(k, budget));
  std::vector<int64_t> sample(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) sample[i] = i;
  for (int64_t i = 0; i < m; i++) {  // partial Fisher-Yates: the first m are a uniform sample
    int64_t j = i + static_cast<int64_t>(uniform(rng) * static_cast<double>(n - i));
    std::swap(sample[i], sample[std::min(j, n - 1)]);
  }
  sample.resize(static_cast<size_t>(m));
  std::vector<double> nearest(static_cast<size_t>(m), std::numeric_limits<double>::infinity());
  std::vector<char> taken(static_cast<size_t>(m), 0);
  int64_t pick = static_cast<int64_t>(uniform(rng) * static_cast<double>(m));
  for (int64_t c = 0; c < k; c++) {
    pick = std::min(pick, m - 1);
    taken[pick] = 1;
    const float* chosen = vectors + sample[pick] * static_cast<int64_t>(dim);
    std::memcpy(centroids + c * static_cast<int64_t>(dim), chosen, dim * sizeof(float));
    if (c + 1 == k) break;
    double total = 0;
    for (int64_t i = 0; i < m; i++) {
      double d = taken[i] ? 0.0 : kernels.l2sq(vectors + sample[i] * static_cast<int64_t>(dim), chosen, dim);
      nearest[i] = std::min(nearest[i], d);
      total += nearest[i];
    }
    if (total > 0) {
      double target = uniform(rng) * total;
      pick = -1;
      for (int64_t i = 0; i < m; i++) {
        if (nearest[i] <= 0) continue;
        pick = i;
        target -= nearest[i];
        if (target < 0) break;
      }
    } else {  // every sampled vector coincides with a centroid: take an unused one at random
      int64_t free_count = 0;
      for (int64_t i = 0; i < m; i++) free_count += taken[i] ? 0 : 1;
      int64_t nth = static_cast<int64_t>(uniform(rng) * static_cast<double>(free_count));
      for (pick = 0; pick < m; pick++) {
        if (!taken[pick] && nth-- == 0) break;
      }
    }
  }
}

// Empty clusters take the vectors farthest from their centroids (one each, from clusters of 2+), which
// splits the worst-fitting clusters; deterministic (ties to the lower vector index).
void reseed_empty(const float* vectors, int64_t n, size_t dim, int64_t k, const std::vector<Scored>& nearest,
                  std::vector<int64_t>& counts, float* centroids) {
  std::vector<int64_t> empty;
  for (int64_t c = 0; c < k; c++) {
    if (counts[c] == 0) empty.push_back(c);
  }
  if (empty.empty()) return;
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return nearest[a].score > nearest[b].score || (nearest[a].score == nearest[b].score && a < b);
  });
  size_t next = 0;
  for (int64_t i : order) {
    if (next == empty.size()) break;
    int32_t from = nearest[i].id;
    if (from < 0 || counts[from] < 2) continue;
    counts[from]--;
    counts[empty[next]] = 1;
    std::memcpy(centroids + empty[next] * static_cast<int64_t>(dim), vectors + i * static_cast<int64_t>(dim),
                dim * sizeof(float));
    next++;
  }
}

void kmeans(int32_t metric, const float* vectors, int64_t n, size_t dim, int64_t k, int32_t iterations, int64_t seed,
            float* centroids, int32_t* out_assign) {
  const int64_t d = static_cast<int64_t>(dim);
  if (n <= k) {
    for (int64_t c = 0; c < k; c++) std::memcpy(centroids + c * d, vectors + (c % n) * d, dim * sizeof(float));
    if (out_assign != nullptr) {
      for (int64_t i = 0; i < n; i++) out_assign[i] = static_cast<int32_t>(i);
    }
    return;
  }
  std::mt19937_64 rng(static_cast<uint64_t>(seed));
  seed_plus_plus(vectors, n, dim, k, rng, centroids);
  bool spherical = metric == STRATA_SPACE_COSINE;
  if (spherical) {
    for (int64_t c = 0; c < k; c++) normalize(centroids + c * d, dim);
  }
  std::vector<Scored> nearest(static_cast<size_t>(n));
  std::vector<int32_t> previous(static_cast<size_t>(n), -1);
  std::vector<double> sums(static_cast<size_t>(k * d));
  std::vector<int64_t> counts(static_cast<size_t>(k));
  for (int32_t it = 0; it < iterations; it++) {
    assign(true, vectors, n, dim, centroids, k, 1, nearest.data());
    bool changed = false;
    for (int64_t i = 0; i < n; i++) {
      changed |= nearest[i].id != previous[i];
      previous[i] = nearest[i].id;
    }
    if (!changed) break;
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0);
    for (int64_t i = 0; i < n; i++) {
      int64_t c = nearest[i].id;
      counts[c]++;
      double* sum = sums.data() + c * d;
      const float* v = vectors + i * d;
      for (int64_t j = 0; j < d; j++) sum[j] += v[j];
    }
    for (int64_t c = 0; c < k; c++) {
      if (counts[c] == 0) continue;
      float* centroid = centroids + c * d;
      for (int64_t j = 0; j < d; j++) centroid[j] = static_cast<float>(sums[c * d + j] / static_cast<double>(counts[c]));
      if (spherical) normalize(centroid, dim);
    }
    reseed_empty(vectors, n, dim, k, nearest, counts, centroids);
  }
  if (out_assign != nullptr) {
    assign(true, vectors, n, dim, centroids, k, 1, nearest.data());
    for (int64_t i = 0; i < n; i++) out_assign[i] = nearest[i].id;
  }
}

// ---- SQ8 ----

void check_quantizer(const float* min, const float* scale, int64_t dim) {
  if (min == nullptr || scale == nullptr) throw invalid("min or scale is null");
  for (int64_t j = 0; j < dim; j++) {
    if (!std::isfinite(min[j]) || !std::isfinite(scale[j]) || scale[j] < 0) {
      throw invalid("dimension " + std::to_string(j) + " has min " + std::to_string(min[j]) + " and scale " +
                    std::to_string(scale[j]) + " (finite, scale >= 0 expected)");
    }
  }
}

// The arguments of both SQ8 encoders (plain and unit-length).
void check_encode(const float* vectors, int64_t n, int64_t dim, const float* min, const float* scale,
                  const uint8_t* out_codes) {
  check_matrix(vectors, n, dim, "vector");
  check_quantizer(min, scale, dim);
  if (out_codes == nullptr && n > 0) throw invalid("out_codes is null");
}

void sq8_train(const float* vectors, int64_t n, int64_t dim, float* out_min, float* out_scale) {
  std::vector<float> lo(vectors, vectors + dim), hi(vectors, vectors + dim);
  for (int64_t i = 0; i < n; i++) {
    const float* v = vectors + i * dim;
    for (int64_t j = 0; j < dim; j++) {
      if (!std::isfinite(v[j])) {
        throw invalid("vector " + std::to_string(i) + " has a non-finite value at dimension " + std::to_string(j));
      }
      lo[j] = std::min(lo[j], v[j]);
      hi[j] = std::max(hi[j], v[j]);
    }
  }
  for (int64_t j = 0; j < dim; j++) {
    out_min[j] = lo[j];
    float scale = static_cast<float>((static_cast<double>(hi[j]) - lo[j]) / 255.0);
    out_scale[j] = std::isfinite(scale) ? scale : std::numeric_limits<float>::max() / 255.0f;
  }
}

void sq8_encode(const float* vectors, int64_t n, int64_t dim, const float* min, const float* scale, uint8_t* codes) {
  std::vector<float> inverse(static_cast<size_t>(dim));
  for (int64_t j = 0; j < dim; j++) inverse[j] = scale[j] > 0 ? 1.0f / scale[j] : 0.0f;
  for (int64_t i = 0; i < n; i++) {
    const float* v = vectors + i * dim;
    uint8_t* code = codes + i * dim;
    for (int64_t j = 0; j < dim; j++) {
      float x = (v[j] - min[j]) * inverse[j];
      // NaN and below-range values fall to 0, above-range to 255.
      code[j] = !(x > 0.0f) ? 0 : x >= 255.0f ? 255 : static_cast<uint8_t>(std::lrint(x));
    }
  }
}

// Not inlined into its callers: a unit row is rounded to float in memory before it is encoded, as the Java
// writer's are (a contraction of x * factor - min into one fused multiply-add would change codes).
__attribute__((noinline)) void sq8_encode_rows(const float* rows, int64_t n, int64_t dim, const float* min,
                                               const float* scale, uint8_t* codes) {
  sq8_encode(rows, n, dim, min, scale, codes);
}

void sq8_encode_unit(const float* vectors, int64_t n, int64_t dim, const float* min, const float* scale,
                     uint8_t* codes) {
  constexpr int64_t kChunk = 64;
  std::vector<float> unit(static_cast<size_t>(std::min(n, kChunk) * dim));
  for (int64_t from = 0; from < n; from += kChunk) {
    int64_t rows = std::min(kChunk, n - from);
    for (int64_t r = 0; r < rows; r++) {
      const float* v = vectors + (from + r) * dim;
      double norm = 0;  // in row order, as Java sums: the product of two floats is exact in a double
      for (int64_t j = 0; j < dim; j++) norm += static_cast<double>(v[j]) * static_cast<double>(v[j]);
      float factor = norm == 0 ? 1.0f : static_cast<float>(1.0 / std::sqrt(norm));
      float* u = unit.data() + r * dim;
      for (int64_t j = 0; j < dim; j++) u[j] = v[j] * factor;
    }
    sq8_encode_rows(unit.data(), rows, dim, min, scale, codes + from * dim);
  }
}

void sq8_topk(int32_t metric, const float* query, int64_t dim, const float* min, const float* scale,
              const uint8_t* codes, int64_t n, const uint64_t* allow, int64_t k, int64_t* out_index, float* out_dist,
              int64_t* out_found) {
  const KernelTable& kernels = active_kernels();
  const size_t d = static_cast<size_t>(dim);
  bool l2 = metric == STRATA_SPACE_L2;
  // l2: |q - (min + s*c)|^2 = sum((a - s*c)^2) with a = q - min.
  // ip / cosine: 1 - q.(min + s*c) = 1 - (q.min + sum(w*c)) with w = q * s.
  std::vector<float> a(d), w(d);
  double offset = 0;
  for (size_t j = 0; j < d; j++) {
    a[j] = query[j] - min[j];
    w[j] = query[j] * scale[j];
    offset += static_cast<double>(query[j]) * min[j];
  }
  const float bias = 1.0f - static_cast<float>(offset);
  TopK best(k);  // rows arrive in order: an equal distance loses the tie
  auto visit = [&](int64_t i) {
    const uint8_t* code = codes + i * dim;
    best.offer(l2 ? kernels.sq8_l2(a.data(), scale, code, d) : bias - kernels.sq8_dot(w.data(), code, d), i);
  };
  int64_t words = (n + 63) / 64;
  for (int64_t wi = 0; wi < words; wi++) {
    uint64_t bits = allow != nullptr ? allow[wi] : ~uint64_t{0};
    int64_t base = wi * 64;
    if (n - base < 64) bits &= (uint64_t{1} << (n - base)) - 1;
    while (bits != 0) {
      visit(base + __builtin_ctzll(bits));
      bits &= bits - 1;
    }
  }
  int64_t found = best.drain(out_dist, out_index);
  for (int64_t i = found; i < k; i++) {
    out_index[i] = -1;
    out_dist[i] = kInf;
  }
  *out_found = found;
}

}  // namespace
}  // namespace strata

using namespace strata;

extern "C" {

STRATA_API int32_t strata_kmeans(int32_t metric, const float* vectors, int64_t n, int64_t dim, int64_t k,
                                 int32_t iterations, int64_t seed, float* out_centroids, int32_t* out_assign) {
  return guarded(__func__, [&] {
    check_metric(metric);
    check_matrix(vectors, n, dim, "vector");
    if (n == 0) throw invalid("k-means needs at least one vector");
    if (k <= 0 || k > std::numeric_limits<int32_t>::max()) throw invalid("k must be in 1..2^31-1, got " + std::to_string(k));
    if (n > std::numeric_limits<int32_t>::max() && n > k) throw invalid("at most 2^31-1 training vectors");
    if (iterations < 0) throw invalid("iterations must not be negative, got " + std::to_string(iterations));
    if (out_centroids == nullptr) throw invalid("out_centroids is null");
    for (int64_t i = 0; i < n * dim; i++) {
      if (!std::isfinite(vectors[i])) throw invalid("vector " + std::to_string(i / dim) + " has a non-finite value");
    }
    kmeans(metric, vectors, n, static_cast<size_t>(dim), k, iterations, seed, out_centroids, out_assign);
  });
}

STRATA_API int32_t strata_assign(int32_t metric, const float* vectors, int64_t n, int64_t dim,
                                 const float* centroids, int64_t k, int32_t nearest, int32_t* out_ids,
                                 float* out_dists) {
  return guarded(__func__, [&] {
    check_metric(metric);
    check_matrix(vectors, n, dim, "vector");
    if (k <= 0 || k > std::numeric_limits<int32_t>::max()) throw invalid("k must be in 1..2^31-1, got " + std::to_string(k));
    if (centroids == nullptr) throw invalid("centroids is null");
    if (nearest <= 0) throw invalid("nearest must be positive, got " + std::to_string(nearest));
    if (n > 0 && (out_ids == nullptr || out_dists == nullptr)) throw invalid("an output is null");
    int keep = static_cast<int>(std::min<int64_t>(nearest, k));
    std::vector<Scored> best(static_cast<size_t>(n * keep));
    assign(metric == STRATA_SPACE_L2, vectors, n, static_cast<size_t>(dim), centroids, k, keep, best.data());
    for (int64_t i = 0; i < n; i++) {
      for (int32_t j = 0; j < nearest; j++) {
        bool real = j < keep;
        out_ids[i * nearest + j] = real ? best[i * keep + j].id : -1;
        out_dists[i * nearest + j] = real ? best[i * keep + j].score : kInf;
      }
    }
  });
}

STRATA_API int32_t strata_sq8_train(const float* vectors, int64_t n, int64_t dim, float* out_min, float* out_scale) {
  return guarded(__func__, [&] {
    check_matrix(vectors, n, dim, "vector");
    if (n == 0) throw invalid("training needs at least one vector");
    if (out_min == nullptr || out_scale == nullptr) throw invalid("an output is null");
    sq8_train(vectors, n, dim, out_min, out_scale);
  });
}

STRATA_API int32_t strata_sq8_encode(const float* vectors, int64_t n, int64_t dim, const float* min,
                                     const float* scale, uint8_t* out_codes) {
  return guarded(__func__, [&] {
    check_encode(vectors, n, dim, min, scale, out_codes);
    sq8_encode(vectors, n, dim, min, scale, out_codes);
  });
}

STRATA_API int32_t strata_sq8_encode_unit(const float* vectors, int64_t n, int64_t dim, const float* min,
                                          const float* scale, uint8_t* out_codes) {
  return guarded(__func__, [&] {
    check_encode(vectors, n, dim, min, scale, out_codes);
    sq8_encode_unit(vectors, n, dim, min, scale, out_codes);
  });
}

STRATA_API int32_t strata_sq8_topk(int32_t metric, const float* query, int64_t dim, const float* min,
                                   const float* scale, const uint8_t* codes, int64_t n,
                                   const uint64_t* allow_bits, int64_t k, int64_t* out_index, float* out_dist,
                                   int64_t* out_found) {
  return guarded(__func__, [&] {
    check_metric(metric);
    check_matrix(codes, n, dim, "code row");
    if (query == nullptr) throw invalid("query is null");
    check_quantizer(min, scale, dim);
    if (k <= 0) throw invalid("k must be positive, got " + std::to_string(k));
    if (out_index == nullptr || out_dist == nullptr || out_found == nullptr) throw invalid("an output is null");
    sq8_topk(metric, query, dim, min, scale, codes, n, allow_bits, k, out_index, out_dist, out_found);
  });
}

}  // extern "C"
