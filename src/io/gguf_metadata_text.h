// A GGUF metadata value as the text a bundle's string metadata holds, and
// back, losslessly: the type, then the value.
//   UINT8 .. INT64   decimal:                        UINT32 32
//   FLOAT32/FLOAT64  the shortest decimal that reads back to the same bits,
//                    inf, -inf, or nan:0x<the bits in hex>: FLOAT32 1e-05
//   BOOL             true or false
//   STRING           a JSON string: \" \\ \n \r \t \b \f, \u00XX for other
//                    control bytes and \xNN for each byte that is not part
//                    of valid UTF-8 (GGUF strings are bytes), so the text
//                    is valid UTF-8 without NUL:   STRING "llama"
//   ARRAY            ARRAY<element type> [v, v, ...] with the elements'
//                    values as above; arrays of arrays name each inner
//                    array's type:   ARRAY<ARRAY> [ARRAY<UINT8> [1, 2]]
// docs/gguf.md has the grammar. Both directions are linear in the text.
#ifndef QTENSOR_IO_GGUF_METADATA_TEXT_H_
#define QTENSOR_IO_GGUF_METADATA_TEXT_H_

#include <string>

#include "io/gguf_file.h"

namespace qtensor::io {

std::string GgufValueText(const GgufValue& value);

// The value a text of the form above holds. Throws core::Error of kind
// kInvalidArgument saying what is wrong and at which byte, for any other
// text (arrays nested deeper than kGgufMaxArrayDepth included).
GgufValue ParseGgufValueText(const std::string& text);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_GGUF_METADATA_TEXT_H_
