# Runs PROGRAM [PROGRAM_ARG] OUT_DIR (a fresh directory) and fails unless it
# writes exactly the files of EXPECTED_DIR (but its *.py), byte for byte.
file(REMOVE_RECURSE ${OUT_DIR})
file(MAKE_DIRECTORY ${OUT_DIR})
execute_process(COMMAND ${PROGRAM} ${PROGRAM_ARG} ${OUT_DIR} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed: ${result}")
endif()
file(GLOB expected RELATIVE ${EXPECTED_DIR} ${EXPECTED_DIR}/*)
list(FILTER expected EXCLUDE REGEX "\\.py$")
file(GLOB written RELATIVE ${OUT_DIR} ${OUT_DIR}/*)
list(SORT expected)
list(SORT written)
if(NOT expected STREQUAL written)
  message(FATAL_ERROR "written files differ from the checked-in ones:\n"
                      "  written:    ${written}\n  checked in: ${expected}")
endif()
foreach(name IN LISTS expected)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${EXPECTED_DIR}/${name}
                          ${OUT_DIR}/${name} RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    message(FATAL_ERROR "${name} differs from what the program writes now; regenerate with "
                        "`${PROGRAM} ${PROGRAM_ARG} ${EXPECTED_DIR}` if the change is intended")
  endif()
endforeach()
message(STATUS "${PROGRAM} ${PROGRAM_ARG} writes the ${EXPECTED_DIR} files byte for byte")
