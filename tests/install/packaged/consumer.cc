// A C++ program outside the tree, using the facade of an installed qtensor.
// Prints the tensor the C consumer (consumer.c) prints.
#include <qtensor/qtensor.hpp>

#include <cstdint>
#include <iostream>
#include <vector>

int main() {
  const qtensor::Tensor q =
      qtensor::Tensor::QuantizePerTensor({0.5f, -1.25f, 2.0f, 100.0f}, {2, 2}, 0.25, 3, QT_QINT8);
  const std::vector<int8_t> ints = q.int_repr<int8_t>();
  if (ints != std::vector<int8_t>{5, -2, 11, 127}) {
    std::cerr << "wrong integers\n";
    return 1;
  }
  std::cout << "qtensor " << qtensor::version() << "\n" << q.to_string() << "\n";
  return qtensor::version_number() == QTENSOR_VERSION_NUMBER ? 0 : 1;
}
