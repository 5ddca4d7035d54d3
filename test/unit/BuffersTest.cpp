//===- BuffersTest.cpp - The context's cache of large buffers -------------===//
//
// The cache alone, compiled natively: a call's large buffers are the next
// call's, small ones come from the arena the calls before sized, those
// outside a call are malloc's, a buffer frees correctly on any thread, and
// a failed call's buffers are free again.
//
//===----------------------------------------------------------------------===//

#include "seqc/Runtime/SeqcRuntime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

namespace {

constexpr size_t kLarge = 1 << 20;

struct Buffers {
  Buffers() : buffers(seqc_rt_buffers_create()) {}
  ~Buffers() { seqc_rt_buffers_destroy(buffers); }
  seqc_buffers *buffers;
};

/// One call: enters the cache, allocates `sizes` and frees them in order.
std::vector<void *> call(seqc_buffers *buffers, std::vector<size_t> sizes) {
  seqc_buffers *outer = seqc_rt_buffers_enter(buffers);
  std::vector<void *> got;
  for (size_t size : sizes) {
    got.push_back(_mlir_memref_to_llvm_alloc(size));
    EXPECT_NE(got.back(), nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(got.back()) % 64, 0u);
    std::memset(got.back(), 0xab, size); // ASan: the whole size is ours
  }
  for (void *p : got)
    _mlir_memref_to_llvm_free(p);
  seqc_rt_buffers_leave(outer);
  return got;
}

TEST(Buffers, TheNextCallReusesTheLargeBuffers) {
  Buffers b;
  ASSERT_NE(b.buffers, nullptr);
  std::vector<void *> first = call(b.buffers, {kLarge, 3 * kLarge, kLarge});
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers), 5 * kLarge);
  std::vector<void *> second = call(b.buffers, {kLarge, 3 * kLarge, kLarge});
  EXPECT_EQ(first, second);
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers), 5 * kLarge);
}

TEST(Buffers, ALargerCallReplacesTheSmallerBuffers) {
  Buffers b;
  call(b.buffers, {kLarge, kLarge});
  call(b.buffers, {2 * kLarge, 2 * kLarge});
  // The two small blocks were replaced, not kept beside the larger ones.
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers), 4 * kLarge);
  // And a smaller call fits in them.
  call(b.buffers, {kLarge});
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers), 4 * kLarge);
}

TEST(Buffers, SmallBuffersAndBuffersOutsideACallAreMallocs) {
  Buffers b;
  call(b.buffers, {100, 4096});
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers), 0u);
  void *outside = _mlir_memref_to_llvm_alloc(kLarge);
  ASSERT_NE(outside, nullptr);
  _mlir_memref_to_llvm_free(outside);
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers), 0u);
  _mlir_memref_to_llvm_free(nullptr);
}

TEST(Buffers, SmallBuffersComeFromTheArenaTheCallBeforeSized) {
  Buffers b;
  std::vector<size_t> sizes = {100, 4096, 1, 65535};
  call(b.buffers, sizes); // sizes the arena
  std::vector<void *> second = call(b.buffers, sizes);
  // One block after the other, each after its 64-byte header.
  auto at = [&](int i) { return reinterpret_cast<uintptr_t>(second[i]); };
  EXPECT_EQ(at(1) - at(0), 64u + 128u);
  EXPECT_EQ(at(2) - at(1), 64u + 4096u);
  EXPECT_EQ(at(3) - at(2), 64u + 64u);
  EXPECT_EQ(call(b.buffers, sizes), second);
  // A call that asks less reuses the start of the same arena.
  EXPECT_EQ(call(b.buffers, {8})[0], second[0]);
}

TEST(Buffers, WhatTheArenaCannotHoldIsMallocs) {
  Buffers b;
  // 100 x 60 KiB: more than the arena's 4 MiB.
  std::vector<size_t> sizes(100, 60 * 1024);
  call(b.buffers, sizes);
  std::vector<void *> second = call(b.buffers, sizes); // each one written
  auto at = [&](int i) { return reinterpret_cast<uintptr_t>(second[i]); };
  EXPECT_EQ(at(1) - at(0), 64u + 60 * 1024);
  std::sort(second.begin(), second.end());
  EXPECT_EQ(std::unique(second.begin(), second.end()), second.end());
}

TEST(Buffers, MoreLiveBuffersThanSlotsAreMallocs) {
  Buffers b;
  std::vector<size_t> sizes(SEQC_BUFFER_SLOTS + 3, kLarge);
  call(b.buffers, sizes);
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers),
            SEQC_BUFFER_SLOTS * kLarge);
}

TEST(Buffers, ABufferFreesOnAnotherThread) {
  Buffers b;
  seqc_buffers *outer = seqc_rt_buffers_enter(b.buffers);
  void *p = _mlir_memref_to_llvm_alloc(kLarge);
  std::thread([p] { _mlir_memref_to_llvm_free(p); }).join();
  // The slot is free again: the next allocation takes it.
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(kLarge), p);
  seqc_rt_buffers_leave(outer);
}

TEST(Buffers, AFailedCallsBuffersAreFreeAtTheNextCall) {
  Buffers b;
  seqc_buffers *outer = seqc_rt_buffers_enter(b.buffers);
  void *leaked = _mlir_memref_to_llvm_alloc(kLarge); // never freed
  seqc_rt_buffers_leave(outer);
  std::vector<void *> next = call(b.buffers, {kLarge});
  EXPECT_EQ(next[0], leaked);
  EXPECT_EQ(seqc_rt_buffers_cached_bytes(b.buffers), kLarge);
}

TEST(Buffers, OverAlignedAndHugeRequestsFail) {
  EXPECT_EQ(_mlir_memref_to_llvm_aligned_alloc(128, 64), nullptr);
  EXPECT_EQ(_mlir_memref_to_llvm_alloc(SIZE_MAX - 8), nullptr);
  void *p = _mlir_memref_to_llvm_aligned_alloc(64, 10);
  ASSERT_NE(p, nullptr);
  _mlir_memref_to_llvm_free(p);
}

} // namespace
