# The compile and link options of qtensor's own targets, in one place. They
# are set on the targets (qtensor_apply_build_options, called once at the end
# of the top-level CMakeLists.txt), never with add_compile_options, so a
# project that adds qtensor as a subdirectory keeps its own flags.

# Bit-exact numerics: no fused multiply-add or other contractions anywhere.
set(QTENSOR_COMPILE_OPTIONS -ffp-contract=off -Wall -Wextra)
if(QTENSOR_WERROR)
  list(APPEND QTENSOR_COMPILE_OPTIONS -Werror)
endif()
set(QTENSOR_LINK_OPTIONS)
if(QTENSOR_SANITIZE)
  list(APPEND QTENSOR_COMPILE_OPTIONS -fsanitize=address,undefined
       -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  list(APPEND QTENSOR_LINK_OPTIONS -fsanitize=address,undefined)
endif()

# Adds the options to every compiled target defined in dir and below.
function(qtensor_apply_build_options dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(EXECUTABLE|SHARED_LIBRARY|STATIC_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
      target_compile_options(${target} PRIVATE ${QTENSOR_COMPILE_OPTIONS})
      if(NOT type STREQUAL "OBJECT_LIBRARY" AND NOT type STREQUAL "STATIC_LIBRARY")
        target_link_options(${target} PRIVATE ${QTENSOR_LINK_OPTIONS})
      endif()
    endif()
  endforeach()
  get_property(subdirectories DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    qtensor_apply_build_options(${subdirectory})
  endforeach()
endfunction()
