//===- ThreadPoolTest.cpp - The runtime's worker threads ------------------===//
//
// The pool alone, compiled natively: every item runs once, each thread takes
// the same contiguous slice at every call, nested loops run serially, and
// workers that went to sleep between calls wake for the next one.
//
//===----------------------------------------------------------------------===//

#include "seqc/Runtime/SeqcRuntime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace {

struct Pool {
  explicit Pool(int32_t threads) : pool(seqc_rt_pool_create(threads)) {}
  ~Pool() { seqc_rt_pool_destroy(pool); }
  seqc_pool *pool;
};

struct Visits {
  std::vector<std::atomic<int>> count;
  explicit Visits(int64_t n) : count(n) {}
};

void countVisits(int64_t begin, int64_t end, void *env) {
  auto *visits = static_cast<Visits *>(env);
  for (int64_t i = begin; i < end; ++i)
    visits->count[i].fetch_add(1);
}

TEST(ThreadPool, EveryItemRunsOnce) {
  for (int32_t threads : {2, 3, 4}) {
    Pool p(threads);
    ASSERT_NE(p.pool, nullptr);
    EXPECT_EQ(seqc_rt_pool_size(p.pool), threads);
    for (int64_t n : {0, 1, 2, 3, 7, 1000}) {
      Visits visits(n);
      seqc_rt_pool_parallel_for(p.pool, n, countVisits, &visits);
      for (int64_t i = 0; i < n; ++i)
        EXPECT_EQ(visits.count[i].load(), 1) << threads << " threads, n " << n;
    }
  }
}

TEST(ThreadPool, OneThreadIsNoPool) {
  EXPECT_EQ(seqc_rt_pool_create(1), nullptr);
  EXPECT_EQ(seqc_rt_pool_create(0), nullptr);
  EXPECT_EQ(seqc_rt_pool_size(nullptr), 1);
  Visits visits(5);
  seqc_rt_pool_parallel_for(nullptr, 5, countVisits, &visits);
  for (auto &c : visits.count)
    EXPECT_EQ(c.load(), 1);
}

struct Slices {
  std::mutex lock;
  std::map<std::thread::id, std::pair<int64_t, int64_t>> byThread;
  bool moved = false;
};

void recordSlice(int64_t begin, int64_t end, void *env) {
  auto *slices = static_cast<Slices *>(env);
  std::lock_guard<std::mutex> guard(slices->lock);
  auto [it, inserted] = slices->byThread.try_emplace(
      std::this_thread::get_id(), begin, end);
  if (!inserted && it->second != std::make_pair(begin, end))
    slices->moved = true;
}

// The reason for a static split: the same weights' slice on the same core.
TEST(ThreadPool, EachThreadKeepsItsSlice) {
  Pool p(3);
  Slices slices;
  for (int call = 0; call < 2000; ++call)
    seqc_rt_pool_parallel_for(p.pool, 10, recordSlice, &slices);
  EXPECT_FALSE(slices.moved);
  ASSERT_EQ(slices.byThread.size(), 3u);
  std::vector<std::pair<int64_t, int64_t>> all;
  for (auto &[id, slice] : slices.byThread)
    all.push_back(slice);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::pair<int64_t, int64_t>>{{0, 4}, {4, 7}, {7, 10}}));
  // The caller's thread takes the first slice.
  EXPECT_EQ(slices.byThread[std::this_thread::get_id()], std::make_pair(int64_t(0), int64_t(4)));
}

struct Nested {
  seqc_pool *pool;
  std::atomic<int> innerCalls{0};
  std::atomic<int> innerItems{0};
};

void inner(int64_t begin, int64_t end, void *env) {
  auto *nested = static_cast<Nested *>(env);
  nested->innerCalls.fetch_add(1);
  nested->innerItems.fetch_add(static_cast<int>(end - begin));
}

void outer(int64_t begin, int64_t end, void *env) {
  auto *nested = static_cast<Nested *>(env);
  for (int64_t i = begin; i < end; ++i)
    seqc_rt_pool_parallel_for(nested->pool, 8, inner, env);
}

TEST(ThreadPool, NestedLoopsRunSerially) {
  Pool p(2);
  Nested nested{p.pool};
  seqc_rt_pool_parallel_for(p.pool, 4, outer, &nested);
  EXPECT_EQ(nested.innerCalls.load(), 4); // one whole-range call per outer item
  EXPECT_EQ(nested.innerItems.load(), 32);
}

void addSlice(int64_t begin, int64_t end, void *env) {
  static_cast<std::atomic<int64_t> *>(env)->fetch_add(end - begin);
}

// Steps of a recurrence: many small forks in a row, then calls far apart
// (the workers have gone to sleep) that must still wake them.
TEST(ThreadPool, ManyForksAndSleepingWorkers) {
  Pool p(2);
  std::atomic<int64_t> total{0};
  for (int step = 0; step < 100000; ++step)
    seqc_rt_pool_parallel_for(p.pool, 64, addSlice, &total);
  EXPECT_EQ(total.load(), 6400000);
  for (int call = 0; call < 5; ++call) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    Visits visits(2);
    seqc_rt_pool_parallel_for(p.pool, 2, countVisits, &visits);
    EXPECT_EQ(visits.count[0].load() + visits.count[1].load(), 2);
  }
}

// A call wakes sleeping workers before its first fork (and keeps them off
// its CPU): a woken worker without work spins, sleeps again, and still takes
// the jobs that follow.
TEST(ThreadPool, WakingWithoutWork) {
  seqc_rt_pool_begin_call(nullptr); // one thread: nothing to wake
  Pool p(3);
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    seqc_rt_pool_begin_call(p.pool);
    seqc_rt_pool_begin_call(p.pool);
    std::this_thread::sleep_for(std::chrono::milliseconds(round * 10));
    Visits visits(30);
    seqc_rt_pool_parallel_for(p.pool, 30, countVisits, &visits);
    for (auto &count : visits.count)
      EXPECT_EQ(count.load(), 1);
  }
}

} // namespace
