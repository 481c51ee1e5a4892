/*
 * qtensor.h - the C ABI of libqtensor: quantized tensors (qint8, quint8,
 * qint32, the 16-bit qint16 and quint16, and the packed 4- and 2-bit
 * quint4x2, quint2x4, qint4 and quint4) with per-tensor or per-channel
 * affine quantization parameters.
 *
 * Naming (one rule for every name in this header)
 * - Operations that compute, make, read out or write tensors are qt_<verb>,
 *   with PyTorch's verb where it has one: qt_quantize, qt_dequantize,
 *   qt_int_repr, qt_select, qt_slice, qt_transpose, qt_contiguous, qt_copy,
 *   qt_fill, qt_serialize, qt_load, qt_to_string.
 * - Accessors and lifetime of an object are qt_<object>_<property>:
 *   qt_tensor_numel, qt_tensor_q_scale, qt_tensor_free, qt_quantizer_scale,
 *   qt_bundle_get. Everything done to a quantizer, bundle, buffer or string
 *   (qt_bundle_serialize, qt_buffer_free) is named after that object.
 * - Facts and settings of the library or of a dtype are qt_<noun>:
 *   qt_version, qt_simd_target, qt_set_num_threads (torch's name),
 *   qt_dtype_name, qt_dtype_size, qt_dtype_bits.
 * - Macros are QTENSOR_-prefixed (Qt's headers define QT_ macros); enum
 *   constants are QT_-prefixed like the functions.
 *
 * Conventions
 * - Every function that can fail returns a qt_status. On failure the message
 *   is kept per thread and read with qt_last_error_message(); outputs are
 *   left untouched. Functions that cannot fail return their result directly:
 *   the *_free functions, qt_last_error_message, the name and version
 *   queries (qt_status_name, qt_dtype_name, qt_qscheme_name,
 *   qt_float_dtype_name, qt_version,
 *   qt_version_number, qt_simd_target), qt_get_num_threads, and
 *   qt_dtype_size and qt_dtype_bits (0 for an unknown dtype, which no real
 *   dtype has).
 * - Outputs come first in each parameter list, then the object acted on, then
 *   the inputs (as libgit2 does).
 * - Constructors put a new object in an out-parameter. The caller owns it and
 *   releases it with the matching *_free, which accepts NULL.
 * - Sizes and counts (ranks, element counts, capacities, byte sizes, channel
 *   counts) are size_t; shapes, strides, offsets, indices, dims and zero
 *   points are int64_t, as PyTorch's are (they may be negative).
 * - Arrays copied out of the library take a capacity (in elements); a capacity
 *   smaller than what must be written is an error (QT_ERR_INVALID_ARGUMENT).
 *   Such an output may be NULL when nothing is to be written.
 * - Enum parameters accept any int: unknown values are reported, not
 *   undefined behaviour.
 * - A few PyTorch conveniences stand beside the general calls because they
 *   are what a PyTorch user looks for and save a quantizer handle:
 *   qt_quantize_per_tensor / qt_quantize_per_channel (torch's functions of
 *   those names) beside qt_quantize; qt_tensor_q_scale and the other q_*
 *   accessors (torch's Tensor.q_scale & co., one call, nothing to free)
 *   beside qt_tensor_quantizer; and qt_make_per_tensor_quantized_uint8 /
 *   _int8 / _int32 (torch._make_per_tensor_quantized_tensor, where the
 *   integers' C type picks the dtype, so the compiler checks the pairing)
 *   beside qt_from_int_repr.
 *
 * Data model
 * - A tensor handle is a view: shape, strides and an offset into a shared,
 *   reference-counted storage of integers that also holds the quantizer.
 *   Views made by select, slice, narrow, transpose and permute share the
 *   storage; writing through one changes what every other view sees. Freeing
 *   a view never invalidates another.
 * - Every view dequantizes each element exactly as its base does, also for
 *   per-channel quantization (see docs/numerics.md).
 *
 * Thread safety
 * - Reading one tensor (any const function) from many threads at once is safe.
 * - Writing a tensor (set, fill, copy) while another thread reads or writes it
 *   or any view of its storage needs the caller's lock.
 * - The last error message is per thread.
 * - The library starts threads of its own only after qt_set_num_threads asks
 *   for more than one, and joins them before the call that started them
 *   returns.
 */
#ifndef QTENSOR_QTENSOR_H
#define QTENSOR_QTENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define QTENSOR_API __attribute__((visibility("default")))
#else
#define QTENSOR_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header. qt_version_number() gives the loaded
   library's, to compare against QTENSOR_VERSION_NUMBER at run time. */
#define QTENSOR_VERSION_MAJOR 0
#define QTENSOR_VERSION_MINOR 2
#define QTENSOR_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH, as zstd's ZSTD_VERSION_NUMBER. */
#define QTENSOR_VERSION_NUMBER \
  (QTENSOR_VERSION_MAJOR * 10000 + QTENSOR_VERSION_MINOR * 100 + QTENSOR_VERSION_PATCH)

/** Largest rank a tensor may have. */
#define QTENSOR_MAX_DIMS 64

/** Status codes returned by every function. */
typedef enum qt_status {
  QT_OK = 0,
  /** A NULL pointer, a bad parameter (scale, zero point, axis of a quantizer,
      step 0, ...) or a buffer too small. */
  QT_ERR_INVALID_ARGUMENT = 1,
  /** An index or dimension outside the tensor. */
  QT_ERR_OUT_OF_RANGE = 2,
  /** Shapes or element counts that do not match. */
  QT_ERR_SHAPE_MISMATCH = 3,
  /** dtypes that do not match, or an operation not defined for the
      quantization scheme (q_scale of a per-channel tensor). */
  QT_ERR_TYPE_MISMATCH = 4,
  /** The allocation failed or its size overflows. */
  QT_ERR_OUT_OF_MEMORY = 5,
  /** A file could not be opened, read or written. */
  QT_ERR_IO = 6,
  /** Serialized data is malformed or violates a limit. */
  QT_ERR_CORRUPT_DATA = 7,
  /** A bug in the library: please report it with the message. */
  QT_ERR_INTERNAL = 8,
  /** A name (of a bundle entry or metadata key) that is not there. */
  QT_ERR_NOT_FOUND = 9
} qt_status;

/** Quantized integer types. The operators (qt_add, qt_linear, ...) compute
    on qint8, quint8 and qint32; the others are stored, viewed, converted
    (qt_requantize, qt_quantize, qt_dequantize, qt_copy) and saved. The
    packed dtypes keep several values per byte, the first in the lowest bits;
    their int_repr has one int8_t / uint8_t per value. */
typedef enum qt_dtype {
  QT_QINT8 = 1,    /**< int8 values, range [-128, 127] */
  QT_QUINT8 = 2,   /**< uint8 values, range [0, 255] */
  QT_QINT32 = 3,   /**< int32 values, range [-2^31, 2^31 - 1] */
  QT_QINT16 = 4,   /**< int16 values, range [-32768, 32767] (ONNX's int16) */
  QT_QUINT16 = 5,  /**< uint16 values, range [0, 65535] (ONNX's uint16) */
  QT_QUINT4X2 = 6, /**< PyTorch's quint4x2: 4-bit, range [0, 15], two per byte */
  QT_QUINT2X4 = 7, /**< PyTorch's quint2x4: 2-bit, range [0, 3], four per byte */
  QT_QINT4 = 8,    /**< ONNX's int4: 4-bit, range [-8, 7], two per byte */
  QT_QUINT4 = 9    /**< ONNX's uint4: 4-bit, range [0, 15], two per byte */
} qt_dtype;

/** Quantization schemes. */
typedef enum qt_qscheme {
  QT_PER_TENSOR_AFFINE = 1,  /**< one scale and zero point */
  QT_PER_CHANNEL_AFFINE = 2, /**< a scale and zero point per index of one axis */
  QT_PER_BLOCK_AFFINE = 3,   /**< a scale and zero point per block of consecutive elements
                                  along one axis (ONNX's blocked quantization) */
  QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS = 4 /**< PyTorch's: a float32 scale and float32 zero
                                               point per index of one axis */
} qt_qscheme;

/** Which formula quantizes floats into a tensor (docs/numerics.md): where
    a quantizer is used to quantize, fill, copy floats in or requantize. The
    operators (qt_add, qt_linear, ...) compute PyTorch's formulas. */
typedef enum qt_rounding {
  QT_ROUNDING_PYTORCH = 1, /**< x * (1.0f / scale), half to even, NaN -> zero point (the
                                default: torch.quantize_per_tensor's) */
  QT_ROUNDING_ONNX = 2,    /**< x / scale in float32, half to even, NaN -> qmin (ONNX
                                Runtime's QuantizeLinear) */
  QT_ROUNDING_GGUF = 3     /**< llama.cpp's Q8_0 / Q4_0 value formulas with the block's d:
                                qint8 with zero points 0 or quint4 with zero points 8,
                                float16 scales that may be 0 or negative (docs/gguf.md) */
} qt_rounding;

/** GGUF's block types that qtensor holds as tensors, numbered as ggml numbers
    them: 32 values per block along the last axis with a float16 scale d. */
typedef enum qt_gguf_type {
  QT_GGUF_Q4_0 = 2, /**< quint4 values q, zero point 8: (q - 8) * d */
  QT_GGUF_Q8_0 = 8  /**< qint8 values q, zero point 0: q * d */
} qt_gguf_type;

/** The floating-point type a quantizer's scales are kept in. Scales are
    doubles in every call; the type only says which values are allowed and
    how they go back out (files keep it). No result depends on it. */
typedef enum qt_scale_type {
  QT_SCALE_FLOAT64 = 1, /**< any double (the default, PyTorch's) */
  QT_SCALE_FLOAT32 = 2, /**< float32 values (ONNX's usual scales) */
  QT_SCALE_FLOAT16 = 3, /**< IEEE half values (GGUF's block scales, ONNX float16) */
  QT_SCALE_BFLOAT16 = 4 /**< bfloat16 values */
} qt_scale_type;

/** Unquantized float types a bundle entry may hold (GGUF's F32, F16 and BF16
    tensors). A float entry is data kept bit for bit (NaN payloads, -0.0,
    subnormals), not an operand: no operator takes it. Names are shared with
    the quantized entries: qt_bundle_size, _name, _contains and _remove cover
    both kinds; qt_bundle_get and _get_index of a float entry, and the
    qt_bundle_float_* accessors of a quantized one, give
    QT_ERR_TYPE_MISMATCH. Each accessor gives QT_ERR_NOT_FOUND for an absent
    name. */
typedef enum qt_float_dtype {
  QT_FLOAT32 = 1, /**< IEEE binary32, 4 bytes per value */
  QT_FLOAT16 = 2, /**< IEEE binary16, 2 bytes per value */
  QT_BFLOAT16 = 3 /**< bfloat16 (the top half of a float32), 2 bytes per value */
} qt_float_dtype;

/** A quantized tensor (a view of a shared storage). Opaque. */
typedef struct qt_tensor qt_tensor;
/** Quantization parameters and dtype. Opaque and immutable. */
typedef struct qt_quantizer qt_quantizer;
/** Named tensors (and float entries) plus string metadata (a state dict).
    Opaque. */
typedef struct qt_bundle qt_bundle;
/** A container file opened for reading (qt_bundle_file_open): its entries
    listed from the header, each tensor mapped when asked for. Opaque. */
typedef struct qt_bundle_file qt_bundle_file;
/** A container being written one tensor at a time (qt_bundle_writer_open).
    Opaque. */
typedef struct qt_bundle_writer qt_bundle_writer;

/* ---------------------------------------------------------------- errors */

/** The message of the last failed call on this thread ("" if none). The
    pointer is borrowed: valid until the next qt_* call on this thread. */
QTENSOR_API const char* qt_last_error_message(void);

/** A static English name for a status ("QT_ERR_OUT_OF_RANGE"). Never NULL. */
QTENSOR_API const char* qt_status_name(qt_status status);

/** The library version as "MAJOR.MINOR.PATCH" (static string). */
QTENSOR_API const char* qt_version(void);

/** The library version as MAJOR * 10000 + MINOR * 100 + PATCH: the loaded
    library's QTENSOR_VERSION_NUMBER. */
QTENSOR_API unsigned qt_version_number(void);

/** The name of a scale type ("float64", "float16", ...), or NULL if unknown. */
QTENSOR_API const char* qt_scale_type_name(qt_scale_type type);

/** The name of a rounding ("pytorch", "onnx"), or NULL if unknown. */
QTENSOR_API const char* qt_rounding_name(qt_rounding rounding);

/** The name of a dtype as PyTorch spells it ("qint8"), or NULL if unknown. */
QTENSOR_API const char* qt_dtype_name(qt_dtype dtype);

/** The name of a scheme as PyTorch spells it ("per_tensor_affine"), or NULL. */
QTENSOR_API const char* qt_qscheme_name(qt_qscheme qscheme);

/** The name of the SIMD target the kernels dispatch to on this CPU
    ("AVX2", "SSE4", "EMU128", ...). Static string. */
QTENSOR_API const char* qt_simd_target(void);

/** Caps the SIMD target the kernels dispatch to, for the whole process, as
    oneDNN's ONEDNN_MAX_CPU_ISA does: the kernels then use the best target
    this CPU supports that is not above target. Results are the same on every
    target; a cap serves tools that cannot run newer instructions (valgrind
    and AVX-512) and comparisons of targets. The environment variable
    QTENSOR_MAX_SIMD_TARGET, read once when the library is loaded, sets the
    same cap (an unknown name there is reported on stderr and ignored).
    @param target a name as qt_simd_target prints it, in any case ("AVX2",
                  "SSE4", "EMU128", ...); NULL or "" removes the cap.
    @return QT_ERR_INVALID_ARGUMENT for an unknown name (the cap is then
            unchanged). */
QTENSOR_API qt_status qt_set_max_simd_target(const char* target);

/* ---------------------------------------------------------------- threads */

/** Sets how many threads a quantize or dequantize of a large tensor (2^20
    elements or more) may use, for the whole process, as
    torch.set_num_threads does. 1, the default, keeps every call on the
    calling thread and starts no thread; 0 means one per logical core. A
    call split this way starts its threads and joins them before returning,
    and its results are bit for bit those of one thread.
    @return QT_ERR_INVALID_ARGUMENT for a count below 0 or above 64 (the
    setting is then unchanged). */
QTENSOR_API qt_status qt_set_num_threads(int threads);

/** The thread count in effect: 1 by default, else what qt_set_num_threads
    set, where 0 was replaced by the number of logical cores when it was set
    (at most 64), as torch.get_num_threads reports the count it uses. */
QTENSOR_API int qt_get_num_threads(void);

/* ------------------------------------------------------------ quantizers */

/**
 * Creates a per-tensor affine quantizer.
 * @param out         receives the new quantizer (caller frees).
 * @param dtype       the quantized type.
 * @param scale       > 0, finite as a float32, with a finite float32
 *                    reciprocal (about 2.9e-39 <= scale <= 3.4e38).
 * @param zero_point  inside dtype's range.
 * @return QT_ERR_INVALID_ARGUMENT for NULL out, unknown dtype, bad scale or
 *         zero point.
 */
QTENSOR_API qt_status qt_quantizer_new_per_tensor(qt_quantizer** out, qt_dtype dtype, double scale,
                                                  int64_t zero_point);

/**
 * Creates a per-channel affine quantizer.
 * @param out          receives the new quantizer (caller frees).
 * @param dtype        the quantized type.
 * @param scales       num_channels scales, each valid as for per-tensor (copied).
 * @param zero_points  num_channels zero points in dtype's range (copied).
 * @param num_channels the number of channels (may be 0).
 * @param axis         the channel axis; negative counts from the end. It must
 *                     lie in [-QTENSOR_MAX_DIMS, QTENSOR_MAX_DIMS), is
 *                     checked against a tensor's rank when the quantizer is
 *                     used, and the tensor's size on that axis must equal
 *                     num_channels.
 * @return QT_ERR_INVALID_ARGUMENT for NULL pointers (with num_channels > 0),
 *         unknown dtype, bad scales or zero points (the message names the
 *         channel and value), or an axis outside [-64, 64).
 */
QTENSOR_API qt_status qt_quantizer_new_per_channel(qt_quantizer** out, qt_dtype dtype,
                                                   const double* scales, const int64_t* zero_points,
                                                   size_t num_channels, int64_t axis);

/**
 * A copy of quantizer that quantizes with the given rounding (a new
 * quantizer has QT_ROUNDING_PYTORCH). A tensor made with it keeps the
 * rounding for every later quantize into it, through its views and files.
 * @return QT_ERR_INVALID_ARGUMENT for an unknown rounding, or
 *         QT_ROUNDING_ONNX with a dtype ONNX's QuantizeLinear has no output
 *         type for (qint32, quint4x2, quint2x4).
 */
QTENSOR_API qt_status qt_quantizer_with_rounding(qt_quantizer** out, const qt_quantizer* quantizer,
                                                 qt_rounding rounding);

/** The quantizer's rounding. */
QTENSOR_API qt_status qt_quantizer_rounding(qt_rounding* out, const qt_quantizer* quantizer);

/**
 * A copy of quantizer whose scales are of the given type (a new quantizer's
 * are QT_SCALE_FLOAT64). Views, clones and files keep it.
 * @return QT_ERR_INVALID_ARGUMENT for an unknown type, or a scale that is
 *         not a value of the type (the message names it and the nearest
 *         value; round the scales first).
 */
QTENSOR_API qt_status qt_quantizer_with_scale_type(qt_quantizer** out,
                                                   const qt_quantizer* quantizer,
                                                   qt_scale_type type);

/** The type the quantizer's scales are kept in. */
QTENSOR_API qt_status qt_quantizer_scale_type(qt_scale_type* out, const qt_quantizer* quantizer);

/**
 * Creates a per-block affine quantizer: one scale and zero point for each
 * block of block_size consecutive elements along axis, the last block of a
 * row possibly short (ONNX's blocked QuantizeLinear, GGUF's Q8_0 / Q4_0).
 * For a tensor of shape S the parameters are laid out row-major in ONNX's
 * shape for them, S with S[axis] replaced by ceil(S[axis] / block_size), so
 * count must be their product (checked when the quantizer is used). The
 * dequantize formula is the per-tensor one, with the element's block's
 * parameters; the operators refuse per-block tensors (requantize first).
 * @return QT_ERR_INVALID_ARGUMENT as for qt_quantizer_new_per_channel, or a
 *         block_size below 1.
 */
QTENSOR_API qt_status qt_quantizer_new_per_block(qt_quantizer** out, qt_dtype dtype,
                                                 const double* scales, const int64_t* zero_points,
                                                 size_t count, int64_t axis, int64_t block_size);

/**
 * The quantizer of GGUF blocks of a type: per block of 32 along the last
 * axis (axis -1), dtype and zero points as qt_gguf_type says, float16
 * scales, QT_ROUNDING_GGUF. What qt_quantize_gguf and qt_bundle_load_gguf
 * give, for a tensor made from GGUF blocks by hand (qt_from_int_repr).
 * @param scales one d per block, rows first: any finite float16 values,
 *               0, -0.0 and negative ones included.
 * @return QT_ERR_INVALID_ARGUMENT for an unknown type or a scale that is
 *         not a finite float16 value.
 */
QTENSOR_API qt_status qt_quantizer_new_gguf(qt_quantizer** out, qt_gguf_type type,
                                            const double* scales, size_t count);

/** The block size of a per-block quantizer (QT_ERR_TYPE_MISMATCH otherwise). */
QTENSOR_API qt_status qt_quantizer_block_size(int64_t* out, const qt_quantizer* quantizer);

/**
 * Creates PyTorch's per_channel_affine_float_qparams quantizer (the scheme
 * of its embedding quantization): a float32 scale and a float32 zero point
 * per index of axis. Quantize is clamp(lrintf(x * (1.0f / scale) +
 * zero_point), qmin, qmax) and dequantize ((float)q - zero_point) * scale,
 * in float32 (docs/numerics.md#float-qparams). Its scale type is
 * QT_SCALE_FLOAT32. The operators refuse such tensors (requantize first).
 * @param scales      num_channels scales, each positive with a finite
 *                    float32 reciprocal (copied).
 * @param zero_points num_channels finite zero points, any value, also
 *                    outside dtype's range (copied).
 * @param axis        as for qt_quantizer_new_per_channel.
 * @return QT_ERR_INVALID_ARGUMENT as for qt_quantizer_new_per_channel, for
 *         a zero point that is NaN or infinite, or a dtype other than
 *         QT_QINT8, QT_QUINT8, QT_QUINT4X2 and QT_QUINT2X4.
 */
QTENSOR_API qt_status qt_quantizer_new_per_channel_float_qparams(qt_quantizer** out, qt_dtype dtype,
                                                                 const float* scales,
                                                                 const float* zero_points,
                                                                 size_t num_channels, int64_t axis);

/** Copies a float-qparams quantizer's zero points into out[0..num_channels)
    (QT_ERR_TYPE_MISMATCH for other schemes, whose zero points are integers;
    qt_quantizer_zero_points and qt_quantizer_zero_point likewise refuse a
    float-qparams quantizer). */
QTENSOR_API qt_status qt_quantizer_float_zero_points(float* out, size_t capacity,
                                                     const qt_quantizer* quantizer);

/** q_per_channel_zero_points of a float-qparams view: its channels' float
    zero points (one for a view that selected the channel axis away). */
QTENSOR_API qt_status qt_tensor_q_per_channel_float_zero_points(float* out, size_t capacity,
                                                                const qt_tensor* tensor);

/** Frees a quantizer. NULL is a no-op. */
QTENSOR_API void qt_quantizer_free(qt_quantizer* quantizer);

/** The quantizer's dtype. */
QTENSOR_API qt_status qt_quantizer_dtype(qt_dtype* out, const qt_quantizer* quantizer);

/** The quantizer's scheme. */
QTENSOR_API qt_status qt_quantizer_qscheme(qt_qscheme* out, const qt_quantizer* quantizer);

/** The scale of a per-tensor quantizer (QT_ERR_TYPE_MISMATCH otherwise). */
QTENSOR_API qt_status qt_quantizer_scale(double* out, const qt_quantizer* quantizer);

/** The zero point of a per-tensor quantizer (QT_ERR_TYPE_MISMATCH otherwise). */
QTENSOR_API qt_status qt_quantizer_zero_point(int64_t* out, const qt_quantizer* quantizer);

/** The axis of a per-channel or per-block quantizer, as given at creation
    (QT_ERR_TYPE_MISMATCH if per-tensor). */
QTENSOR_API qt_status qt_quantizer_axis(int64_t* out, const qt_quantizer* quantizer);

/** The number of channels of a per-channel quantizer (of parameters of a
    per-block one); 1 for per-tensor. */
QTENSOR_API qt_status qt_quantizer_num_channels(size_t* out, const qt_quantizer* quantizer);

/** Copies the per-channel (per-block) scales into out[0..num_channels). For
    a per-tensor quantizer, copies its one scale. */
QTENSOR_API qt_status qt_quantizer_scales(double* out, size_t capacity,
                                          const qt_quantizer* quantizer);

/** Copies the per-channel zero points into out[0..num_channels). For a
    per-tensor quantizer, copies its one zero point. */
QTENSOR_API qt_status qt_quantizer_zero_points(int64_t* out, size_t capacity,
                                               const qt_quantizer* quantizer);

/** True if both quantizers have the same dtype, scheme, axis (as given, so
    -1 and 2 differ) and parameters. */
QTENSOR_API qt_status qt_quantizer_equal(bool* out, const qt_quantizer* a, const qt_quantizer* b);

/* ---------------------------------------------------- parameters from data */
/*
 * Scales and zero points chosen from float data, bit for bit as PyTorch 1.13
 * chooses them (docs/numerics.md states the formulas). Float data is a
 * row-major array of float32 with a shape, as qt_quantize takes it. Where
 * PyTorch gives no usable answer (NaN or an infinity in the data, an
 * observer that saw no data) these functions fail with
 * QT_ERR_INVALID_ARGUMENT and say why.
 */

/** An observer of float batches (torch.ao.quantization's MinMaxObserver and
    relatives): it keeps the running minimum and maximum, per tensor or per
    channel, and gives quantization parameters. Opaque; not thread-safe
    (use one per thread, or lock). */
typedef struct qt_observer qt_observer;

/**
 * PyTorch's ChooseQuantizationParams: a per-tensor scale and zero point for
 * values in [min, max] and integers in [qmin, qmax].
 * @param scale             receives the scale (a double, as PyTorch's).
 * @param zero_point        receives the zero point, in [qmin, qmax].
 * @param min, max          the range; finite, min <= max. It is widened to
 *                          include 0.
 * @param qmin, qmax        the integer range, inside int32, qmin < qmax.
 * @param preserve_sparsity PyTorch's symmetric variant: with min < 0 < max
 *                          the range is made symmetric and the zero point
 *                          is the middle of [qmin, qmax].
 * @param reduce_range      halve qmin and qmax first (towards zero).
 * @return QT_ERR_INVALID_ARGUMENT for NULL outputs, min or max not finite,
 *         min > max, qmin or qmax outside int32, or qmin >= qmax (after
 *         reduce_range).
 */
QTENSOR_API qt_status qt_choose_qparams(double* scale, int64_t* zero_point, float min, float max,
                                        int64_t qmin, int64_t qmax, bool preserve_sparsity,
                                        bool reduce_range);

/**
 * torch._choose_qparams_per_tensor(x, reduce_range): qt_choose_qparams on
 * the data's min and max with qmin 0 and qmax 255.
 * @param data  numel floats (NULL only if numel is 0).
 * @param shape ndim sizes, each >= 0 (may be NULL if ndim is 0).
 * @return QT_ERR_INVALID_ARGUMENT for NULL pointers, bad shapes, no
 *         elements, or a NaN or infinite element (the message names it).
 */
QTENSOR_API qt_status qt_choose_qparams_per_tensor(double* scale, int64_t* zero_point,
                                                   const float* data, const int64_t* shape,
                                                   size_t ndim, bool reduce_range);

/**
 * torch.quantize_per_tensor_dynamic(x, dtype, reduce_range): quantizes the
 * data into a new contiguous per-tensor tensor with the parameters
 * qt_choose_qparams picks from its min and max ([-128, 127] for qint8,
 * [0, 255] for quint8).
 * @param dtype QT_QINT8 or QT_QUINT8 (PyTorch refuses qint32 too).
 * @return QT_ERR_INVALID_ARGUMENT as qt_choose_qparams_per_tensor, and for
 *         another dtype; QT_ERR_OUT_OF_MEMORY.
 */
QTENSOR_API qt_status qt_quantize_per_tensor_dynamic(qt_tensor** out, const float* data,
                                                     const int64_t* shape, size_t ndim,
                                                     qt_dtype dtype, bool reduce_range);

/**
 * A new MinMaxObserver: parameters from the running minimum and maximum of
 * every batch seen.
 * @param out          receives the observer (caller frees with
 *                     qt_observer_free).
 * @param dtype        QT_QUINT8, QT_QINT8 or QT_QINT32.
 * @param symmetric    false: per_tensor_affine; true: per_tensor_symmetric.
 * @param reduce_range one bit less of range (not with symmetric quint8, as
 *                     in PyTorch; ignored for qint32's default range, as in
 *                     PyTorch).
 * @param quant_min, quant_max  a custom integer range; both 0 selects the
 *                     dtype's default (PyTorch's None). A custom range must
 *                     include 0, have quant_min < quant_max, fit the dtype
 *                     and, for qint32, hold at most 2^31 values.
 * @return QT_ERR_INVALID_ARGUMENT for NULL out, an unknown dtype, or options
 *         PyTorch refuses or that do not fit the dtype.
 */
QTENSOR_API qt_status qt_observer_new_min_max(qt_observer** out, qt_dtype dtype, bool symmetric,
                                              bool reduce_range, int64_t quant_min,
                                              int64_t quant_max);

/**
 * A new MovingAverageMinMaxObserver: the first batch's min and max, then
 * min += averaging_constant * (batch min - min) (float32, as PyTorch's), the
 * same for max.
 * @param averaging_constant in (0, 1].
 * Other parameters and errors as qt_observer_new_min_max, and
 * QT_ERR_INVALID_ARGUMENT for averaging_constant outside (0, 1].
 */
QTENSOR_API qt_status qt_observer_new_moving_average_min_max(qt_observer** out,
                                                             double averaging_constant,
                                                             qt_dtype dtype, bool symmetric,
                                                             bool reduce_range, int64_t quant_min,
                                                             int64_t quant_max);

/**
 * A new PerChannelMinMaxObserver: a running min and max per index of
 * ch_axis; every batch must have the same number of channels.
 * @param ch_axis   the channel axis, in [-64, 64); negative counts from the
 *                  end of each batch's shape.
 * @param symmetric false: per_channel_affine; true: per_channel_symmetric.
 * Other parameters and errors as qt_observer_new_min_max, and
 * QT_ERR_INVALID_ARGUMENT for ch_axis outside [-64, 64).
 */
QTENSOR_API qt_status qt_observer_new_per_channel_min_max(qt_observer** out, int64_t ch_axis,
                                                          qt_dtype dtype, bool symmetric,
                                                          bool reduce_range, int64_t quant_min,
                                                          int64_t quant_max);

/** A new MovingAveragePerChannelMinMaxObserver: the moving average of
    qt_observer_new_moving_average_min_max, per channel as
    qt_observer_new_per_channel_min_max. Errors as those two. */
QTENSOR_API qt_status qt_observer_new_moving_average_per_channel_min_max(
    qt_observer** out, double averaging_constant, int64_t ch_axis, qt_dtype dtype, bool symmetric,
    bool reduce_range, int64_t quant_min, int64_t quant_max);

/**
 * A new HistogramObserver: a histogram of bins counts over the running range
 * (PyTorch 1.13's, including its truncation of the first range to integers),
 * resampled with upsample_rate as the range grows; the parameters come from
 * the range its L2 search picks.
 * @param bins          in [1, 2^24] (PyTorch's default 2048).
 * @param upsample_rate in [1, 2^20] (PyTorch's default 128).
 * Other parameters and errors as qt_observer_new_min_max, except that
 * symmetric quint8 with reduce_range is allowed, as in PyTorch. A batch
 * holding NaN or an infinity, or widening the range too far to resample, is
 * refused by qt_observer_forward (QT_ERR_INVALID_ARGUMENT; PyTorch fails
 * too).
 */
QTENSOR_API qt_status qt_observer_new_histogram(qt_observer** out, int64_t bins,
                                                int64_t upsample_rate, qt_dtype dtype,
                                                bool symmetric, bool reduce_range,
                                                int64_t quant_min, int64_t quant_max);

/** Frees an observer. NULL is a no-op. */
QTENSOR_API void qt_observer_free(qt_observer* observer);

/**
 * observer(x): records one batch of row-major floats of any shape. A batch
 * without elements is ignored, as PyTorch ignores it. NaN and infinities are
 * recorded as PyTorch records them; qt_observer_calculate_qparams then
 * reports them. On error the observer is unchanged.
 * @return QT_ERR_INVALID_ARGUMENT for NULL pointers or bad shapes;
 *         QT_ERR_OUT_OF_RANGE for a per-channel observer whose ch_axis is
 *         outside the batch's rank; QT_ERR_SHAPE_MISMATCH for a batch with
 *         another number of channels than the first.
 */
QTENSOR_API qt_status qt_observer_forward(qt_observer* observer, const float* data,
                                          const int64_t* shape, size_t ndim);

/** The number of parameters qt_observer_calculate_qparams writes: 1 for a
    per-tensor observer, the number of channels for a per-channel one that
    saw data, 0 for one that saw none. */
QTENSOR_API qt_status qt_observer_num_channels(size_t* out, const qt_observer* observer);

/**
 * observer.calculate_qparams(): copies the scales (float32, as PyTorch's)
 * and zero points, qt_observer_num_channels of each.
 * @param scales, zero_points  receive the parameters.
 * @param capacity             the length of each array.
 * @return QT_ERR_INVALID_ARGUMENT for NULL pointers, a capacity too small,
 *         an observer that saw no data yet (PyTorch warns and gives 1.0 and
 *         0), a NaN in the observed range (PyTorch fails an assertion), or
 *         an infinite scale (an infinity was seen or the range overflows
 *         float32; PyTorch gives the infinite scale).
 */
QTENSOR_API qt_status qt_observer_calculate_qparams(float* scales, int64_t* zero_points,
                                                    size_t capacity, const qt_observer* observer);

/** observer.min_val: copies the running (or averaged, or the histogram's)
    minimum, qt_observer_num_channels values; +inf for a per-tensor
    observer that saw no data, as PyTorch's. QT_ERR_INVALID_ARGUMENT for NULL
    pointers or a capacity too small. */
QTENSOR_API qt_status qt_observer_min_val(float* out, size_t capacity, const qt_observer* observer);

/** observer.max_val: as qt_observer_min_val for the maximum (-inf before
    data). */
QTENSOR_API qt_status qt_observer_max_val(float* out, size_t capacity, const qt_observer* observer);

/** The observer's parameters as a new quantizer (caller frees): per tensor,
    or per channel along the observer's ch_axis. Errors as
    qt_observer_calculate_qparams. */
QTENSOR_API qt_status qt_observer_quantizer(qt_quantizer** out, const qt_observer* observer);

/* -------------------------------------------------------------- creation */

/**
 * Quantizes row-major float32 data into a new contiguous tensor:
 * q = clamp(zero_point + nearbyint(x * (1.0f / (float)scale)), qmin, qmax),
 * NaN -> zero_point, +inf -> qmax, -inf -> qmin.
 * @param out       receives the new tensor (caller frees).
 * @param data      numel floats, read only (may be NULL if numel is 0).
 * @param shape     ndim sizes, each >= 0 (may be NULL if ndim is 0: a 0-dim tensor).
 * @param ndim      the rank, at most QTENSOR_MAX_DIMS.
 * @param quantizer the parameters; not retained.
 * @return QT_ERR_INVALID_ARGUMENT for NULL pointers, negative sizes, a rank
 *         too large, or a per-channel axis outside the rank;
 *         QT_ERR_SHAPE_MISMATCH if the number of channels is not shape[axis];
 *         QT_ERR_OUT_OF_MEMORY.
 */
QTENSOR_API qt_status qt_quantize(qt_tensor** out, const float* data, const int64_t* shape,
                                  size_t ndim, const qt_quantizer* quantizer);

/** qt_quantize with a per-tensor quantizer made from dtype, scale, zero_point
    (torch.quantize_per_tensor). */
QTENSOR_API qt_status qt_quantize_per_tensor(qt_tensor** out, const float* data,
                                             const int64_t* shape, size_t ndim, double scale,
                                             int64_t zero_point, qt_dtype dtype);

/**
 * Floats quantized into GGUF blocks exactly as llama.cpp's quantize_row_q8_0
 * / quantize_row_q4_0 do (each block's d from its values), as a tensor with
 * qt_quantizer_new_gguf's quantizer.
 * @param shape rank >= 1, the last dim a multiple of 32.
 * @return QT_ERR_INVALID_ARGUMENT for another shape, an unknown type, or a
 *         block whose d is not finite (NaN or inf in it, or values beyond
 *         float16's range); QT_ERR_OUT_OF_MEMORY.
 */
QTENSOR_API qt_status qt_quantize_gguf(qt_tensor** out, const float* data, const int64_t* shape,
                                       size_t ndim, qt_gguf_type type);

/** qt_quantize with a per-channel quantizer (torch.quantize_per_channel). */
QTENSOR_API qt_status qt_quantize_per_channel(qt_tensor** out, const float* data,
                                              const int64_t* shape, size_t ndim,
                                              const double* scales, const int64_t* zero_points,
                                              size_t num_channels, int64_t axis, qt_dtype dtype);

/** A new contiguous tensor of the given shape whose integers are all zero
    (not the zero point: as torch's empty, but never uninitialised memory).
    Errors as qt_quantize. */
QTENSOR_API qt_status qt_empty_quantized(qt_tensor** out, const int64_t* shape, size_t ndim,
                                         const qt_quantizer* quantizer);

/**
 * A new contiguous tensor holding a copy of row-major integers.
 * @param int_data   numel integers of the quantizer's dtype, as qt_int_repr
 *                   writes them (int8_t, uint8_t, int16_t, uint16_t or
 *                   int32_t; one int8_t / uint8_t per value for the packed
 *                   dtypes); may be NULL if numel is 0.
 * @param data_bytes the size of int_data in bytes; must be numel *
 *                   qt_dtype_size(dtype).
 * Other parameters and errors as qt_quantize; QT_ERR_SHAPE_MISMATCH if
 * data_bytes is wrong; QT_ERR_INVALID_ARGUMENT for a value outside a packed
 * dtype's range.
 */
QTENSOR_API qt_status qt_from_int_repr(qt_tensor** out, const void* int_data, size_t data_bytes,
                                       const int64_t* shape, size_t ndim,
                                       const qt_quantizer* quantizer);

/**
 * A new contiguous tensor from integers in storage form: for the packed
 * dtypes ceil(numel * bits / 8) bytes, the first value in the lowest bits
 * (as PyTorch's quint4x2 and ONNX's int4 keep them) and the unused high bits
 * of the last byte 0; for the others as qt_from_int_repr.
 * @return QT_ERR_SHAPE_MISMATCH for a wrong data_bytes, QT_ERR_CORRUPT_DATA
 *         for unused bits that are not 0; otherwise as qt_from_int_repr.
 */
QTENSOR_API qt_status qt_from_packed(qt_tensor** out, const void* data, size_t data_bytes,
                                     const int64_t* shape, size_t ndim,
                                     const qt_quantizer* quantizer);

/** A new per-tensor quint8 tensor from uint8 integers, scale and zero point
    (torch._make_per_tensor_quantized_tensor on a uint8 tensor). */
QTENSOR_API qt_status qt_make_per_tensor_quantized_uint8(qt_tensor** out, const uint8_t* int_data,
                                                         const int64_t* shape, size_t ndim,
                                                         double scale, int64_t zero_point);
/** As above for int8 integers: the result is qint8. */
QTENSOR_API qt_status qt_make_per_tensor_quantized_int8(qt_tensor** out, const int8_t* int_data,
                                                        const int64_t* shape, size_t ndim,
                                                        double scale, int64_t zero_point);
/** As above for int32 integers: the result is qint32. */
QTENSOR_API qt_status qt_make_per_tensor_quantized_int32(qt_tensor** out, const int32_t* int_data,
                                                         const int64_t* shape, size_t ndim,
                                                         double scale, int64_t zero_point);

/** Frees a tensor handle (the storage lives on while other views use it).
    NULL is a no-op. */
QTENSOR_API void qt_tensor_free(qt_tensor* tensor);

/** A new handle to the same view (shares storage, shape and strides). */
QTENSOR_API qt_status qt_tensor_share(qt_tensor** out, const qt_tensor* tensor);

/* ---------------------------------------------------------- inspection */

/** The rank. */
QTENSOR_API qt_status qt_tensor_ndim(size_t* out, const qt_tensor* tensor);
/** The number of elements (product of the shape; 1 for 0-dim). */
QTENSOR_API qt_status qt_tensor_numel(size_t* out, const qt_tensor* tensor);
/** Copies the shape into out[0..ndim). */
QTENSOR_API qt_status qt_tensor_shape(int64_t* out, size_t capacity, const qt_tensor* tensor);
/** Copies the strides (in elements; may be negative) into out[0..ndim). */
QTENSOR_API qt_status qt_tensor_strides(int64_t* out, size_t capacity, const qt_tensor* tensor);
/** The offset of the first element in the storage, in elements. */
QTENSOR_API qt_status qt_tensor_storage_offset(int64_t* out, const qt_tensor* tensor);
/** The dtype. */
QTENSOR_API qt_status qt_tensor_dtype(qt_dtype* out, const qt_tensor* tensor);
/** The effective scheme: per-block for a per-block storage; per-channel
    only if a dim of the view walks the storage's channel axis. */
QTENSOR_API qt_status qt_tensor_qscheme(qt_qscheme* out, const qt_tensor* tensor);
/** Always true for a valid tensor (torch's is_quantized). */
QTENSOR_API qt_status qt_tensor_is_quantized(bool* out, const qt_tensor* tensor);
/** True if the view's elements are adjacent in row-major order. */
QTENSOR_API qt_status qt_tensor_is_contiguous(bool* out, const qt_tensor* tensor);
/** True if both handles view the same storage. */
QTENSOR_API qt_status qt_tensor_shares_storage(bool* out, const qt_tensor* a, const qt_tensor* b);

/** torch's data_ptr() and nbytes: the address of a contiguous view's first
    integer, its numel integers following row-major, and their size in bytes
    (for a packed dtype ceil(numel * bits / 8) bytes in storage form, as
    qt_packed_repr describes; the last byte may hold values of other views).
    The pointer is borrowed from the storage: valid while any handle to the
    storage lives, and what it points to changes with every write through a
    view of the storage (and may be written through, as the view's own
    integers, unless the storage is read-only: a tensor that borrows a
    mapped file points into a read-only mapping, where a write faults). An
    empty view gives *bytes 0 and a pointer not to be read.
    @return QT_ERR_INVALID_ARGUMENT for a view that is not contiguous or, for a
    packed dtype, starts inside a byte (make one with qt_contiguous). */
QTENSOR_API qt_status qt_tensor_data(void** data, size_t* bytes, const qt_tensor* tensor);

/** True if the tensor's storage is read-only: it borrows a read-only
    mapping of a file (qt_bundle_file_get, qt_bundle_load of a container).
    Writing into any view of it is refused; qt_clone gives a writable copy. */
QTENSOR_API qt_status qt_tensor_is_read_only(bool* out, const qt_tensor* tensor);

/** The effective quantizer of the view, in the view's own dim numbering
    (caller frees). A view that selected away the channel axis gets a
    per-tensor quantizer with that channel's parameters. */
QTENSOR_API qt_status qt_tensor_quantizer(qt_quantizer** out, const qt_tensor* tensor);
/** q_scale: the scale of a per-tensor view (QT_ERR_TYPE_MISMATCH otherwise). */
QTENSOR_API qt_status qt_tensor_q_scale(double* out, const qt_tensor* tensor);
/** q_zero_point: the zero point of a per-tensor view. */
QTENSOR_API qt_status qt_tensor_q_zero_point(int64_t* out, const qt_tensor* tensor);
/** q_per_channel_axis: the view's own channel dim (per-channel views only). */
QTENSOR_API qt_status qt_tensor_q_per_channel_axis(int64_t* out, const qt_tensor* tensor);
/** The view's number of channels: shape[axis] for per-channel, else 1. */
QTENSOR_API qt_status qt_tensor_q_num_channels(size_t* out, const qt_tensor* tensor);
/** q_per_channel_scales: copies shape[axis] scales (per-channel views only). */
QTENSOR_API qt_status qt_tensor_q_per_channel_scales(double* out, size_t capacity,
                                                     const qt_tensor* tensor);
/** q_per_channel_zero_points: copies shape[axis] zero points. */
QTENSOR_API qt_status qt_tensor_q_per_channel_zero_points(int64_t* out, size_t capacity,
                                                          const qt_tensor* tensor);

/* ----------------------------------------------------------------- views */

/** q.select(dim, index): drops dim; negative dim and index count from the end.
    @return QT_ERR_OUT_OF_RANGE for dim or index outside the tensor. */
QTENSOR_API qt_status qt_select(qt_tensor** out, const qt_tensor* tensor, int64_t dim,
                                int64_t index);

/** Python's t[start:stop:step] along dim. start and stop are clamped as
    Python clamps them; pass INT64_MIN / INT64_MAX for an open end (for a
    negative step: INT64_MAX as start, INT64_MIN as stop). Negative steps walk
    backwards, as in NumPy.
    @return QT_ERR_OUT_OF_RANGE for a bad dim; QT_ERR_INVALID_ARGUMENT for
    step 0. */
QTENSOR_API qt_status qt_slice(qt_tensor** out, const qt_tensor* tensor, int64_t dim, int64_t start,
                               int64_t stop, int64_t step);

/** q.narrow(dim, start, length): start may be negative; the range must lie
    inside the dim (QT_ERR_OUT_OF_RANGE otherwise). */
QTENSOR_API qt_status qt_narrow(qt_tensor** out, const qt_tensor* tensor, int64_t dim,
                                int64_t start, int64_t length);

/** q.transpose(dim0, dim1), also for per-channel tensors. */
QTENSOR_API qt_status qt_transpose(qt_tensor** out, const qt_tensor* tensor, int64_t dim0,
                                   int64_t dim1);

/** q.permute(dims): dims is a permutation of 0..ndim-1 (negative allowed).
    @return QT_ERR_INVALID_ARGUMENT if ndims != ndim or dims repeat;
    QT_ERR_OUT_OF_RANGE for a dim outside the tensor. */
QTENSOR_API qt_status qt_permute(qt_tensor** out, const qt_tensor* tensor, const int64_t* dims,
                                 size_t ndims);

/* ---------------------------------------------------------- shape views */

/** q.view(shape): the same elements in row-major order under a new shape of
    ndim sizes, one of which may be -1 (inferred). Shares the storage. A
    per-channel view keeps its channel dim where a new dim of the same size
    starts at the same row-major place (torch keeps the axis number instead).
    @return QT_ERR_INVALID_ARGUMENT for NULL pointers, two -1s, a size below
    -1, ndim above QTENSOR_MAX_DIMS, or a per-channel view whose channel dim
    would be merged with or split across other dims; QT_ERR_SHAPE_MISMATCH
    for a shape that does not hold numel elements, or strides that cannot be
    viewed so ("view size is not compatible with input tensor's size and
    stride ..."), as in torch. */
QTENSOR_API qt_status qt_view(qt_tensor** out, const qt_tensor* tensor, const int64_t* shape,
                              size_t ndim);

/** q.reshape(shape): qt_view where the strides allow it, else a view of a
    contiguous copy in a new storage. Errors as qt_view, except that strides
    never are one. */
QTENSOR_API qt_status qt_reshape(qt_tensor** out, const qt_tensor* tensor, const int64_t* shape,
                                 size_t ndim);

/** q.flatten(start_dim, end_dim): dims start_dim..end_dim (negative count
    from the end) merged into one, by qt_reshape; a new handle to the same
    view when start_dim == end_dim, and shape (1) for a 0-dim tensor.
    @return QT_ERR_OUT_OF_RANGE for a dim outside the tensor;
    QT_ERR_INVALID_ARGUMENT if start_dim comes after end_dim; as qt_reshape. */
QTENSOR_API qt_status qt_flatten(qt_tensor** out, const qt_tensor* tensor, int64_t start_dim,
                                 int64_t end_dim);

/** q.unsqueeze(dim): a view with a new size-1 dim at dim, in
    [-ndim - 1, ndim] (QT_ERR_OUT_OF_RANGE otherwise;
    QT_ERR_INVALID_ARGUMENT past QTENSOR_MAX_DIMS). */
QTENSOR_API qt_status qt_unsqueeze(qt_tensor** out, const qt_tensor* tensor, int64_t dim);

/** q.squeeze(): a view without any of its size-1 dims. Squeezing a
    per-channel view's size-1 channel dim leaves a per-tensor view with that
    channel's parameters, as qt_select does (torch refuses it). */
QTENSOR_API qt_status qt_squeeze(qt_tensor** out, const qt_tensor* tensor);

/** q.squeeze(dim): a view without dim if its size is 1, else a new handle to
    the same view. @return QT_ERR_OUT_OF_RANGE for a dim outside the tensor. */
QTENSOR_API qt_status qt_squeeze_dim(qt_tensor** out, const qt_tensor* tensor, int64_t dim);

/** q.contiguous(): a new handle to the same view if it is already
    contiguous, else a contiguous copy in a new storage carrying the view's
    effective quantizer. */
QTENSOR_API qt_status qt_contiguous(qt_tensor** out, const qt_tensor* tensor);

/** q.clone(): a contiguous copy in a new storage, always. */
QTENSOR_API qt_status qt_clone(qt_tensor** out, const qt_tensor* tensor);

/* -------------------------------------------------------------- elements */

/** item(): the dequantized value of a one-element tensor
    (QT_ERR_SHAPE_MISMATCH if numel != 1). */
QTENSOR_API qt_status qt_tensor_item(float* out, const qt_tensor* tensor);

/** The dequantized value at a full index (negative entries count from end).
    @return QT_ERR_OUT_OF_RANGE if ndim is not the tensor's rank or an entry
    is outside its dim. */
QTENSOR_API qt_status qt_tensor_get(float* out, const qt_tensor* tensor, const int64_t* index,
                                    size_t ndim);

/** Quantizes value with the element's own parameters and stores it at a full
    index (q[i, j] = value). Errors as qt_tensor_get. */
QTENSOR_API qt_status qt_tensor_set(qt_tensor* tensor, const int64_t* index, size_t ndim,
                                    float value);

/** fill_(value): quantizes value with each element's parameters and stores it
    in every element of the view. */
QTENSOR_API qt_status qt_fill(qt_tensor* tensor, float value);

/* ------------------------------------------------------------------ copy */

/**
 * dst.copy_(src): shapes and dtypes must be equal. If dst is contiguous and
 * is the whole of its storage, it takes src's integers and effective
 * quantizer exactly. Otherwise src's values are requantized into dst's own
 * parameters, so no other view of dst's storage changes meaning. src and dst
 * may overlap.
 * @return QT_ERR_SHAPE_MISMATCH, QT_ERR_TYPE_MISMATCH.
 */
QTENSOR_API qt_status qt_copy(qt_tensor* dst, const qt_tensor* src);

/** dst.copy_(float data): quantizes count row-major floats with dst's
    parameters (count must equal numel: QT_ERR_SHAPE_MISMATCH). */
QTENSOR_API qt_status qt_copy_from_float(qt_tensor* dst, const float* data, size_t count);

/* ------------------------------------------- index lists, masks, repeats */

/** torch.empty_like(q): a new contiguous tensor of the view's shape and
    dtype whose every element has the view's element's parameters (also
    where the view selected away a per-channel axis); its integers are all
    zero (as qt_empty_quantized's). */
QTENSOR_API qt_status qt_empty_like(qt_tensor** out, const qt_tensor* tensor);

/** torch.index_select(q, dim, index): a new contiguous tensor of the count
    slices of tensor at indices along dim (negative dims count from the
    end), in that order, repeats allowed; count may be 0. Integers are copied
    and each element keeps its own parameters: along a per-channel axis the
    result's channels are the selected ones (PyTorch 1.13 refuses
    per-channel tensors).
    @return QT_ERR_OUT_OF_RANGE for a bad dim or an index outside
    [0, size) (as torch's, negative indices too), QT_ERR_TYPE_MISMATCH for a
    per-block tensor. */
QTENSOR_API qt_status qt_index_select(qt_tensor** out, const qt_tensor* tensor, int64_t dim,
                                      const int64_t* indices, size_t count);

/** q.repeat(*sizes): a new contiguous tensor with each dim tiled sizes[d]
    times; count (at least the rank) beyond the rank adds leading dims.
    Integers are copied and each element keeps its own parameters (a
    per-channel axis's channels repeat with it; PyTorch 1.13 refuses
    per-channel tensors).
    @return QT_ERR_INVALID_ARGUMENT for fewer sizes than dims or a negative
    size, QT_ERR_OUT_OF_MEMORY for a result too large, QT_ERR_TYPE_MISMATCH
    for a per-block tensor that is tiled. */
QTENSOR_API qt_status qt_repeat(qt_tensor** out, const qt_tensor* tensor, const int64_t* sizes,
                                size_t count);

/** q.masked_fill_(mask, value): every element whose mask entry is true
    becomes value quantized with that element's own parameters (as
    qt_fill quantizes). mask holds count row-major entries of the view's
    shape (broadcast it first).
    @return QT_ERR_SHAPE_MISMATCH if count is not the view's numel. */
QTENSOR_API qt_status qt_masked_fill_inplace(qt_tensor* tensor, const bool* mask, size_t count,
                                             float value);

/** q.index_put_ along dim, q[..., indices, ...] = values: values holds
    value_count row-major floats of the tensor's shape with dim's size
    count, and the slice at indices[i] (negative ones count from the end, as
    torch's) gets its slice i along dim, quantized with each element's own
    parameters; a repeated index takes its last slice.
    @return QT_ERR_OUT_OF_RANGE for a bad dim or index,
    QT_ERR_SHAPE_MISMATCH for a wrong value_count. */
QTENSOR_API qt_status qt_index_put_inplace(qt_tensor* tensor, int64_t dim, const int64_t* indices,
                                           size_t count, const float* values, size_t value_count);

/* -------------------------------------------------------------- read-out */

/** dequantize(): writes numel row-major floats to out. capacity >= numel;
    out[numel] onwards is left as it was.
    @return QT_ERR_INVALID_ARGUMENT for a capacity below numel. */
QTENSOR_API qt_status qt_dequantize(float* out, size_t capacity, const qt_tensor* tensor);

/** int_repr(): writes the numel row-major integers (int8_t, uint8_t,
    int16_t, uint16_t or int32_t by dtype; one int8_t / uint8_t per value for
    the packed dtypes) to out; capacity_bytes >= numel * qt_dtype_size, and
    the bytes after those are left as they were.
    @return QT_ERR_INVALID_ARGUMENT for a smaller capacity. */
QTENSOR_API qt_status qt_int_repr(void* out, size_t capacity_bytes, const qt_tensor* tensor);

/** The view's integers row-major in storage form (what qt_from_packed
    takes): for the packed dtypes ceil(numel * bits / 8) bytes, packed from
    the first value on whatever the view's layout, the unused high bits 0;
    for the others as qt_int_repr. capacity_bytes must hold them.
    @return QT_ERR_INVALID_ARGUMENT for a smaller capacity. */
QTENSOR_API qt_status qt_packed_repr(void* out, size_t capacity_bytes, const qt_tensor* tensor);

/** The size in bytes of one element of dtype's int_repr: 1, 2 or 4; 1 for
    the packed dtypes (0 if unknown). */
QTENSOR_API size_t qt_dtype_size(qt_dtype dtype);

/** The bits one element of dtype takes in storage: 2, 4, 8, 16 or 32 (0 if
    unknown). */
QTENSOR_API size_t qt_dtype_bits(qt_dtype dtype);

/* ------------------------------------------------------------- operators */
/* Each takes a view of any layout and gives a new contiguous tensor (the
   _inplace forms write the view itself). docs/numerics.md has the formulas. */

/** A new tensor of tensor's shape holding its dequantized values quantized
    with quantizer, element for element as qt_quantize of qt_dequantize's
    floats gives them, in one pass. A per-channel quantizer's axis is a dim
    of the result.
    @return QT_ERR_SHAPE_MISMATCH when a per-channel quantizer's channel
    count is not the size of its axis; QT_ERR_INVALID_ARGUMENT when its axis
    is not a dim of the result. */
QTENSOR_API qt_status qt_requantize(qt_tensor** out, const qt_tensor* tensor,
                                    const qt_quantizer* quantizer);

/** torch.relu(q): max(q, zero point) on the integers; the result keeps the
    tensor's parameters (per tensor or each channel's own). */
QTENSOR_API qt_status qt_relu(qt_tensor** out, const qt_tensor* tensor);

/** q.relu_(): qt_relu written into the view itself. */
QTENSOR_API qt_status qt_relu_inplace(qt_tensor* tensor);

/** F.leaky_relu(q, negative_slope): each element dequantized, then
    y = x >= 0 ? x : x * negative_slope in float32, quantized with the
    tensor's own parameters (each channel's for per-channel tensors).
    @return QT_ERR_INVALID_ARGUMENT for a non-finite slope. */
QTENSOR_API qt_status qt_leaky_relu(qt_tensor** out, const qt_tensor* tensor, float negative_slope);

/** F.leaky_relu(q, negative_slope, inplace=True): qt_leaky_relu written
    into the view itself. */
QTENSOR_API qt_status qt_leaky_relu_inplace(qt_tensor* tensor, float negative_slope);

/** torch.ops.quantized.hardswish(q, scale, zero_point): each element
    dequantized, y = x * min(max(x + 3, 0), 6) / 6 in float32, quantized
    with the given per-tensor scale and zero point into the tensor's dtype.
    @return QT_ERR_INVALID_ARGUMENT for a bad scale or zero point. */
QTENSOR_API qt_status qt_hardswish(qt_tensor** out, const qt_tensor* tensor, double scale,
                                   int64_t zero_point);

/** torch.sigmoid(q): each element dequantized, y = 1 / (1 + exp(-x)) in
    float32 by qtensor's own formula (docs/numerics.md: the same bits on
    every CPU, within 2 ulps of the true value), quantized with PyTorch's
    fixed parameters for the dtype: scale 2^-8 and zero point 0 (quint8),
    -128 (qint8); scale 2^-32 and zero point 0 (qint32). */
QTENSOR_API qt_status qt_sigmoid(qt_tensor** out, const qt_tensor* tensor);

/** torch.tanh(q): y = tanh(x) by qtensor's own float32 formula (likewise),
    quantized with scale 2^-7 and zero point 128 (quint8) or 0 (qint8);
    scale 2^-31 and zero point 0 (qint32). */
QTENSOR_API qt_status qt_tanh(qt_tensor** out, const qt_tensor* tensor);

/** F.relu6(q): min(max(q, zero point), quantize(6.0)), parameters kept. */
QTENSOR_API qt_status qt_relu6(qt_tensor** out, const qt_tensor* tensor);

/** F.relu6(q, inplace=True): qt_relu6 written into the view itself. */
QTENSOR_API qt_status qt_relu6_inplace(qt_tensor* tensor);

/** torch.clamp(q, min, max) (F.hardtanh): min(max(q, quantize(min)),
    quantize(max)), each bound quantized with the element's own parameters
    (saturating: -INFINITY / INFINITY mean no bound); max wins where
    min > max, as in torch.clamp. Parameters kept.
    @return QT_ERR_INVALID_ARGUMENT for a NaN bound. */
QTENSOR_API qt_status qt_clamp(qt_tensor** out, const qt_tensor* tensor, float min, float max);

/** F.hardtanh(q, min, max, inplace=True): qt_clamp written into the view
    itself. */
QTENSOR_API qt_status qt_clamp_inplace(qt_tensor* tensor, float min, float max);

/** torch.ops.quantized.add(a, b, scale, zero_point): a + b with NumPy
    broadcasting, each input dequantized with its own parameters, the float32
    sum quantized with the given per-tensor scale and zero point into a's
    dtype. Any scheme and dtype (PyTorch: per tensor, one dtype).
    @return QT_ERR_SHAPE_MISMATCH for shapes that do not broadcast;
    QT_ERR_INVALID_ARGUMENT for a bad scale or zero point. */
QTENSOR_API qt_status qt_add(qt_tensor** out, const qt_tensor* a, const qt_tensor* b, double scale,
                             int64_t zero_point);

/** qt_add with relu fused: the sum is max(sum, 0) before it is quantized. */
QTENSOR_API qt_status qt_add_relu(qt_tensor** out, const qt_tensor* a, const qt_tensor* b,
                                  double scale, int64_t zero_point);

/** torch.ops.quantized.mul(a, b, scale, zero_point): PyTorch's integer
    formula, zero_point + round((qa - za) * (qb - zb) * m) clamped, with
    m = (float)sa * (float)sb * (1 / (float)scale) in float32, for each
    element's own scales and zero points; NumPy broadcasting; a's dtype.
    @return as qt_add. */
QTENSOR_API qt_status qt_mul(qt_tensor** out, const qt_tensor* a, const qt_tensor* b, double scale,
                             int64_t zero_point);

/** qt_mul with relu fused: the result is max(q, zero_point). */
QTENSOR_API qt_status qt_mul_relu(qt_tensor** out, const qt_tensor* a, const qt_tensor* b,
                                  double scale, int64_t zero_point);

/** torch.ops.quantized.add.out(a, b, out) and add_relu.out, mul.out,
    mul_relu.out: qt_add (qt_add_relu, qt_mul, qt_mul_relu) with out's
    scale and zero point, written into the view out, which may be a or b
    or share their storage.
    @return QT_ERR_INVALID_ARGUMENT for a per-channel out;
    QT_ERR_TYPE_MISMATCH for an out of another dtype than a;
    QT_ERR_SHAPE_MISMATCH for shapes that do not broadcast or an out not of
    the broadcast shape. */
QTENSOR_API qt_status qt_add_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b);
QTENSOR_API qt_status qt_add_relu_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b);
QTENSOR_API qt_status qt_mul_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b);
QTENSOR_API qt_status qt_mul_relu_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b);

/** torch.ops.quantized.add_scalar(tensor, other): with c_q =
    round(other / scale), the integers are kept and the zero point becomes
    z - c_q when that is in the dtype's range; otherwise PyTorch's rule
    stretches the range (docs/numerics.md) and requantizes. Per tensor only,
    as PyTorch.
    @return QT_ERR_INVALID_ARGUMENT for a per-channel tensor, a non-finite
    other, or other / scale past the int32 range (PyTorch fails there too). */
QTENSOR_API qt_status qt_add_scalar(qt_tensor** out, const qt_tensor* tensor, double other);

/** torch.ops.quantized.add_scalar_relu: qt_add_scalar, then max(q, zero
    point). */
QTENSOR_API qt_status qt_add_scalar_relu(qt_tensor** out, const qt_tensor* tensor, double other);

/** torch.ops.quantized.mul_scalar(tensor, other): scale |other| * scale;
    the integers kept (other > 0) or mirrored to qmin + qmax - q with zero
    point qmax - (z - qmin) (other < 0); other == 0 gives integers 0, scale
    1, zero point 0. Per tensor only, as PyTorch.
    @return QT_ERR_INVALID_ARGUMENT for a per-channel tensor, a non-finite
    other, or a new scale that underflows to 0 or overflows. */
QTENSOR_API qt_status qt_mul_scalar(qt_tensor** out, const qt_tensor* tensor, double other);

/** torch.ops.quantized.mul_scalar_relu: qt_mul_scalar, then max(q, zero
    point). */
QTENSOR_API qt_status qt_mul_scalar_relu(qt_tensor** out, const qt_tensor* tensor, double other);

/** torch.cat(tensors, dim) for quantized tensors, and with quantizer
    torch.ops.quantized.cat(tensors, dim, scale, zero_point): the count
    tensors one after another along dim (negative counts from the end). The
    result has quantizer's parameters, or with quantizer NULL the first
    tensor's, as torch.cat takes them; a tensor with other parameters or
    another dtype is requantized (qt_requantize's formula), one with the
    same ones copied integer for integer. Views of any layout.
    @return QT_ERR_INVALID_ARGUMENT for NULL, count 0, a 0-dim tensor, or
    quantizer NULL when the first tensor's per-channel axis is dim;
    QT_ERR_OUT_OF_RANGE for dim; QT_ERR_SHAPE_MISMATCH when ranks or sizes
    off dim differ. */
QTENSOR_API qt_status qt_cat(qt_tensor** out, const qt_tensor* const* tensors, size_t count,
                             int64_t dim, const qt_quantizer* quantizer);

/** torch.ops.quantized.cat_relu: qt_cat, then max(q, zero point). */
QTENSOR_API qt_status qt_cat_relu(qt_tensor** out, const qt_tensor* const* tensors, size_t count,
                                  int64_t dim, const qt_quantizer* quantizer);

/** torch.ops.quantized.cat_out(tensors, dim, out) and cat_relu_out: qt_cat
    (qt_cat_relu) with out's parameters, written into the view out.
    @return as qt_cat, and QT_ERR_SHAPE_MISMATCH for an out not of the
    joined shape. */
QTENSOR_API qt_status qt_cat_out(qt_tensor* out, const qt_tensor* const* tensors, size_t count,
                                 int64_t dim);
QTENSOR_API qt_status qt_cat_relu_out(qt_tensor* out, const qt_tensor* const* tensors, size_t count,
                                      int64_t dim);

/* ---------------------------------------------------------------- linear */

/** Weights of a quantized linear layer packed once for the 8-bit matrix
    product (torch.ops.quantized.linear_prepack's packed params). Opaque and
    immutable: many threads may use one at once. */
typedef struct qt_packed_linear qt_packed_linear;

/**
 * torch.ops.quantized.linear_prepack(weight, bias): packs a copy of the
 * weight (later changes to its storage do not reach the packed weights).
 * @param out       receives the handle (caller frees with
 *                  qt_packed_linear_free).
 * @param weight    qint8 [out_features, in_features], per tensor or per
 *                  channel on axis 0, any view; in_features in [1, 65536].
 * @param bias      out_features finite floats, or NULL with bias_len 0 for
 *                  none.
 * @return QT_ERR_TYPE_MISMATCH for another dtype; QT_ERR_SHAPE_MISMATCH for
 *         a weight that is not 2-D or a bias of another length;
 *         QT_ERR_INVALID_ARGUMENT for NULL pointers, channels on axis 1,
 *         in_features out of range or a bias that is not finite.
 */
QTENSOR_API qt_status qt_linear_prepack(qt_packed_linear** out, const qt_tensor* weight,
                                        const float* bias, size_t bias_len);

QTENSOR_API void qt_packed_linear_free(qt_packed_linear* packed);

/** The packed weight as a new contiguous tensor (its own storage). */
QTENSOR_API qt_status qt_packed_linear_weight(qt_tensor** out, const qt_packed_linear* packed);

/** The bias: *count receives its length (0 for none); up to capacity values
    are written to out (which may be NULL when capacity is 0). */
QTENSOR_API qt_status qt_packed_linear_bias(float* out, size_t capacity, size_t* count,
                                            const qt_packed_linear* packed);

/** in_features and out_features. */
QTENSOR_API qt_status qt_packed_linear_in_features(size_t* out, const qt_packed_linear* packed);
QTENSOR_API qt_status qt_packed_linear_out_features(size_t* out, const qt_packed_linear* packed);

/**
 * torch.ops.quantized.linear(input, packed, scale, zero_point): input
 * [..., in_features] quint8 (or qint8, as ONNX's QLinearMatMul allows) per
 * tensor, any view; the result [..., out_features] has input's dtype and the
 * given scale and zero point. Exact int32 accumulation and one
 * requantization formula on every CPU (docs/numerics.md, "Linear"); it is
 * PyTorch's qnnpack engine's. Uses qt_set_num_threads' threads for large
 * products, with the same result.
 * @return QT_ERR_TYPE_MISMATCH for another input dtype;
 *         QT_ERR_SHAPE_MISMATCH when the last dim is not in_features;
 *         QT_ERR_INVALID_ARGUMENT for NULL pointers, a per-channel input, or
 *         a bad scale or zero point.
 */
QTENSOR_API qt_status qt_linear(qt_tensor** out, const qt_tensor* input,
                                const qt_packed_linear* packed, double scale, int64_t zero_point);

/** torch.ops.quantized.linear_relu: qt_linear with outputs below the zero
    point raised to it. */
QTENSOR_API qt_status qt_linear_relu(qt_tensor** out, const qt_tensor* input,
                                     const qt_packed_linear* packed, double scale,
                                     int64_t zero_point);

/**
 * torch.ops.quantized.linear_dynamic(input, packed, reduce_range): float
 * input quantized per call to quint8 (as qt_quantize_per_tensor_dynamic),
 * float output: y = (float)acc * ((float)sx * (float)sw) + bias, acc the
 * exact integer sum (docs/numerics.md, "Linear, dynamic").
 * @param out      receives numel / in_features * out_features floats,
 *                 row-major [..., out_features]; capacity must hold them.
 * @param data     numel floats, row-major with the given shape
 *                 [..., in_features] (NULL only if numel is 0).
 * @return QT_ERR_SHAPE_MISMATCH when the last dim is not in_features;
 *         QT_ERR_INVALID_ARGUMENT for NULL pointers, a bad shape, a
 *         capacity below the output's size, or a NaN or infinite input.
 */
QTENSOR_API qt_status qt_linear_dynamic(float* out, size_t capacity, const float* data,
                                        const int64_t* shape, size_t ndim,
                                        const qt_packed_linear* packed, bool reduce_range);

/* ---------------------------------------------------------------- conv2d */

/** Weights of a quantized 2-D convolution packed once with its settings
    (torch.ops.quantized.conv2d_prepack's packed params). Opaque and
    immutable: many threads may use one at once. */
typedef struct qt_packed_conv2d qt_packed_conv2d;

/**
 * torch.ops.quantized.conv2d_prepack(weight, bias, stride, padding,
 * dilation, groups): packs a copy of the weight.
 * @param out      receives the handle (caller frees with
 *                 qt_packed_conv2d_free).
 * @param weight   qint8 [out_channels, in_channels / groups, kH, kW], per
 *                 tensor or per channel on axis 0, any view;
 *                 in_channels / groups * kH * kW in [1, 65536].
 * @param bias     out_channels finite floats, or NULL with bias_len 0.
 * @param stride   2 values (height, width), each >= 1.
 * @param padding  2 values, each >= 0 (zeros: the input's zero point).
 * @param dilation 2 values, each >= 1.
 * @param groups   >= 1, dividing out_channels (depthwise: groups =
 *                 in_channels).
 * @return QT_ERR_TYPE_MISMATCH for another dtype; QT_ERR_SHAPE_MISMATCH for
 *         a weight that is not 4-D or a bias of another length;
 *         QT_ERR_INVALID_ARGUMENT for NULL pointers, channels on another
 *         axis, a bad stride, padding, dilation or groups, or a bias that is
 *         not finite.
 */
QTENSOR_API qt_status qt_conv2d_prepack(qt_packed_conv2d** out, const qt_tensor* weight,
                                        const float* bias, size_t bias_len, const int64_t* stride,
                                        const int64_t* padding, const int64_t* dilation,
                                        int64_t groups);

QTENSOR_API void qt_packed_conv2d_free(qt_packed_conv2d* packed);

/** The packed weight as a new contiguous tensor (its own storage). */
QTENSOR_API qt_status qt_packed_conv2d_weight(qt_tensor** out, const qt_packed_conv2d* packed);

/** The bias, as qt_packed_linear_bias. */
QTENSOR_API qt_status qt_packed_conv2d_bias(float* out, size_t capacity, size_t* count,
                                            const qt_packed_conv2d* packed);

/** The settings: stride, padding and dilation receive 2 values each (any of
    them may be NULL), groups 1 (may be NULL). */
QTENSOR_API qt_status qt_packed_conv2d_settings(int64_t* stride, int64_t* padding,
                                                int64_t* dilation, int64_t* groups,
                                                const qt_packed_conv2d* packed);

/**
 * torch.ops.quantized.conv2d(input, packed, scale, zero_point): input
 * [N, in_channels, H, W] quint8 (or qint8) per tensor, any view; the result
 * [N, out_channels, oH, oW] with oH = (H + 2 padding - dilation (kH - 1) -
 * 1) / stride + 1 (and oW alike) has input's dtype, the given scale and zero
 * point, and channels-last strides as PyTorch's. Each output is
 * docs/numerics.md's linear formula over its receptive field ("Conv2d").
 * @return QT_ERR_TYPE_MISMATCH for another input dtype;
 *         QT_ERR_SHAPE_MISMATCH for another rank or channel count, or a
 *         dilated kernel larger than the padded input;
 *         QT_ERR_INVALID_ARGUMENT for NULL pointers, a per-channel input, or
 *         a bad scale or zero point.
 */
QTENSOR_API qt_status qt_conv2d(qt_tensor** out, const qt_tensor* input,
                                const qt_packed_conv2d* packed, double scale, int64_t zero_point);

/** torch.ops.quantized.conv2d_relu: qt_conv2d with outputs below the zero
    point raised to it. */
QTENSOR_API qt_status qt_conv2d_relu(qt_tensor** out, const qt_tensor* input,
                                     const qt_packed_conv2d* packed, double scale,
                                     int64_t zero_point);

/* --------------------------------------------------------------- pooling */
/*
 * PyTorch 1.13's quantized 2-D pooling (torch.nn.quantized.functional).
 * input is a (C, H, W) or (N, C, H, W) view of any layout; the result is a
 * new contiguous tensor with input's quantizer: per tensor, or per channel
 * along N or C (each plane keeps its own parameters). Each pair of int64
 * is (height, width). Where a pair may be NULL, NULL means PyTorch's
 * default. docs/numerics.md ("Pooling") gives the output size and the
 * averages' rounding.
 * All three return QT_ERR_INVALID_ARGUMENT, leaving input untouched, for
 * NULL out, input or kernel_size / output_size; a rank other than 3 or 4;
 * a per-channel axis on H or W; H or W of 0; a kernel, stride or dilation
 * below 1; a padding below 0 or above kernel / 2; a parameter past
 * 2^31 - 1; an output size below 1; or a window that reads no input
 * element.
 */

/** F.max_pool2d(q, kernel_size, stride, padding, dilation, ceil_mode): the
    largest integer of each window (padding never wins).
    @param kernel_size two entries.
    @param stride      two entries, or NULL for kernel_size.
    @param padding     two entries, or NULL for (0, 0); each at most half
                       the kernel size.
    @param dilation    two entries, or NULL for (1, 1).
    @param ceil_mode   round the output size up (a last window must still
                       start inside the input or its left padding). */
QTENSOR_API qt_status qt_max_pool2d(qt_tensor** out, const qt_tensor* input,
                                    const int64_t* kernel_size, const int64_t* stride,
                                    const int64_t* padding, const int64_t* dilation,
                                    bool ceil_mode);

/** F.avg_pool2d(q, kernel_size, stride, padding, ceil_mode,
    count_include_pad, divisor_override): each window's integers summed, the
    zero point taken off, and round(sum * float(1 / divisor) + zero point)
    in float32, as PyTorch's NCHW kernel. The divisor is divisor_override, or
    the window's size including its padding (count_include_pad), or the
    number of input elements it reads.
    @param kernel_size, stride, padding as qt_max_pool2d's.
    @param divisor_override 0 for none (PyTorch's None; it rejects 0). */
QTENSOR_API qt_status qt_avg_pool2d(qt_tensor** out, const qt_tensor* input,
                                    const int64_t* kernel_size, const int64_t* stride,
                                    const int64_t* padding, bool ceil_mode, bool count_include_pad,
                                    int64_t divisor_override);

/** F.adaptive_avg_pool2d(q, output_size): output row i averages input rows
    floor(i * H / out_h) up to ceil((i + 1) * H / out_h), columns alike;
    round(sum * ((1.0f / rows) / columns)) in float32, as PyTorch's NCHW
    kernel.
    @param output_size two entries, each 1 to 2^31 - 1. */
QTENSOR_API qt_status qt_adaptive_avg_pool2d(qt_tensor** out, const qt_tensor* input,
                                             const int64_t* output_size);

/* -------------------------------------------------------------- printing */

/**
 * The tensor as PyTorch 1.13 prints it, with "torch." written "qtensor.".
 * Like PyTorch, a tensor of more than 1000 elements shows only the first and
 * last 3 indices of each dimension longer than 6; only the shown elements are
 * read, so printing costs time and memory in proportion to the text.
 * @param out receives a NUL-terminated string the caller frees with
 *            qt_string_free.
 */
QTENSOR_API qt_status qt_to_string(char** out, const qt_tensor* tensor);

/** Frees a string returned by the library. NULL is a no-op. */
QTENSOR_API void qt_string_free(char* str);

/* --------------------------------------------------------- serialization */
/*
 * The file format is proto/qtensor.proto (format version 1). Input is
 * untrusted: every field is checked before anything is allocated, and bad
 * input fails with QT_ERR_CORRUPT_DATA and a message naming what is wrong.
 * Serialized forms larger than 2 GiB (protobuf's limit) cannot be written:
 * QT_ERR_OUT_OF_MEMORY, and no file is left behind.
 */

/** The newest format version this library reads. It writes each file with
    the lowest version that holds it: 1, or 2 where a tensor quantizes with
    QT_ROUNDING_ONNX or a scale type other than QT_SCALE_FLOAT64
    (docs/format.md). */
#define QTENSOR_FORMAT_VERSION 2

/**
 * Serializes a tensor (a view writes its own elements, row-major, with the
 * parameters its elements carry: its effective quantizer). The bytes are
 * deterministic: the same tensor always gives the same bytes.
 * @param out      receives a buffer the caller frees with qt_buffer_free.
 * @param out_size receives its size in bytes.
 * @param tensor   the tensor or view to write.
 * @return QT_ERR_OUT_OF_MEMORY if the result would exceed 2 GiB (checked
 *         before the values are copied).
 */
QTENSOR_API qt_status qt_serialize(uint8_t** out, size_t* out_size, const qt_tensor* tensor);

/** Frees a buffer returned by the library. NULL is a no-op. */
QTENSOR_API void qt_buffer_free(uint8_t* buffer);

/**
 * A new contiguous tensor from serialized bytes.
 * @param data bytes to read (size of them; may be NULL if size is 0).
 * @return QT_ERR_CORRUPT_DATA for malformed input or a buffer holding a
 *         bundle.
 */
QTENSOR_API qt_status qt_deserialize(qt_tensor** out, const uint8_t* data, size_t size);

/** Writes the tensor to a file (replaced if it exists). The file is written
    to a temporary file beside path and renamed over it, so a failed save
    leaves no partial file. QT_ERR_IO if the file cannot be written;
    QT_ERR_OUT_OF_MEMORY as qt_serialize. */
QTENSOR_API qt_status qt_save(const qt_tensor* tensor, const char* path);

/** Reads a tensor file. Only regular files are read: a directory, device
    (such as /dev/zero), FIFO or socket gives QT_ERR_IO before anything is
    read, and no more than the 2 GiB limit plus one byte is ever read.
    QT_ERR_IO if it cannot be read; QT_ERR_CORRUPT_DATA as qt_deserialize. */
QTENSOR_API qt_status qt_load(qt_tensor** out, const char* path);

/** A new, empty bundle (caller frees). */
QTENSOR_API qt_status qt_bundle_new(qt_bundle** out);

/** Frees a bundle (the tensors taken from it stay valid). NULL is a no-op. */
QTENSOR_API void qt_bundle_free(qt_bundle* bundle);

/** Adds a tensor under a name, or replaces the tensor of that name (keeping
    its position). The bundle shares the tensor's storage (it keeps the view:
    its elements are what gets saved).
    @return QT_ERR_INVALID_ARGUMENT for an empty name or one that is not
    valid UTF-8. */
QTENSOR_API qt_status qt_bundle_set(qt_bundle* bundle, const char* name, const qt_tensor* tensor);

/** Removes the named tensor (QT_ERR_NOT_FOUND if absent). */
QTENSOR_API qt_status qt_bundle_remove(qt_bundle* bundle, const char* name);

/** The number of tensors. */
QTENSOR_API qt_status qt_bundle_size(size_t* out, const qt_bundle* bundle);

/** The name at index (in insertion order). Borrowed: valid until the bundle
    is changed or freed. QT_ERR_OUT_OF_RANGE for a bad index. */
QTENSOR_API qt_status qt_bundle_name(const char** out, const qt_bundle* bundle, size_t index);

/** True if the bundle has a tensor of that name. */
QTENSOR_API qt_status qt_bundle_contains(bool* out, const qt_bundle* bundle, const char* name);

/** A new handle to the named tensor (sharing storage with the bundle's).
    QT_ERR_NOT_FOUND if absent. */
QTENSOR_API qt_status qt_bundle_get(qt_tensor** out, const qt_bundle* bundle, const char* name);

/** A new handle to the tensor at index. QT_ERR_OUT_OF_RANGE for a bad index. */
QTENSOR_API qt_status qt_bundle_get_index(qt_tensor** out, const qt_bundle* bundle, size_t index);

/** Sets a metadata string (key non-empty; value may be empty; both valid
    UTF-8, else QT_ERR_INVALID_ARGUMENT). */
QTENSOR_API qt_status qt_bundle_set_metadata(qt_bundle* bundle, const char* key, const char* value);

/** The value of a metadata key. Borrowed: valid until the bundle is changed
    or freed. QT_ERR_NOT_FOUND if absent. */
QTENSOR_API qt_status qt_bundle_metadata(const char** out, const qt_bundle* bundle,
                                         const char* key);

/** The number of metadata keys. */
QTENSOR_API qt_status qt_bundle_metadata_size(size_t* out, const qt_bundle* bundle);

/** The metadata key at index (sorted order). Borrowed as above. */
QTENSOR_API qt_status qt_bundle_metadata_key(const char** out, const qt_bundle* bundle,
                                             size_t index);

/** Serializes a bundle; the buffer is freed with qt_buffer_free.
    QT_ERR_OUT_OF_MEMORY if the result would exceed 2 GiB. */
QTENSOR_API qt_status qt_bundle_serialize(uint8_t** out, size_t* out_size, const qt_bundle* bundle);

/** A new bundle from serialized bytes (QT_ERR_CORRUPT_DATA for malformed
    input, a buffer holding a single tensor, empty or duplicate names, or a
    name or metadata string holding a NUL byte). */
QTENSOR_API qt_status qt_bundle_deserialize(qt_bundle** out, const uint8_t* data, size_t size);

/** Writes the bundle to a file as a container (qt_bundle_save_container),
    the form every bundle file takes from 0.2.0 (docs/format.md, "Which form
    a bundle file takes"): it opens lazily whatever its size. Atomic, as
    qt_save. */
QTENSOR_API qt_status qt_bundle_save(const qt_bundle* bundle, const char* path);

/** Writes the bundle to a file in the message form: the bytes of
    qt_bundle_serialize (one protobuf File message, at most 2 GiB), as
    bundle files were written before 0.2.0. Atomic, as qt_save. */
QTENSOR_API qt_status qt_bundle_save_message(const qt_bundle* bundle, const char* path);

/** Reads a bundle file, as qt_load reads a tensor file (regular files only),
    or a container (qt_bundle_file_open), whose tensors are then mapped
    read-only. QT_ERR_IO if it cannot be read; QT_ERR_CORRUPT_DATA as
    qt_bundle_deserialize (or qt_bundle_file_open). */
QTENSOR_API qt_status qt_bundle_load(qt_bundle** out, const char* path);

/* ------------------------------------------- bundle files of any size */

/** A container (docs/format.md, "The container"): a bundle file of any size
    whose header lists the entries and whose payloads are mapped one at a
    time. qt_bundle_load reads one whole (its tensors mapped). */

/** The first 8 bytes of every container file (0x89 "QTBNDL" "\n"); a file in
    the message form starts with 0x0A instead. For telling the forms apart
    without opening the file. */
#define QTENSOR_CONTAINER_MAGIC "\x89QTBNDL\n"

/** Opens a container and validates its header (names, shapes, dtypes,
    parameters, where each payload lies); no payload is read.
    QT_ERR_IO if it cannot be read; QT_ERR_CORRUPT_DATA, the message naming
    the path and the rule, for a file that is not a valid container. */
QTENSOR_API qt_status qt_bundle_file_open(qt_bundle_file** out, const char* path);

/** Closes the file. Tensors taken from it stay valid: each keeps its own
    mapping. NULL is a no-op. */
QTENSOR_API void qt_bundle_file_free(qt_bundle_file* file);

/** The number of entries (quantized tensors and float entries). */
QTENSOR_API qt_status qt_bundle_file_size(size_t* out, const qt_bundle_file* file);

/** The name of the entry at index, in the file's order. Borrowed: valid
    until the file is freed. QT_ERR_OUT_OF_RANGE for a bad index. */
QTENSOR_API qt_status qt_bundle_file_name(const char** out, const qt_bundle_file* file,
                                          size_t index);

/** The named quantized tensor, mapped from the file without a copy: a
    read-only tensor (writing into any view of it gives
    QT_ERR_INVALID_ARGUMENT; qt_clone gives a writable copy) whose mapping
    lasts until its last view is freed, before or after the file.
    QT_ERR_NOT_FOUND if absent; QT_ERR_TYPE_MISMATCH for a float entry;
    QT_ERR_CORRUPT_DATA for a bad per-channel or per-block parameter (read
    from the file now) or if the file has been truncated since it was
    opened.
    Should the file shrink while the tensor maps it, the lost pages read as
    zeros instead of raising SIGBUS (docs/format.md, "Reading and writing";
    QTENSOR_NO_SIGBUS_GUARD turns this off). */
QTENSOR_API qt_status qt_bundle_file_get(qt_tensor** out, const qt_bundle_file* file,
                                         const char* name);

/** True if the file has an entry of that name (a NULL name is an error). */
QTENSOR_API qt_status qt_bundle_file_contains(bool* out, const qt_bundle_file* file,
                                              const char* name);

/* What the header says of an entry, without mapping or reading its payload.
   Each takes the entry's name: QT_ERR_NOT_FOUND if absent. */

/** True if the named entry is a float entry, false if a quantized tensor. */
QTENSOR_API qt_status qt_bundle_file_is_float(bool* out, const qt_bundle_file* file,
                                              const char* name);

/** The rank of the named entry, quantized or float. */
QTENSOR_API qt_status qt_bundle_file_ndim(size_t* out, const qt_bundle_file* file,
                                          const char* name);

/** The shape of the named entry (capacity >= its rank). */
QTENSOR_API qt_status qt_bundle_file_shape(int64_t* out, size_t capacity,
                                           const qt_bundle_file* file, const char* name);

/** The dtype of the named quantized tensor (QT_ERR_TYPE_MISMATCH for a
    float entry). */
QTENSOR_API qt_status qt_bundle_file_dtype(qt_dtype* out, const qt_bundle_file* file,
                                           const char* name);

/** The quantizer of the named quantized tensor (caller frees;
    QT_ERR_TYPE_MISMATCH for a float entry). A per-channel or per-block
    tensor's scales and zero points are payloads of their own: this reads
    and checks them (QT_ERR_CORRUPT_DATA for a bad value), but not the
    tensor's values. */
QTENSOR_API qt_status qt_bundle_file_quantizer(qt_quantizer** out, const qt_bundle_file* file,
                                               const char* name);

/** The dtype of the named float entry (QT_ERR_TYPE_MISMATCH for a quantized
    tensor). */
QTENSOR_API qt_status qt_bundle_file_float_dtype(qt_float_dtype* out, const qt_bundle_file* file,
                                                 const char* name);

/** Where the named entry's payload lies in the file: its offset (a
    multiple of 64) and length in bytes, as validated against the file when
    it was opened. For readers that map the bytes themselves (the payload is
    the entry's values in storage form, docs/format.md). */
QTENSOR_API qt_status qt_bundle_file_payload(uint64_t* offset, uint64_t* length,
                                             const qt_bundle_file* file, const char* name);

/** The value of a metadata key (QT_ERR_NOT_FOUND if absent). Borrowed:
    valid until the file is freed. */
QTENSOR_API qt_status qt_bundle_file_metadata(const char** out, const qt_bundle_file* file,
                                              const char* key);

/** The number of metadata keys. */
QTENSOR_API qt_status qt_bundle_file_metadata_size(size_t* out, const qt_bundle_file* file);

/** The metadata key at index, in sorted order. Borrowed: valid until the
    file is freed. QT_ERR_OUT_OF_RANGE for a bad index. */
QTENSOR_API qt_status qt_bundle_file_metadata_key(const char** out, const qt_bundle_file* file,
                                                  size_t index);

/** A new bundle of the named entries, in the given order, with the file's
    metadata: each entry, quantized or float, borrows a read-only mapping of
    its payload as qt_bundle_file_get's tensor does (read float entries
    with qt_bundle_float_data). Every name is checked before anything is
    mapped: QT_ERR_NOT_FOUND for an absent one, QT_ERR_INVALID_ARGUMENT for
    one given twice. names may be NULL when count is 0. */
QTENSOR_API qt_status qt_bundle_file_select(qt_bundle** out, const qt_bundle_file* file,
                                            const char* const* names, size_t count);

/** A new bundle of every entry and the metadata, all entries borrowing one
    read-only mapping of the payloads (what qt_bundle_load gives for a
    container). */
QTENSOR_API qt_status qt_bundle_file_to_bundle(qt_bundle** out, const qt_bundle_file* file);

/** Recomputes the named entry's checksum (XXH3-64), or every entry's for a
    NULL name, and compares it with the header's. QT_ERR_CORRUPT_DATA naming
    the entry on a mismatch; an entry stored without a checksum passes. */
QTENSOR_API qt_status qt_bundle_file_verify(const qt_bundle_file* file, const char* name);

/** Starts writing a container to path: entries are written as they are
    added, into a temporary file beside path that qt_bundle_writer_finish
    renames over it. QT_ERR_IO if it cannot be created. */
QTENSOR_API qt_status qt_bundle_writer_open(qt_bundle_writer** out, const char* path);

/** Writes the tensor's values (its own elements, as qt_bundle_save writes
    a view) under name. QT_ERR_INVALID_ARGUMENT for a name that is empty,
    not UTF-8 or already added, or after qt_bundle_writer_finish or a
    failure; QT_ERR_IO if writing fails (the writer is then unusable). */
QTENSOR_API qt_status qt_bundle_writer_add(qt_bundle_writer* writer, const char* name,
                                           const qt_tensor* tensor);

/** Writes a float entry under name: data_bytes bytes of product(shape)
    values of dtype, as qt_bundle_set_float takes them (checked the same
    way), written before the call returns. Name rules as
    qt_bundle_writer_add. */
QTENSOR_API qt_status qt_bundle_writer_add_float(qt_bundle_writer* writer, const char* name,
                                                 const void* data, size_t data_bytes,
                                                 const int64_t* shape, size_t ndim,
                                                 qt_float_dtype dtype);

/** Sets a metadata string, as qt_bundle_set_metadata. */
QTENSOR_API qt_status qt_bundle_writer_set_metadata(qt_bundle_writer* writer, const char* key,
                                                    const char* value);

/** Writes the header, syncs and renames the file over path. */
QTENSOR_API qt_status qt_bundle_writer_finish(qt_bundle_writer* writer);

/** Frees the writer; an unfinished one removes its temporary file, leaving
    path as it was. NULL is a no-op. */
QTENSOR_API void qt_bundle_writer_free(qt_bundle_writer* writer);

/** Writes the whole bundle (tensors, float entries and metadata) to path as
    a container, each entry streamed as with qt_bundle_writer_add, the file
    renamed over path at the end. QT_ERR_IO if it cannot be written (path is
    then as it was). */
QTENSOR_API qt_status qt_bundle_save_container(const qt_bundle* bundle, const char* path);

/* ------------------------------------------------- bundle float entries */

/* The float dtypes (qt_float_dtype) are declared with the other enums. */

/** The name of a float dtype ("float32", "float16", "bfloat16"), or NULL if
    unknown. */
QTENSOR_API const char* qt_float_dtype_name(qt_float_dtype dtype);

/** Adds a float entry under a name, or replaces the entry of that name of
    either kind (keeping its position). data holds product(shape) values of
    dtype, row-major, little-endian, exactly data_bytes bytes (may be NULL
    if 0); they are copied. Name rules as qt_bundle_set.
    @return QT_ERR_SHAPE_MISMATCH for a wrong data_bytes;
    QT_ERR_INVALID_ARGUMENT for an unknown dtype, a negative dim or a rank
    above QTENSOR_MAX_DIMS; QT_ERR_OUT_OF_MEMORY for a shape too large. */
QTENSOR_API qt_status qt_bundle_set_float(qt_bundle* bundle, const char* name, const void* data,
                                          size_t data_bytes, const int64_t* shape, size_t ndim,
                                          qt_float_dtype dtype);

/** True if the named entry is a float entry, false if a quantized tensor. */
QTENSOR_API qt_status qt_bundle_is_float(bool* out, const qt_bundle* bundle, const char* name);

/** The dtype of the named float entry. */
QTENSOR_API qt_status qt_bundle_float_dtype(qt_float_dtype* out, const qt_bundle* bundle,
                                            const char* name);

/** The rank of the named float entry. */
QTENSOR_API qt_status qt_bundle_float_ndim(size_t* out, const qt_bundle* bundle, const char* name);

/** The shape of the named float entry (capacity >= its rank). */
QTENSOR_API qt_status qt_bundle_float_shape(int64_t* out, size_t capacity, const qt_bundle* bundle,
                                            const char* name);

/** The named float entry's bytes as stored (little-endian values of its
    dtype). Borrowed: valid until the bundle is changed or freed. */
QTENSOR_API qt_status qt_bundle_float_data(const void** out, size_t* out_size,
                                           const qt_bundle* bundle, const char* name);

/** The named float entry's values as float32 (capacity >= their count):
    float16 and bfloat16 widen exactly; a signalling NaN becomes quiet (read
    qt_bundle_float_data for the exact bits). */
QTENSOR_API qt_status qt_bundle_float_values(float* out, size_t capacity, const qt_bundle* bundle,
                                             const char* name);

/* ------------------------------------------------------------------ GGUF */

/**
 * A bundle of a GGUF file (llama.cpp's format; docs/gguf.md) held in memory.
 * Q8_0 and Q4_0 tensors become tensors with qt_quantizer_new_gguf's
 * quantizer (shape: GGUF's ne reversed, outermost first); F32, F16 and BF16
 * tensors float entries; each metadata key-value a metadata entry whose
 * value is the typed text of docs/gguf.md ("UINT32 32", "STRING \"llama\"").
 * The file is treated as hostile: every count, length and offset is checked.
 * @return QT_ERR_CORRUPT_DATA for a malformed file, a tensor of another
 *         ggml type, a block scale that is not finite, or a name a bundle
 *         cannot hold (the message names the part at fault);
 *         QT_ERR_OUT_OF_MEMORY.
 */
QTENSOR_API qt_status qt_bundle_deserialize_gguf(qt_bundle** out, const uint8_t* data, size_t size);

/**
 * The GGUF file of a bundle (version 3), freed with qt_buffer_free. Tensors
 * must be in Q8_0's or Q4_0's form (per block of 32 along the last axis,
 * float16 scales, qint8 with zero points 0 or quint4 with zero points 8, any
 * rounding) with at most 4 dims; metadata values in the typed text keep
 * their GGUF type, other values become GGUF strings. Reading a GGUF file and
 * writing it back gives the same tensor bytes and metadata values (the
 * metadata in key order).
 * @return QT_ERR_INVALID_ARGUMENT naming a tensor or key GGUF cannot hold.
 */
QTENSOR_API qt_status qt_bundle_serialize_gguf(uint8_t** out, size_t* out_size,
                                               const qt_bundle* bundle);

/** qt_bundle_deserialize_gguf of a file (regular files only). */
QTENSOR_API qt_status qt_bundle_load_gguf(qt_bundle** out, const char* path);

/** qt_bundle_serialize_gguf to a file, written atomically as qt_save. */
QTENSOR_API qt_status qt_bundle_save_gguf(const qt_bundle* bundle, const char* path);

/**
 * A GGUF file held in memory described as text, whatever its tensor types
 * (k-quants and the others qt_bundle_deserialize_gguf refuses included), as
 * `qtensor info` prints it: a line for the file, a line per tensor (name,
 * ggml type, shape outermost first, bytes, whether qtensor reads it), then
 * the metadata in file order as typed text. Names and keys are quoted and
 * escaped as the typed text writes strings.
 * @param out receives a NUL-terminated string to free with qt_string_free.
 * @return QT_ERR_CORRUPT_DATA for a malformed file, as
 *         qt_bundle_deserialize_gguf; QT_ERR_OUT_OF_MEMORY.
 */
QTENSOR_API qt_status qt_describe_gguf(char** out, const uint8_t* data, size_t size);

/* ------------------------------------------------------------------------
 * ONNX models (docs/onnx.md): each tensor T of a bundle as the initializers
 * T_quantized, T_scale and T_zero_point of a DequantizeLinear node (opset 21)
 * whose float output T is a graph output; each float entry F an initializer
 * F (FLOAT, FLOAT16 or BFLOAT16, bit for bit) that is also a graph output;
 * metadata as metadata_props.
 * ------------------------------------------------------------------------ */

/** Exports a bundle as an ONNX model; the buffer is freed with
    qt_buffer_free. QT_ERR_INVALID_ARGUMENT, naming the tensor, for what ONNX
    cannot hold or would dequantize differently (quint2x4, float64 scales
    that are not float32 values, nonzero qint32 zero points, clashing
    names); QT_ERR_OUT_OF_MEMORY over 2 GiB. */
QTENSOR_API qt_status qt_bundle_serialize_onnx(uint8_t** out, size_t* out_size,
                                               const qt_bundle* bundle);

/** A new bundle of the tensors an ONNX model dequantizes from initializers
    (each DequantizeLinear node's output names one); rounding ONNX's (qint32:
    PyTorch's, as ONNX cannot quantize to int32); and a float entry for each
    float initializer that is a graph output. Entries that are graph outputs
    come in the outputs' order, the others in node order.
    QT_ERR_CORRUPT_DATA, naming the node or initializer, for malformed input
    or what qtensor cannot hold (external data, other types, bad shapes or
    scales, missing initializers). */
QTENSOR_API qt_status qt_bundle_deserialize_onnx(qt_bundle** out, const uint8_t* data, size_t size);

/** Writes the bundle as an ONNX model file, atomically as qt_bundle_save. */
QTENSOR_API qt_status qt_bundle_save_onnx(const qt_bundle* bundle, const char* path);

/** Reads an ONNX model file as qt_bundle_load reads a bundle file. */
QTENSOR_API qt_status qt_bundle_load_onnx(qt_bundle** out, const char* path);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QTENSOR_QTENSOR_H */
