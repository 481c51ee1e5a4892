# The C/C++ package, made by CPack as a .tar.gz (unpack anywhere) and a .deb
# (installs under /usr): the runtime, development and doc components of
# cmake/install.cmake. Make both, with the C API reference built first:
#
#   cmake --build build --target packages
#
# which writes build/qtensor-VERSION-Linux.tar.gz and
# build/qtensor_VERSION_ARCH.deb (or run `cpack -G TGZ` / `cpack -G DEB` in
# the build directory after `cmake --build build --target docs`).
if(NOT PROJECT_IS_TOP_LEVEL)
  return()
endif()

set(QTENSOR_PACKAGE_CONTACT "qtensor maintainers <maintainers@qtensor.invalid>" CACHE STRING
    "The Maintainer of the .deb package")

set(CPACK_PACKAGE_NAME qtensor)
set(CPACK_PACKAGE_VENDOR qtensor)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "quantized tensors behind a C ABI")
set(CPACK_PACKAGE_CONTACT "${QTENSOR_PACKAGE_CONTACT}")
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_GENERATOR TGZ DEB)
# One package holding the C/C++ components; the language bindings have
# packages of their own kind.
set(CPACK_INSTALL_CMAKE_PROJECTS)
foreach(component runtime development doc)
  list(APPEND CPACK_INSTALL_CMAKE_PROJECTS ${PROJECT_BINARY_DIR} ${PROJECT_NAME} ${component} /)
endforeach()
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "")

# .deb: qtensor_VERSION_ARCH.deb, its Depends from dpkg-shlibdeps (libprotobuf,
# libhwy, libstdc++, libc), and a shlibs file so packages built against it get
# a Depends on it in turn.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
# Any later release of one SONAME will do for what was built against this one.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Quantized tensors (int8, uint8 and int32 values with scales and zero points, per
tensor or per channel) in a C++ library with a C ABI, libqtensor.so: the
library, its C and C++ headers, pkg-config and CMake files, the qtensor
command-line program and the C API reference.")

include(CPack)

add_custom_target(packages
  COMMAND ${CMAKE_CPACK_COMMAND} --config ${PROJECT_BINARY_DIR}/CPackConfig.cmake -G "TGZ;DEB"
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
  COMMENT "Packing qtensor-${PROJECT_VERSION} as .tar.gz and .deb"
  VERBATIM)
add_dependencies(packages qtensor qtensor_cli)
if(TARGET docs)
  add_dependencies(packages docs)
endif()
