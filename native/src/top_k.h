// The k nearest rows of a scan: a bounded max-heap shared by the exact top-k kernel and the SQ8 code scan.
#pragma once

#include <cstdint>
#include <queue>
#include <utility>

namespace strata {

// Rows are offered in increasing order; (distance, row) ordering then keeps the earlier row on equal distances.
class TopK {
 public:
  explicit TopK(int64_t k) : k_(k) {}

  void offer(float distance, int64_t row) {
    if (static_cast<int64_t>(best_.size()) < k_) {
      best_.emplace(distance, row);
    } else if (std::pair<float, int64_t>{distance, row} < best_.top()) {
      best_.pop();
      best_.emplace(distance, row);
    }
  }

  // Writes the rows found, nearest first, and returns how many (at most k); empties the heap.
  int64_t drain(float* out_distances, int64_t* out_rows) {
    int64_t count = static_cast<int64_t>(best_.size());
    for (int64_t i = count - 1; i >= 0; i--) {
      out_distances[i] = best_.top().first;
      out_rows[i] = best_.top().second;
      best_.pop();
    }
    return count;
  }

 private:
  int64_t k_;
  std::priority_queue<std::pair<float, int64_t>> best_;  // max-heap: the worst kept on top
};

}  // namespace strata
