// The walkthrough of docs/notebook.md, replayed: each step's code and its result.
#ifndef QTENSOR_CLI_WALKTHROUGH_H_
#define QTENSOR_CLI_WALKTHROUGH_H_

#include <ostream>

namespace qtensor::cli {

void RunWalkthrough(std::ostream& out);

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_WALKTHROUGH_H_
