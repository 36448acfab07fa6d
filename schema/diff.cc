#include "schema/diff.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "schema/dossier_codec.h"
#include "schema/section_digest.h"
#include "schema/toc.h"

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

// The value at a one- or two-level path ("device.tradeName", "intendedUse")
// of a dossier's canonical JSON; null when absent.
boost::json::value ValueAt(const boost::json::value& root, const std::string& path) {
  const boost::json::value* at = &root;
  size_t start = 0;
  while (at && start <= path.size()) {
    const size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    at = at->is_object() ? at->as_object().if_contains(key) : nullptr;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return at ? *at : boost::json::value();
}

std::vector<FieldChange> FieldValues(const v1::Dossier& from, const v1::Dossier& to,
                                     const std::vector<std::string>& paths) {
  const boost::json::value a = boost::json::parse(DossierToJson(from));
  const boost::json::value b = boost::json::parse(DossierToJson(to));
  std::vector<FieldChange> out;
  for (const std::string& path : paths) out.push_back({path, ValueAt(a, path), ValueAt(b, path)});
  return out;
}

// The top-level members of two sections' structured data that differ.
std::vector<FieldChange> DataFieldChanges(const v1::Section* from, const v1::Section* to) {
  auto data_of = [](const v1::Section* s) {
    if (!s || !s->has_data()) return boost::json::object();
    v1::Dossier holder;
    *holder.add_sections()->mutable_data() = s->data();
    boost::json::value v = boost::json::parse(DossierToJson(holder));
    const boost::json::value* data =
        v.as_object().at("sections").as_array()[0].as_object().if_contains("data");
    return data && data->is_object() ? data->as_object() : boost::json::object();
  };
  const boost::json::object a = data_of(from), b = data_of(to);
  std::map<std::string, FieldChange> changes;  // sorted by path
  for (const auto& [key, value] : a) {
    const boost::json::value* other = b.if_contains(key);
    if (!other || *other != value)
      changes["data." + std::string(key)] = {"data." + std::string(key), value,
                                             other ? *other : boost::json::value()};
  }
  for (const auto& [key, value] : b) {
    if (!a.contains(key)) changes["data." + std::string(key)] = {"data." + std::string(key), nullptr, value};
  }
  std::vector<FieldChange> out;
  for (auto& [path, change] : changes) out.push_back(std::move(change));
  return out;
}

// What identifies a document across versions: its file name, else its
// title, else its digest (a document with neither is only ever added or
// removed).
std::string DocumentKey(const v1::Document& d) {
  if (!d.file_name().empty()) return "file:" + d.file_name();
  if (!d.title().empty()) return "title:" + d.title();
  return "digest:" + d.digest();
}

std::vector<DocumentChange> DocumentChanges(const v1::Section* from, const v1::Section* to) {
  std::multimap<std::string, const v1::Document*> a, b;
  if (from)
    for (const v1::Document& d : from->documents()) a.emplace(DocumentKey(d), &d);
  if (to)
    for (const v1::Document& d : to->documents()) b.emplace(DocumentKey(d), &d);
  std::vector<DocumentChange> out;
  using Kind = DocumentChange::Kind;
  for (auto it = a.begin(); it != a.end(); ++it) {
    const v1::Document& old_doc = *it->second;
    auto match = b.find(it->first);
    if (match == b.end()) {
      out.push_back({Kind::kRemoved, old_doc.file_name(), old_doc.title(), old_doc.digest(), ""});
      continue;
    }
    const v1::Document& new_doc = *match->second;
    b.erase(match);
    if (old_doc.digest() != new_doc.digest()) {
      out.push_back(
          {Kind::kChanged, new_doc.file_name(), new_doc.title(), old_doc.digest(), new_doc.digest()});
    }
  }
  for (const auto& [key, doc] : b)
    out.push_back({Kind::kAdded, doc->file_name(), doc->title(), "", doc->digest()});
  std::sort(out.begin(), out.end(), [](const DocumentChange& x, const DocumentChange& y) {
    return std::tie(x.file_name, x.old_digest, x.new_digest) <
           std::tie(y.file_name, y.old_digest, y.new_digest);
  });
  return out;
}

void AddDetail(SectionChange& change, const v1::Section* from, const v1::Section* to) {
  change.title = to && !to->title().empty() ? to->title() : (from ? from->title() : "");
  change.documents = DocumentChanges(from, to);
  change.data_fields = DataFieldChanges(from, to);
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
      AddDetail(change, section, nullptr);
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
    AddDetail(change, section, other->second);
    diff.sections.push_back(std::move(change));
  }
  for (const auto& [code, section] : b) {
    if (a.count(code)) continue;
    SectionChange change{code, SectionChange::Kind::kAdded, Minus(Digests(*section), {}), {}, false};
    change.data_changed = section->has_data() && !section->data().fields().empty();
    AddDetail(change, nullptr, section);
    diff.sections.push_back(std::move(change));
  }
  std::sort(diff.sections.begin(), diff.sections.end(),
            [](const SectionChange& x, const SectionChange& y) { return x.code < y.code; });
  // Sections rarely repeat their heading's title; the redline names each
  // section, so one without a title gets its heading's from the ToC edition.
  const std::string& edition = to.toc_edition().empty() ? from.toc_edition() : to.toc_edition();
  for (SectionChange& change : diff.sections) {
    if (!change.title.empty()) continue;
    if (const TocHeading* heading = TocCatalog::BuiltIn().Find(edition, change.code))
      change.title = heading->title;
  }
  diff.changed_fields = ChangedFields(from, to);
  diff.fields = FieldValues(from, to, diff.changed_fields);
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

std::string_view DocumentChangeKindName(DocumentChange::Kind kind) {
  switch (kind) {
    case DocumentChange::Kind::kAdded:
      return "ADDED";
    case DocumentChange::Kind::kRemoved:
      return "REMOVED";
    case DocumentChange::Kind::kChanged:
      return "CHANGED";
  }
  return "CHANGED";
}

namespace {
boost::json::array FieldChangesJson(const std::vector<FieldChange>& changes) {
  boost::json::array out;
  for (const FieldChange& f : changes)
    out.push_back(boost::json::object{{"path", f.path}, {"old", f.old_value}, {"new", f.new_value}});
  return out;
}
}  // namespace

boost::json::object DiffToJson(const DossierDiff& diff) {
  boost::json::array sections;
  for (const SectionChange& c : diff.sections) {
    boost::json::array added(c.documents_added.begin(), c.documents_added.end());
    boost::json::array removed(c.documents_removed.begin(), c.documents_removed.end());
    boost::json::array documents;
    for (const DocumentChange& d : c.documents) {
      boost::json::object doc{{"change", DocumentChangeKindName(d.kind)}};
      if (!d.file_name.empty()) doc["fileName"] = d.file_name;
      if (!d.title.empty()) doc["title"] = d.title;
      if (!d.old_digest.empty()) doc["oldDigest"] = d.old_digest;
      if (!d.new_digest.empty()) doc["newDigest"] = d.new_digest;
      documents.push_back(std::move(doc));
    }
    boost::json::object section{{"code", c.code},
                                {"kind", SectionChangeKindName(c.kind)},
                                {"documentsAdded", std::move(added)},
                                {"documentsRemoved", std::move(removed)},
                                {"dataChanged", c.data_changed}};
    if (!c.title.empty()) section["title"] = c.title;
    section["documents"] = std::move(documents);
    section["dataFields"] = FieldChangesJson(c.data_fields);
    sections.push_back(std::move(section));
  }
  return boost::json::object{
      {"sections", std::move(sections)},
      {"changedFields", boost::json::array(diff.changed_fields.begin(), diff.changed_fields.end())},
      {"fields", FieldChangesJson(diff.fields)}};
}

}  // namespace dossier::schema
