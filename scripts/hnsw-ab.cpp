// A/B of libstrata builds in one process: each build is dlopened side by side (RTLD_LOCAL; every
// build keeps its own index registry), loads the same saved index, and timed 2-second loops of
// single-query k=10 searches alternate between the builds round by round, so a shared, noisy
// machine disturbs all of them alike. Prints recall@10, whether the builds return identical
// labels, q/s per round and the median per build. Variant selection only: the reported figures come
// from AnnComparisonBenchmark (docs/ann-bench.md). Data: unit vectors around 1,000 gaussian
// centres, spread 0.4, 200 queries (AnnDataset's recipe, not its random stream). Run via scripts/hnsw-ab.
#include <dlfcn.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include <unistd.h>
#include "strata.h"
struct Lib {
  decltype(&strata_hnsw_create) create; decltype(&strata_hnsw_add) add; decltype(&strata_hnsw_save) save;
  decltype(&strata_hnsw_load) load; decltype(&strata_hnsw_set_ef) set_ef; decltype(&strata_hnsw_search) search;
  decltype(&strata_topk) topk; decltype(&strata_last_error) err;
  Lib(const char* path) {
    void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); exit(1); }
#define S(n, f) n = (decltype(n))dlsym(h, #f)
    S(create, strata_hnsw_create); S(add, strata_hnsw_add); S(save, strata_hnsw_save); S(load, strata_hnsw_load);
    S(set_ef, strata_hnsw_set_ef); S(search, strata_hnsw_search); S(topk, strata_topk); S(err, strata_last_error);
  }
};
int main(int argc, char** argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: hnsw-ab <n> <index-file (built by the first library if absent)> <ef> <rounds> <libstrata.so>...\n");
    return 2;
  }
  int n = atoi(argv[1]); const char* file = argv[2]; int ef = atoi(argv[3]); int rounds = atoi(argv[4]);
  std::vector<Lib*> libs; for (int i = 5; i < argc; i++) libs.push_back(new Lib(argv[i]));
  Lib& A = *libs[0];
  const int dim = 384, nq = 200, k = 10;
  std::mt19937_64 rng(7); std::normal_distribution<float> g;
  std::vector<float> centres(1000 * dim); for (auto& c : centres) c = g(rng);
  auto gen = [&](float* out) { size_t c = rng() % 1000; float s = 0;
    for (int j = 0; j < dim; j++) { out[j] = centres[c * dim + j] + 0.4f * g(rng); s += out[j] * out[j]; }
    s = std::sqrt(s); for (int j = 0; j < dim; j++) out[j] /= s; };
  std::vector<float> data((size_t)n * dim), qs(nq * dim);
  for (int i = 0; i < n; i++) gen(&data[(size_t)i * dim]);
  for (int i = 0; i < nq; i++) gen(&qs[i * dim]);
  if (access(file, F_OK) != 0) {
    strata_hnsw* h; A.create(STRATA_SPACE_IP, dim, 16, 100, n, 100, &h);
    std::vector<int64_t> labels(n); for (int i = 0; i < n; i++) labels[i] = i;
    if (A.add(h, labels.data(), data.data(), n, dim)) { fprintf(stderr, "%s\n", A.err()); return 1; }
    A.save(h, file);
  }
  std::vector<int64_t> truth(nq * k); { std::vector<float> d(k); int64_t c;
    for (int i = 0; i < nq; i++) A.topk(STRATA_SPACE_IP, &qs[i * dim], data.data(), n, dim, k, &truth[i * k], d.data(), &c); }
  int L = libs.size(); std::vector<strata_hnsw*> hs(L);
  for (int i = 0; i < L; i++) { if (libs[i]->load(file, STRATA_SPACE_IP, dim, 0, &hs[i])) { fprintf(stderr, "load\n"); return 1; } libs[i]->set_ef(hs[i], ef); }
  std::vector<int64_t> l0(nq * k), l(nq * k); std::vector<float> d(nq * k);
  auto recall = [&](std::vector<int64_t>& l) { int hit = 0;
    for (int i = 0; i < nq; i++) for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) hit += l[i * k + a] == truth[i * k + b];
    return hit / double(nq * k); };
  for (int i = 0; i < L; i++) {
    libs[i]->search(hs[i], qs.data(), nq, dim, k, 0, nullptr, 0, (i ? l : l0).data(), d.data(), nullptr);
    int same = 0; for (int j = 0; j < nq * k; j++) same += l0[j] == (i ? l : l0)[j];
    printf("lib %d %s recall %.4f identical to lib 0: %d/%d\n", i, argv[5 + i], recall(i ? l : l0), same, nq * k);
  }
  auto run = [&](Lib& Lb, strata_hnsw* h) {
    auto t0 = std::chrono::steady_clock::now(); int reps = 0;
    do { for (int i = 0; i < nq; i++) Lb.search(h, &qs[i * dim], 1, dim, k, 0, nullptr, 0, &l[i * k], &d[i * k], nullptr); reps++; }
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    return reps * nq / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  std::vector<std::vector<double>> all(L);
  for (int r = 0; r < rounds; r++) {
    printf("round %d", r);
    for (int i = 0; i < L; i++) { double q = run(*libs[i], hs[i]); all[i].push_back(q); printf("  %d: %7.0f", i, q); }
    printf("\n"); fflush(stdout);
  }
  for (int i = 0; i < L; i++) { std::sort(all[i].begin(), all[i].end()); printf("lib %d median %.0f max %.0f  (median/lib0 %.3f)\n", i, all[i][rounds / 2], all[i].back(), all[i][rounds / 2] / all[0][rounds / 2]); }
}
