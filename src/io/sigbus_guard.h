// Keeps a reader alive when a mapped file shrinks under it. Reading a page
// of a shared file mapping that lies past the file's end raises SIGBUS,
// which kills the process by default. While a guarded range is mapped, a
// SIGBUS inside it is handled instead: the range's pages from the faulting
// one to its end are replaced by zero pages (read-only, anonymous), the
// range is marked damaged, and the read resumes, seeing zeros. SIGBUS
// anywhere else goes to the handler that was installed before (or kills the
// process as it would have). docs/format.md, "Files that change while
// mapped", says what a caller sees.
//
// The handler is installed when the first range is guarded, unless the
// environment sets QTENSOR_NO_SIGBUS_GUARD (for hosts that handle SIGBUS
// themselves); installed or not, nothing else changes.
#ifndef QTENSOR_IO_SIGBUS_GUARD_H_
#define QTENSOR_IO_SIGBUS_GUARD_H_

#include <cstddef>

namespace qtensor::io {

class GuardedRange;

// Guards [begin, begin + length), a page-aligned read-only mapping of a
// file, until UnguardRange (which must come before it is unmapped).
GuardedRange* GuardRange(void* begin, size_t length);
void UnguardRange(GuardedRange* range);

// Whether a SIGBUS replaced pages of the range with zeros.
bool RangeDamaged(const GuardedRange* range);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_SIGBUS_GUARD_H_
