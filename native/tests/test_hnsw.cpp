// The HNSW index through the C ABI: build (a batch large enough to insert on several threads),
// search against exact top-k, allow-lists of both kinds, deletes, save/load (file and memory) with
// the same results, and the errors a damaged file or a wrong call gives.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <unistd.h>

#include "check.h"

namespace {

const int64_t kDim = 16, kN = 3000, kK = 10, kQueries = 20;

struct Index {
  strata_hnsw* handle = nullptr;
  ~Index() {
    if (handle != nullptr) strata_hnsw_free(handle);
  }
};

std::vector<int64_t> labels_of(int64_t n) {
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; i++) labels[i] = 1000 + i;  // labels are not row numbers
  return labels;
}

struct Results {
  std::vector<int64_t> labels;
  std::vector<float> distances;
  std::vector<int32_t> counts;
};

Results search(strata_hnsw* index, const std::vector<float>& queries, int32_t kind = STRATA_FILTER_NONE,
               const void* data = nullptr, int64_t len = 0) {
  Results r{std::vector<int64_t>(kQueries * kK), std::vector<float>(kQueries * kK), std::vector<int32_t>(kQueries)};
  CHECK_OK(strata_hnsw_search(index, queries.data(), kQueries, kDim, kK, kind, data, len, r.labels.data(),
                              r.distances.data(), r.counts.data()));
  return r;
}

std::string temp_path(const char* name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/strata-ctest-" + std::to_string(getpid()) + "-" + name;
}

// CRC32C (Castagnoli, reflected), bit by bit: the test's own, to forge an intact file of a newer version.
uint32_t reference_crc32c(const char* data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; i++) {
    crc ^= static_cast<uint8_t>(data[i]);
    for (int b = 0; b < 8; b++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void build_search_save_load() {
  auto vectors = check::random_vectors(kN, kDim, 11);
  auto queries = check::random_vectors(kQueries, kDim, 12);
  auto labels = labels_of(kN);
  Index index;
  CHECK_OK(strata_hnsw_create(STRATA_SPACE_L2, kDim, 16, 100, 100, 42, &index.handle));
  // 3000 rows in one call: above 2048 the insert runs on several threads; capacity grows from 100.
  CHECK_OK(strata_hnsw_add(index.handle, labels.data(), vectors.data(), kN, kDim));
  int64_t count = -1, capacity = -1;
  CHECK_OK(strata_hnsw_count(index.handle, &count));
  CHECK_OK(strata_hnsw_capacity(index.handle, &capacity));
  CHECK(count == kN);
  CHECK(capacity >= kN);
  CHECK_OK(strata_hnsw_set_ef(index.handle, 100));

  // Recall@10 against the exact top-k.
  Results found = search(index.handle, queries);
  int hits = 0;
  for (int64_t q = 0; q < kQueries; q++) {
    std::vector<int64_t> exact(kK);
    std::vector<float> dist(kK);
    int64_t n = 0;
    CHECK_OK(strata_topk(STRATA_SPACE_L2, queries.data() + q * kDim, vectors.data(), kN, kDim, kK, exact.data(),
                         dist.data(), &n));
    std::set<int64_t> truth;
    for (int64_t row : exact) truth.insert(1000 + row);
    CHECK(found.counts[q] == kK);
    for (int64_t i = 0; i < kK; i++) hits += truth.count(found.labels[q * kK + i]);
    for (int64_t i = 1; i < kK; i++) CHECK(found.distances[q * kK + i - 1] <= found.distances[q * kK + i]);
  }
  double recall = double(hits) / (kQueries * kK);
  std::printf("test_hnsw: recall@10 %.3f (%lld x %lld, ef 100)\n", recall, (long long)kN, (long long)kDim);
  CHECK(recall >= 0.9);

  // Allow-lists: only allowed labels come back, as sorted labels and as a bitmap.
  std::vector<int64_t> allowed;
  for (int64_t i = 0; i < kN; i += 7) allowed.push_back(1000 + i);
  Results sorted = search(index.handle, queries, STRATA_FILTER_SORTED_LABELS, allowed.data(), allowed.size());
  std::vector<uint64_t> bitmap((1000 + kN + 63) / 64, 0);
  for (int64_t label : allowed) bitmap[label / 64] |= uint64_t(1) << (label % 64);
  Results bits = search(index.handle, queries, STRATA_FILTER_BITMAP, bitmap.data(), bitmap.size());
  for (int64_t i = 0; i < kQueries * kK; i++) {
    CHECK(std::binary_search(allowed.begin(), allowed.end(), sorted.labels[i]));
    CHECK(sorted.labels[i] == bits.labels[i]);
  }
  int64_t unsorted[2] = {1007, 1000};
  std::vector<int64_t> out_labels(kQueries * kK);
  std::vector<float> out_dist(kQueries * kK);
  CHECK_STATUS(strata_hnsw_search(index.handle, queries.data(), kQueries, kDim, kK, STRATA_FILTER_SORTED_LABELS,
                                  unsorted, 2, out_labels.data(), out_dist.data(), nullptr),
               STRATA_ERR_INVALID_ARGUMENT);

  // Deletes: the nearest label of query 0 is gone afterwards; an unknown label fails the batch.
  int64_t nearest = found.labels[0];
  CHECK_OK(strata_hnsw_mark_deleted(index.handle, &nearest, 1));
  CHECK_OK(strata_hnsw_count(index.handle, &count));
  CHECK(count == kN - 1);
  Results after = search(index.handle, queries);
  for (int64_t i = 0; i < kK; i++) CHECK(after.labels[i] != nearest);
  int64_t unknown = 99;
  CHECK_STATUS(strata_hnsw_mark_deleted(index.handle, &unknown, 1), STRATA_ERR_NOT_FOUND);

  // Save and load (file and memory): the same answers.
  std::string path = temp_path("index.bin");
  CHECK_OK(strata_hnsw_save(index.handle, path.c_str()));
  Index loaded;
  CHECK_OK(strata_hnsw_load(path.c_str(), STRATA_SPACE_L2, kDim, 0, &loaded.handle));
  CHECK_OK(strata_hnsw_set_ef(loaded.handle, 100));
  Results reloaded = search(loaded.handle, queries);
  CHECK(reloaded.labels == after.labels);
  CHECK(reloaded.distances == after.distances);

  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(bytes.size() > 8 && std::memcmp(bytes.data(), "STRHNSW1", 8) == 0);
  Index from_memory;
  CHECK_OK(strata_hnsw_load_memory(bytes.data(), bytes.size(), "mem", STRATA_SPACE_L2, kDim, 0, &from_memory.handle));
  CHECK_OK(strata_hnsw_set_ef(from_memory.handle, 100));
  CHECK(search(from_memory.handle, queries).labels == after.labels);

  // A wrong dimension or space, a flipped byte, a truncated file: errors, never a crash.
  strata_hnsw* none = nullptr;
  CHECK_STATUS(strata_hnsw_load(path.c_str(), STRATA_SPACE_L2, kDim + 1, 0, &none), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(strata_hnsw_load(path.c_str(), STRATA_SPACE_IP, kDim, 0, &none), STRATA_ERR_INVALID_ARGUMENT);
  std::vector<char> damaged = bytes;
  damaged[damaged.size() / 2] ^= 0x40;
  CHECK_STATUS(strata_hnsw_load_memory(damaged.data(), damaged.size(), "damaged", STRATA_SPACE_L2, kDim, 0, &none),
               STRATA_ERR_CORRUPT);
  CHECK(std::strstr(strata_last_error(), "damaged") != nullptr);
  // An intact file of a newer format version is not damage: it says so, and names the version.
  std::vector<char> newer = bytes;
  newer[7] = '2';
  uint32_t crc = reference_crc32c(newer.data(), newer.size() - 4);
  std::memcpy(newer.data() + newer.size() - 4, &crc, 4);
  CHECK_STATUS(strata_hnsw_load_memory(newer.data(), newer.size(), "newer", STRATA_SPACE_L2, kDim, 0, &none),
               STRATA_ERR_UNSUPPORTED);
  CHECK(std::strstr(strata_last_error(), "format version 2 was written by a newer Strata") != nullptr);
  // The same digit under the old checksum is a damaged byte, not a newer Strata.
  std::vector<char> flipped = bytes;
  flipped[7] = '2';
  CHECK_STATUS(strata_hnsw_load_memory(flipped.data(), flipped.size(), "flipped", STRATA_SPACE_L2, kDim, 0, &none),
               STRATA_ERR_CORRUPT);
  CHECK(strata_hnsw_load_memory(bytes.data(), bytes.size() / 3, "short", STRATA_SPACE_L2, kDim, 0, &none) != STRATA_OK);
  CHECK(none == nullptr);
  std::string missing = temp_path("missing.bin");
  CHECK_STATUS(strata_hnsw_load(missing.c_str(), STRATA_SPACE_L2, kDim, 0, &none), STRATA_ERR_NOT_FOUND);
  // A file is read through a mapping: an empty, a truncated and a damaged file are refused as corrupt.
  std::string damaged_file = temp_path("damaged.bin");
  auto write_file = [&](const std::vector<char>& content) {
    std::ofstream out(damaged_file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    CHECK(out.good());
  };
  write_file({});
  CHECK_STATUS(strata_hnsw_load(damaged_file.c_str(), STRATA_SPACE_L2, kDim, 0, &none), STRATA_ERR_CORRUPT);
  write_file(std::vector<char>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 3)));
  CHECK_STATUS(strata_hnsw_load(damaged_file.c_str(), STRATA_SPACE_L2, kDim, 0, &none), STRATA_ERR_CORRUPT);
  write_file(flipped);
  CHECK_STATUS(strata_hnsw_load(damaged_file.c_str(), STRATA_SPACE_L2, kDim, 0, &none), STRATA_ERR_CORRUPT);
  CHECK(none == nullptr);
  std::remove(damaged_file.c_str());
  std::remove(path.c_str());
}

void argument_errors() {
  strata_hnsw* index = nullptr;
  CHECK_STATUS(strata_hnsw_create(9, kDim, 16, 100, 10, 1, &index), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(strata_hnsw_create(STRATA_SPACE_L2, 0, 16, 100, 10, 1, &index), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_OK(strata_hnsw_create(STRATA_SPACE_COSINE, 4, 16, 100, 10, 1, &index));
  int64_t label = 1;
  float bad[4] = {1, NAN, 0, 0};
  CHECK_STATUS(strata_hnsw_add(index, &label, bad, 1, 4), STRATA_ERR_INVALID_ARGUMENT);
  float good[4] = {1, 0, 0, 0};
  CHECK_STATUS(strata_hnsw_add(index, &label, good, 1, 5), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_OK(strata_hnsw_add(index, &label, good, 1, 4));
  int64_t out_label = 0;
  float out_dist = 0;
  CHECK_OK(strata_hnsw_search(index, good, 1, 4, 1, STRATA_FILTER_NONE, nullptr, 0, &out_label, &out_dist, nullptr));
  CHECK(out_label == 1);
  CHECK_NEAR(out_dist, 0, 1e-6);
  CHECK_OK(strata_hnsw_free(index));
  int64_t count = 0;
  CHECK_STATUS(strata_hnsw_count(index, &count), STRATA_ERR_CLOSED);
}

}  // namespace

int main() {
  build_search_save_load();
  argument_errors();
  return check::finish("test_hnsw");
}
