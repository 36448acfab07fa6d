// regulatory_doc: prints docs/REGULATORY.md as the rulebook data generates it.
//   cmake --build build --target regulatory_doc && build/bin/regulatory_doc > docs/REGULATORY.md
#include <iostream>

#include "schema/translate/regulatory_doc.h"

int main() {
  std::cout << dossier::translate::RegulatoryMarkdown(dossier::translate::Crosswalk::BuiltIn());
  return std::cout.good() ? 0 : 1;
}
