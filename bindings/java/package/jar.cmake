# qtensor.jar: the classes of qtensor-classes.jar plus, under
# io/qtensor/native/OS-ARCH/, libqtensor.so (by its SONAME) and
# libqtensor_java.so with RUNPATH $ORIGIN, listed in load order in
# libraries.txt; its pom under META-INF/maven/io.qtensor/qtensor/ and,
# as qtensor-VERSION.pom, beside it.
string(TOLOWER "${CMAKE_SYSTEM_NAME}" qtensor_os)
if(qtensor_os STREQUAL "darwin")
  set(qtensor_os macos)
endif()
string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" qtensor_arch)
if(qtensor_arch MATCHES "^(amd64|x86_64)$")
  set(qtensor_arch x86_64)
elseif(qtensor_arch MATCHES "^(arm64|aarch64)$")
  set(qtensor_arch aarch64)
endif()
# As NativeLibrary.platform() names the running JVM's platform.
set(QTENSOR_JAVA_PLATFORM ${qtensor_os}-${qtensor_arch})

set(QTENSOR_JAVA_POM ${CMAKE_CURRENT_BINARY_DIR}/qtensor-${PROJECT_VERSION}.pom)
configure_file(${CMAKE_CURRENT_LIST_DIR}/pom.xml.in ${QTENSOR_JAVA_POM} @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/pom.properties.in pom.properties @ONLY)

set(stage ${CMAKE_CURRENT_BINARY_DIR}/jar_stage)
set(native ${stage}/io/qtensor/native/${QTENSOR_JAVA_PLATFORM})
set(maven ${stage}/META-INF/maven/io.qtensor/qtensor)
set(library_list ${CMAKE_CURRENT_BINARY_DIR}/libraries.txt)
file(GENERATE OUTPUT ${library_list}
     CONTENT "$<TARGET_SONAME_FILE_NAME:qtensor>\n$<TARGET_FILE_NAME:qtensor_java>\n")

set(QTENSOR_JAVA_JAR ${CMAKE_CURRENT_BINARY_DIR}/qtensor.jar)
add_custom_command(
  OUTPUT ${QTENSOR_JAVA_JAR}
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${stage}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${native} ${maven}
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:qtensor> ${native}/$<TARGET_SONAME_FILE_NAME:qtensor>
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:qtensor_java> ${library_list} ${native}
  COMMAND ${CMAKE_COMMAND} -DFILE=${native}/$<TARGET_FILE_NAME:qtensor_java>
          -P ${CMAKE_CURRENT_LIST_DIR}/set_runpath.cmake
  COMMAND ${CMAKE_COMMAND} -E copy ${QTENSOR_JAVA_POM} ${maven}/pom.xml
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_BINARY_DIR}/pom.properties ${maven}
  COMMAND ${CMAKE_COMMAND} -E copy ${QTENSOR_JAVA_CLASSES_JAR} ${QTENSOR_JAVA_JAR}
  COMMAND ${Java_JAR_EXECUTABLE} --update --file ${QTENSOR_JAVA_JAR} -C ${stage} .
  DEPENDS qtensor_classes ${QTENSOR_JAVA_CLASSES_JAR} qtensor qtensor_java ${library_list}
          ${QTENSOR_JAVA_POM} ${CMAKE_CURRENT_BINARY_DIR}/pom.properties
          ${CMAKE_CURRENT_LIST_DIR}/set_runpath.cmake
  COMMENT "Packing qtensor.jar with the native libraries for ${QTENSOR_JAVA_PLATFORM}"
  VERBATIM)
add_custom_target(qtensor_jar ALL DEPENDS ${QTENSOR_JAVA_JAR})
