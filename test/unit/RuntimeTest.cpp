//===- RuntimeTest.cpp - The C runtime, driven by a hand-made descriptor --===//
//
// The runtime alone, compiled natively, around stand-in kernels: it finds
// each tensor at the offsets the tables give (here deliberately not the
// generated headers' order), and turns a kernel's non-zero status into that
// status with a message.
//
//===----------------------------------------------------------------------===//

#include "seqc/Runtime/SeqcRuntime.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace {

// Shape before data, padding between: only the offsets say where things are.
struct Inputs {
  int64_t xShape[1];
  const float *x;
};
struct Outputs {
  float *y;
  int64_t padding;
  int64_t yShape[1];
};

int32_t kernelStatus = 0;

/// A memref descriptor's aligned pointer and first size.
float *alignedOf(void *descriptor) {
  float *data;
  std::memcpy(&data, static_cast<int64_t *>(descriptor) + 1, sizeof(data));
  return data;
}
int64_t sizeOf(void *descriptor) {
  return static_cast<int64_t *>(descriptor)[3];
}

/// Y = 2 * X, then the status the test chose.
int32_t run(void **args) {
  float *x = alignedOf(args[0]), *y = alignedOf(args[1]);
  for (int64_t i = 0; i < sizeOf(args[0]); ++i)
    y[i] = 2 * x[i];
  return kernelStatus;
}

/// Y has X's size; no run-time check fails.
int32_t shapes(void **args) {
  auto *dims = reinterpret_cast<int64_t *>(alignedOf(args[1]));
  dims[0] = sizeOf(args[0]);
  dims[1] = dims[2] = dims[3] = 0;
  return SEQC_OK;
}

const int64_t kDims[] = {-1};
const char *const kDimNames[] = {"n"};
const seqc_tensor_info kInputs[] = {
    {"X", 1, 1, kDims, kDimNames, offsetof(Inputs, x), offsetof(Inputs, xShape),
     SEQC_ROLE_TENSOR, -1, nullptr}};
const seqc_tensor_info kOutputs[] = {
    {"Y", 1, 1, kDims, kDimNames, offsetof(Outputs, y),
     offsetof(Outputs, yShape), SEQC_ROLE_TENSOR, -1, nullptr}};
const seqc_model_info kInfo = {
    SEQC_ABI_VERSION, 1, 1, "stand-in", kInputs, kOutputs, sizeof(Inputs),
    sizeof(Outputs)};
const char *const kChecks[] = {nullptr};
const seqc_model_desc kDesc = {&kInfo, run, shapes, 1, kChecks};

class RuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    kernelStatus = SEQC_OK;
    ctx = seqc_rt_context_create(nullptr);
    in.x = x;
    in.xShape[0] = 3;
    out.y = y;
  }
  void TearDown() override { seqc_rt_context_destroy(ctx); }

  seqc_context *ctx = nullptr;
  float x[3] = {1, 2, 3}, y[3] = {0, 0, 0};
  Inputs in{};
  Outputs out{};
};

TEST_F(RuntimeTest, TensorsAreFoundAtTheTablesOffsets) {
  ASSERT_EQ(seqc_rt_output_shapes(&kDesc, ctx, &in, &out), SEQC_OK)
      << seqc_rt_last_error(ctx);
  EXPECT_EQ(out.yShape[0], 3);
  EXPECT_EQ(out.padding, 0) << "written outside the shape";
  ASSERT_EQ(seqc_rt_run(&kDesc, ctx, &in, &out), SEQC_OK)
      << seqc_rt_last_error(ctx);
  EXPECT_EQ(y[0], 2);
  EXPECT_EQ(y[2], 6);
}

TEST_F(RuntimeTest, AKernelOutOfMemoryIsReported) {
  out.yShape[0] = 3;
  kernelStatus = SEQC_ERROR_OUT_OF_MEMORY;
  EXPECT_EQ(seqc_rt_run(&kDesc, ctx, &in, &out), SEQC_ERROR_OUT_OF_MEMORY);
  EXPECT_STREQ(seqc_rt_last_error(ctx), "out of memory");
}

TEST_F(RuntimeTest, AnyOtherKernelStatusIsReportedAsItself) {
  out.yShape[0] = 3;
  kernelStatus = 7;
  EXPECT_EQ(seqc_rt_run(&kDesc, ctx, &in, &out), 7);
  EXPECT_NE(std::string(seqc_rt_last_error(ctx)).find("status 7"),
            std::string::npos)
      << seqc_rt_last_error(ctx);
  kernelStatus = SEQC_OK;
  EXPECT_EQ(seqc_rt_run(&kDesc, ctx, &in, &out), SEQC_OK);
  EXPECT_STREQ(seqc_rt_last_error(ctx), "");
}

TEST(RuntimeContextTest, OptionsAreCheckedAndGpuStreamIgnored) {
  seqc_context_options options{};
  options.num_threads = 4;
  int stream = 0;
  options.gpu_stream = &stream;
  seqc_context *ctx = seqc_rt_context_create(&options);
  EXPECT_NE(ctx, nullptr);
  EXPECT_EQ(seqc_rt_context_threads(ctx), 4);
  seqc_rt_context_destroy(ctx);
  options.num_threads = -2;
  EXPECT_EQ(seqc_rt_context_create(&options), nullptr);
}

/// A kernel that doubles X in a parallel loop, noting the threads it ran on.
std::mutex threadsLock;
std::set<std::thread::id> kernelThreads;

void doubleSlice(int64_t begin, int64_t end, void *env) {
  void **args = static_cast<void **>(env);
  float *x = alignedOf(args[0]), *y = alignedOf(args[1]);
  for (int64_t i = begin; i < end; ++i)
    y[i] = 2 * x[i];
  std::lock_guard<std::mutex> guard(threadsLock);
  kernelThreads.insert(std::this_thread::get_id());
}

int32_t runParallel(void **args) {
  seqc_rt_parallel_for(sizeOf(args[0]), doubleSlice, args);
  return SEQC_OK;
}

const seqc_model_desc kParallelDesc = {&kInfo, runParallel, shapes, 1, kChecks};

// The kernels' parallel loops run on the threads of the context whose call
// they are in: the default is one, num_threads = 2 is two.
TEST(RuntimeContextTest, KernelsRunOnTheContextsThreads) {
  float x[64], y[64];
  for (int i = 0; i < 64; ++i)
    x[i] = static_cast<float>(i);
  Inputs in{};
  Outputs out{};
  in.x = x;
  in.xShape[0] = 64;
  out.y = y;
  out.yShape[0] = 64;
  for (int32_t threads : {0, 1, 2}) {
    seqc_context_options options{};
    options.num_threads = threads;
    seqc_context *ctx = seqc_rt_context_create(&options);
    ASSERT_NE(ctx, nullptr);
    EXPECT_EQ(seqc_rt_context_threads(ctx), threads < 2 ? 1 : threads);
    kernelThreads.clear();
    std::fill(y, y + 64, 0.0f);
    ASSERT_EQ(seqc_rt_run(&kParallelDesc, ctx, &in, &out), SEQC_OK)
        << seqc_rt_last_error(ctx);
    for (int i = 0; i < 64; ++i)
      EXPECT_EQ(y[i], 2 * x[i]);
    EXPECT_EQ(kernelThreads.size(), threads < 2 ? 1u : 2u) << threads;
    seqc_rt_context_destroy(ctx);
  }
}

/// The width a kernel sees at its top level and inside a parallel body.
int64_t topWidth, innerWidth;

void noteWidth(int64_t, int64_t, void *) {
  innerWidth = std::max(innerWidth, seqc_rt_parallel_width());
}

int32_t runWidths(void **) {
  topWidth = seqc_rt_parallel_width();
  seqc_rt_parallel_for(8, noteWidth, nullptr);
  return SEQC_OK;
}

const seqc_model_desc kWidthDesc = {&kInfo, runWidths, shapes, 1, kChecks};

// A kernel splits its work by the threads a parallel loop would get: the
// context's at the top of a call, 1 inside a parallel body (which runs
// nested loops serially) and outside calls.
TEST(RuntimeContextTest, ParallelWidthIsTheContextsThreadsAtTheTop) {
  float x[4] = {}, y[4] = {};
  Inputs in{};
  Outputs out{};
  in.x = x;
  in.xShape[0] = 4;
  out.y = y;
  out.yShape[0] = 4;
  EXPECT_EQ(seqc_rt_parallel_width(), 1);
  for (int32_t threads : {1, 2, 3}) {
    seqc_context_options options{};
    options.num_threads = threads;
    seqc_context *ctx = seqc_rt_context_create(&options);
    ASSERT_NE(ctx, nullptr);
    topWidth = innerWidth = 0;
    ASSERT_EQ(seqc_rt_run(&kWidthDesc, ctx, &in, &out), SEQC_OK);
    EXPECT_EQ(topWidth, threads);
    EXPECT_EQ(innerWidth, 1);
    seqc_rt_context_destroy(ctx);
  }
}

} // namespace
