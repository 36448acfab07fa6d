# ctest driver: cmake --install the SDK component of BUILD_DIR into a fresh
# prefix, then configure, build and run the consumer project against it.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --component dossier_client --prefix ${prefix}
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
if(NOT EXISTS ${prefix}/include/dossier/client/client.h OR NOT EXISTS ${prefix}/include/trust/keys.h)
  message(FATAL_ERROR "headers not installed")
endif()
set(args -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release)
if(LAUNCHER)
  list(APPEND args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} ${args} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer failed: ${rc}")
endif()
# A SoftHSM2 token in the work directory with a P-256 key pair generated on it,
# for the consumer's PKCS#11 signer (skipped, and said, when SoftHSM2 is absent;
# CI installs it through tools/install-deps.sh).
set(run_env)
if(EXISTS /usr/lib/softhsm/libsofthsm2.so AND EXISTS /usr/bin/softhsm2-util AND EXISTS /usr/bin/pkcs11-tool)
  file(MAKE_DIRECTORY ${WORK_DIR}/softhsm/tokens)
  file(WRITE ${WORK_DIR}/softhsm/softhsm2.conf
    "directories.tokendir = ${WORK_DIR}/softhsm/tokens\nobjectstore.backend = file\nlog.level = ERROR\n")
  set(hsm_env ${CMAKE_COMMAND} -E env SOFTHSM2_CONF=${WORK_DIR}/softhsm/softhsm2.conf)
  execute_process(COMMAND ${hsm_env} /usr/bin/softhsm2-util --init-token --free --label consumer
    --so-pin 13579246 --pin 246810 RESULT_VARIABLE rc OUTPUT_QUIET)
  if(rc)
    message(FATAL_ERROR "softhsm2-util --init-token failed: ${rc}")
  endif()
  execute_process(COMMAND ${hsm_env} /usr/bin/pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so
    --token-label consumer --login --pin 246810 --keypairgen --key-type EC:prime256v1 --id 02
    --label release-p256 RESULT_VARIABLE rc OUTPUT_QUIET)
  if(rc)
    message(FATAL_ERROR "pkcs11-tool --keypairgen failed: ${rc}")
  endif()
  set(run_env ${hsm_env} DOSSIER_CONSUMER_PKCS11_MODULE=/usr/lib/softhsm/libsofthsm2.so)
elseif(DEFINED ENV{CI})
  message(FATAL_ERROR "CI is set but SoftHSM2 or pkcs11-tool is absent")
else()
  message(STATUS "SoftHSM2 or pkcs11-tool absent: the consumer skips its PKCS#11 signer")
endif()
execute_process(COMMAND ${run_env} ${WORK_DIR}/build/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${out}")
if(rc)
  message(FATAL_ERROR "the consumer failed: ${rc}")
endif()
