// A Qt-style C++ program: Qt's macros and keywords (signals, slots, emit,
// foreach) defined first, then qtensor's C header and C++ facade.
#include "qt_macros.h"

#include <qtensor/qtensor.hpp>

static_assert(QT_VERSION == QT_VERSION_CHECK(5, 15, 8), "qtensor changed a Qt macro");

int main() {
  const qtensor::Quantizer quantizer = qtensor::Quantizer::PerTensor(QT_QINT8, 0.5, 1);
  return qtensor::version_number() == QTENSOR_VERSION_NUMBER && quantizer.zero_point() == 1 ? 0 : 1;
}
