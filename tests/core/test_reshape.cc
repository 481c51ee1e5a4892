// Tests of the core's shape views (core/reshape.h, Tensor::View, Unsqueeze,
// Squeeze): -1 inference and its errors, torch's strides, which base dim
// each new dim walks, and a per-channel view's channel dim.
#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "core/reshape.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"

namespace {

using qtensor::core::DType;
using qtensor::core::Error;
using qtensor::core::ErrorKind;
using qtensor::core::InferShape;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;
using Shape = std::vector<int64_t>;

ErrorKind KindOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no error");
  return ErrorKind::kInvalidArgument;
}

Tensor Counting(const Shape& shape) {
  const Tensor t = Tensor::Empty(shape, Quantizer::PerTensor(DType::kQInt32, 1.0, 0));
  std::vector<int32_t> ints(static_cast<size_t>(t.numel()));
  std::iota(ints.begin(), ints.end(), 0);
  qtensor::core::WriteIntRepr(t, ints.data());
  return t;
}

std::vector<int32_t> Ints(const Tensor& t) {
  std::vector<int32_t> ints(static_cast<size_t>(t.numel()));
  qtensor::core::IntRepr(t, ints.data());
  return ints;
}

}  // namespace

TEST_CASE("InferShape: torch's infer_size") {
  CHECK(InferShape({2, -1}, 12) == Shape{2, 6});
  CHECK(InferShape({-1}, 0) == Shape{0});
  CHECK(InferShape({}, 1) == Shape{});
  CHECK(KindOf([] { InferShape({-1, -1}, 4); }) == ErrorKind::kInvalidArgument);
  CHECK(KindOf([] { InferShape({-3, 2}, 6); }) == ErrorKind::kInvalidArgument);
  CHECK(KindOf([] { InferShape({5}, 6); }) == ErrorKind::kShapeMismatch);
  CHECK(KindOf([] { InferShape({4, -1}, 6); }) == ErrorKind::kShapeMismatch);
  CHECK(KindOf([] { InferShape({0, -1}, 0); }) == ErrorKind::kShapeMismatch);
  CHECK(KindOf([] { InferShape({INT64_MAX, 4, 0}, 0); }) == ErrorKind::kShapeMismatch);
  CHECK(KindOf([] { InferShape(Shape(65, 1), 1); }) == ErrorKind::kInvalidArgument);
}

TEST_CASE("a merged dim walks its innermost base dim past its extent") {
  const Tensor q = Counting({2, 3, 4});
  const Tensor v = q.View({6, 4});
  CHECK(v.base_dim(0) == 1);  // dims 0 and 1 merged: walks base dim 1 with step 1
  CHECK(v.strides() == Shape{4, 1});
  CHECK(Ints(v.Select(0, 5)) == std::vector<int32_t>{20, 21, 22, 23});
  CHECK(v.Select(0, 5).offset() == 20);
  // Split again, sliced, transposed: positions stay right.
  const Tensor w = v.View({3, 2, 4}).Slice(0, 1, 3, 1).Transpose(0, 2);
  CHECK(w.shape() == Shape{4, 2, 2});
  CHECK(Ints(w)[0] == 8);
  CHECK(Ints(w)[1] == 16);
}

TEST_CASE("size-1 dims from view and unsqueeze walk no base dim, with torch's strides") {
  const Tensor q = Counting({2, 3});
  const Tensor u = q.Unsqueeze(1);
  CHECK(u.shape() == Shape{2, 1, 3});
  CHECK(u.base_dim(1) == -1);
  CHECK(u.strides() == Shape{3, 3, 1});
  CHECK(q.Unsqueeze(2).strides() == Shape{3, 1, 1});
  CHECK(u.Select(1, 0).strides() == Shape{3, 1});
  CHECK(u.Slice(1, 0, 1, 1).shape() == Shape{2, 1, 3});
  CHECK(u.Squeeze().shape() == Shape{2, 3});
  CHECK(u.Squeeze(-2).shape() == Shape{2, 3});
  CHECK(u.Squeeze(0).shape() == Shape{2, 1, 3});
  CHECK(q.View({1, 6, 1}).strides() == Shape{6, 1, 1});
  CHECK(KindOf([&] { q.Unsqueeze(3); }) == ErrorKind::kOutOfRange);
  CHECK(KindOf([&] { q.Squeeze(2); }) == ErrorKind::kOutOfRange);
  // A 0-dim tensor takes dim -1 and 0, as torch's maybe_wrap_dim does.
  const Tensor scalar = q.Select(0, 1).Select(0, 2);
  CHECK(scalar.Squeeze(0).ndim() == 0);
  CHECK(scalar.Unsqueeze(0).shape() == Shape{1});
  CHECK(qtensor::core::Flatten(scalar, 0, -1).shape() == Shape{1});
}

TEST_CASE("views that cannot be made and reshape's copy") {
  const Tensor t = Counting({2, 3}).Transpose(0, 1);
  CHECK_FALSE(t.ViewIfViewable({6}).has_value());
  CHECK(KindOf([&] { t.View({6}); }) == ErrorKind::kShapeMismatch);
  const Tensor copy = qtensor::core::Reshape(t, {-1});
  CHECK(copy.storage().get() != t.storage().get());
  CHECK(Ints(copy) == std::vector<int32_t>{0, 3, 1, 4, 2, 5});
  CHECK(qtensor::core::Reshape(t, {3, 2, 1}).storage().get() == t.storage().get());
}

TEST_CASE("a per-channel view's channel dim goes where its elements go") {
  const Tensor q = Tensor::Empty(
      {2, 3, 4}, Quantizer::PerChannel(DType::kQInt8, {0.5, 0.25, 0.125}, {0, 1, 2}, 1));
  CHECK(q.View({1, 2, 3, 4}).channel_dim() == 2);
  CHECK(q.View({2, 3, 2, 2}).channel_dim() == 1);
  CHECK(KindOf([&] { q.View({2, 12}); }) == ErrorKind::kInvalidArgument);
  CHECK(KindOf([&] { qtensor::core::Reshape(q, {24}); }) == ErrorKind::kInvalidArgument);
  CHECK(q.Unsqueeze(0).channel_dim() == 2);
  CHECK(q.Unsqueeze(2).channel_dim() == 1);
  // A size-1 channel dim kept by a view stays the channel dim; squeezed, its
  // channel's parameters stay with the per-tensor view.
  const Tensor one = q.Narrow(1, 2, 1);
  CHECK(one.View({2, 1, 2, 2}).channel_dim() == 1);
  CHECK(one.View({1, 2, 1, 4}).channel_dim() == 2);
  CHECK(one.View({2, 4}).channel_dim() == -1);
  const Tensor squeezed = one.Squeeze();
  CHECK(squeezed.channel_dim() == -1);
  CHECK(squeezed.EffectiveQuantizer().scales()[0] == 0.125);
  CHECK(squeezed.EffectiveQuantizer().zero_points()[0] == 2);
}

TEST_CASE("copy_ into a whole storage seen through a view keeps each element's meaning") {
  const Tensor src = Tensor::Empty(
      {2, 3, 4}, Quantizer::PerChannel(DType::kQInt32, {0.5, 0.25, 0.125}, {0, 1, 2}, 1));
  // The destination's storage is (6, 4): src's channel axis is no dim of it,
  // so the values are requantized into the destination's own parameters.
  const Tensor dst = Tensor::Empty({6, 4}, Quantizer::PerTensor(DType::kQInt32, 1.0, 0));
  qtensor::core::Fill(src, 2.0f);
  qtensor::core::Copy(dst.View({2, 3, 4}), src);
  CHECK_FALSE(dst.storage()->quantizer().per_channel());
  CHECK(Ints(dst) == std::vector<int32_t>(24, 2));
  // Where the axis is a storage dim, the storage takes src's quantizer.
  const Tensor same = Tensor::Empty({2, 3, 4}, Quantizer::PerTensor(DType::kQInt32, 1.0, 0));
  qtensor::core::Copy(same.View({2, 3, 4}), src);
  CHECK(same.storage()->quantizer().per_channel());
}
