//===- CApiTest.cpp - The C API of a compiled model
//------------------------===//
//
// Exercises unit_lstm (a bidirectional LSTM, hidden 4, input 3, symbolic
// seq_len and batch) through its generated header: shape queries, every
// error return, buffer bounds, and concurrent contexts. Numerics against
// ONNX Runtime are the end-to-end tests' job (test/e2e).
//
//===----------------------------------------------------------------------===//

#include "unit_lstm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int64_t kHidden = 4, kInput = 3;

/// Inputs and output buffers for one call, with canaries after each output.
struct Call {
  static constexpr size_t kCanary = 16;
  static constexpr float kCanaryValue = 12345.0f;
  std::vector<float> x, h0, y, yh;
  std::vector<int32_t> lens;
  unit_lstm_inputs in{};
  unit_lstm_outputs out{};

  Call(int64_t seqLen, int64_t batch, unsigned seed = 1) {
    x.resize(seqLen * batch * kInput);
    h0.resize(2 * batch * kHidden);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = std::sin(0.37f * (i + seed));
    for (size_t i = 0; i < h0.size(); ++i)
      h0[i] = 0.1f * std::cos(0.5f * (i + seed));
    for (int64_t b = 0; b < batch; ++b)
      lens.push_back(static_cast<int32_t>(seqLen - b % seqLen));
    in.X = x.data();
    in.X_shape[0] = seqLen, in.X_shape[1] = batch, in.X_shape[2] = kInput;
    in.sequence_lens = lens.data();
    in.sequence_lens_shape[0] = batch;
    in.initial_h = h0.data();
    in.initial_h_shape[0] = 2, in.initial_h_shape[1] = batch;
    in.initial_h_shape[2] = kHidden;
    y.assign(seqLen * 2 * batch * kHidden + kCanary, kCanaryValue);
    yh.assign(2 * batch * kHidden + kCanary, kCanaryValue);
    out.Y = y.data();
    out.Y_h = yh.data();
    int64_t yShape[] = {seqLen, 2, batch, kHidden},
            yhShape[] = {2, batch, kHidden};
    std::memcpy(out.Y_shape, yShape, sizeof(yShape));
    std::memcpy(out.Y_h_shape, yhShape, sizeof(yhShape));
  }

  bool canariesIntact() const {
    for (const std::vector<float> *buffer : {&y, &yh})
      for (size_t i = buffer->size() - kCanary; i < buffer->size(); ++i)
        if ((*buffer)[i] != kCanaryValue)
          return false;
    return true;
  }
};

class CApiTest : public ::testing::Test {
protected:
  void SetUp() override { ctx = unit_lstm_context_create(nullptr); }
  void TearDown() override { unit_lstm_context_destroy(ctx); }
  unit_lstm_context *ctx = nullptr;
};

TEST_F(CApiTest, InfoDescribesTheModel) {
  const seqc_model_info *info = unit_lstm_info();
  ASSERT_EQ(info->num_inputs, 3);
  ASSERT_EQ(info->num_outputs, 2);
  EXPECT_STREQ(info->inputs[0].name, "X");
  EXPECT_EQ(info->inputs[0].elem_type, 1);
  EXPECT_EQ(info->inputs[0].rank, 3);
  EXPECT_EQ(info->inputs[0].dims[0], -1);
  EXPECT_EQ(info->inputs[0].dims[2], kInput);
  EXPECT_STREQ(info->inputs[0].dim_names[0], "seq_len");
  EXPECT_STREQ(info->inputs[0].dim_names[1], "batch");
  EXPECT_STREQ(info->inputs[1].name, "sequence_lens");
  EXPECT_EQ(info->inputs[1].elem_type, 6);
  EXPECT_STREQ(info->outputs[1].name, "Y_h");
  EXPECT_EQ(info->outputs[1].rank, 3);
}

TEST_F(CApiTest, InfoGivesTheHeadersLayout) {
  // The library's tables against what this C++ compiler makes of the header.
  const seqc_model_info *info = unit_lstm_info();
  EXPECT_EQ(info->abi_version, SEQC_ABI_VERSION);
  EXPECT_EQ(info->inputs_size, int64_t(sizeof(unit_lstm_inputs)));
  EXPECT_EQ(info->outputs_size, int64_t(sizeof(unit_lstm_outputs)));
  const seqc_tensor_info *in = info->inputs, *out = info->outputs;
  EXPECT_EQ(in[0].data_offset, int64_t(offsetof(unit_lstm_inputs, X)));
  EXPECT_EQ(in[0].shape_offset, int64_t(offsetof(unit_lstm_inputs, X_shape)));
  EXPECT_EQ(in[1].data_offset,
            int64_t(offsetof(unit_lstm_inputs, sequence_lens)));
  EXPECT_EQ(in[1].shape_offset,
            int64_t(offsetof(unit_lstm_inputs, sequence_lens_shape)));
  EXPECT_EQ(in[2].data_offset, int64_t(offsetof(unit_lstm_inputs, initial_h)));
  EXPECT_EQ(in[2].shape_offset,
            int64_t(offsetof(unit_lstm_inputs, initial_h_shape)));
  EXPECT_EQ(out[0].data_offset, int64_t(offsetof(unit_lstm_outputs, Y)));
  EXPECT_EQ(out[0].shape_offset, int64_t(offsetof(unit_lstm_outputs, Y_shape)));
  EXPECT_EQ(out[1].data_offset, int64_t(offsetof(unit_lstm_outputs, Y_h)));
  EXPECT_EQ(out[1].shape_offset,
            int64_t(offsetof(unit_lstm_outputs, Y_h_shape)));
}

TEST(CApiContextTest, OptionsAreCheckedAndRecorded) {
  seqc_context_options options{};
  unit_lstm_context *zeroed = unit_lstm_context_create(&options);
  EXPECT_NE(zeroed, nullptr) << "zero-initialised options are the defaults";
  options.num_threads = 2;
  int stream = 0;
  options.gpu_stream = &stream; // ignored on a CPU
  unit_lstm_context *two = unit_lstm_context_create(&options);
  EXPECT_NE(two, nullptr);
  options.num_threads = -1;
  EXPECT_EQ(unit_lstm_context_create(&options), nullptr);
  Call call(3, 2);
  EXPECT_EQ(unit_lstm_run(two, &call.in, &call.out), SEQC_OK)
      << unit_lstm_last_error(two);
  unit_lstm_context_destroy(zeroed);
  unit_lstm_context_destroy(two);
}

TEST(CApiContextTest, OptionsKeepTheirAbiSize) {
  // Fields are added in place of `reserved`, never by growing the struct.
  EXPECT_EQ(sizeof(seqc_context_options), 64u);
}

TEST_F(CApiTest, OutputShapesFollowTheInputs) {
  for (auto [seqLen, batch] :
       {std::pair<int64_t, int64_t>{1, 1}, {5, 3}, {9, 2}}) {
    Call call(seqLen, batch);
    std::memset(call.out.Y_shape, 0, sizeof(call.out.Y_shape));
    std::memset(call.out.Y_h_shape, 0, sizeof(call.out.Y_h_shape));
    ASSERT_EQ(unit_lstm_output_shapes(ctx, &call.in, &call.out), SEQC_OK)
        << unit_lstm_last_error(ctx);
    EXPECT_EQ(call.out.Y_shape[0], seqLen);
    EXPECT_EQ(call.out.Y_shape[1], 2);
    EXPECT_EQ(call.out.Y_shape[2], batch);
    EXPECT_EQ(call.out.Y_shape[3], kHidden);
    EXPECT_EQ(call.out.Y_h_shape[0], 2);
    EXPECT_EQ(call.out.Y_h_shape[1], batch);
    EXPECT_EQ(call.out.Y_h_shape[2], kHidden);
  }
}

TEST_F(CApiTest, RunWritesExactlyTheOutputs) {
  Call call(6, 3);
  ASSERT_EQ(unit_lstm_run(ctx, &call.in, &call.out), SEQC_OK)
      << unit_lstm_last_error(ctx);
  EXPECT_STREQ(unit_lstm_last_error(ctx), "");
  EXPECT_TRUE(call.canariesIntact());
  // Every output element was written (none still holds the canary value).
  for (size_t i = 0; i + Call::kCanary < call.y.size(); ++i)
    ASSERT_NE(call.y[i], Call::kCanaryValue) << "Y[" << i << "] not written";
}

TEST_F(CApiTest, WrongStaticDimensionIsAShapeError) {
  Call call(4, 2);
  call.in.X_shape[2] = kInput + 1;
  EXPECT_EQ(unit_lstm_run(ctx, &call.in, &call.out), SEQC_ERROR_SHAPE);
  EXPECT_NE(std::string(unit_lstm_last_error(ctx)).find("'X'"),
            std::string::npos)
      << unit_lstm_last_error(ctx);
  EXPECT_TRUE(call.canariesIntact());
}

TEST_F(CApiTest, DisagreeingSymbolicDimensionIsAShapeError) {
  Call call(4, 2);
  call.in.initial_h_shape[1] = 3; // batch is 2 in X
  EXPECT_EQ(unit_lstm_output_shapes(ctx, &call.in, &call.out),
            SEQC_ERROR_SHAPE);
  EXPECT_NE(std::string(unit_lstm_last_error(ctx)).find("batch"),
            std::string::npos)
      << unit_lstm_last_error(ctx);
}

TEST_F(CApiTest, NegativeDimensionIsAShapeError) {
  Call call(4, 2);
  call.in.X_shape[0] = -1;
  EXPECT_EQ(unit_lstm_run(ctx, &call.in, &call.out), SEQC_ERROR_SHAPE);
}

TEST_F(CApiTest, TooSmallOutputBufferIsRefused) {
  Call call(4, 2);
  call.out.Y_shape[0] = 3; // the inputs make it 4
  EXPECT_EQ(unit_lstm_run(ctx, &call.in, &call.out), SEQC_ERROR_SHAPE);
  EXPECT_NE(std::string(unit_lstm_last_error(ctx)).find("'Y'"),
            std::string::npos);
  EXPECT_TRUE(call.canariesIntact());
  EXPECT_EQ(call.y[0], Call::kCanaryValue) << "nothing may be written on error";
}

TEST_F(CApiTest, NullPointersAreRefused) {
  Call call(4, 2);
  EXPECT_EQ(unit_lstm_run(nullptr, &call.in, &call.out),
            SEQC_ERROR_NULL_POINTER);
  EXPECT_EQ(unit_lstm_run(ctx, nullptr, &call.out), SEQC_ERROR_NULL_POINTER);
  EXPECT_EQ(unit_lstm_run(ctx, &call.in, nullptr), SEQC_ERROR_NULL_POINTER);
  EXPECT_EQ(unit_lstm_output_shapes(ctx, &call.in, nullptr),
            SEQC_ERROR_NULL_POINTER);
  call.in.sequence_lens = nullptr;
  EXPECT_EQ(unit_lstm_run(ctx, &call.in, &call.out), SEQC_ERROR_NULL_POINTER);
  EXPECT_NE(std::string(unit_lstm_last_error(ctx)).find("sequence_lens"),
            std::string::npos);
  Call other(4, 2);
  other.out.Y_h = nullptr;
  EXPECT_EQ(unit_lstm_run(ctx, &other.in, &other.out), SEQC_ERROR_NULL_POINTER);
  unit_lstm_context_destroy(nullptr); // a no-op
  EXPECT_NE(unit_lstm_last_error(nullptr), nullptr);
}

TEST_F(CApiTest, ContextsRunInParallelThreads) {
  // Each thread owns a context and runs its own inputs many times; the
  // results must equal the same calls made one after another.
  constexpr int kThreads = 2, kRepeats = 50;
  std::vector<Call> sequential, parallel;
  for (int t = 0; t < kThreads; ++t) {
    sequential.emplace_back(7, 3, /*seed=*/t + 1);
    parallel.emplace_back(7, 3, /*seed=*/t + 1);
  }
  for (Call &call : sequential)
    ASSERT_EQ(unit_lstm_run(ctx, &call.in, &call.out), SEQC_OK);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      unit_lstm_context *own = unit_lstm_context_create(nullptr);
      for (int r = 0; r < kRepeats; ++r)
        failures[t] +=
            unit_lstm_run(own, &parallel[t].in, &parallel[t].out) != 0;
      unit_lstm_context_destroy(own);
    });
  for (std::thread &thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0);
    EXPECT_EQ(parallel[t].y, sequential[t].y) << "thread " << t;
    EXPECT_EQ(parallel[t].yh, sequential[t].yh) << "thread " << t;
  }
  EXPECT_NE(sequential[0].y, sequential[1].y) << "the threads' inputs differ";
}

} // namespace
