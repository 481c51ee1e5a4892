// Status codes, the per-thread last error, and argument checks shared by
// every entry point.
#include <new>
#include <string>

#include "capi/handles.h"
#include "core/shape.h"

namespace qtensor::capi {
namespace {

thread_local std::string last_error_message;

qt_status StatusOf(core::ErrorKind kind) {
  switch (kind) {
    case core::ErrorKind::kInvalidArgument:
      return QT_ERR_INVALID_ARGUMENT;
    case core::ErrorKind::kOutOfRange:
      return QT_ERR_OUT_OF_RANGE;
    case core::ErrorKind::kShapeMismatch:
      return QT_ERR_SHAPE_MISMATCH;
    case core::ErrorKind::kTypeMismatch:
      return QT_ERR_TYPE_MISMATCH;
    case core::ErrorKind::kOutOfMemory:
      return QT_ERR_OUT_OF_MEMORY;
    case core::ErrorKind::kIo:
      return QT_ERR_IO;
    case core::ErrorKind::kCorruptData:
      return QT_ERR_CORRUPT_DATA;
    case core::ErrorKind::kNotFound:
      return QT_ERR_NOT_FOUND;
  }
  return QT_ERR_INTERNAL;
}

}  // namespace

qt_status SetLastError(qt_status status, const std::string& message) {
  try {
    last_error_message = message;
  } catch (...) {
    last_error_message.clear();  // out of memory for the message itself
  }
  return status;
}

qt_status StatusFromCurrentException() {
  try {
    throw;
  } catch (const core::Error& error) {
    return SetLastError(StatusOf(error.kind()), error.what());
  } catch (const std::bad_alloc&) {
    return SetLastError(QT_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& error) {
    return SetLastError(QT_ERR_INTERNAL, std::string("internal error: ") + error.what());
  } catch (...) {
    return SetLastError(QT_ERR_INTERNAL, "internal error: unknown exception");
  }
}

// The public limit is the core's.
static_assert(QTENSOR_MAX_DIMS == core::kMaxDims);

std::vector<int64_t> ShapeArgument(const int64_t* shape, size_t ndim) {
  core::CheckRank(ndim);  // before copying the caller's array
  return ArrayArgument(shape, ndim, "shape");
}

void CheckCapacity(size_t capacity, size_t count, const char* name) {
  if (capacity < count) {
    core::Fail(core::ErrorKind::kInvalidArgument, std::string(name) + " holds " +
                                                      std::to_string(capacity) + " but " +
                                                      std::to_string(count) + " are needed");
  }
}

core::DType DTypeArgument(const qt_dtype& dtype) {
  const int32_t value = EnumValue(dtype);
  if (!core::IsValidDType(value)) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               "unknown dtype " + std::to_string(value) +
                   " (expected one of QT_QINT8 = 1 to QT_QUINT4 = 9)");
  }
  return static_cast<core::DType>(value);
}

}  // namespace qtensor::capi

extern "C" {

const char* qt_last_error_message(void) { return qtensor::capi::last_error_message.c_str(); }

const char* qt_status_name(qt_status status) {
  switch (qtensor::capi::EnumValue(status)) {
    case QT_OK:
      return "QT_OK";
    case QT_ERR_INVALID_ARGUMENT:
      return "QT_ERR_INVALID_ARGUMENT";
    case QT_ERR_OUT_OF_RANGE:
      return "QT_ERR_OUT_OF_RANGE";
    case QT_ERR_SHAPE_MISMATCH:
      return "QT_ERR_SHAPE_MISMATCH";
    case QT_ERR_TYPE_MISMATCH:
      return "QT_ERR_TYPE_MISMATCH";
    case QT_ERR_OUT_OF_MEMORY:
      return "QT_ERR_OUT_OF_MEMORY";
    case QT_ERR_IO:
      return "QT_ERR_IO";
    case QT_ERR_CORRUPT_DATA:
      return "QT_ERR_CORRUPT_DATA";
    case QT_ERR_INTERNAL:
      return "QT_ERR_INTERNAL";
    case QT_ERR_NOT_FOUND:
      return "QT_ERR_NOT_FOUND";
  }
  return "QT_ERR_UNKNOWN_STATUS";
}

#define QTENSOR_STRINGIFY2(x) #x
#define QTENSOR_STRINGIFY(x) QTENSOR_STRINGIFY2(x)

const char* qt_version(void) {
  return QTENSOR_STRINGIFY(QTENSOR_VERSION_MAJOR) "." QTENSOR_STRINGIFY(
      QTENSOR_VERSION_MINOR) "." QTENSOR_STRINGIFY(QTENSOR_VERSION_PATCH);
}

unsigned qt_version_number(void) { return QTENSOR_VERSION_NUMBER; }

const char* qt_dtype_name(qt_dtype dtype) {
  const int32_t value = qtensor::capi::EnumValue(dtype);
  if (!qtensor::core::IsValidDType(value)) return nullptr;
  return qtensor::core::DTypeName(static_cast<qtensor::core::DType>(value));
}

const char* qt_scale_type_name(qt_scale_type type) {
  const int32_t value = qtensor::capi::EnumValue(type);
  if (!qtensor::core::IsValidScaleType(value)) return nullptr;
  return qtensor::core::ScaleTypeName(static_cast<qtensor::core::ScaleType>(value));
}

const char* qt_rounding_name(qt_rounding rounding) {
  const int32_t value = qtensor::capi::EnumValue(rounding);
  if (!qtensor::core::IsValidRounding(value)) return nullptr;
  return qtensor::core::RoundingName(static_cast<qtensor::core::Rounding>(value));
}

const char* qt_qscheme_name(qt_qscheme qscheme) {
  const int32_t value = qtensor::capi::EnumValue(qscheme);
  if (value < QT_PER_TENSOR_AFFINE || value > QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS) {
    return nullptr;
  }
  return qtensor::core::QSchemeName(static_cast<qtensor::core::QScheme>(value));
}

size_t qt_dtype_size(qt_dtype dtype) {
  const int32_t value = qtensor::capi::EnumValue(dtype);
  if (!qtensor::core::IsValidDType(value)) return 0;
  return qtensor::core::ElementSize(static_cast<qtensor::core::DType>(value));
}

size_t qt_dtype_bits(qt_dtype dtype) {
  const int32_t value = qtensor::capi::EnumValue(dtype);
  if (!qtensor::core::IsValidDType(value)) return 0;
  return static_cast<size_t>(qtensor::core::ElementBits(static_cast<qtensor::core::DType>(value)));
}

}  // extern "C"
