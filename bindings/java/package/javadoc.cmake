# qtensor-VERSION-javadoc.jar: the public API of package io.qtensor (the
# SWIG proxies are package-private and stay out), with every doclint check
# on and any warning an error. qtensor-VERSION-sources.jar: all the sources.
set(javadoc_dir ${CMAKE_CURRENT_BINARY_DIR}/javadoc)
set(QTENSOR_JAVA_JAVADOC_JAR ${CMAKE_CURRENT_BINARY_DIR}/qtensor-${PROJECT_VERSION}-javadoc.jar)
set(QTENSOR_JAVA_JAVADOC_LOG ${CMAKE_CURRENT_BINARY_DIR}/javadoc.log)
add_custom_command(
  OUTPUT ${QTENSOR_JAVA_JAVADOC_JAR} ${QTENSOR_JAVA_JAVADOC_LOG}
  COMMAND ${CMAKE_COMMAND} -DJAVADOC=${Java_JAVADOC_EXECUTABLE} "-DTITLE=qtensor ${PROJECT_VERSION}"
          -DSOURCEPATH=${CMAKE_CURRENT_SOURCE_DIR}/src:${CMAKE_CURRENT_BINARY_DIR}/generated
          -DOUT=${javadoc_dir} -DLOG=${QTENSOR_JAVA_JAVADOC_LOG}
          -P ${CMAKE_CURRENT_LIST_DIR}/run_javadoc.cmake
  COMMAND ${Java_JAR_EXECUTABLE} --create --file ${QTENSOR_JAVA_JAVADOC_JAR} -C ${javadoc_dir} .
  DEPENDS qtensor_classes ${QTENSOR_JAVA_CLASSES_JAR} ${QTENSOR_JAVA_SOURCES}
          ${CMAKE_CURRENT_LIST_DIR}/run_javadoc.cmake
  COMMENT "javadoc -Xdoclint:all -Werror for io.qtensor"
  VERBATIM)
add_custom_target(qtensor_javadoc ALL DEPENDS ${QTENSOR_JAVA_JAVADOC_JAR})

set(QTENSOR_JAVA_SOURCES_JAR ${CMAKE_CURRENT_BINARY_DIR}/qtensor-${PROJECT_VERSION}-sources.jar)
add_custom_command(
  OUTPUT ${QTENSOR_JAVA_SOURCES_JAR}
  COMMAND ${Java_JAR_EXECUTABLE} --create --file ${QTENSOR_JAVA_SOURCES_JAR}
          -C ${CMAKE_CURRENT_SOURCE_DIR}/src io -C ${CMAKE_CURRENT_BINARY_DIR}/generated io
  DEPENDS qtensor_classes ${QTENSOR_JAVA_CLASSES_JAR} ${QTENSOR_JAVA_SOURCES}
  VERBATIM)
add_custom_target(qtensor_java_sources ALL DEPENDS ${QTENSOR_JAVA_SOURCES_JAR})
