// Internal: the allow-list a search call passes (STRATA_FILTER_*), checked once and read in place.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>

#include "status.h"

namespace strata {

// The allow-list of one search call, over labels. It views the caller's memory: valid for the call only.
class AllowList {
 public:
  AllowList(int32_t kind, const void* data, int64_t len) : kind_(kind), len_(len) {
    if (kind != STRATA_FILTER_NONE && kind != STRATA_FILTER_SORTED_LABELS && kind != STRATA_FILTER_BITMAP) {
      throw invalid("unknown filter kind " + std::to_string(kind));
    }
    if (kind == STRATA_FILTER_NONE) return;
    if (len < 0) throw invalid("filter length must not be negative");
    if (data == nullptr && len > 0) throw invalid("filter data is null");
    if (kind == STRATA_FILTER_SORTED_LABELS) {
      sorted_ = static_cast<const int64_t*>(data);
      for (int64_t i = 1; i < len; i++) {
        if (sorted_[i - 1] >= sorted_[i]) throw invalid("allow-list labels are not strictly ascending at position " + std::to_string(i));
      }
      size_ = len;
    } else {
      words_ = static_cast<const uint64_t*>(data);
      for (int64_t w = 0; w < len; w++) size_ += __builtin_popcountll(words_[w]);
    }
  }
  // How many labels the list allows (present in the index or not).
  int64_t size() const { return size_; }
  template <typename Visit>
  void for_each(Visit&& visit) const {
    if (kind_ == STRATA_FILTER_SORTED_LABELS) {
      for (int64_t i = 0; i < len_; i++) visit(sorted_[i]);
    } else if (kind_ == STRATA_FILTER_BITMAP) {
      for (int64_t w = 0; w < len_; w++) {
        for (uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) visit(w * 64 + __builtin_ctzll(bits));
      }
    }
  }
  bool active() const { return kind_ != STRATA_FILTER_NONE; }
  bool empty() const { return active() && len_ == 0; }
  bool allows(int64_t label) const {
    if (kind_ == STRATA_FILTER_SORTED_LABELS) return std::binary_search(sorted_, sorted_ + len_, label);
    if (kind_ == STRATA_FILTER_BITMAP) {
      if (label < 0 || label / 64 >= len_) return false;
      return (words_[label / 64] >> (label % 64)) & 1u;
    }
    return true;
  }

 private:
  int32_t kind_;
  int64_t len_;
  const int64_t* sorted_ = nullptr;
  const uint64_t* words_ = nullptr;
  int64_t size_ = 0;
};

}  // namespace strata
