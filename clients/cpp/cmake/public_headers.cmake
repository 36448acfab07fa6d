# The SDK's installed headers, all under dossier/: the SDK's own
# (include/dossier/client) and the shared trust/ and common/ headers they need,
# transitively, as dossier/trust/... and dossier/common/.... The source tree keeps
# "common/x.h" and "trust/x.h" (every module includes them that way); the
# installed copies are generated with their include lines rewritten, so a
# consumer's own common/status.h can never be picked up instead of ours.
#
# Two halves: dossier_public_header_closure() runs at configure time and lists
# the headers; the -P mode (at build time) writes the rewritten copies.

# Every header reachable through "common/..." or "trust/..." includes from the
# SDK's public headers. OUT: list of "dossier/client/x.h", "trust/x.h",
# "common/x.h" relative names; OUT_SOURCES: the matching source files.
function(dossier_public_header_closure repo_root sdk_include out out_sources)
  # Recursive: subdirectories (dossier/client/testing/...) are public too.
  file(GLOB_RECURSE sdk RELATIVE ${sdk_include} ${sdk_include}/dossier/client/*.h)
  set(todo ${sdk})
  set(seen)
  set(sources)
  while(todo)
    list(POP_FRONT todo header)
    if(header IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${header})
    if(header MATCHES "^dossier/")
      set(file ${sdk_include}/${header})
    else()
      set(file ${repo_root}/${header})
    endif()
    if(NOT EXISTS ${file})
      message(FATAL_ERROR "${header}: included by a public SDK header but not found at ${file}")
    endif()
    list(APPEND sources ${file})
    file(STRINGS ${file} includes REGEX "^#include \"")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" inc "${line}")
      if(inc MATCHES "^(common|trust)/")
        list(APPEND todo ${inc})
      elseif(NOT inc MATCHES "^dossier/client/")
        # Anything else (server/, schema/, an SDK src/ header) would not exist
        # for a consumer.
        message(FATAL_ERROR "${header} includes \"${inc}\", which the SDK does not install")
      endif()
    endforeach()
  endwhile()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sources})
  set(${out} ${seen} PARENT_SCOPE)
  set(${out_sources} ${sources} PARENT_SCOPE)
endfunction()

# cmake -DREPO_ROOT=... -DSDK_INCLUDE=... -DOUT_DIR=... -DHEADERS="a;b" -P public_headers.cmake
if(CMAKE_SCRIPT_MODE_FILE)
  file(REMOVE_RECURSE ${OUT_DIR}/dossier)
  foreach(header IN LISTS HEADERS)
    if(header MATCHES "^dossier/")
      set(from ${SDK_INCLUDE}/${header})
      set(to ${OUT_DIR}/${header})
    else()
      set(from ${REPO_ROOT}/${header})
      set(to ${OUT_DIR}/dossier/${header})
    endif()
    file(READ ${from} text)
    string(REGEX REPLACE "#include \"(common|trust)/" "#include \"dossier/\\1/" text "${text}")
    file(WRITE ${to} "${text}")
  endforeach()
endif()
