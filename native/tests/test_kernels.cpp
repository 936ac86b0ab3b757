// strata_distances / strata_topk against a double-precision reference, for every metric, odd and
// SIMD-sized dimensions and both kernel tables; plus argument errors (which cross the library's
// exception boundary, so they also exercise the unwinder on this platform and glibc).
#include <algorithm>
#include <cstring>
#include <numeric>

#include "check.h"

namespace {

const int32_t kMetrics[] = {STRATA_SPACE_L2, STRATA_SPACE_IP, STRATA_SPACE_COSINE};
const int64_t kDims[] = {1, 3, 8, 15, 16, 33, 128, 384};

void distances_match_reference(int32_t dispatch) {
  for (int32_t metric : kMetrics) {
    for (int64_t dim : kDims) {
      const int64_t n = 37;
      auto q = check::random_vectors(1, dim, 1);
      auto v = check::random_vectors(n, dim, 2);
      std::vector<float> out(n);
      CHECK_OK(strata_distances(metric, q.data(), v.data(), n, dim, out.data()));
      for (int64_t i = 0; i < n; i++) {
        double expected = check::reference_distance(metric, q.data(), v.data() + i * dim, dim);
        CHECK_NEAR(out[i], expected, 1e-4 * (1 + std::fabs(expected)) * (dispatch == STRATA_DISPATCH_AVX2 ? 2 : 1));
      }
    }
  }
}

void topk_is_the_k_smallest_in_order() {
  for (int32_t metric : kMetrics) {
    const int64_t n = 500, dim = 24, k = 10;
    auto q = check::random_vectors(1, dim, 3);
    auto v = check::random_vectors(n, dim, 4);
    std::vector<float> all(n);
    CHECK_OK(strata_distances(metric, q.data(), v.data(), n, dim, all.data()));
    std::vector<int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return all[a] < all[b]; });
    std::vector<int64_t> idx(k);
    std::vector<float> dist(k);
    int64_t count = -1;
    CHECK_OK(strata_topk(metric, q.data(), v.data(), n, dim, k, idx.data(), dist.data(), &count));
    CHECK(count == k);
    for (int64_t i = 0; i < k; i++) {
      CHECK(idx[i] == order[i]);
      CHECK(dist[i] == all[order[i]]);
    }
  }
  // k > n: every row, count = n; equal rows keep their index order.
  const int64_t dim = 4;
  std::vector<float> q = {1, 0, 0, 0};
  std::vector<float> v = {0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0};
  std::vector<int64_t> idx(5, -7);
  std::vector<float> dist(5);
  int64_t count = -1;
  CHECK_OK(strata_topk(STRATA_SPACE_L2, q.data(), v.data(), 3, dim, 5, idx.data(), dist.data(), &count));
  CHECK(count == 3);
  CHECK(idx[0] == 2 && idx[1] == 0 && idx[2] == 1);
}

// The portable table gives the same distances as the AVX2 one (up to float summation order).
void scalar_and_avx2_agree() {
  int32_t initial = -1;
  CHECK_OK(strata_get_dispatch(&initial));
  if (strata_set_dispatch(STRATA_DISPATCH_AVX2) != STRATA_OK) {
    std::printf("test_kernels: no AVX2+FMA here (status %d: %s), portable kernels only\n",
                strata_set_dispatch(STRATA_DISPATCH_AVX2), strata_last_error());
    CHECK(initial == STRATA_DISPATCH_SCALAR);
    return;
  }
  for (int32_t metric : kMetrics) {
    for (int64_t dim : kDims) {
      const int64_t n = 64;
      auto q = check::random_vectors(1, dim, 5);
      auto v = check::random_vectors(n, dim, 6);
      std::vector<float> scalar(n), avx2(n);
      CHECK_OK(strata_set_dispatch(STRATA_DISPATCH_SCALAR));
      CHECK_OK(strata_distances(metric, q.data(), v.data(), n, dim, scalar.data()));
      CHECK_OK(strata_set_dispatch(STRATA_DISPATCH_AVX2));
      CHECK_OK(strata_distances(metric, q.data(), v.data(), n, dim, avx2.data()));
      for (int64_t i = 0; i < n; i++) CHECK_NEAR(scalar[i], avx2[i], 1e-4 * (1 + std::fabs(scalar[i])));
    }
  }
  CHECK_OK(strata_set_dispatch(initial));
}

void errors_are_statuses() {
  float q[4] = {0}, v[4] = {0}, out[1];
  CHECK_STATUS(strata_distances(7, q, v, 1, 4, out), STRATA_ERR_INVALID_ARGUMENT);
  CHECK(std::strstr(strata_last_error(), "unknown metric") != nullptr);
  CHECK_STATUS(strata_distances(STRATA_SPACE_L2, nullptr, v, 1, 4, out), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(strata_distances(STRATA_SPACE_L2, q, v, 1, 0, out), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(strata_set_dispatch(42), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(strata_get_dispatch(nullptr), STRATA_ERR_INVALID_ARGUMENT);
  CHECK(std::strlen(strata_version()) > 0);
}

}  // namespace

int main() {
  int32_t dispatch = -1;
  CHECK_OK(strata_get_dispatch(&dispatch));
  std::printf("test_kernels: libstrata %s, dispatch %s\n", strata_version(),
              dispatch == STRATA_DISPATCH_AVX2 ? "avx2" : "scalar");
  distances_match_reference(dispatch);
  topk_is_the_k_smallest_in_order();
  if (dispatch == STRATA_DISPATCH_AVX2) {
    CHECK_OK(strata_set_dispatch(STRATA_DISPATCH_SCALAR));
    distances_match_reference(STRATA_DISPATCH_SCALAR);
    topk_is_the_k_smallest_in_order();
    CHECK_OK(strata_set_dispatch(STRATA_DISPATCH_AVX2));
  }
  scalar_and_avx2_agree();
  errors_are_statuses();
  return check::finish("test_kernels");
}
