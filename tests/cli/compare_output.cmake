# Runs PROGRAM and requires its standard output to equal the file EXPECTED.
# usage: cmake -DPROGRAM=... -DEXPECTED=... -P compare_output.cmake
execute_process(COMMAND ${PROGRAM} OUTPUT_VARIABLE actual RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}")
endif()
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/actual_output.txt "${actual}")
  message(FATAL_ERROR "output differs from ${EXPECTED}; see "
                      "${CMAKE_CURRENT_BINARY_DIR}/actual_output.txt")
endif()
