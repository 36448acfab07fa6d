#include "schema/section_digest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <vector>

#include "common/hex.h"
#include "schema/dossier_codec.h"

namespace dossier::schema {
namespace {

namespace pb = google::protobuf;

void AppendU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

void Item(std::string* out, char tag, std::string_view bytes) {
  out->push_back(tag);
  AppendU64(out, bytes.size());
  out->append(bytes);
}

void ItemIfSet(std::string* out, char tag, std::string_view bytes) {
  if (!bytes.empty()) Item(out, tag, bytes);
}

void EncodeValue(std::string* out, const pb::Value& value);

std::string EncodeStruct(const pb::Struct& s) {
  std::vector<const pb::MapPair<std::string, pb::Value>*> members;
  members.reserve(s.fields().size());
  for (const auto& member : s.fields()) members.push_back(&member);
  std::sort(members.begin(), members.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string body;
  for (const auto* member : members) {
    Item(&body, 'k', member->first);
    EncodeValue(&body, member->second);
  }
  return body;
}

void EncodeValue(std::string* out, const pb::Value& value) {
  switch (value.kind_case()) {
    case pb::Value::kBoolValue:
      Item(out, 'b', std::string(1, value.bool_value() ? '\x01' : '\x00'));
      break;
    case pb::Value::kNumberValue: {
      double d = value.number_value();
      if (d == 0) d = 0.0;  // folds -0.0 into +0.0
      std::string bytes;
      AppendU64(&bytes, std::bit_cast<uint64_t>(d));
      Item(out, '#', bytes);
      break;
    }
    case pb::Value::kStringValue:
      Item(out, 's', value.string_value());
      break;
    case pb::Value::kListValue: {
      std::string body;
      for (const pb::Value& item : value.list_value().values()) EncodeValue(&body, item);
      Item(out, '[', body);
      break;
    }
    case pb::Value::kStructValue:
      Item(out, '{', EncodeStruct(value.struct_value()));
      break;
    case pb::Value::kNullValue:
    case pb::Value::KIND_NOT_SET:
      Item(out, '0', "");
      break;
  }
}

std::string EncodeDocument(const v1::Document& doc) {
  std::string out;
  ItemIfSet(&out, 'd', doc.digest());
  ItemIfSet(&out, 'm', doc.media_type());
  ItemIfSet(&out, 'f', doc.file_name());
  ItemIfSet(&out, 't', doc.title());
  ItemIfSet(&out, 's', doc.study());
  if (doc.part() != v1::Document::PART_UNSPECIFIED) Item(&out, 'p', v1::Document::Part_Name(doc.part()));
  ItemIfSet(&out, 'l', doc.language());
  if (doc.size_bytes() != 0) {
    std::string bytes;
    AppendU64(&bytes, static_cast<uint64_t>(doc.size_bytes()));
    Item(&out, 'z', bytes);
  }
  return out;
}

std::string Sha256Hex(std::string_view prefix, std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, prefix.data(), prefix.size()) == 1 &&
                  EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, md, &md_len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) std::abort();  // only on allocation failure inside OpenSSL
  return "sha256:" + HexEncode(std::string_view(reinterpret_cast<const char*>(md), md_len));
}

}  // namespace

std::string CanonicalSectionEncoding(const v1::Section& section) {
  std::string out;
  ItemIfSet(&out, 'c', section.code());
  ItemIfSet(&out, 't', section.title());
  ItemIfSet(&out, 'n', section.not_applicable_justification());
  std::vector<std::string> docs;
  docs.reserve(section.documents_size());
  for (const v1::Document& doc : section.documents()) docs.push_back(EncodeDocument(doc));
  std::sort(docs.begin(), docs.end());
  for (const std::string& doc : docs) Item(&out, 'D', doc);
  if (section.has_data() && !section.data().fields().empty()) {
    Item(&out, 'S', [&] {
      std::string v;
      Item(&v, '{', EncodeStruct(section.data()));
      return v;
    }());
  }
  return out;
}

std::string SectionDigest(const v1::Section& section) {
  return Sha256Hex("dossier.v1.section\n", CanonicalSectionEncoding(section));
}

std::map<std::string, std::string> SectionDigests(const v1::Dossier& dossier) {
  std::map<std::string, std::string> out;
  for (const v1::Section& section : dossier.sections()) out[section.code()] = SectionDigest(section);
  return out;
}

std::string DeviceDigest(const v1::Dossier& dossier) {
  v1::DeviceIdentity device = dossier.device();
  auto* ids = device.mutable_identifiers();
  std::sort(ids->begin(), ids->end(), [](const v1::Identifier& a, const v1::Identifier& b) {
    return std::forward_as_tuple(a.type(), a.value(), a.issuer(), a.jurisdiction()) <
           std::forward_as_tuple(b.type(), b.value(), b.issuer(), b.jurisdiction());
  });
  std::string enc;
  Item(&enc, 'd', MessageToProtobuf(device));
  Item(&enc, 'k', MessageToProtobuf(dossier.classifications()));
  return Sha256Hex("dossier.v1.device\n", enc);
}

std::string Sha256Digest(std::string_view bytes) { return Sha256Hex("", bytes); }

}  // namespace dossier::schema
