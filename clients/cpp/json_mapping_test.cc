// The SDK's one JSON <-> type mapping (src/json_mapping.h): every type reads
// the server's member names and writes back exactly what it read; missing,
// mistyped and (in request types) unknown members are errors with the path.
#define BOOST_TEST_MODULE client_json_mapping_test
#include "json_mapping.h"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "trust/encoding.h"
#include "trust/keys.h"

using namespace dossier;
using namespace dossier::client;
using namespace dossier::client::internal;
namespace json = boost::json;

namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');
const std::string kParent = "sha256:" + std::string(64, 'b');

// `text` uses the wire names of the server (server/*.cc, API.md). Reading it
// and writing the value back must give the same members: a member the
// mapping misses, misnames or mistypes makes this fail.
template <typename T>
T ExpectRoundTrip(const std::string& text) {
  const json::value wire = json::parse(text);
  auto read = FromJson<T>(wire);
  BOOST_REQUIRE_MESSAGE(read.ok(), read.status().ToString());
  const json::value written(ToJson(*read));
  BOOST_TEST_INFO("written back: " << json::serialize(written));
  BOOST_TEST((written == wire));
  // Reading what was written gives the same value again.
  auto again = FromJson<T>(written);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST((json::value(ToJson(*again)) == wire));
  return *read;
}

template <typename T>
Status ReadError(const std::string& text) {
  auto read = FromJson<T>(json::parse(text));
  BOOST_REQUIRE_MESSAGE(!read.ok(), "expected an error reading " + text);
  return read.status();
}

std::string VersionMembers(uint64_t version) {
  return R"("version":)" + std::to_string(version) + R"(,"digest":")" + kDigest + R"(","parentDigest":")" +
         kParent +
         R"(","mediaType":"application/vnd.dossier.v1+json","signerKeyId":"k1","logIndex":0,)"
         R"("createdAt":"2026-12-01T10:00:00.000Z","message":"first")";
}

}  // namespace

BOOST_AUTO_TEST_CASE(answers_round_trip_with_the_server_member_names) {
  auto tenant = ExpectRoundTrip<Tenant>(
      R"({"id":"acme","displayName":"Acme Medical","kind":"MANUFACTURER","jurisdiction":"US"})");
  BOOST_TEST(tenant.display_name == "Acme Medical");
  BOOST_TEST((json::parse(tenant.json_text) == json::parse(R"({"id":"acme","displayName":"Acme Medical",
      "kind":"MANUFACTURER","jurisdiction":"US"})")));

  auto token = ExpectRoundTrip<TokenInfo>(
      R"({"id":"t1","role":"EDITOR","label":"ci","token":"dxt_secret","revokedAt":"2026-11-29T08:00:00Z"})");
  BOOST_TEST(token.secret == "dxt_secret");
  BOOST_TEST(token.revoked);
  BOOST_TEST(token.revoked_at == "2026-11-29T08:00:00Z");

  auto key = ExpectRoundTrip<KeyInfo>(
      R"({"keyId":"ab12","algorithm":"ed25519","label":"release","publicKeyPem":"PEM","logIndex":7})");
  BOOST_TEST(key.log_index == 7u);
  BOOST_TEST(!key.revoked);

  auto blob = ExpectRoundTrip<BlobInfo>(R"({"digest":")" + kDigest + R"(","size":12})");
  BOOST_TEST(blob.size == 12u);

  auto object = ExpectRoundTrip<ObjectInfo>(
      R"({"id":"cxr","title":"CXR triage","headVersion":2,"headDigest":")" + kDigest + R"("})");
  BOOST_TEST(object.head_version == 2u);

  auto page = ExpectRoundTrip<VersionPage>(R"({"versions":[{)" + VersionMembers(1) + "},{" +
                                           VersionMembers(2) + R"(}],"nextPageToken":"p2"})");
  BOOST_REQUIRE(page.versions.size() == 2u);
  BOOST_TEST(page.versions[1].version == 2u);
  BOOST_TEST(page.versions[0].parent_digest == kParent);

  auto submission = ExpectRoundTrip<Submission>(
      R"({"id":"s1","manufacturer":"acme","agency":"fda","dossier":"cxr","version":3,"pathway":"510k",)"
      R"("status":"SUBMITTED","contentDigest":")" +
      kDigest + R"(","sectionDigests":{"1.01":")" + kParent + R"("}})");
  BOOST_TEST(submission.section_digests.at("1.01") == kParent);

  auto peer = ExpectRoundTrip<Peer>(
      R"({"id":"p1","url":"https://fda.example","tenant":"fda","status":"RETRYING","error":"timeout",)"
      R"("origin":"dossier-exchange/1","lastSeq":5,"verifiedTreeSize":9,"entries":3})");
  BOOST_TEST(peer.verified_tree_size == 9u);

  auto foreign = ExpectRoundTrip<ForeignDecision>(
      R"({"peer":"p1","peerTenant":"fda","peerOrigin":"o","outcome":"CLEARED","number":"K261234",)"
      R"("date":"2026-12-01","logIndex":4,"attestation":"regulator-signed","identicalSections":1,)"
      R"("differentSections":1,"sections":[{"code":"1.01","identical":true},)"
      R"({"code":"2.01","identical":false,"onlyIn":"peer"}]})");
  BOOST_REQUIRE(foreign.sections.size() == 2u);
  BOOST_TEST(foreign.sections[0].identical);
  BOOST_TEST(foreign.sections[1].only_in == "peer");
}

BOOST_AUTO_TEST_CASE(versions_commits_and_log_keys) {
  auto version =
      ExpectRoundTrip<Version>(R"({"envelope":{"payloadType":"x","payload":"eA==","signatures":[]},)"
                               R"("content":{"tocEdition":"IMDRF-N9-ED4"},)" +
                               VersionMembers(4) + "}");
  BOOST_TEST(version.info.version == 4u);
  // The summary's raw JSON holds the summary, not the envelope and content.
  BOOST_TEST(!json::parse(version.info.json_text).as_object().contains("envelope"));
  BOOST_TEST(json::parse(version.content_json_text).as_object().contains("tocEdition"));
  BOOST_TEST(json::parse(version.envelope_json_text).as_object().contains("payloadType"));

  const std::string leaf = trust::Base64Encode(std::string(32, '\x01'));
  const std::string signature = trust::Base64Encode(std::string(64, '\x02'));
  auto commit = ExpectRoundTrip<CommitResult>(
      "{" + VersionMembers(1) + R"(,"receipt":{"logIndex":3,"leafHash":")" + leaf +
      R"(","origin":"o","signature":")" + signature + R"(","keyId":"k"}})");
  BOOST_TEST(commit.receipt.leaf_hash == std::string(32, '\x01'));
  BOOST_TEST(commit.receipt.log_index == 3u);
  BOOST_TEST(commit.version.version == 1u);
  BOOST_TEST(!commit.receipt.signature_verified);  // set only by the commit call

  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519);
  BOOST_REQUIRE(key.ok());
  const std::string pem = key->public_key().Pem();
  auto log_key =
      ExpectRoundTrip<LogPublicKey>(json::serialize(json::object{{"publicKeyPem", pem},
                                                                 {"origin", "dossier-exchange/1"},
                                                                 {"keyName", "dossier-exchange/1"},
                                                                 {"keyId", key->public_key().KeyId()},
                                                                 {"noteVerifierKey", "vk"}}));
  BOOST_TEST(log_key.key.KeyId() == key->public_key().KeyId());
  BOOST_TEST(log_key.origin == "dossier-exchange/1");

  auto bad_pem = ReadError<LogPublicKey>(R"({"publicKeyPem":"not a key"})");
  BOOST_TEST(bad_pem.field() == "publicKeyPem");

  const std::vector<std::string> hashes = {std::string(32, 'x'), std::string(32, 'y')};
  auto proof = ProofFromJson(json::value(ProofToJson(hashes)));
  BOOST_REQUIRE(proof.ok());
  BOOST_TEST((*proof == hashes));
  BOOST_TEST(ProofFromJson(json::parse(R"({"hashes":["eA==",7]})")).status().field() == "hashes[1]");
}

BOOST_AUTO_TEST_CASE(requests_round_trip_and_refuse_unknown_members) {
  ExpectRoundTrip<NewTenant>(R"({"id":"hsa","displayName":"HSA","kind":"REGULATOR","jurisdiction":"SG"})");
  ExpectRoundTrip<NewSubmission>(
      R"({"dossier":"cxr","version":3,"agency":"fda","pathway":"510k-traditional"})");
  // A change plan travels with its version; without one neither is written.
  ExpectRoundTrip<NewSubmission>(
      R"({"dossier":"cxr","version":3,"agency":"fda","pathway":"510k-traditional",)"
      R"("changePlan":"pccp","changePlanVersion":2,"note":"with the PCCP"})");
  auto decision = ExpectRoundTrip<Decision>(
      R"({"submission":"s1","outcome":"CLEARED","number":"K261234","date":"2026-12-01",)"
      R"("sections":[{"code":"1.01","outcome":"ACCEPTABLE","notes":"ok","digest":")" +
      kDigest + R"("}]})");
  BOOST_TEST(decision.sections.at(0).digest == kDigest);
  ExpectRoundTrip<NewRelianceAgreement>(
      R"({"peer":"hsa","includeReviewReports":false,"outcomes":["CLEARED"],"validUntil":"2027-01-01T00:00:00Z"})");
  ExpectRoundTrip<NewPeer>(
      R"({"url":"https://fda.example","tenant":"fda","token":"dxt_x","logPublicKeyPem":"P"})");

  // Defaults: empty optional strings are left out, booleans always written.
  NewRelianceAgreement agreement;
  agreement.peer = "hsa";
  Decision refusal;
  refusal.submission = "s1";
  refusal.outcome = "REFUSED";
  BOOST_TEST(
      (json::value(ToJson(agreement)) == json::parse(R"({"peer":"hsa","includeReviewReports":true})")));
  BOOST_TEST((json::value(ToJson(refusal)) == json::parse(R"({"submission":"s1","outcome":"REFUSED"})")));

  auto unknown = ReadError<Decision>(R"({"submission":"s1","outcome":"CLEARED","outcom":"x"})");
  BOOST_TEST(unknown.reason() == "unknown-field");
  BOOST_TEST(unknown.field() == "outcom");
  auto nested =
      ReadError<Decision>(R"({"submission":"s1","outcome":"CLEARED","sections":[{"code":"1","note":"x"}]})");
  BOOST_TEST(nested.reason() == "unknown-field");
  BOOST_TEST(nested.field() == "sections[0].note");
  auto missing = ReadError<NewPeer>(R"({"url":"https://x","tenant":"fda","token":"t"})");
  BOOST_TEST(missing.reason() == "missing-field");
  BOOST_TEST(missing.field() == "logPublicKeyPem");
  BOOST_TEST(missing.code() == StatusCode::kInvalidArgument);
}

BOOST_AUTO_TEST_CASE(answers_keep_unknown_members_and_name_bad_ones) {
  // A newer server's member is kept in `json_text`, not an error.
  auto tenant = FromJson<Tenant>(json::parse(R"({"id":"acme","createdAt":"2026-12-01T00:00:00Z"})"));
  BOOST_REQUIRE(tenant.ok());
  BOOST_TEST(json::parse(tenant->json_text).as_object().contains("createdAt"));
  BOOST_TEST(!ToJson(*tenant).contains("createdAt"));

  auto missing = ReadError<VersionPage>(R"({"versions":[{)" + VersionMembers(1) +
                                        R"(},{"version":2,"parentDigest":"x"}]})");
  BOOST_TEST(missing.reason() == "bad-response");
  BOOST_TEST(missing.field() == "versions[1].digest");

  auto mistyped = ReadError<Peer>(R"({"id":"p1","lastSeq":"five"})");
  BOOST_TEST(mistyped.field() == "lastSeq");
  BOOST_TEST(mistyped.reason() == "bad-response");
  BOOST_TEST(ReadError<Peer>(R"({"id":"p1","lastSeq":-1})").field() == "lastSeq");
  BOOST_TEST(ReadError<Peer>(R"({"id":7})").field() == "id");
  BOOST_TEST(ReadError<ForeignDecision>(R"({"sections":[{"code":"1.01","identical":"yes"}]})").field() ==
             "sections[0].identical");
  BOOST_TEST(ReadError<Submission>(R"({"id":"s","sectionDigests":{"1.01":5}})").field() ==
             "sectionDigests.1.01");
  BOOST_TEST(
      ReadError<CommitResult>("{" + VersionMembers(1) +
                              R"(,"receipt":{"logIndex":1,"leafHash":"AA==","origin":"o","signature":"%%"}})")
          .field() == "receipt.signature");
  BOOST_TEST(ReadError<CommitResult>("{" + VersionMembers(1) + "}").field() == "receipt");
  BOOST_TEST(ReadError<Tenant>("[1,2]").reason() == "bad-response");

  // protobuf's JSON mapping writes 64-bit integers as decimal strings.
  auto decimal = FromJson<VersionInfo>(json::parse(R"({"version":"18446744073709551615","digest":"d"})"));
  BOOST_REQUIRE(decimal.ok());
  BOOST_TEST(decimal->version == 18446744073709551615ull);
  BOOST_TEST(ReadError<VersionInfo>(R"({"version":"18446744073709551616","digest":"d"})").field() ==
             "version");

  // A null member reads as absent.
  auto nulls = FromJson<ObjectInfo>(json::parse(R"({"id":"x","title":null})"));
  BOOST_REQUIRE(nulls.ok());
  BOOST_TEST(nulls->title.empty());
}

BOOST_AUTO_TEST_CASE(object_pages_use_the_kind_member) {
  ObjectPage page;
  ObjectInfo plan;
  plan.id = "plan-1";
  plan.title = "PCCP";
  plan.head_version = 1;
  plan.head_digest = kDigest;
  page.items.push_back(plan);
  page.next_page_token = "next";
  const json::object wire = ObjectPageToJson(page, ObjectKind::kChangePlan);
  BOOST_TEST(wire.contains("changePlans"));
  auto read = ObjectPageFromJson(json::value(wire), ObjectKind::kChangePlan);
  BOOST_REQUIRE(read.ok());
  BOOST_REQUIRE(read->items.size() == 1u);
  BOOST_TEST(read->items[0].id == "plan-1");
  BOOST_TEST(read->next_page_token == "next");
  // The dossier page's member is another one.
  auto as_dossiers = ObjectPageFromJson(json::value(wire), ObjectKind::kDossier);
  BOOST_REQUIRE(as_dossiers.ok());
  BOOST_TEST(as_dossiers->items.empty());
  BOOST_TEST(ObjectPageFromJson(json::parse(R"({"dossiers":[{"title":"x"}]})"), ObjectKind::kDossier)
                 .status()
                 .field() == "dossiers[0].id");
}
