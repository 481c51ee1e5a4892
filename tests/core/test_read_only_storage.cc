// Tests of storages that borrow read-only bytes (a mapped file's): reads
// see the bytes, every write path refuses with one message, clone() and
// contiguous copies are writable, and the bytes' owner lives exactly as long
// as the last view, whatever order views and owner handles are dropped in.

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "ops/binary.h"
#include "ops/clamp.h"
#include "ops/write_into.h"

namespace {

using qtensor::core::DType;
using qtensor::core::Error;
using qtensor::core::ErrorKind;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;

const char kReadOnly[] = "tensor is read-only: it borrows a mapped file; clone() it to write";

// Bytes whose owner counts how many of its kind are alive.
struct CountingOwner {
  static int alive;
  alignas(64) uint8_t bytes[64] = {};
  CountingOwner() { ++alive; }
  ~CountingOwner() { --alive; }
};
int CountingOwner::alive = 0;

// A read-only [2, 3] qint8 tensor over {-3, -2, -1, 0, 1, 2}, scale 0.5, zp 0.
Tensor Borrowed(std::shared_ptr<CountingOwner> owner) {
  const int8_t values[6] = {-3, -2, -1, 0, 1, 2};
  std::memcpy(owner->bytes, values, sizeof values);
  return qtensor::core::BorrowStorageRepr(owner->bytes, 6, {2, 3},
                                          Quantizer::PerTensor(DType::kQInt8, 0.5, 0), owner);
}

#define CheckRefused(write) CheckRefusedAt(__LINE__, write)

template <typename Write>
void CheckRefusedAt(int line, Write&& write) {
  try {
    write();
    FAIL("the write at line " << line << " was not refused");
  } catch (const Error& error) {
    CHECK(error.kind() == ErrorKind::kInvalidArgument);
    CHECK(std::string(error.what()) == kReadOnly);
  }
}

std::vector<int8_t> Ints(const Tensor& tensor) {
  std::vector<int8_t> ints(static_cast<size_t>(tensor.numel()));
  qtensor::core::IntRepr(tensor, ints.data());
  return ints;
}

}  // namespace

TEST_CASE("read-only storage: reads the borrowed bytes without copying them") {
  auto owner = std::make_shared<CountingOwner>();
  const Tensor tensor = Borrowed(owner);
  CHECK(tensor.storage()->read_only());
  CHECK(tensor.storage()->bytes() == owner->bytes);
  CHECK(Ints(tensor) == std::vector<int8_t>{-3, -2, -1, 0, 1, 2});
  CHECK(qtensor::core::GetElement(tensor, {1, 2}) == 1.0f);
  std::vector<float> values(6);
  qtensor::core::Dequantize(tensor.Transpose(0, 1), values.data());
  CHECK(values == std::vector<float>{-1.5f, 0.0f, -1.0f, 0.5f, -0.5f, 1.0f});
  CHECK_FALSE(
      Tensor::Empty({2}, Quantizer::PerTensor(DType::kQInt8, 1.0, 0)).storage()->read_only());
}

TEST_CASE("read-only storage: packed bytes, and their unused high bits checked") {
  auto owner = std::make_shared<CountingOwner>();
  owner->bytes[0] = 0x21;  // 1, 2
  owner->bytes[1] = 0x03;  // 3, unused high nibble 0
  const Quantizer quantizer = Quantizer::PerTensor(DType::kQUInt4x2, 1.0, 0);
  const Tensor tensor = qtensor::core::BorrowStorageRepr(owner->bytes, 2, {3}, quantizer, owner);
  CHECK(qtensor::core::GetElement(tensor, {2}) == 3.0f);
  owner->bytes[1] = 0x13;
  CHECK_THROWS_WITH_AS(qtensor::core::BorrowStorageRepr(owner->bytes, 2, {3}, quantizer, owner),
                       "the unused high bits of the last byte of quint4x2 data are not 0", Error);
  CHECK_THROWS_AS(qtensor::core::BorrowStorageRepr(owner->bytes, 3, {3}, quantizer, owner), Error);
}

TEST_CASE("read-only storage: every write path refuses, on the tensor and its views") {
  auto owner = std::make_shared<CountingOwner>();
  const Tensor tensor = Borrowed(owner);
  const Tensor row = tensor.Select(0, 1);
  const Tensor writable = Tensor::Empty({2, 3}, Quantizer::PerTensor(DType::kQInt8, 0.5, 0));
  const float floats[6] = {1, 2, 3, 4, 5, 6};
  const int8_t ints[6] = {1, 2, 3, 4, 5, 6};
  for (const Tensor& view : {tensor, row, tensor.Transpose(0, 1)}) {
    CAPTURE(view.ndim());
    CheckRefused([&] { view.storage()->mutable_bytes(); });
    CheckRefused([&] { qtensor::core::Fill(view, 1.0f); });
    CheckRefused([&] { qtensor::core::QuantizeInto(view, floats); });
    CheckRefused([&] { qtensor::core::WriteIntRepr(view, ints); });
    CheckRefused(
        [&] { qtensor::core::SetElement(view, std::vector<int64_t>(view.ndim(), 0), 1.0f); });
    CheckRefused([&] { qtensor::ops::ReluInPlace(view); });
    CheckRefused([&] { qtensor::ops::ClampInPlace(view, -1.0f, 1.0f); });
  }
  // copy_: the whole storage (which would take the source's parameters) and
  // a part of it (requantized into it); into an empty storage, which only
  // takes the parameters.
  CheckRefused([&] { qtensor::core::Copy(tensor, writable); });
  CheckRefused([&] { qtensor::core::Copy(row, writable.Select(0, 0)); });
  const Tensor empty = qtensor::core::BorrowStorageRepr(
      owner->bytes, 0, {0, 3}, Quantizer::PerTensor(DType::kQInt8, 0.5, 0), owner);
  CheckRefused([&] {
    qtensor::core::Copy(empty, Tensor::Empty({0, 3}, Quantizer::PerTensor(DType::kQInt8, 2, 1)));
  });
  CheckRefused(
      [&] { tensor.storage()->set_quantizer(Quantizer::PerTensor(DType::kQInt8, 1.0, 0)); });
  // Operators writing into an out tensor.
  CheckRefused([&] { qtensor::ops::ReluInto(tensor, writable); });
  CheckRefused([&] {
    qtensor::ops::BinaryOut(qtensor::ops::BinaryOp::kAdd, tensor, writable, writable, false);
  });
  // Nothing changed.
  CHECK(Ints(tensor) == std::vector<int8_t>{-3, -2, -1, 0, 1, 2});
  CHECK(tensor.storage()->quantizer().scales()[0] == 0.5);
}

TEST_CASE("read-only storage: clone and contiguous copies are writable") {
  auto owner = std::make_shared<CountingOwner>();
  const Tensor tensor = Borrowed(owner);
  const Tensor clone = qtensor::core::Clone(tensor);
  CHECK_FALSE(clone.storage()->read_only());
  CHECK(Ints(clone) == Ints(tensor));
  qtensor::core::Fill(clone, 1.0f);
  CHECK(Ints(clone) == std::vector<int8_t>(6, 2));
  const Tensor copy = qtensor::core::Contiguous(tensor.Transpose(0, 1));
  CHECK_FALSE(copy.storage()->read_only());
  qtensor::core::SetElement(copy, {0, 0}, 0.5f);
  CHECK(Ints(copy) == std::vector<int8_t>{1, 0, -2, 1, -1, 2});
  // A writable copy can take the read-only tensor's values.
  qtensor::core::Copy(clone, tensor);
  CHECK(Ints(clone) == std::vector<int8_t>{-3, -2, -1, 0, 1, 2});
  CHECK(Ints(tensor) == std::vector<int8_t>{-3, -2, -1, 0, 1, 2});
}

TEST_CASE("read-only storage: the owner lives while any view does, in any order") {
  REQUIRE(CountingOwner::alive == 0);
  SUBCASE("owner handle dropped first, then the tensor, then a view") {
    auto owner = std::make_shared<CountingOwner>();
    auto tensor = std::make_unique<Tensor>(Borrowed(owner));
    auto view = std::make_unique<Tensor>(tensor->Select(0, 1).Transpose(0, 0));
    owner.reset();
    CHECK(CountingOwner::alive == 1);
    tensor.reset();
    CHECK(CountingOwner::alive == 1);
    CHECK(Ints(*view) == std::vector<int8_t>{0, 1, 2});
    view.reset();
    CHECK(CountingOwner::alive == 0);
  }
  SUBCASE("the view dropped first, then the tensor, then the owner handle") {
    auto owner = std::make_shared<CountingOwner>();
    auto tensor = std::make_unique<Tensor>(Borrowed(owner));
    auto view = std::make_unique<Tensor>(tensor->Narrow(1, 1, 2));
    view.reset();
    tensor.reset();
    CHECK(CountingOwner::alive == 1);
    owner.reset();
    CHECK(CountingOwner::alive == 0);
  }
  SUBCASE("a clone does not keep the owner") {
    auto owner = std::make_shared<CountingOwner>();
    const Tensor clone = qtensor::core::Clone(Borrowed(owner));
    owner.reset();
    CHECK(CountingOwner::alive == 0);
    CHECK(Ints(clone) == std::vector<int8_t>{-3, -2, -1, 0, 1, 2});
  }
}
