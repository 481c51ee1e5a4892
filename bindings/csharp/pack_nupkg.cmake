# Packs QTensor.VERSION.nupkg: copies the assembly, its documentation and
# the native libraries into STAGE as the package lays them out, gives the
# module RUNPATH $ORIGIN (it finds libqtensor.so.0 beside it), strips both
# libraries of symbols and build paths, and runs `nuget pack` there.
# build/net45/ gets TARGETS (QTensor.targets, for packages.config projects).
# usage: cmake -DNUGET= -DSTRIP= -DNUSPEC= -DTARGETS= -DASSEMBLY_DIR= -DMODULE= -DLIBRARY=
#              -DLIBRARY_SONAME= -DSTAGE= -DOUTPUT=DIR/QTensor.VERSION.nupkg -P pack_nupkg.cmake
set(lib ${STAGE}/lib/net45)
set(native ${STAGE}/runtimes/linux-x64/native)
get_filename_component(output_dir ${OUTPUT} DIRECTORY)
file(REMOVE_RECURSE ${STAGE} ${output_dir})
file(MAKE_DIRECTORY ${lib} ${native} ${output_dir})
file(COPY ${ASSEMBLY_DIR}/QTensor.dll ${ASSEMBLY_DIR}/QTensor.xml DESTINATION ${lib})
file(COPY ${TARGETS} DESTINATION ${STAGE}/build/net45)
file(COPY_FILE ${MODULE} ${native}/libqtensor_csharp.so)
file(COPY_FILE ${LIBRARY} ${native}/${LIBRARY_SONAME})
file(RPATH_SET FILE ${native}/libqtensor_csharp.so NEW_RPATH "$ORIGIN")
file(RPATH_REMOVE FILE ${native}/${LIBRARY_SONAME})
foreach(library libqtensor_csharp.so ${LIBRARY_SONAME})
  execute_process(COMMAND ${STRIP} --strip-unneeded ${native}/${library} COMMAND_ERROR_IS_FATAL ANY)
endforeach()
file(COPY ${NUSPEC} DESTINATION ${STAGE})
get_filename_component(nuspec_name ${NUSPEC} NAME)
execute_process(COMMAND ${NUGET} pack ${nuspec_name} -OutputDirectory ${output_dir}
                        -NoPackageAnalysis -NonInteractive
                WORKING_DIRECTORY ${STAGE} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT status EQUAL 0 OR out MATCHES "[Ee]rror")
  message(FATAL_ERROR "nuget pack failed (${status}):\n${out}")
endif()
if(NOT EXISTS ${OUTPUT})
  message(FATAL_ERROR "nuget pack did not write ${OUTPUT} (the nuspec's id or version differ):\n${out}")
endif()
