// Fuzz target (b): version content as a client uploads it -> the codec
// (protobuf JSON mapping or binary) -> semantic validation -> section and
// device digests, for each content kind.
//
// Input: one selector byte, then the content bytes.
//   selector bit 0: 0 = JSON, 1 = protobuf binary
//   selector bits 1-2: 0 = Dossier, 1 = ChangePlan, 2 = Decision
// Invariants checked (a violation aborts, so libFuzzer keeps the input):
//   - whatever parses prints to the same JSON with the direct printer
//     (schema/json_print.h) as with protobuf's;
//   - whatever parses re-prints and re-parses to the same message (compared
//     by deterministic protobuf bytes), in both wire forms;
//   - section digests do not depend on the wire form.
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

#include "fuzz/fuzz_common.h"
#include "fuzz/json_mutator.h"
#include "schema/dossier_codec.h"
#include "schema/section_digest.h"
#include "schema/toc.h"
#include "schema/validate.h"

using namespace dossier;
using schema::ContentFormat;

namespace {

template <typename Message, typename Parse, typename ToJson, typename ToPb>
const Message* RoundTrip(const Message& m, Parse parse, ToJson to_json, ToPb to_pb, const char* what) {
  static thread_local Message again;
  const std::string pb = to_pb(m);
  const std::string json = to_json(m);
  // The direct printer (schema/json_print.h) prints what protobuf's does.
  if (const std::string reference = schema::MessageToJsonByProtobuf(m); json != reference)
    fuzz::Violation(std::string(what) + ": the direct JSON printer differs from protobuf's:\n" +
                    json.substr(0, 2000) + "\nprotobuf: " + reference.substr(0, 2000));
  auto from_json = parse(json, ContentFormat::kJson);
  if (!from_json.ok())
    fuzz::Violation(std::string(what) + ": printed JSON does not parse: " + from_json.status().ToString());
  if (to_pb(*from_json) != pb) {
    std::string diff;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    differencer.Compare(m, *from_json);
    fuzz::Violation(std::string(what) + ": JSON round trip changed the message:\n" + diff.substr(0, 2000) +
                    "\nJSON: " + json.substr(0, 2000));
  }
  auto from_pb = parse(pb, ContentFormat::kProtobuf);
  if (!from_pb.ok())
    fuzz::Violation(std::string(what) + ": printed protobuf does not parse: " + from_pb.status().ToString());
  if (to_pb(*from_pb) != pb) {
    std::string diff;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    differencer.Compare(m, *from_pb);
    fuzz::Violation(std::string(what) + ": protobuf round trip changed the message:\n" +
                    diff.substr(0, 2000));
  }
  again = std::move(*from_pb);
  return &again;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const ContentFormat format = (data[0] & 1) ? ContentFormat::kProtobuf : ContentFormat::kJson;
  const int kind = (data[0] >> 1) & 3;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto& catalog = schema::TocCatalog::BuiltIn();
  switch (kind) {
    case 0: {
      auto d = schema::ParseDossier(bytes, format);
      if (!d.ok()) return 0;
      (void)schema::ValidateDossier(*d, catalog);
      (void)schema::ReferencedDigests(*d);
      const auto digests = schema::SectionDigests(*d);
      (void)schema::DeviceDigest(*d);
      const auto* again =
          RoundTrip(*d, schema::ParseDossier, schema::DossierToJson, schema::DossierToProtobuf, "dossier");
      if (schema::SectionDigests(*again) != digests)
        fuzz::Violation("section digests changed across a round trip");
      break;
    }
    case 1: {
      auto p = schema::ParseChangePlan(bytes, format);
      if (!p.ok()) return 0;
      (void)schema::ValidateChangePlan(*p);
      RoundTrip(*p, schema::ParseChangePlan, schema::ChangePlanToJson, schema::ChangePlanToProtobuf,
                "change plan");
      break;
    }
    default: {
      auto dec = schema::ParseDecision(bytes, format);
      if (!dec.ok()) return 0;
      (void)schema::ValidateDecision(*dec, catalog);
      RoundTrip(*dec, schema::ParseDecision, schema::DecisionToJson, schema::DecisionToProtobuf, "decision");
      break;
    }
  }
  return 0;
}

#ifdef DOSSIER_FUZZ_LIBFUZZER
// Structure-aware mutation (fuzz/json_mutator.h). JSON contents (selector bit
// 0 clear): one mutation in four changes the parsed document and prints it
// again, one in sixteen also switches the content kind (a dossier's members
// tried as a decision's); the rest, and every protobuf content, take
// libFuzzer's byte mutations with schema_content.dict.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  max_size = fuzz::GrowthLimit(size, max_size);
  std::minstd_rand rng(seed);
  if (fuzz::StructureAware() && size > 1 && (data[0] & 1) == 0 && rng() % 4 == 0) {
    if (const size_t n = fuzz::MutateJsonAfter(data, size, max_size, 1, static_cast<unsigned>(rng()))) {
      if (rng() % 16 == 0) data[0] = static_cast<uint8_t>((data[0] & ~6u) | ((rng() % 3) << 1));
      return n;
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1, const uint8_t* data2,
                                            size_t size2, uint8_t* out, size_t max_out, unsigned seed) {
  if (fuzz::StructureAware() && size1 > 1 && size2 > 1 && (data1[0] & 1) == 0 && (data2[0] & 1) == 0) {
    if (const size_t n = fuzz::CrossOverJsonAfter(data1, size1, data2, size2, out, max_out, 1, seed))
      return n;
  }
  return fuzz::SpliceBytes(data1, size1, data2, size2, out, max_out, seed);
}
#endif
