// HNSW graphs over hnswlib 0.6.2: building, searching, and the graph's layout in an index file. The only
// translation unit that includes hnswlib (its header defines non-inline functions). Distances come from
// our dispatched kernels, hnswlib supplies the graph; the allow-list search is ours because hnswlib
// 0.6.2 has none. The file's envelope is hnsw_file.cpp's, the C ABI and its handles hnsw_api.cpp's.
#include "hnsw_index.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <queue>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "hnsw_file.h"
#include "kernels.h"
#include "status.h"

namespace strata::hnsw {
namespace {

using Graph = hnswlib::HierarchicalNSW<float>;
using hnswlib::tableint;
using DistQueue = std::priority_queue<std::pair<float, tableint>>;

constexpr int64_t kDefaultEf = 100;

// l2 uses squared euclidean; ip and cosine use 1 - dot (cosine vectors are normalized first).
class KernelSpace : public hnswlib::SpaceInterface<float> {
 public:
  KernelSpace(int32_t space, size_t dim) : dim_(dim), kernels_(active_kernels()), ip_(space != STRATA_SPACE_L2) {
    func_ = ip_ ? kernels_.hnsw_ip : kernels_.hnsw_l2;
  }
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return func_; }
  void* get_dist_func_param() override { return &dim_; }

  // Distances of n rows to q, four rows per kernel pass; each equals get_dist_func()'s bit for bit
  // (the table is the one the graph was built with, whatever the dispatch says now).
  void distances(const float* q, const float* const* rows, size_t n, float* out) const {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      if (ip_) {
        kernels_.dot4(q, rows + i, dim_, out + i);
        for (size_t r = i; r < i + 4; r++) out[r] = 1.0f - out[r];
      } else {
        kernels_.l2sq4(q, rows + i, dim_, out + i);
      }
    }
    for (; i < n; i++) out[i] = func_(q, rows[i], &dim_);
  }

 private:
  size_t dim_;
  const KernelTable& kernels_;
  bool ip_;
  hnswlib::DISTFUNC<float> func_;
};

}  // namespace

struct Index {
  int32_t space;
  size_t dim;
  std::unique_ptr<KernelSpace> kernel_space;
  std::unique_ptr<Graph> graph;
  int64_t ef = kDefaultEf;
  // Searches share; add, delete, resize, set_ef and save are exclusive.
  std::shared_mutex lock;
};

namespace {

// Cosine stores and queries unit vectors; a zero vector stays zero (distance 1 to everything).
const float* prepared(const Index& index, const float* v, std::vector<float>& scratch) {
  if (index.space != STRATA_SPACE_COSINE) return v;
  scratch.assign(v, v + index.dim);
  float norm = std::sqrt(active_kernels().dot(v, v, index.dim));
  if (norm > 0.0f) {
    for (float& x : scratch) x /= norm;
  }
  return scratch.data();
}

// NaN or infinite coordinates would poison the graph's distance order: refuse them up front.
void check_finite(const float* rows, int64_t n, size_t dim, const char* what) {
  for (int64_t i = 0; i < n; i++) {
    for (size_t j = 0; j < dim; j++) {
      if (!std::isfinite(rows[i * dim + j])) {
        throw invalid(std::string(what) + " " + std::to_string(i) + " has a non-finite value at position " + std::to_string(j));
      }
    }
  }
}

// Threads for one insert batch: none extra below a few thousand rows (thread start-up would cost more
// than it saves), else the configured count (strata_set_insert_threads; by default every core up to 8).
std::atomic<unsigned> configured_insert_threads{0};

unsigned default_insert_threads() { return std::min(8u, std::max(1u, std::thread::hardware_concurrency())); }

unsigned insert_threads(int64_t n) {
  if (n < 2048) return 1;
  unsigned configured = configured_insert_threads.load(std::memory_order_relaxed);
  if (configured == 0) configured = default_insert_threads();
  return static_cast<unsigned>(std::min<int64_t>(configured, n / 1024));
}

void add_rows(Index& index, const int64_t* labels, const float* vectors, int64_t n) {
  if (n < 0) throw invalid("vector count must not be negative");
  if (n == 0) return;
  if (labels == nullptr || vectors == nullptr) throw invalid("labels or vectors is null");
  check_finite(vectors, n, index.dim, "vector");
  std::unique_lock guard(index.lock);
  Graph& g = *index.graph;
  // The last row of a label wins, as if the rows were added one by one.
  std::unordered_map<int64_t, int64_t> last_row;
  last_row.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) last_row[labels[i]] = i;
  std::vector<int64_t> rows;
  rows.reserve(last_row.size());
  for (int64_t i = 0; i < n; i++) {
    if (last_row[labels[i]] == i) rows.push_back(i);
  }
  // A new vector for a stored label is a deletion plus an insertion: the old element stays in the graph
  // as a deleted routing node (as a deleted record's does) and the label moves to a new element.
  // hnswlib's in-place updatePoint, mixed with deletions, leaves moved elements that no search reaches:
  // the crash loop found records whose own vector no longer found them (1.3% of lookups in a churn test
  // of updates and deletes, none with this).
  for (int64_t i : rows) {
    auto it = g.label_lookup_.find(static_cast<hnswlib::labeltype>(labels[i]));
    if (it != g.label_lookup_.end()) {
      if (!g.isMarkedDeleted(it->second)) g.markDeletedInternal(it->second);
      g.label_lookup_.erase(it);
    }
  }
  size_t needed = g.cur_element_count + rows.size();
  if (needed > g.max_elements_) g.resizeIndex(std::max(needed, g.max_elements_ * 2));
  // A compaction adds thousands of vectors at once: insert them from several threads, as hnswlib's
  // own bindings do (addPoint locks per element; every label here is new to the graph and distinct).
  int64_t count = static_cast<int64_t>(rows.size());
  unsigned threads = insert_threads(count);
  if (threads <= 1) {
    std::vector<float> scratch;
    for (int64_t i : rows) {
      g.addPoint(prepared(index, vectors + i * index.dim, scratch), static_cast<hnswlib::labeltype>(labels[i]));
    }
    return;
  }
  std::atomic<int64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_lock;
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; t++) {
    workers.emplace_back([&] {
      std::vector<float> scratch;
      try {
        for (int64_t j = next.fetch_add(1); j < count && !failed.load(); j = next.fetch_add(1)) {
          int64_t i = rows[static_cast<size_t>(j)];
          g.addPoint(prepared(index, vectors + i * index.dim, scratch), static_cast<hnswlib::labeltype>(labels[i]));
        }
      } catch (...) {
        std::lock_guard<std::mutex> hold(error_lock);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    });
  }
  for (auto& w : workers) w.join();
  if (first_error) std::rethrow_exception(first_error);
}

// Greedy descent through the upper layers to the level-0 entry point (hnswlib's, minus its metrics).
tableint descend(const Graph& g, const void* q) {
  tableint current = g.enterpoint_node_;
  float current_dist = g.fstdistfunc_(q, g.getDataByInternalId(current), g.dist_func_param_);
  for (int level = g.maxlevel_; level > 0; level--) {
    bool changed = true;
    while (changed) {
      changed = false;
      auto* links = g.get_linklist(current, level);
      int size = g.getListCount(links);
      auto* ids = reinterpret_cast<tableint*>(links + 1);
      for (int i = 0; i < size; i++) {
        float d = g.fstdistfunc_(q, g.getDataByInternalId(ids[i]), g.dist_func_param_);
        if (d < current_dist) {
          current_dist = d;
          current = ids[i];
          changed = true;
        }
      }
    }
  }
  return current;
}

// Rows per kernel pass in the level-0 walk (KernelTable's four-row kernels).
constexpr size_t kBatch = 4;

// Asks for every cache line of a stored vector (or link list): hnswlib's own loop fetched only the
// first line of the next neighbour, leaving the core waiting on the other 23 of a 384-d row.
inline void prefetch_lines(const void* start, size_t bytes) {
  const char* from = static_cast<const char*>(start);
  const char* line = reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(from) & ~uintptr_t{63});
  for (const char* end = from + bytes; line < end; line += 64) __builtin_prefetch(line, 0, 3);
}

// Best-first search on level 0 that walks through every node (accepted or not: deleted and
// disallowed nodes still route) but only collects accepted ones: the result is the ef nearest
// accepted nodes the walk reaches, not a post-filtered fixed top-k. Stops once ef accepted nodes
// are held and no candidate is closer. Per expanded node it first gathers the unvisited neighbours,
// then scores them four at a time with every line of the next four prefetched, then updates the
// heaps (Lucene's shape): loads overlap instead of one distance waiting on memory at a time.
// Measured against all rows' lines prefetched at once and against no prefetch (docs/ann-bench.md).
template <typename Accept>
DistQueue base_search(const Graph& g, const KernelSpace& space, tableint entry, const float* q, size_t ef,
                      Accept&& accept) {
  const size_t row_bytes = g.data_size_;
  auto row = [&](tableint id) { return reinterpret_cast<const float*>(g.getDataByInternalId(id)); };
  hnswlib::VisitedList* visited = g.visited_list_pool_->getFreeVisitedList();
  hnswlib::vl_type* marks = visited->mass;
  hnswlib::vl_type tag = visited->curV;
  DistQueue top;         // max-heap: worst kept result on top
  DistQueue candidates;  // by negated distance: nearest unexpanded on top
  float bound = std::numeric_limits<float>::max();
  std::vector<tableint> batch(g.maxM0_);
  std::vector<const float*> rows(g.maxM0_);
  std::vector<float> dists(g.maxM0_);

  float d;
  const float* entry_row = row(entry);
  space.distances(q, &entry_row, 1, &d);
  if (accept(entry)) {
    top.emplace(d, entry);
    bound = d;
  }
  candidates.emplace(-d, entry);
  marks[entry] = tag;

  while (!candidates.empty()) {
    auto [negative, node] = candidates.top();
    if (-negative > bound && top.size() >= ef) break;
    candidates.pop();
    auto* links = g.get_linklist0(node);
    size_t size = g.getListCount(links);
    auto* ids = reinterpret_cast<tableint*>(links + 1);
    size_t n = 0;
    for (size_t j = 0; j < size; j++) {
      tableint next = ids[j];
      if (marks[next] == tag) continue;
      marks[next] = tag;
      batch[n] = next;
      rows[n] = row(next);
      // The first batch's whole vectors now; of the others only the first line (hnswlib's own
      // hint), the rest follows batch by batch below.
      if (n < kBatch) {
        prefetch_lines(rows[n], row_bytes);
      } else {
        __builtin_prefetch(rows[n], 0, 3);
      }
      n++;
    }
    // While one batch of four is scored, the next one's lines are on their way.
    for (size_t first = 0; first < n; first += kBatch) {
      for (size_t r = first + kBatch; r < std::min(n, first + 2 * kBatch); r++) {
        prefetch_lines(rows[r], row_bytes);
      }
      space.distances(q, rows.data() + first, std::min(kBatch, n - first), dists.data() + first);
    }
    for (size_t j = 0; j < n; j++) {
      float dist = dists[j];
      if (top.size() < ef || dist < bound) {
        candidates.emplace(-dist, batch[j]);
        if (accept(batch[j])) {
          top.emplace(dist, batch[j]);
          if (top.size() > ef) top.pop();
          bound = top.top().first;
        }
      }
    }
    // The next node to expand: its neighbour list is read first thing in the next round.
    if (!candidates.empty()) prefetch_lines(g.get_linklist0(candidates.top().second), g.size_links_level0_);
  }
  g.visited_list_pool_->releaseVisitedList(visited);
  return top;
}

// Exact distances to each allowed live label: used when the list is no longer than ef, where a
// graph walk would have to reach every allowed node anyway and could only be slower.
DistQueue allowed_scan(const Graph& g, const void* q, const AllowList& allow) {
  DistQueue found;
  allow.for_each([&](int64_t label) {
    auto it = g.label_lookup_.find(static_cast<hnswlib::labeltype>(label));
    if (it == g.label_lookup_.end() || g.isMarkedDeleted(it->second)) return;
    found.emplace(g.fstdistfunc_(q, g.getDataByInternalId(it->second), g.dist_func_param_), it->second);
  });
  return found;
}

void search_rows(Index& index, const float* queries, int64_t nq, int64_t k, const AllowList& allow,
                 int64_t* out_labels, float* out_distances, int32_t* out_counts) {
  if (k <= 0) throw invalid("k must be positive, got " + std::to_string(k));
  if (nq < 0) throw invalid("query count must not be negative");
  if (nq > 0 && (queries == nullptr || out_labels == nullptr || out_distances == nullptr)) {
    throw invalid("queries or an output is null");
  }
  if (nq > 0) check_finite(queries, nq, index.dim, "query");
  std::shared_lock guard(index.lock);
  const Graph& g = *index.graph;
  size_t ef = static_cast<size_t>(std::max<int64_t>(index.ef, k));
  bool plain = !allow.active() && g.num_deleted_ == 0;
  std::vector<float> scratch;
  for (int64_t qi = 0; qi < nq; qi++) {
    int64_t* labels = out_labels + qi * k;
    float* dists = out_distances + qi * k;
    std::fill(labels, labels + k, -1);
    std::fill(dists, dists + k, std::numeric_limits<float>::infinity());
    DistQueue found;
    if (g.cur_element_count > 0 && !allow.empty()) {
      const float* q = prepared(index, queries + qi * index.dim, scratch);
      if (allow.active() && allow.size() <= static_cast<int64_t>(ef)) {
        found = allowed_scan(g, q, allow);
      } else {
        tableint entry = descend(g, q);
        const KernelSpace& space = *index.kernel_space;
        if (plain) {
          found = base_search(g, space, entry, q, ef, [](tableint) { return true; });
        } else {
          found = base_search(g, space, entry, q, ef, [&](tableint id) {
            return !g.isMarkedDeleted(id) && allow.allows(static_cast<int64_t>(g.getExternalLabel(id)));
          });
        }
      }
    }
    while (static_cast<int64_t>(found.size()) > k) found.pop();
    int64_t count = static_cast<int64_t>(found.size());
    for (int64_t i = count - 1; i >= 0; i--) {
      dists[i] = found.top().first;
      labels[i] = static_cast<int64_t>(g.getExternalLabel(found.top().second));
      found.pop();
    }
    if (out_counts != nullptr) out_counts[qi] = static_cast<int32_t>(count);
  }
}

// ---- persistence: the body of an index file: space, dim, ef, then hnswlib's own layout ----

template <typename T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

class Reader {
 public:
  Reader(const char* data, size_t size) : data_(data), size_(size) {}
  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  const char* take(size_t n) {
    if (n > size_ - pos_) throw Error(STRATA_ERR_CORRUPT, "index file is truncated");
    const char* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  size_t remaining() const { return size_ - pos_; }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

std::string write_graph(const Index& index) {
  const Graph& g = *index.graph;
  std::string out = hnsw_file::begin();
  put(out, index.space);
  put(out, int32_t{0});
  put(out, static_cast<int64_t>(index.dim));
  put(out, index.ef);
  put(out, g.offsetLevel0_);
  put(out, g.max_elements_);
  put(out, g.cur_element_count);
  put(out, g.size_data_per_element_);
  put(out, g.label_offset_);
  put(out, g.offsetData_);
  put(out, g.maxlevel_);
  put(out, g.enterpoint_node_);
  put(out, g.maxM_);
  put(out, g.maxM0_);
  put(out, g.M_);
  put(out, g.mult_);
  put(out, g.ef_construction_);
  out.append(g.data_level0_memory_, g.cur_element_count * g.size_data_per_element_);
  for (size_t i = 0; i < g.cur_element_count; i++) {
    unsigned int size = g.element_levels_[i] > 0 ? g.size_links_per_element_ * g.element_levels_[i] : 0;
    put(out, size);
    if (size) out.append(g.linkLists_[i], size);
  }
  hnsw_file::finish(out);
  return out;
}

// path: the file or object the bytes came from, for errors. The bytes are only read (and copied into
// the index's own memory), so the caller may free them once this returns.
std::shared_ptr<Index> read_graph(const std::string& path, std::string_view bytes, int32_t space, int64_t dim,
                                  int64_t capacity) {
  auto corrupt = [&](const std::string& what) { return Error(STRATA_ERR_CORRUPT, path + ": " + what); };
  std::string_view body = hnsw_file::open(path, bytes);
  Reader in(body.data(), body.size());
  int32_t file_space = in.get<int32_t>();
  in.get<int32_t>();
  int64_t file_dim = in.get<int64_t>();
  int64_t ef = in.get<int64_t>();
  if (file_space != space) throw invalid("index file has space " + std::to_string(file_space) + ", expected " + std::to_string(space));
  if (file_dim != dim) throw invalid("index file has dimension " + std::to_string(file_dim) + ", expected " + std::to_string(dim));

  auto offset_level0 = in.get<size_t>();
  in.get<size_t>();  // max_elements at save time; capacity decides now
  auto count = in.get<size_t>();
  auto size_per_element = in.get<size_t>();
  auto label_offset = in.get<size_t>();
  auto offset_data = in.get<size_t>();
  auto max_level = in.get<int>();
  auto entry = in.get<tableint>();
  auto max_m = in.get<size_t>();
  auto max_m0 = in.get<size_t>();
  auto m = in.get<size_t>();
  auto mult = in.get<double>();
  auto ef_construction = in.get<size_t>();

  size_t links0 = max_m0 * sizeof(tableint) + sizeof(hnswlib::linklistsizeint);
  size_t links_upper = max_m * sizeof(tableint) + sizeof(hnswlib::linklistsizeint);
  size_t data_size = static_cast<size_t>(dim) * sizeof(float);
  if (offset_level0 != 0 || m < 2 || m > 10000 || max_m != m || max_m0 != 2 * m || offset_data != links0 ||
      label_offset != links0 + data_size || size_per_element != label_offset + sizeof(hnswlib::labeltype) ||
      !std::isfinite(mult) || count > in.remaining() / size_per_element || count > std::numeric_limits<tableint>::max() ||
      (count > 0 && (entry >= count || max_level < 0))) {
    throw corrupt("inconsistent index header");
  }
  const char* level0 = in.take(count * size_per_element);
  std::vector<int> levels(count);
  std::vector<const char*> upper(count, nullptr);
  auto check_links = [&](const char* list, size_t limit, int level) {
    unsigned short n;
    std::memcpy(&n, list, sizeof(n));
    if (n > limit) throw corrupt("neighbour list too long");
    for (size_t j = 0; j < n; j++) {
      tableint id;
      std::memcpy(&id, list + sizeof(hnswlib::linklistsizeint) + j * sizeof(tableint), sizeof(id));
      if (id >= count) throw corrupt("neighbour id out of range");
      if (level > 0 && levels[id] < level) throw corrupt("neighbour missing from its level");
    }
  };
  for (size_t i = 0; i < count; i++) {
    auto size = in.get<unsigned int>();
    if (size % links_upper != 0) throw corrupt("bad upper-level list size");
    levels[i] = static_cast<int>(size / links_upper);
    upper[i] = size ? in.take(size) : nullptr;
  }
  if (in.remaining() != 0) throw corrupt("trailing bytes");
  if (count > 0 && levels[entry] != max_level) throw corrupt("entry point is not on the top level");
  for (size_t i = 0; i < count; i++) {
    check_links(level0 + i * size_per_element, max_m0, 0);
    for (int l = 1; l <= levels[i]; l++) check_links(upper[i] + (l - 1) * links_upper, max_m, l);
  }

  auto index = std::make_shared<Index>();
  index->space = space;
  index->dim = static_cast<size_t>(dim);
  index->ef = ef > 0 ? ef : kDefaultEf;
  index->kernel_space = std::make_unique<KernelSpace>(space, index->dim);
  // hnswlib's bare constructor leaves every field unset: make the destructor safe before anything can throw.
  index->graph = std::make_unique<Graph>(index->kernel_space.get());
  Graph& g = *index->graph;
  g.cur_element_count = 0;
  g.data_level0_memory_ = nullptr;
  g.linkLists_ = nullptr;
  g.visited_list_pool_ = nullptr;
  size_t max_elements = std::max<size_t>({static_cast<size_t>(std::max<int64_t>(capacity, 0)), count, 1});
  g.max_elements_ = max_elements;
  g.num_deleted_ = 0;
  g.offsetLevel0_ = 0;
  g.size_data_per_element_ = size_per_element;
  g.label_offset_ = label_offset;
  g.offsetData_ = offset_data;
  g.maxlevel_ = count > 0 ? max_level : -1;
  g.enterpoint_node_ = count > 0 ? entry : static_cast<tableint>(-1);
  g.maxM_ = max_m;
  g.maxM0_ = max_m0;
  g.M_ = m;
  g.mult_ = mult;
  g.revSize_ = 1.0 / mult;
  g.ef_construction_ = ef_construction;
  g.ef_ = 10;
  g.data_size_ = data_size;
  g.fstdistfunc_ = index->kernel_space->get_dist_func();
  g.dist_func_param_ = index->kernel_space->get_dist_func_param();
  g.size_links_per_element_ = links_upper;
  g.size_links_level0_ = links0;
  g.metric_hops = 0;
  g.metric_distance_computations = 0;
  std::vector<std::mutex>(max_elements).swap(g.link_list_locks_);
  std::vector<std::mutex>(Graph::max_update_element_locks).swap(g.link_list_update_locks_);
  g.element_levels_ = std::vector<int>(max_elements, 0);
  g.visited_list_pool_ = new hnswlib::VisitedListPool(1, static_cast<int>(max_elements));
  g.data_level0_memory_ = static_cast<char*>(std::malloc(max_elements * size_per_element));
  g.linkLists_ = static_cast<char**>(std::calloc(max_elements, sizeof(char*)));
  if (g.data_level0_memory_ == nullptr || g.linkLists_ == nullptr) throw std::bad_alloc();
  std::memcpy(g.data_level0_memory_, level0, count * size_per_element);
  for (size_t i = 0; i < count; i++) {
    if (levels[i] > 0) {
      size_t size = links_upper * levels[i];
      g.linkLists_[i] = static_cast<char*>(std::malloc(size));
      if (g.linkLists_[i] == nullptr) throw std::bad_alloc();
      std::memcpy(g.linkLists_[i], upper[i], size);
    }
    g.element_levels_[i] = levels[i];
    g.cur_element_count = i + 1;  // the destructor frees exactly the lists set so far
    g.label_lookup_[g.getExternalLabel(static_cast<tableint>(i))] = static_cast<tableint>(i);
    if (g.isMarkedDeleted(static_cast<tableint>(i))) g.num_deleted_++;
  }
  return index;
}

}  // namespace

std::shared_ptr<Index> create(int32_t space, size_t dim, size_t m, size_t ef_construction, size_t capacity,
                              size_t seed) {
  auto index = std::make_shared<Index>();
  index->space = space;
  index->dim = dim;
  index->kernel_space = std::make_unique<KernelSpace>(space, dim);
  index->graph = std::make_unique<Graph>(index->kernel_space.get(), std::max<size_t>(capacity, 1), m, ef_construction, seed);
  return index;
}

size_t dimension(const Index& index) { return index.dim; }

void set_insert_threads(unsigned threads) { configured_insert_threads.store(threads, std::memory_order_relaxed); }

unsigned insert_threads() {
  unsigned configured = configured_insert_threads.load(std::memory_order_relaxed);
  return configured == 0 ? default_insert_threads() : configured;
}

void add(Index& index, const int64_t* labels, const float* vectors, int64_t n) { add_rows(index, labels, vectors, n); }

void mark_deleted(Index& index, const int64_t* labels, int64_t n) {
  if (n < 0) throw invalid("label count must not be negative");
  if (labels == nullptr && n > 0) throw invalid("labels is null");
  std::unique_lock guard(index.lock);
  Graph& g = *index.graph;
  // Check every label first so a bad batch changes nothing.
  for (int64_t i = 0; i < n; i++) {
    auto it = g.label_lookup_.find(static_cast<hnswlib::labeltype>(labels[i]));
    if (it == g.label_lookup_.end()) throw Error(STRATA_ERR_NOT_FOUND, "label " + std::to_string(labels[i]) + " is not in the index");
  }
  for (int64_t i = 0; i < n; i++) {
    tableint id = g.label_lookup_.at(static_cast<hnswlib::labeltype>(labels[i]));
    if (!g.isMarkedDeleted(id)) g.markDeletedInternal(id);
  }
}

void resize(Index& index, int64_t capacity) {
  std::unique_lock guard(index.lock);
  Graph& g = *index.graph;
  if (capacity < static_cast<int64_t>(g.cur_element_count) || capacity < 1) {
    throw invalid("capacity " + std::to_string(capacity) + " is below the " + std::to_string(g.cur_element_count) +
                  " elements stored (deleted ones included)");
  }
  g.resizeIndex(static_cast<size_t>(capacity));
}

void set_ef(Index& index, int64_t ef) {
  if (ef <= 0) throw invalid("ef must be positive, got " + std::to_string(ef));
  std::unique_lock guard(index.lock);
  index.ef = ef;
}

int64_t live_count(Index& index) {
  std::shared_lock guard(index.lock);
  return static_cast<int64_t>(index.graph->cur_element_count - index.graph->num_deleted_);
}

int64_t capacity(Index& index) {
  std::shared_lock guard(index.lock);
  return static_cast<int64_t>(index.graph->max_elements_);
}

bool compact(Index& index, double max_deleted_fraction) {
  // Exclusive for the whole rebuild: an add between reading the live elements and the swap would be lost.
  std::unique_lock guard(index.lock);
  const Graph& g = *index.graph;
  size_t total = g.cur_element_count;
  if (total == 0 || static_cast<double>(g.num_deleted_) <= max_deleted_fraction * static_cast<double>(total)) return false;
  size_t live = total - g.num_deleted_;
  std::vector<int64_t> labels;
  std::vector<float> vectors;
  labels.reserve(live);
  vectors.reserve(live * index.dim);
  for (size_t i = 0; i < total; i++) {
    tableint id = static_cast<tableint>(i);
    if (g.isMarkedDeleted(id)) continue;
    labels.push_back(static_cast<int64_t>(g.getExternalLabel(id)));
    const float* v = reinterpret_cast<const float*>(g.getDataByInternalId(id));
    vectors.insert(vectors.end(), v, v + index.dim);
  }
  Index fresh;
  fresh.space = index.space;
  fresh.dim = index.dim;
  fresh.ef = index.ef;
  fresh.kernel_space = std::make_unique<KernelSpace>(index.space, index.dim);
  fresh.graph = std::make_unique<Graph>(fresh.kernel_space.get(), std::max<size_t>(live, 1), g.M_, g.ef_construction_);
  // Stored vectors are already prepared (normalized for cosine): preparing again leaves them as they are.
  add_rows(fresh, labels.data(), vectors.data(), static_cast<int64_t>(labels.size()));
  index.graph = std::move(fresh.graph);
  index.kernel_space = std::move(fresh.kernel_space);
  return true;
}

void search(Index& index, const float* queries, int64_t nq, int64_t k, const AllowList& allow, int64_t* out_labels,
            float* out_distances, int32_t* out_counts) {
  search_rows(index, queries, nq, k, allow, out_labels, out_distances, out_counts);
}

std::string serialize(Index& index) {
  std::shared_lock guard(index.lock);
  return write_graph(index);
}

std::shared_ptr<Index> deserialize(const std::string& name, std::string_view bytes, int32_t space, int64_t dim,
                                   int64_t capacity) {
  return read_graph(name, bytes, space, dim, capacity);
}

}  // namespace strata::hnsw
