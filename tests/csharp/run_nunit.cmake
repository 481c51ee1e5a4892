# Runs nunit-console on ASSEMBLY and fails unless it ran at least one test
# and every test passed (a test not run, ignored or inconclusive fails too).
file(REMOVE ${RESULT})
execute_process(COMMAND ${NUNIT} ${ASSEMBLY} -nologo -noshadow -labels -xml=${RESULT}
                RESULT_VARIABLE status)
if(NOT EXISTS ${RESULT})
  message(FATAL_ERROR "nunit-console wrote no result file (exit status ${status})")
endif()
file(READ ${RESULT} xml)
string(REGEX MATCH "<test-results [^>]*>" header "${xml}")
foreach(count total errors failures not-run inconclusive ignored skipped invalid)
  string(REGEX MATCH " ${count}=\"([0-9]+)\"" match "${header}")
  if(NOT match)
    message(FATAL_ERROR "no ${count} count in ${RESULT}: ${header}")
  endif()
  set(${count} ${CMAKE_MATCH_1})
endforeach()
message(STATUS "NUnit: ${total} run, ${failures} failed, ${errors} errors, ${not-run} not run")
if(NOT status EQUAL 0 OR total EQUAL 0 OR NOT errors EQUAL 0 OR NOT failures EQUAL 0
   OR NOT not-run EQUAL 0 OR NOT inconclusive EQUAL 0 OR NOT ignored EQUAL 0
   OR NOT skipped EQUAL 0 OR NOT invalid EQUAL 0)
  message(FATAL_ERROR "C# tests failed (nunit-console exit status ${status})")
endif()
