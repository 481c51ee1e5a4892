/* A C program that includes a header defining Qt's macros, then qtensor.h:
   it must compile with -Werror (no redefinition) and keep Qt's values. */
#include "qt_macros.h"

#include <qtensor/qtensor.h>

#if QT_VERSION_MAJOR != 5 || QT_VERSION_MINOR != 15 || QT_MAX_DIMS != 3
#error "qtensor.h changed a Qt macro"
#endif

int main(void) {
  return qt_version_number() == QTENSOR_VERSION_NUMBER && QTENSOR_MAX_DIMS == 64 ? 0 : 1;
}
