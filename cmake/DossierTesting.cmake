# dossier_add_test(NAME SOURCES src... LIBS lib... [LABELS l...] [TIMEOUT s])
#
# One Boost.Test executable registered with CTest. Every test sees
# DOSSIER_SHARED (the shared/ folder with fixtures) and DOSSIER_BIN_DIR (where
# dossierd and dossier are built) in its environment.
function(dossier_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT DOSSIER_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} Boost::unit_test_framework dossier_warnings)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name} --color_output=no --log_level=test_suite --report_level=short)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  if(DEFINED ENV{DOSSIER_SHARED})
    set(shared "$ENV{DOSSIER_SHARED}")
  else()
    set(shared "${DOSSIER_SHARED_DEFAULT}")
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    LABELS "${ARG_LABELS}"
    ENVIRONMENT "DOSSIER_SHARED=${shared};DOSSIER_BIN_DIR=${CMAKE_BINARY_DIR}/bin;DOSSIER_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endfunction()
