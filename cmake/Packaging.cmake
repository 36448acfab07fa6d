# The Debian package (make package): dossierd, the dossier CLI, the SDK
# (headers, library, CMake package; installed by clients/cpp), the web app, a hardened
# systemd unit and a default configuration. packaging/postinst creates the
# "dossier" user and /var/lib/dossier. Dependencies come from dpkg-shlibdeps.
include(GNUInstallDirs)
install(TARGETS dossierd dossier RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT dossierd)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/dossierd.service DESTINATION lib/systemd/system COMPONENT dossierd)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/dossierd.conf DESTINATION /etc/dossier COMPONENT dossierd)
# The web app, where dossierd looks for it beside /usr/bin (../share/dossier-exchange/web).
if(DOSSIER_WEB_BUILT)
  install(DIRECTORY ${CMAKE_BINARY_DIR}/web/ DESTINATION ${CMAKE_INSTALL_DATADIR}/dossier-exchange/web
          COMPONENT dossierd)
endif()
install(FILES ${CMAKE_SOURCE_DIR}/docs/OPERATIONS.md ${CMAKE_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT dossierd)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dossier-exchange)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Dossier Exchange maintainers <maintainers@dossier.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Dossier Exchange server, CLI and SDK")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# conffiles: /etc/dossier/dossierd.conf, so an upgrade keeps the operator's edits.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_SOURCE_DIR}/packaging/postinst;${CMAKE_SOURCE_DIR}/packaging/prerm;${CMAKE_SOURCE_DIR}/packaging/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
