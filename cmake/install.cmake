# Installs the library, headers, a pkg-config file and a CMake package, so a
# program outside the tree can use either `pkg-config --libs qtensor` or
# `find_package(qtensor)` + `target_link_libraries(app qtensor::qtensor)`;
# the qtensor program and its manual page; the C API reference (when the
# docs target has been built). The installed tree is relocatable: RUNPATHs
# are $ORIGIN-relative (cmake/relocatable.cmake), the pkg-config file and the
# CMake package find their prefix from their own location.
#
# Install components: runtime (library, program, manual page), development
# (headers, link name, pkg-config and CMake files), doc (HTML reference),
# and java and csharp for those bindings' files. CPack packs the first three:
# the C/C++ package.
include(CMakePackageConfigHelpers)

install(TARGETS qtensor EXPORT qtensorTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
                NAMELINK_COMPONENT development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/qtensor DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT development)
install(TARGETS qtensor_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
# The manual page, compressed as Debian's policy asks (man reads it as is).
# Configuring again when the source changes, CMake rewrites both.
configure_file(${PROJECT_SOURCE_DIR}/docs/man/qtensor.1 ${CMAKE_CURRENT_BINARY_DIR}/man/qtensor.1
               @ONLY)
execute_process(COMMAND gzip -9 -n -f -k ${CMAKE_CURRENT_BINARY_DIR}/man/qtensor.1
                COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/man/qtensor.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT runtime)

set(QTENSOR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/qtensor)
install(EXPORT qtensorTargets NAMESPACE qtensor:: DESTINATION ${QTENSOR_CMAKE_DIR}
        COMPONENT development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/qtensorConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/qtensorConfig.cmake INSTALL_DESTINATION ${QTENSOR_CMAKE_DIR})
# Compatible releases are those of one SONAME (src/CMakeLists.txt).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(QTENSOR_COMPATIBILITY SameMinorVersion)
else()
  set(QTENSOR_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/qtensorConfigVersion.cmake
  COMPATIBILITY ${QTENSOR_COMPATIBILITY})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/qtensorConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/qtensorConfigVersion.cmake
        DESTINATION ${QTENSOR_CMAKE_DIR} COMPONENT development)

# pkg-config: two forms, chosen when installing. Under the prefix /usr (a
# distribution's package, the .deb) the paths are plain and there is no
# rpath: the dynamic loader looks there anyway. Anywhere else (the
# tarball, /usr/local, /opt, a home directory) the prefix is found from the
# .pc file's own location, and Libs carry -Wl,-rpath,${libdir}, so a
# program linked with `pkg-config --libs qtensor` starts without
# LD_LIBRARY_PATH.
set(QTENSOR_PC_PREFIX /usr)
set(QTENSOR_PC_RPATH "")
configure_file(${CMAKE_CURRENT_LIST_DIR}/qtensor.pc.in ${CMAKE_CURRENT_BINARY_DIR}/pc/system/qtensor.pc
               @ONLY)
set(qtensor_root /qtensor-install-root)  # only the relation of the two counts
file(RELATIVE_PATH QTENSOR_PC_TO_PREFIX ${qtensor_root}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
     ${qtensor_root})
string(REGEX REPLACE "/+$" "" QTENSOR_PC_TO_PREFIX "${QTENSOR_PC_TO_PREFIX}")
set(QTENSOR_PC_PREFIX "\${pcfiledir}/${QTENSOR_PC_TO_PREFIX}")
set(QTENSOR_PC_RPATH " -Wl,-rpath,\${libdir}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/qtensor.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/pc/relocatable/qtensor.pc @ONLY)
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(qtensor_pc_form system)
  else()
    set(qtensor_pc_form relocatable)
  endif()
  file(INSTALL \"${CMAKE_CURRENT_BINARY_DIR}/pc/\${qtensor_pc_form}/qtensor.pc\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\")"
  COMPONENT development)

include(cmake/package.cmake)
