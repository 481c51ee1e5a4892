# Runs PROGRAM with ARGS (a ;-list), prints its output and then "exit status
# N", so a test's PASS_REGULAR_EXPRESSION (which alone ignores the exit
# status) can require both what the program printed and that it succeeded.
# usage: cmake -DPROGRAM=... "-DARGS=a;b" -P run_exit_status.cmake
execute_process(COMMAND ${PROGRAM} ${ARGS} OUTPUT_VARIABLE output ERROR_VARIABLE errors
                RESULT_VARIABLE status)
message("${output}${errors}exit status ${status}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed")
endif()
