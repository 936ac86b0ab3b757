// The IVF kernels through the C ABI: k-means finds well-separated clusters and is reproducible for a
// seed, strata_assign gives the nearest centroids in order, SQ8 codes decode within scale/2 and the
// SQ8 top-k over R = 4k candidates holds the exact top-k.
#include <algorithm>
#include <cstring>
#include <set>

#include "check.h"

namespace {

// n points around `clusters` centres far apart on separate axes.
std::vector<float> clustered(int64_t n, int64_t dim, int64_t clusters, uint32_t seed) {
  auto noise = check::random_vectors(n, dim, seed);
  for (int64_t i = 0; i < n; i++) {
    for (int64_t d = 0; d < dim; d++) noise[i * dim + d] *= 0.05f;
    noise[i * dim + (i % clusters)] += 10.0f;
  }
  return noise;
}

void kmeans_finds_the_clusters() {
  const int64_t n = 600, dim = 8, k = 4;
  auto v = clustered(n, dim, k, 21);
  std::vector<float> centroids(k * dim), again(k * dim);
  std::vector<int32_t> assign(n), assign_again(n);
  CHECK_OK(strata_kmeans(STRATA_SPACE_L2, v.data(), n, dim, k, 20, 7, centroids.data(), assign.data()));
  CHECK_OK(strata_kmeans(STRATA_SPACE_L2, v.data(), n, dim, k, 20, 7, again.data(), assign_again.data()));
  CHECK(centroids == again);
  CHECK(assign == assign_again);
  // Rows of one true cluster share one k-means cluster, and the k clusters are distinct.
  std::set<int32_t> used;
  for (int64_t c = 0; c < k; c++) {
    for (int64_t i = c; i < n; i += k) CHECK(assign[i] == assign[c]);
    used.insert(assign[c]);
  }
  CHECK(int64_t(used.size()) == k);

  // strata_assign: the two nearest centroids per row, nearest first; the first is the k-means cluster.
  std::vector<int32_t> ids(n * 2);
  std::vector<float> dists(n * 2);
  CHECK_OK(strata_assign(STRATA_SPACE_L2, v.data(), n, dim, centroids.data(), k, 2, ids.data(), dists.data()));
  for (int64_t i = 0; i < n; i++) {
    CHECK(ids[i * 2] == assign[i]);
    CHECK(dists[i * 2] <= dists[i * 2 + 1]);
    double exact = check::reference_distance(STRATA_SPACE_L2, v.data() + i * dim, centroids.data() + ids[i * 2] * dim, dim);
    CHECK_NEAR(dists[i * 2], exact, 1e-3 * (1 + exact));
  }
  float nan_row[8] = {NAN};
  CHECK_STATUS(strata_kmeans(STRATA_SPACE_L2, nan_row, 1, dim, 1, 5, 1, centroids.data(), assign.data()),
               STRATA_ERR_INVALID_ARGUMENT);
}

void sq8_round_trip_and_topk(int32_t metric) {
  const int64_t n = 2000, dim = 32, k = 10, r = 4 * k;
  auto v = check::random_vectors(n, dim, 31);
  auto q = check::random_vectors(1, dim, 32);
  if (metric == STRATA_SPACE_COSINE) {  // cosine takes unit vectors
    for (int64_t i = 0; i <= n; i++) {
      float* row = i < n ? v.data() + i * dim : q.data();
      double norm = 0;
      for (int64_t d = 0; d < dim; d++) norm += double(row[d]) * row[d];
      for (int64_t d = 0; d < dim; d++) row[d] = float(row[d] / std::sqrt(norm));
    }
  }
  std::vector<float> min(dim), scale(dim);
  std::vector<uint8_t> codes(n * dim);
  CHECK_OK(strata_sq8_train(v.data(), n, dim, min.data(), scale.data()));
  CHECK_OK(strata_sq8_encode(v.data(), n, dim, min.data(), scale.data(), codes.data()));
  for (int64_t i = 0; i < n * dim; i++) {
    int64_t d = i % dim;
    CHECK_NEAR(min[d] + scale[d] * codes[i], v[i], scale[d] / 2 + 1e-6);
  }
  // Every row allowed but row 0 (whatever its score).
  std::vector<uint64_t> allow((n + 63) / 64, ~uint64_t(0));
  allow[0] &= ~uint64_t(1);
  std::vector<int64_t> idx(r);
  std::vector<float> dist(r);
  int64_t found = 0;
  CHECK_OK(strata_sq8_topk(metric, q.data(), dim, min.data(), scale.data(), codes.data(), n, allow.data(), r,
                           idx.data(), dist.data(), &found));
  CHECK(found == r);
  std::set<int64_t> candidates(idx.begin(), idx.end());
  CHECK(candidates.count(0) == 0);
  std::vector<int64_t> exact(k + 1);
  std::vector<float> exact_dist(k + 1);
  int64_t count = 0;
  CHECK_OK(strata_topk(metric, q.data(), v.data(), n, dim, k + 1, exact.data(), exact_dist.data(), &count));
  int hits = 0, wanted = 0;
  for (int64_t row : exact) {
    if (row == 0 || wanted == k) continue;
    wanted++;
    hits += candidates.count(row);
  }
  CHECK(hits >= k - 1);  // the documented recall is >= 0.99 over many queries; one query may miss one
}

// The unit encode equals encoding rows normalized as the Java writer normalizes them (float factor from a double
// squared norm in row order), including a zero row and more rows than one internal chunk.
void sq8_unit_encode_equals_normalize_then_encode() {
  const int64_t n = 150, dim = 19;
  auto v = check::random_vectors(n, dim, 41);
  for (int64_t d = 0; d < dim; d++) v[7 * dim + d] = 0.0f;
  std::vector<float> u(v.size());
  for (int64_t i = 0; i < n; i++) {
    double norm = 0;
    for (int64_t d = 0; d < dim; d++) norm += double(v[i * dim + d]) * double(v[i * dim + d]);
    float factor = norm == 0 ? 1.0f : float(1.0 / std::sqrt(norm));
    for (int64_t d = 0; d < dim; d++) u[i * dim + d] = v[i * dim + d] * factor;
  }
  std::vector<float> min(dim), scale(dim);
  CHECK_OK(strata_sq8_train(u.data(), n, dim, min.data(), scale.data()));
  std::vector<uint8_t> expected(n * dim), actual(n * dim);
  CHECK_OK(strata_sq8_encode(u.data(), n, dim, min.data(), scale.data(), expected.data()));
  CHECK_OK(strata_sq8_encode_unit(v.data(), n, dim, min.data(), scale.data(), actual.data()));
  CHECK(expected == actual);
  CHECK(strata_sq8_encode_unit(v.data(), n, dim, min.data(), scale.data(), nullptr) != STRATA_OK);
}

}  // namespace

int main() {
  sq8_unit_encode_equals_normalize_then_encode();
  kmeans_finds_the_clusters();
  for (int32_t metric : {STRATA_SPACE_L2, STRATA_SPACE_IP, STRATA_SPACE_COSINE}) sq8_round_trip_and_topk(metric);
  return check::finish("test_ivf");
}
