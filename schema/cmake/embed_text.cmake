# cmake -DINPUT=file.tsv -DOUTPUT=file.cc -DSYMBOL=name -P embed_text.cmake
#
# Writes a C++ source defining
#   namespace dossier::schema::internal { extern const std::string_view SYMBOL; }
# holding the bytes of INPUT, so the library needs no data path at run time.
file(READ "${INPUT}" content HEX)
string(LENGTH "${content}" hex_len)
set(body "")
set(line "")
set(count 0)
math(EXPR last "${hex_len} - 2")
if(hex_len GREATER 0)
  foreach(i RANGE 0 ${last} 2)
    string(SUBSTRING "${content}" ${i} 2 byte)
    string(APPEND line "'\\x${byte}',")
    math(EXPR count "${count} + 1")
    if(count EQUAL 16)
      string(APPEND body "${line}\n")
      set(line "")
      set(count 0)
    endif()
  endforeach()
endif()
string(APPEND body "${line}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by schema/cmake/embed_text.cmake. Do not edit.\n#include <string_view>\n\nnamespace dossier::schema::internal {\nnamespace {\nconstexpr char kData[] = {\n${body}'\\0'};\n}  // namespace\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}(kData, sizeof(kData) - 1);\n}  // namespace dossier::schema::internal\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
