# The build's npm-installed tools — the web app's (web/: esbuild, TypeScript,
# preact) and the API contract's linters (tools/lint/: redocly, buf): node and
# npm found once, and the one way their locked dependencies are installed.
include_guard(GLOBAL)
find_program(DOSSIER_NODE node)
find_program(DOSSIER_NPM npm)

# dossier_npm_ci(DEPS_DIR PACKAGE_DIR DESCRIPTION)
#
# At build time, `npm ci` of PACKAGE_DIR's package.json and package-lock.json
# into DEPS_DIR/node_modules, never into the source tree; --prefer-offline
# takes the packages from npm's cache when it has them. --ignore-scripts: no
# package runs code at install (esbuild's and buf's binaries come as the
# platform packages their npm packages depend on). Depend on
# DEPS_DIR/node_modules/.package-lock.json, which npm ci writes last; it is
# redone when either file of PACKAGE_DIR changes.
function(dossier_npm_ci deps_dir package_dir description)
  add_custom_command(
    OUTPUT ${deps_dir}/node_modules/.package-lock.json
    COMMAND ${CMAKE_COMMAND} -E make_directory ${deps_dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${package_dir}/package.json ${package_dir}/package-lock.json ${deps_dir}/
    COMMAND ${DOSSIER_NPM} ci --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error
    WORKING_DIRECTORY ${deps_dir}
    DEPENDS ${package_dir}/package.json ${package_dir}/package-lock.json
    COMMENT "npm ci (${description})"
    VERBATIM)
endfunction()
