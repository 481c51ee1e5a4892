# Installs the library, headers, a pkg-config file and a CMake package, so a
# program outside the tree can use either `pkg-config --libs qtensor` or
# `find_package(qtensor)` + `target_link_libraries(app qtensor::qtensor)`.
include(CMakePackageConfigHelpers)

install(TARGETS qtensor EXPORT qtensorTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/qtensor DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS qtensor_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(QTENSOR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/qtensor)
install(EXPORT qtensorTargets NAMESPACE qtensor:: DESTINATION ${QTENSOR_CMAKE_DIR})
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
        DESTINATION ${QTENSOR_CMAKE_DIR})

configure_file(${CMAKE_CURRENT_LIST_DIR}/qtensor.pc.in ${CMAKE_CURRENT_BINARY_DIR}/qtensor.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/qtensor.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
