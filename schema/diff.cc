#include "schema/diff.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <map>

#include "schema/section_digest.h"

namespace dossier::schema {
namespace {

namespace pb = google::protobuf;

std::vector<std::string> Digests(const v1::Section& s) {
  std::vector<std::string> out;
  for (const v1::Document& d : s.documents()) out.push_back(d.digest());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool SameField(const pb::Message& a, const pb::Message& b, const pb::FieldDescriptor* field) {
  pb::util::MessageDifferencer differencer;
  std::vector<const pb::FieldDescriptor*> only = {field};
  return differencer.CompareWithFields(a, b, only, only);
}

std::vector<std::string> ChangedFields(const v1::Dossier& from, const v1::Dossier& to) {
  std::vector<std::string> out;
  const pb::Descriptor* desc = v1::Dossier::descriptor();
  for (int i = 0; i < desc->field_count(); ++i) {
    const pb::FieldDescriptor* field = desc->field(i);
    if (field->number() == v1::Dossier::kSectionsFieldNumber) continue;
    if (SameField(from, to, field)) continue;
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
      const pb::Message& a = from.GetReflection()->GetMessage(from, field);
      const pb::Message& b = to.GetReflection()->GetMessage(to, field);
      const pb::Descriptor* sub = field->message_type();
      for (int j = 0; j < sub->field_count(); ++j) {
        if (!SameField(a, b, sub->field(j)))
          out.push_back(field->json_name() + "." + sub->field(j)->json_name());
      }
    } else {
      out.push_back(field->json_name());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

DossierDiff DiffDossiers(const v1::Dossier& from, const v1::Dossier& to) {
  std::map<std::string, const v1::Section*> a, b;  // last one wins, as in SectionDigests
  for (const v1::Section& s : from.sections()) a[s.code()] = &s;
  for (const v1::Section& s : to.sections()) b[s.code()] = &s;
  DossierDiff diff;
  for (const auto& [code, section] : a) {
    auto other = b.find(code);
    if (other == b.end()) {
      SectionChange change{code, SectionChange::Kind::kRemoved, {}, Minus(Digests(*section), {}), false};
      change.data_changed = section->has_data() && !section->data().fields().empty();
      diff.sections.push_back(std::move(change));
      continue;
    }
    if (SectionDigest(*section) == SectionDigest(*other->second)) continue;
    SectionChange change{code, SectionChange::Kind::kModified, {}, {}, false};
    const auto da = Digests(*section);
    const auto db = Digests(*other->second);
    change.documents_added = Minus(db, da);
    change.documents_removed = Minus(da, db);
    v1::Section data_a, data_b;
    *data_a.mutable_data() = section->data();
    *data_b.mutable_data() = other->second->data();
    change.data_changed = SectionDigest(data_a) != SectionDigest(data_b);
    diff.sections.push_back(std::move(change));
  }
  for (const auto& [code, section] : b) {
    if (a.count(code)) continue;
    SectionChange change{code, SectionChange::Kind::kAdded, Minus(Digests(*section), {}), {}, false};
    change.data_changed = section->has_data() && !section->data().fields().empty();
    diff.sections.push_back(std::move(change));
  }
  std::sort(diff.sections.begin(), diff.sections.end(),
            [](const SectionChange& x, const SectionChange& y) { return x.code < y.code; });
  diff.changed_fields = ChangedFields(from, to);
  return diff;
}

std::string_view SectionChangeKindName(SectionChange::Kind kind) {
  switch (kind) {
    case SectionChange::Kind::kAdded:
      return "ADDED";
    case SectionChange::Kind::kRemoved:
      return "REMOVED";
    case SectionChange::Kind::kModified:
      return "MODIFIED";
  }
  return "MODIFIED";
}

boost::json::object DiffToJson(const DossierDiff& diff) {
  boost::json::array sections;
  for (const SectionChange& c : diff.sections) {
    boost::json::array added(c.documents_added.begin(), c.documents_added.end());
    boost::json::array removed(c.documents_removed.begin(), c.documents_removed.end());
    sections.push_back(boost::json::object{{"code", c.code},
                                           {"kind", SectionChangeKindName(c.kind)},
                                           {"documentsAdded", std::move(added)},
                                           {"documentsRemoved", std::move(removed)},
                                           {"dataChanged", c.data_changed}});
  }
  return boost::json::object{
      {"sections", std::move(sections)},
      {"changedFields", boost::json::array(diff.changed_fields.begin(), diff.changed_fields.end())}};
}

}  // namespace dossier::schema
