// The golden GGUF blocks of tests/data/gguf_golden/blocks.txt (written by
// make_golden.py from llama.cpp's formulas): each line's input floats, block
// bytes and dequantized floats.
#ifndef QTENSOR_TESTS_KERNELS_GGUF_GOLDEN_BLOCKS_H_
#define QTENSOR_TESTS_KERNELS_GGUF_GOLDEN_BLOCKS_H_

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/half_float.h"

namespace qtensor::test {

inline const std::string kGolden = QTENSOR_TEST_DATA_DIR "/gguf_golden/blocks.txt";

struct GoldenBlock {
  std::string format, name;
  std::vector<float> input, dequantized;
  std::vector<uint8_t> bytes;
};

inline std::vector<float> HexFloats(const std::string& text) {
  std::vector<float> out;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    out.push_back(
        qtensor::kernels::FloatFromBits(static_cast<uint32_t>(std::stoul(word, nullptr, 16))));
  }
  return out;
}

inline std::vector<GoldenBlock> ReadGolden() {
  std::ifstream in(kGolden);
  REQUIRE(in.good());
  std::vector<GoldenBlock> blocks;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    GoldenBlock block;
    const size_t colon = line.find(':');
    std::istringstream head(line.substr(0, colon));
    head >> block.format >> block.name;
    const std::string rest = line.substr(colon + 1);
    const size_t slash1 = rest.find('/'), slash2 = rest.find('/', slash1 + 1);
    block.input = HexFloats(rest.substr(0, slash1));
    std::istringstream hex(rest.substr(slash1 + 1, slash2 - slash1 - 1));
    std::string bytes;
    hex >> bytes;
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
      block.bytes.push_back(static_cast<uint8_t>(std::stoul(bytes.substr(i, 2), nullptr, 16)));
    }
    block.dequantized = HexFloats(rest.substr(slash2 + 1));
    REQUIRE(block.input.size() == 32);
    REQUIRE(block.dequantized.size() == 32);
    blocks.push_back(block);
  }
  return blocks;
}

}  // namespace qtensor::test

#endif  // QTENSOR_TESTS_KERNELS_GGUF_GOLDEN_BLOCKS_H_
