#include "schema/translate/regulatory_doc.h"

#include <map>
#include <set>
#include <sstream>

#include "schema/translate/readiness_routes.h"

namespace dossier::translate {
namespace {

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out.push_back(c);
  }
  return out;
}

std::string LevelText(const Requirement& r) {
  if (r.level == 'R') return "required";
  if (r.level == 'O') return "optional";
  return "if " + r.flag;
}

// Facts the rows rely on that are not rows themselves: the route logic of
// readiness_routes.cc, with the text each branch was checked against.
constexpr const char* kRoutes = R"(## Routes

The route rows (`F-PATH`, `E-ROUTE`, `H-ROUTE`) apply these tables (schema/translate/readiness_routes.cc).

### EU conformity assessment (MDR Art 52, IVDR Art 48; verified against the regulation texts)

| class | routes (pathway names) | basis |
|---|---|---|
| MDR I | `class-i-self` (EU declaration of conformity, Annexes II and III) | MDR Art 52(7) |
| MDR I sterile / measuring / reusable surgical | `annex-ix` (Chapters I and III) or `annex-xi` (Part A); notified body limited to those aspects | MDR Art 52(7) |
| MDR IIa | `annex-ix` (Chapters I and III) or `annex-xi` (Annex II/III documentation with Annex XI Section 10 or 18); no Annex X | MDR Art 52(6) |
| MDR IIb | `annex-ix` (Chapters I and III) or `annex-x-xi` | MDR Art 52(4) |
| MDR III | `annex-ix` or `annex-x-xi` | MDR Art 52(3) |
| IVDR A | `class-i-self` (self-declaration) | IVDR Art 48(10) |
| IVDR A sterile | `annex-ix` or `annex-xi`; notified body limited to sterile conditions | IVDR Art 48(10) |
| IVDR B | `annex-ix` only | IVDR Art 48(9) |
| IVDR C | `annex-ix` or `annex-x-xi` (Annex XI except Section 5) | IVDR Art 48(7)-(8) |
| IVDR D | `annex-ix` or `annex-x-xi` | IVDR Art 48(3)-(4) |

Pathway names are URL-safe. `annex-x+xi` (the former name) is accepted as an alias, also as `annex-x xi`, which is
how `+` arrives in a query string. A notified body is involved for every route but `class-i-self`; that is the
AI Act Art 6(1) condition (MDCG 2025-6 Q2, Table 1), flag `NB`.

### HSA evaluation routes (verified against hsa.gov.sg: registration overview; Class B immediate registration)

| class | route | conditions |
|---|---|---|
| A | none | exempt from product registration |
| B, C, D | `full` | always |
| B, C, D | `abridged` | approval by at least one reference agency |
| C | `expedited` (ECR-1) | 1 approval + marketed 3 years in that agency's jurisdiction + no safety issues globally + no prior rejection/withdrawal |
| C | `expedited` (ECR-2) | 2 approvals + no prior rejection/withdrawal |
| D | `expedited` (EDR) | 2 approvals + no prior rejection/withdrawal (exclusions for some implants and IVDs: secondary sources only, not modelled) |
| B | `immediate` (IBR-1) | 1 approval + marketed 3 years + no rejection/withdrawal + no safety issues globally (no deaths, no serious deterioration, no open FSCA) |
| B | `immediate` (IBR-2) | 2 approvals + no rejection/withdrawal + no safety issues |
| B | `immediate` (standalone medical mobile application, `regional.sg.standaloneMobileApp`) | solely a standalone medical mobile app + 1 approval for the same labelled use (verified: the Class B immediate route page); + no rejection/withdrawal and no safety issues, modelled as for IBR (the rest of the page's app criteria was not read: **unverified**) |
| C | `immediate` (standalone mobile app, "ICR") | **unverified**: described only in secondary sources |

An approval counts only when it is from a reference agency — a closed set: US FDA, Health Canada, Australia TGA,
Japan MHLW, EU notified bodies (by the approval's jurisdiction; the free-text agency name is not read) — and covers
the same labelled use as intended for Singapore (`sameLabelledUse`). An MHRA (GB) approval does not count. The list
of five agencies was found only in secondary sources (HSA's own list was not located): **unverified**.
)";

constexpr const char* kEditions = R"(## ToC editions

Every ToC-coded row and crosswalk row names its edition: N9 (IMDRF nIVD MA ToC) or N13 (IMDRF IVD MA ToC); `*`
marks chapters 1, 2, 5, 6A, 6B, whose headings are the same in both. The dossier's `tocEdition` chooses; without
one, an IVDR device (regulation IVDR or EU class A-D) is read as N13.

N13 chapter 3 (Analytical Performance and Other Evidence) was checked against Health Canada's IMDRF IVD ToC pages
(class 4 IVD new and amendment applications), whose chapter-3 numbering is the IMDRF one: 3.05.01-3.05.10 analytical
performance (stability of samples, validation of specimens, metrological traceability, accuracy, analytical
sensitivity, analytical specificity, high-dose hook effect, measuring range, cut-off, assay procedure), 3.06.01
electrical systems / EMC, 3.06.02.01-.12 software, 3.06.03 cleaning and disinfection, 3.06.04 usability, 3.06.05
stability of the IVD, 3.07 bibliography, 3.08 other evidence. N13 chapter-4 sub-headings (4.02.01, 4.02.02, ...) were
not found in any text read and still mirror N9: **unverified**.
)";

// The readiness answer, member by member (schema/translate/translate.h
// ReadinessToJson), so that a reader of the rules knows how they come back.
constexpr const char* kAnswer = R"(## The readiness answer

`GET /v1/tenants/{t}/dossiers/{d}/versions/{n}/readiness?agency=FDA|EU|HSA[&pathway=][&asOf=YYYY-MM-DD]` (and the
receiving regulator's `GET .../submissions/{s}/readiness`) answers `translate::ReadinessToJson`:

| member | meaning |
|---|---|
| `agency`, `pathway`, `edition`, `asOf` | what was evaluated: the pathway (the recorded or default one when none was asked), the ToC edition the dossier was read with (`N9` / `N13`), the date effective dates were compared with |
| `ready` | no item is `missing` (advisories never count) |
| `missingCount` | items with status `missing` |
| `advisoryMissingCount` | items with status `advised` |
| `items[].id`, `title` | the rule (`id` as in the tables below; the same id in N9 and N13 is the same item) |
| `items[].status` | `present`; `missing` (a requirement the dossier does not meet); `advised` (an advisory row whose item is lacking: shown so it can be acted on, never a missing requirement); `not-applicable` (another class, a condition that does not hold, an `until:` date passed, an optional item absent, or a section justified not applicable) |
| `items[].detail` | why: the condition, what is lacking, or the justification; advisories start with `advisory: ...` |
| `items[].citation` | `source` + `section`, as one text |
| `items[].tocCode` | the heading(s) of the dossier's edition where the item lives, when it has one |
| `items[].source`, `section` | the document and the exact place in it |
| `items[].binding` | `law`, `regulation`, `standard`, `final-guidance`, `draft-guidance`, `non-binding` |
| `items[].edition` | the edition the row is written for: `N9`, `N13` or `*` |
| `items[].effective` | `from:YYYY-MM-DD` / `until:YYYY-MM-DD`, when the row has a date |
| `items[].verification`, `verified` | the row's mark (`verified: ...` / `unverified: ...`) and whether it is `verified` |
| `items[].advisory` | the row only advises: draft guidance, a non-binding text, or not yet in force on `asOf` |
)";

constexpr const char* kNotesWrong = R"(## Where the reference notes were wrong

`/work/shared/reference/requirements.md` and `regulatory.md` are notes, not sources. Checked against the texts:

- The PCCP labelling statement was cited as the PCCP guidance's §VIII; §VIII is the Impact Assessment. Cover letter
  and labelling are both §V.C of the guidance (18 Aug 2025). The cover-letter item was cited as "§C".
- Intended purpose and intended users are MDR Annex II 1.1(a), not 1.1(c) (1.1(c) is patient population,
  indications, contra-indications, warnings).
- "Test data from at least 3 US sites" was stated as a rule; it comes from draft guidance (at most a
  recommendation) and is not a requirement.
- The HSA "Singapore / Asian population" AI row had no source; it was removed.
- The AI Act high-risk row covered only MDR IIa-III; MDCG 2025-6 Table 1 also lists MDR class I sterile /
  measuring / reusable surgical and IVDR sterile class A and B-D. The Act's Art 6(1) obligations apply from
  2 Aug 2027 in the published Art 113(c); the Digital Omnibus on AI moves them to 2 Aug 2028 (reported adopted,
  its Official Journal text not read), the date these rows and schema/pccp use.
- Annex X + XI was offered to MDR class IIa; Art 52(6) gives IIa Annex IX Chapters I+III or Annex II/III
  documentation with Annex XI Section 10 or 18. IVDR class A sterile needs a notified body for the sterility
  aspects (Art 48(10)); IVDR class B has no Annex X route (Art 48(9)).
- IVDR PMS report and PSUR were missing: Art 80 (class A, B) and Art 81 (class C, D; class D via Eudamed); the
  summary of safety and performance is Art 29 (class C, D).
- A PMA supplement is not an original PMA: 21 CFR 814.39(c)(1) limits it to the information supporting the change.
- Form FDA 3674 accompanies applications under FD&C 505, 515, 520(m) and 510(k) (the form's own text); De Novo
  requests are not named there.
- Form FDA 3674 was marked conditional for PMAs (requirements.md F35); the form is for every application under
  FD&C 515. For a 510(k) it is expected when the 510(k) refers to clinical trials. Heading 1.12.03 does not evidence
  it (it also holds the financial disclosure): the rows read the signed form (`regional.us.form3674Digest`).
- 21 CFR 807.87(c) names the class and the panel only; the regulation number and product code attributed to it
  (requirements.md F9) are eSTAR fields.
- The immediate route for stand-alone medical mobile applications is given for "SaMD Class B & C" (regulatory.md,
  HSA evaluation routes, from a secondary wiki); HSA's own page read is the class B immediate route page, and the
  class C variant was not found in HSA's text.
- A PCCP cannot be established through a Special 510(k) (PCCP guidance §V.B lists Traditional and Abbreviated
  510(k), original De Novo, original/modular PMA and 180-day, panel-track and real-time PMA supplements).
- EEA states (NO, IS, LI) were treated as non-EU, so their manufacturers were told to appoint an authorised
  representative.
- The HSA reference agencies were counted by free-text name, any regulator counting; HSA counts only approvals of
  its reference agencies for the same labelled use.
)";

}  // namespace

std::string RegulatoryMarkdown(const Crosswalk& crosswalk) {
  const auto& rules = crosswalk.Requirements();
  std::ostringstream md;
  size_t verified = 0, advisory = 0;
  std::map<std::string, std::pair<std::string, std::pair<size_t, size_t>>>
      sources;  // source -> binding, rows, verified
  for (const auto& r : rules) {
    verified += r.verified();
    advisory += IsAdvisoryBinding(r.binding) || r.effective.rfind("from:", 0) == 0;
    auto& s = sources[r.source];
    s.first = s.first.empty() || s.first == r.binding ? r.binding : s.first + ", " + r.binding;
    ++s.second.first;
    s.second.second += r.verified();
  }
  md << "# Regulatory rules\n\n"
     << "<!-- Generated from schema/translate/data/requirements.tsv by regulatory_doc; do not edit. -->\n"
     << "Generated from `schema/translate/data/requirements.tsv`; do not edit by hand. Regenerate with\n`"
     << kRegulatoryDocCommand << "`.\n\n"
     << "The readiness answer (`GET .../readiness?agency=&pathway=&asOf=`) applies these rules. Each item "
        "carries "
        "the rule's `source`, `section`, `binding`, `edition`, `effective` and `verification`, and "
        "`advisory` when "
        "it cannot make `ready` false.\n\n"
     << "## How to read\n\n"
     << "- **binding**: law, regulation, standard, final-guidance, draft-guidance, non-binding. Rows resting "
        "on "
        "draft guidance or a non-binding text are *advisories*: what they find lacking is `advised`, never "
        "`missing`, and never makes a dossier "
        "not ready. Final guidance counts: it is what the agency reviews against.\n"
     << "- **effective**: `from:DATE` rows are advisories before that date (the `asOf` date of the request, "
        "default today).\n"
     << "- **level**: required, optional, or `if FLAG` (required when the condition holds; `&` joins flags). "
        "Flags read structured facts where the dossier has them (`PCCP`: ai.changePlan; `MARKETED`: "
        "regional.eu.eudamed.marketStatus ON_THE_MARKET or NO_LONGER_PLACED_ON_THE_MARKET; `ENHANCED`: "
        "regional.us.softwareDocumentationLevel ENHANCED, or no level stated for a US class III device (FDA "
        "software guidance §V: Enhanced generally recommended for class III unless Basic is justified); "
        "`CLINTRIALS`: regional.us.clinicalTrials, or clinical studies in heading 4.02.02; `NB`: the EU "
        "route involves a notified body) and otherwise the ToC heading of the dossier's edition that "
        "evidences "
        "them.\n"
     << "- **verification**: `verified:` names the text the row was checked against; `unverified:` says what "
        "was not read. No row is without a source.\n\n"
     << rules.size() << " rules: " << verified << " verified, " << (rules.size() - verified)
     << " unverified; " << advisory
     << " advisory (draft or non-binding text, or a future effective date).\n\n"
     << kAnswer << "\n"
     << kEditions << "\n"
     << kRoutes << "\n"
     << "## Sources\n\n| source | binding | rules | verified |\n|---|---|---|---|\n";
  for (const auto& [source, info] : sources) {
    md << "| " << Cell(source) << " | " << info.first << " | " << info.second.first << " | "
       << info.second.second << " |\n";
  }
  for (const char* agency : {"FDA", "EU", "HSA"}) {
    md << "\n## Rules: " << agency << "\n\n"
       << "| id | edition | pathways | level | classes | what | citation | binding | effective | "
          "verification |\n"
       << "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : rules) {
      if (r.agency != agency) continue;
      md << "| " << r.id << " | " << r.edition << " | " << Cell(JoinList(r.pathways)) << " | "
         << Cell(LevelText(r)) << " | " << Cell(JoinList(r.classes)) << " | " << Cell(r.title) << " | "
         << Cell(r.citation) << " | " << r.binding << " | " << (r.effective == "-" ? "" : r.effective)
         << " | " << Cell(r.verification) << " |\n";
    }
  }
  md << "\n" << kNotesWrong;
  return md.str();
}

}  // namespace dossier::translate
