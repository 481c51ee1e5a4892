# An installed tree works wherever it is unpacked: whatever links
# libqtensor.so finds it through a RUNPATH relative to its own location
# ($ORIGIN), never through an absolute path or LD_LIBRARY_PATH. The build
# tree keeps CMake's usual absolute build RPATHs.

# qtensor_install_rpath(TARGET DESTINATION): TARGET is installed into
# DESTINATION (relative to the prefix, like CMAKE_INSTALL_BINDIR); give it
# the RUNPATH from there to the installed library's directory.
function(qtensor_install_rpath target destination)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${destination}")
    # An absolute directory is not relocatable anyway: name it.
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "${CMAKE_INSTALL_FULL_LIBDIR}")
    return()
  endif()
  set(root /qtensor-install-root)  # any absolute path: only the relation counts
  file(RELATIVE_PATH to_libdir ${root}/${destination} ${root}/${CMAKE_INSTALL_LIBDIR})
  string(REGEX REPLACE "/+$" "" to_libdir "${to_libdir}")
  if(to_libdir STREQUAL "")
    set(rpath "$ORIGIN")
  else()
    set(rpath "$ORIGIN/${to_libdir}")
  endif()
  set_target_properties(${target} PROPERTIES INSTALL_RPATH "${rpath}")
endfunction()
