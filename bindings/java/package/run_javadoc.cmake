# cmake -DJAVADOC=... -DSOURCEPATH=... -DOUT=... -DTITLE=... -DLOG=... -P run_javadoc.cmake
# javadoc -Xdoclint:all -Werror for package io.qtensor; what it says goes to
# LOG, and any output at all fails the build.
file(REMOVE_RECURSE "${OUT}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C
          "${JAVADOC}" -quiet -Xdoclint:all -Werror --release 17 -doctitle "${TITLE}"
          -windowtitle "${TITLE}" -sourcepath "${SOURCEPATH}" -d "${OUT}" io.qtensor
  OUTPUT_VARIABLE said ERROR_VARIABLE said RESULT_VARIABLE status)
file(WRITE "${LOG}" "${said}")
if(NOT status EQUAL 0 OR NOT said STREQUAL "")
  message(FATAL_ERROR "javadoc for io.qtensor (exit ${status}):\n${said}")
endif()
