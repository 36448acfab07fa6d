#include "schema/translate/crosswalk.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/strings.h"

namespace dossier::schema::internal {
extern const std::string_view kTranslate_crosswalk;
extern const std::string_view kTranslate_requirements;
}  // namespace dossier::schema::internal

namespace dossier::translate {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;

const std::vector<std::string>& FormatColumns() {
  static const std::vector<std::string> kColumns = {std::string(kFormatImdrfToc),
                                                    std::string(kFormatFdaEstar), std::string(kFormatEuMdr),
                                                    std::string(kFormatHsaCsdt), std::string(kFormatFhirR5)};
  return kColumns;
}

// Calls fn(line_no, columns) for each data line.
Status ForEachRow(
    std::string_view text, const std::string& name,
    const std::function<Status(const std::string& where, const std::vector<std::string>&)>& fn) {
  size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    DOSSIER_RETURN_IF_ERROR(fn(name + " line " + std::to_string(line_no), Split(line, '\t')));
  }
  return Status::Ok();
}

// True when `prefix` equals `path` or is a parent of it at a component
// boundary ('.' for both ToC codes and JSON paths).
bool IsPathPrefix(std::string_view prefix, std::string_view path) {
  if (path.size() < prefix.size() || path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.';
}

bool Carried(const std::string& cell) { return cell != "-"; }

bool IsEditionColumn(std::string_view e) { return e == kEditionNivd || e == kEditionIvd || e == "*"; }

// "YYYY-MM-DD" with digits where digits belong (the calendar is not checked:
// the dates are data written by hand and compared as text).
bool IsIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return true;
}

bool IsEffectiveColumn(std::string_view e) {
  if (e == "-") return true;
  for (std::string_view prefix : {"from:", "until:"}) {
    if (e.substr(0, prefix.size()) == prefix) return IsIsoDate(e.substr(prefix.size()));
  }
  return false;
}

}  // namespace

bool IsAdvisoryBinding(std::string_view binding) {
  return binding == "draft-guidance" || binding == "non-binding";
}

std::string_view EditionKey(const v1::Dossier& dossier) {
  if (dossier.toc_edition().find("N13") != std::string::npos) return kEditionIvd;
  if (dossier.toc_edition().find("N9") != std::string::npos) return kEditionNivd;
  const auto& eu = dossier.classifications().eu();
  const bool ivd_class = eu.device_class() == v1::EuClassification::CLASS_A ||
                         eu.device_class() == v1::EuClassification::CLASS_B ||
                         eu.device_class() == v1::EuClassification::CLASS_C ||
                         eu.device_class() == v1::EuClassification::CLASS_D;
  return eu.regulation() == v1::EuClassification::IVDR || ivd_class ? kEditionIvd : kEditionNivd;
}

std::string StripIndices(std::string_view path) {
  std::string out;
  bool in_index = false;
  for (char c : path) {
    if (c == '[') in_index = true;
    if (!in_index) out.push_back(c);
    if (c == ']') in_index = false;
  }
  return out;
}

StatusOr<Crosswalk> Crosswalk::FromTsv(std::string_view crosswalk_tsv, std::string_view requirements_tsv) {
  Crosswalk cw;
  auto bad = [](const std::string& where, const std::string& what) {
    return InvalidArgument(where + ": " + what, "bad-crosswalk-data");
  };
  DOSSIER_RETURN_IF_ERROR(
      ForEachRow(crosswalk_tsv, "crosswalk.tsv", [&](const std::string& where, const auto& col) {
        if (col[0] == "toc") {
          if (col.size() != 7) return bad(where, "toc row needs 7 columns");
          if (!IsEditionColumn(col[1])) return bad(where, "edition must be N9, N13 or *");
          cw.toc_.push_back(TocRoute{col[1], col[2], col[3], col[4], col[5], col[6]});
          return Status::Ok();
        }
        if (col[0] == "field") {
          if (col.size() != 8) return bad(where, "field row needs 8 columns");
          FieldRoute route;
          route.path = col[1];
          for (size_t i = 0; i < FormatColumns().size(); ++i) {
            if (col[2 + i].empty()) return bad(where, "empty cell (use '-' for not carried)");
            route.cell[FormatColumns()[i]] = col[2 + i];
          }
          route.note = col[7];
          for (const auto& [format, cell] : route.cell) {
            if (!Carried(cell) && route.note.empty())
              return bad(where, "a '-' cell needs a note (the loss reason)");
          }
          cw.fields_.push_back(std::move(route));
          return Status::Ok();
        }
        return bad(where, "unknown row kind " + col[0]);
      }));
  DOSSIER_RETURN_IF_ERROR(
      ForEachRow(requirements_tsv, "requirements.tsv", [&](const std::string& where, const auto& col) {
        if (col.size() != 15)
          return bad(where, "requirement row needs 15 columns, has " + std::to_string(col.size()));
        Requirement r;
        r.id = col[0];
        r.agency = col[1];
        r.edition = col[2];
        r.pathways = Split(col[3], ',');
        if (col[4].size() != 1 || std::string_view("RCO").find(col[4][0]) == std::string_view::npos)
          return bad(where, "level must be R, C or O");
        r.level = col[4][0];
        r.classes = Split(col[5], ',');
        r.flag = col[6];
        r.toc = col[7];
        r.check = col[8];
        r.title = col[9];
        r.source = col[10];
        r.section = col[11];
        r.binding = col[12];
        r.effective = col[13];
        r.verification = col[14];
        r.citation = r.source + " " + r.section;
        if (r.agency != "FDA" && r.agency != "EU" && r.agency != "HSA") return bad(where, "unknown agency");
        if (!IsEditionColumn(r.edition)) return bad(where, "edition must be N9, N13 or *");
        if (r.check.empty() || r.title.empty()) return bad(where, "empty column");
        // A rule without the text it rests on is not a rule.
        if (r.source.empty() || r.section.empty()) return bad(where, "a rule needs its source and section");
        if (std::find(std::begin(kBindingLevels), std::end(kBindingLevels), r.binding) ==
            std::end(kBindingLevels))
          return bad(where, "unknown binding level '" + r.binding + "'");
        if (!IsEffectiveColumn(r.effective))
          return bad(where, "effective must be -, from:YYYY-MM-DD or until:YYYY-MM-DD");
        if (r.verification.rfind("verified: ", 0) != 0 && r.verification.rfind("unverified: ", 0) != 0)
          return bad(where, "verification must start with 'verified: ' or 'unverified: '");
        if (r.level == 'C' && r.flag == "-" && r.classes == std::vector<std::string>{"*"})
          return bad(where, "a C row needs a flag or a class condition");
        cw.requirements_.push_back(std::move(r));
        return Status::Ok();
      }));
  return cw;
}

const Crosswalk& Crosswalk::BuiltIn() {
  static const Crosswalk* const kBuiltIn = [] {
    auto parsed = FromTsv(schema::internal::kTranslate_crosswalk, schema::internal::kTranslate_requirements);
    if (!parsed.ok()) {
      std::fprintf(stderr, "corrupt embedded crosswalk: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return new Crosswalk(std::move(parsed).value());
  }();
  return *kBuiltIn;
}

const TocRoute* Crosswalk::RouteFor(std::string_view edition, std::string_view code) const {
  const TocRoute* best = nullptr;
  for (const auto& route : toc_) {
    if (route.edition != "*" && route.edition != edition) continue;
    if (IsPathPrefix(route.prefix, code) && (!best || route.prefix.size() > best->prefix.size()))
      best = &route;
  }
  return best;
}

const FieldRoute* Crosswalk::FieldFor(std::string_view path) const {
  const FieldRoute* best = nullptr;
  for (const auto& route : fields_) {
    if (IsPathPrefix(route.path, path) && (!best || route.path.size() > best->path.size())) best = &route;
  }
  return best;
}

bool Crosswalk::HasCarriedDescendant(std::string_view path, std::string_view format) const {
  for (const auto& route : fields_) {
    if (route.path.size() > path.size() && IsPathPrefix(path, route.path) &&
        Carried(route.cell.at(std::string(format))))
      return true;
  }
  return false;
}

namespace {

// Projects `msg` (at JSON path `path`) in place.
void ProjectMessage(Message* msg, const std::string& path, const std::string& format, const Crosswalk& cw) {
  const Reflection* refl = msg->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  refl->ListFields(*msg, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string p = path.empty() ? f->json_name() : path + "." + f->json_name();
    const FieldRoute* route = cw.FieldFor(p);
    const std::string cell = route ? route->cell.at(format) : std::string("carried");
    const bool is_message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                            f->message_type()->full_name() != "google.protobuf.Struct";
    if (!Carried(cell)) {
      if (!(is_message && cw.HasCarriedDescendant(p, format))) {
        refl->ClearField(msg, f);
        continue;
      }
    }
    if (cell.rfind("first:", 0) == 0 && f->is_repeated()) {
      while (refl->FieldSize(*msg, f) > 1) refl->RemoveLast(msg, f);
    }
    if (!is_message) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < refl->FieldSize(*msg, f); ++i) {
        ProjectMessage(refl->MutableRepeatedMessage(msg, f, i), p, format, cw);
      }
    } else {
      Message* sub = refl->MutableMessage(msg, f);
      ProjectMessage(sub, p, format, cw);
      // A '-' parent kept only for carried children: drop it when none remains.
      if (!Carried(cell) && sub->ByteSizeLong() == 0) refl->ClearField(msg, f);
    }
  }
}

bool FieldValueEquals(const Message& a, const Message& b, const FieldDescriptor* f, int ia, int ib) {
  const Reflection* ra = a.GetReflection();
  const Reflection* rb = b.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
#define DOSSIER_CMP(CPPTYPE, Getter)                                                    \
  case FieldDescriptor::CPPTYPE:                                                        \
    return rep ? ra->GetRepeated##Getter(a, f, ia) == rb->GetRepeated##Getter(b, f, ib) \
               : ra->Get##Getter(a, f) == rb->Get##Getter(b, f);
    DOSSIER_CMP(CPPTYPE_INT32, Int32)
    DOSSIER_CMP(CPPTYPE_INT64, Int64)
    DOSSIER_CMP(CPPTYPE_UINT32, UInt32)
    DOSSIER_CMP(CPPTYPE_UINT64, UInt64)
    DOSSIER_CMP(CPPTYPE_DOUBLE, Double)
    DOSSIER_CMP(CPPTYPE_FLOAT, Float)
    DOSSIER_CMP(CPPTYPE_BOOL, Bool)
    DOSSIER_CMP(CPPTYPE_STRING, String)
    DOSSIER_CMP(CPPTYPE_ENUM, EnumValue)
#undef DOSSIER_CMP
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageDifferencer::Equals(rep ? ra->GetRepeatedMessage(a, f, ia) : ra->GetMessage(a, f),
                                        rep ? rb->GetRepeatedMessage(b, f, ib) : rb->GetMessage(b, f));
  }
  return false;
}

void LossWalk(const Message& orig, const Message& carried, const std::string& path,
              const std::function<std::string(const std::string&)>& reason, std::vector<LossItem>* out) {
  const Reflection* ro = orig.GetReflection();
  const Reflection* rc = carried.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  ro->ListFields(orig, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string p = path.empty() ? f->json_name() : path + "." + f->json_name();
    auto lose = [&](const std::string& lost_path) {
      out->push_back({lost_path, reason(StripIndices(lost_path))});
    };
    const bool structured = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                            f->message_type()->full_name() != "google.protobuf.Struct";
    if (!f->is_repeated()) {
      if (structured) {
        if (!rc->HasField(carried, f)) {
          lose(p);
        } else {
          LossWalk(ro->GetMessage(orig, f), rc->GetMessage(carried, f), p, reason, out);
        }
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
                     ? !rc->HasField(carried, f) || !FieldValueEquals(orig, carried, f, 0, 0)
                     : !FieldValueEquals(orig, carried, f, 0, 0)) {
        lose(p);
      }
      continue;
    }
    const int n = ro->FieldSize(orig, f);
    const int m = rc->FieldSize(carried, f);
    if (m == 0) {
      lose(p);
      continue;
    }
    for (int i = 0; i < n; ++i) {
      const std::string pi = p + "[" + std::to_string(i) + "]";
      if (n == m) {
        if (structured) {
          LossWalk(ro->GetRepeatedMessage(orig, f, i), rc->GetRepeatedMessage(carried, f, i), pi, reason,
                   out);
        } else if (!FieldValueEquals(orig, carried, f, i, i)) {
          lose(pi);
        }
        continue;
      }
      bool found = false;
      for (int j = 0; j < m && !found; ++j) found = FieldValueEquals(orig, carried, f, i, j);
      if (!found) lose(pi);
    }
  }
}

}  // namespace

v1::Dossier Project(const v1::Dossier& dossier, std::string_view format, const Crosswalk& crosswalk) {
  v1::Dossier out = dossier;
  ProjectMessage(&out, "", std::string(format), crosswalk);
  return out;
}

std::vector<LossItem> ComputeLoss(const Message& original, const Message& carried,
                                  const std::function<std::string(const std::string& path)>& reason) {
  std::vector<LossItem> out;
  LossWalk(original, carried, "", reason, &out);
  return out;
}

}  // namespace dossier::translate
