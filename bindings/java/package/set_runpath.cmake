# cmake -DFILE=LIBRARY -P set_runpath.cmake: the jar's copy of the JNI
# module finds libqtensor.so beside it, wherever it is extracted.
file(RPATH_SET FILE "${FILE}" NEW_RPATH "$ORIGIN")
