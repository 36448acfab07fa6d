// The README walkthrough and the rejections of issue 2, against the real
// dossierd on 127.0.0.1.
#define BOOST_TEST_MODULE e2e_walkthrough
#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <fstream>

#include "tests/support/harness.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/encoding.h"
#include "trust/merkle.h"

using namespace dossier;
using namespace dossier::testing;
namespace json = boost::json;

namespace {

struct Node {
  TempDir dir;
  Server server{dir.path() / "data", {"--max-body-bytes", "65536"}};
  HttpClient http{server.port()};
  std::string op = server.operator_token();
};

// Commits `content` as the next version of dossier `d`; returns the response.
HttpResult Commit(HttpClient& http, const Actor& a, const std::string& d, uint64_t n, const std::string& parent,
                  const std::string& content, const trust::PrivateKey* signer = nullptr) {
  const std::string digest = UploadBlob(http, a, content);
  return http.Request("POST", "/v1/tenants/" + a.tenant + "/dossiers/" + d + "/versions",
                      CommitBody(a, "dossiers/" + d, n, parent, digest, signer ? *signer : a.key), JsonAuth(a.token));
}

}  // namespace

BOOST_AUTO_TEST_CASE(walkthrough_tenant_token_key_blob_versions_history) {
  Node node;
  auto& http = node.http;
  BOOST_TEST(http.Request("GET", "/healthz").status == 200);
  BOOST_TEST(http.Request("GET", "/readyz").status == 200);
  Actor acme = CreateActor(http, node.op, "acme-medical");

  auto created = http.Request("POST", "/v1/tenants/acme-medical/dossiers", R"({"id":"cxr-triage","title":"AI CXR"})",
                              JsonAuth(acme.token));
  BOOST_REQUIRE_EQUAL(created.status, 201);
  BOOST_TEST(created.Json().at("id").as_string() == "cxr-triage");

  const std::string pdf = "%PDF-1.7\nsoftware description\n";
  const std::string doc = UploadBlob(http, acme, pdf);
  const std::string v1 = MinimalDossierJson("CXR Triage", {doc});
  auto c1 = Commit(http, acme, "cxr-triage", 1, "", v1);
  BOOST_REQUIRE_MESSAGE(c1.status == 201, c1.body);
  auto c1j = c1.Json().as_object();
  BOOST_TEST(c1j.at("version").to_number<uint64_t>() == 1u);
  BOOST_TEST(c1j.at("digest").as_string() == DigestOf(v1));
  BOOST_TEST(c1j.at("receipt").as_object().contains("leafHash"));
  BOOST_TEST(c1j.at("receipt").as_object().contains("signature"));

  const std::string v2 = MinimalDossierJson("CXR Triage Pro", {doc});
  auto c2 = Commit(http, acme, "cxr-triage", 2, DigestOf(v1), v2);
  BOOST_REQUIRE_MESSAGE(c2.status == 201, c2.body);

  // History, newest head, content both ways.
  auto history = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions", "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(history.status, 200);
  auto versions = history.Json().at("versions").as_array();
  BOOST_REQUIRE_EQUAL(versions.size(), 2u);
  BOOST_TEST(versions[1].at("parentDigest").as_string() == DigestOf(v1));

  auto head = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage", "", Auth(acme.token));
  BOOST_TEST(head.Json().at("headVersion").to_number<uint64_t>() == 2u);
  BOOST_TEST(head.Header("etag") == "\"" + DigestOf(v2) + "\"");
  auto not_modified = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage", "",
                                   {{"Authorization", "Bearer " + acme.token}, {"If-None-Match", head.Header("etag")}});
  BOOST_TEST(not_modified.status == 304);

  auto one = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/1", "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(one.status, 200);
  BOOST_TEST(one.Json().at("content").at("device").at("tradeName").as_string() == "CXR Triage");
  auto raw = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/1/content", "", Auth(acme.token));
  BOOST_TEST(raw.body == v1);  // byte-identical to what was signed
  auto proto = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/2", "",
                            {{"Authorization", "Bearer " + acme.token}, {"Accept", "application/x-protobuf"}});
  BOOST_TEST(proto.status == 200);
  BOOST_TEST(proto.Header("content-type") == "application/x-protobuf");
  BOOST_TEST(!proto.body.empty());
  // Renderings are cached per version and format: asking again, in either
  // order, gives the same bytes, and versions and formats do not mix.
  for (int i = 0; i < 2; ++i) {
    auto again = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/1", "", Auth(acme.token));
    BOOST_TEST(again.body == one.body);
    BOOST_TEST(again.Header("content-type") == "application/json");
    BOOST_TEST(again.Header("etag") == "\"" + DigestOf(v1) + "\"");
    auto proto_again = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/2", "",
                                    {{"Authorization", "Bearer " + acme.token}, {"Accept", "application/x-protobuf"}});
    BOOST_TEST(proto_again.body == proto.body);
    BOOST_TEST(proto_again.Header("content-type") == "application/x-protobuf");
  }
  auto two = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/2", "", Auth(acme.token));
  BOOST_TEST(two.Json().at("version").to_number<uint64_t>() == 2u);
  BOOST_TEST(two.body != one.body);

  auto diff = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/diff?from=1&to=2", "", Auth(acme.token));
  BOOST_TEST(diff.status == 200);
  BOOST_TEST(diff.body.find("device.tradeName") != std::string::npos);

  // Documents come back byte-identical, whole and by range.
  auto blob = http.Request("GET", "/v1/tenants/acme-medical/blobs/" + doc, "", Auth(acme.token));
  BOOST_TEST(blob.body == pdf);
  auto part = http.Request("GET", "/v1/tenants/acme-medical/blobs/" + doc, "",
                           {{"Authorization", "Bearer " + acme.token}, {"Range", "bytes=0-7"}});
  BOOST_TEST(part.status == 206);
  BOOST_TEST(part.body == "%PDF-1.7");
  BOOST_TEST(part.Header("content-range") == "bytes 0-7/" + std::to_string(pdf.size()));
  auto tail = http.Request("GET", "/v1/tenants/acme-medical/blobs/" + doc, "",
                           {{"Authorization", "Bearer " + acme.token}, {"Range", "bytes=-5"}});
  BOOST_TEST(tail.body == pdf.substr(pdf.size() - 5));
  auto beyond = http.Request("GET", "/v1/tenants/acme-medical/blobs/" + doc, "",
                             {{"Authorization", "Bearer " + acme.token}, {"Range", "bytes=9999-"}});
  BOOST_TEST(beyond.status == 416);
  auto head_blob = http.Request("HEAD", "/v1/tenants/acme-medical/blobs/" + doc, "", Auth(acme.token));
  BOOST_TEST(head_blob.status == 200);
  BOOST_TEST(head_blob.Header("content-length") == std::to_string(pdf.size()));

  // The bundle verifies offline against the log key.
  auto pub = http.Request("GET", "/v1/log/public-key", "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(pub.status, 200);
  auto log_key = trust::PublicKey::FromPem(std::string(pub.Json().at("publicKeyPem").as_string()));
  BOOST_REQUIRE(log_key.ok());
  const std::string origin(pub.Json().at("origin").as_string());
  auto bundle_r = http.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/2/bundle", "",
                               Auth(acme.token));
  BOOST_REQUIRE_MESSAGE(bundle_r.status == 200, bundle_r.body);
  auto bundle = trust::BundleFromJson(bundle_r.body);
  BOOST_REQUIRE_MESSAGE(bundle.ok(), bundle.status().ToString());
  auto verified = trust::VerifyBundle(*bundle, origin, *log_key, &v2);
  BOOST_TEST_MESSAGE(verified.status().ToString());
  BOOST_TEST(verified.ok());
  std::string tampered = v2 + " ";
  BOOST_TEST(!trust::VerifyBundle(*bundle, origin, *log_key, &tampered).ok());

  // Inclusion proof for the first version's leaf against the checkpoint.
  auto note = http.Request("GET", "/v1/log/checkpoint", "", Auth(acme.token));
  auto checkpoint = trust::OpenCheckpoint(note.body, origin, *log_key);
  BOOST_REQUIRE(checkpoint.ok());
  const uint64_t index = c1j.at("receipt").at("logIndex").to_number<uint64_t>();
  auto proof = http.Request("GET", "/v1/log/proofs/inclusion?leafIndex=" + std::to_string(index) +
                                       "&treeSize=" + std::to_string(checkpoint->tree_size),
                            "", Auth(acme.token));
  BOOST_REQUIRE_EQUAL(proof.status, 200);
  std::vector<std::string> hashes;
  const json::value proof_json = proof.Json();
  for (auto& h : proof_json.at("hashes").as_array()) hashes.push_back(*trust::Base64Decode(h.as_string()));
  auto leaf_hash = trust::Base64Decode(c1j.at("receipt").at("leafHash").as_string());
  BOOST_TEST(trust::VerifyInclusion(*leaf_hash, index, checkpoint->tree_size, hashes, checkpoint->root_hash).ok());

  // Everything survives a clean stop and a restart.
  const auto data_dir = node.server.data_dir();
  BOOST_TEST(WIFEXITED(node.server.Stop(SIGTERM)));
  Server again(data_dir);
  HttpClient http2(again.port());
  auto after = http2.Request("GET", "/v1/tenants/acme-medical/dossiers/cxr-triage/versions/2/content", "",
                             Auth(acme.token));
  BOOST_TEST(after.body == v2);
}

BOOST_AUTO_TEST_CASE(each_bad_commit_is_a_specific_4xx_and_writes_nothing) {
  Node node;
  auto& http = node.http;
  Actor acme = CreateActor(http, node.op, "acme");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status, 201);
  const std::string doc = UploadBlob(http, acme, "document bytes");
  const std::string good = MinimalDossierJson("Device", {doc});
  BOOST_REQUIRE_EQUAL(Commit(http, acme, "d1", 1, "", good).status, 201);
  const uint64_t size_before = LogSize(http, acme.token);

  auto expect = [&](const HttpResult& r, int status, const std::string& code, const std::string& field = "") {
    BOOST_TEST_CONTEXT(r.body) {
      BOOST_TEST(r.status == status);
      BOOST_TEST(r.ProblemCode() == code);
      BOOST_TEST(r.Header("content-type") == "application/problem+json");
      if (!field.empty()) BOOST_TEST(std::string(r.Json().at("field").as_string()) == field);
    }
  };
  const std::string next = MinimalDossierJson("Device v2", {doc});
  const std::string next_digest = UploadBlob(http, acme, next);
  const std::string url = "/v1/tenants/acme/dossiers/d1/versions";

  // A tampered signature.
  {
    auto body = json::parse(CommitBody(acme, "dossiers/d1", 2, DigestOf(good), next_digest, acme.key)).as_object();
    std::string sig = *trust::Base64Decode(body["envelope"].at("signatures").at(0).at("sig").as_string());
    sig[5] ^= 1;
    body["envelope"].as_object()["signatures"].as_array()[0].as_object()["sig"] = trust::Base64Encode(sig);
    expect(http.Request("POST", url, json::serialize(body), JsonAuth(acme.token)), 422, "signature-invalid",
           "envelope.signatures");
  }
  // A key that was never registered.
  {
    auto stranger = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
    expect(
        http.Request("POST", url, CommitBody(acme, "dossiers/d1", 2, DigestOf(good), next_digest, stranger),
                     JsonAuth(acme.token)),
        422, "unknown-key", "envelope.signatures");
  }
  // A payload changed after signing.
  {
    auto body = json::parse(CommitBody(acme, "dossiers/d1", 2, DigestOf(good), next_digest, acme.key)).as_object();
    std::string payload = *trust::Base64Decode(body["envelope"].at("payload").as_string());
    payload.replace(payload.find("\"version\":2"), 11, "\"version\":3");
    body["envelope"].as_object()["payload"] = trust::Base64Encode(payload);
    auto r = http.Request("POST", url, json::serialize(body), JsonAuth(acme.token));
    BOOST_TEST(r.status >= 400);
    BOOST_TEST(r.status < 500);
  }
  // A stale parent.
  expect(http.Request("POST", url, CommitBody(acme, "dossiers/d1", 2, "", next_digest, acme.key), JsonAuth(acme.token)),
         412, "parent-mismatch");
  // The content blob was never uploaded.
  expect(http.Request("POST", url,
                      CommitBody(acme, "dossiers/d1", 2, DigestOf(good), DigestOf("never uploaded"), acme.key),
                      JsonAuth(acme.token)),
         422, "missing-blob", "contentDigest");
  // A document the content names was never uploaded.
  {
    const std::string content = MinimalDossierJson("Device", {DigestOf("ghost document")});
    expect(Commit(http, acme, "d1", 2, DigestOf(good), content), 422, "missing-blob",
           "content.sections[0].documents[0].digest");
  }
  // Content that does not parse.
  expect(Commit(http, acme, "d1", 2, DigestOf(good), "{not json"), 422, "content-unparsable");
  // An unknown ToC heading.
  {
    std::string content = next;
    content.replace(content.find("2.04.01"), 7, "9.99.99");
    auto r = Commit(http, acme, "d1", 2, DigestOf(good), content);
    expect(r, 422, "unknown-toc-code", "content.sections[0].code");
  }
  // The statement names another object.
  expect(http.Request("POST", url, CommitBody(acme, "dossiers/other", 2, DigestOf(good), next_digest, acme.key),
                      JsonAuth(acme.token)),
         422, "statement-mismatch", "envelope.payload.object");
  // Bad JSON, wrong content type, unknown member, oversized body.
  expect(http.Request("POST", url, "{", JsonAuth(acme.token)), 400, "bad-json");
  expect(http.Request("POST", url, "{}", {{"Authorization", "Bearer " + acme.token}, {"Content-Type", "text/plain"}}),
         415, "unsupported-media-type");
  expect(http.Request("POST", url, R"({"contentDigest":"x","surprise":1})", JsonAuth(acme.token)), 400,
         "unknown-field", "surprise");
  expect(http.Request("POST", url, "{\"message\":\"" + std::string(100000, 'a') + "\"}", JsonAuth(acme.token)), 413,
         "body-too-large");
  // A blob whose bytes do not match its name.
  expect(http.Request("PUT", "/v1/tenants/acme/blobs/" + DigestOf("something else"), "other bytes",
                      {{"Authorization", "Bearer " + acme.token}, {"Content-Type", "application/octet-stream"}}),
         422, "digest-mismatch");
  expect(http.Request("GET", "/v1/tenants/acme/blobs/sha256:XYZ", "", Auth(acme.token)), 400, "bad-digest");

  // A revoked key.
  auto revoke = http.Request("POST", "/v1/tenants/acme/keys/" + acme.key_id + ":revoke", "", Auth(acme.token));
  BOOST_REQUIRE_MESSAGE(revoke.status == 200, revoke.body);
  expect(http.Request("POST", url, CommitBody(acme, "dossiers/d1", 2, DigestOf(good), next_digest, acme.key),
                      JsonAuth(acme.token)),
         422, "key-revoked");

  // Only the key revocation reached the log; no refused commit left anything.
  BOOST_TEST(LogSize(http, acme.token) == size_before + 1);
  auto history = http.Request("GET", url, "", Auth(acme.token));
  BOOST_TEST(history.Json().at("versions").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(credentials_roles_and_tenants_are_enforced) {
  Node node;
  auto& http = node.http;
  Actor acme = CreateActor(http, node.op, "acme");
  Actor rival = CreateActor(http, node.op, "rival");
  BOOST_REQUIRE_EQUAL(
      http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status, 201);
  auto viewer = http.Request("POST", "/v1/tenants/acme/tokens", R"({"role":"VIEWER","label":"auditor"})",
                             JsonAuth(acme.token));
  BOOST_REQUIRE_EQUAL(viewer.status, 201);
  const std::string viewer_token(viewer.Json().at("token").as_string());
  BOOST_TEST(viewer_token.rfind("dxt_", 0) == 0u);

  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers").status == 401);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers", "", Auth("dxt_forged")).status == 401);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers", "", Auth(viewer_token)).status == 200);
  auto denied = http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d2"})", JsonAuth(viewer_token));
  BOOST_TEST(denied.status == 403);
  // Another tenant's objects answer 404, exactly as absent ones.
  auto hidden = http.Request("GET", "/v1/tenants/acme/dossiers/d1", "", Auth(rival.token));
  BOOST_TEST(hidden.status == 404);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers/nope", "", Auth(rival.token)).body.size() > 0u);
  BOOST_TEST(http.Request("POST", "/v1/tenants", R"({"id":"x","kind":"MANUFACTURER"})", JsonAuth(acme.token)).status ==
             403);
  // The operator manages tenants but does not read their content.
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers", "", Auth(node.op)).status == 403);
  // Revoked tokens stop working at once.
  const std::string viewer_id(viewer.Json().at("id").as_string());
  BOOST_TEST(http.Request("DELETE", "/v1/tenants/acme/tokens/" + viewer_id, "", Auth(acme.token)).status == 200);
  BOOST_TEST(http.Request("GET", "/v1/tenants/acme/dossiers", "", Auth(viewer_token)).status == 401);
  // The token list never shows secrets.
  auto tokens = http.Request("GET", "/v1/tenants/acme/tokens", "", Auth(acme.token));
  BOOST_TEST(tokens.body.find("dxt_") == std::string::npos);
  // Unknown routes and methods.
  BOOST_TEST(http.Request("GET", "/v1/nothing", "", Auth(acme.token)).ProblemCode() == "no-such-route");
  BOOST_TEST(http.Request("PATCH", "/v1/tenants/acme/dossiers", "", Auth(acme.token)).status == 405);
  // Ids are validated.
  auto bad_id = http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"Bad Id"})", JsonAuth(acme.token));
  BOOST_TEST(bad_id.status == 400);
  BOOST_TEST(bad_id.ProblemCode() == "bad-id");
  BOOST_TEST(http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status == 409);
  // No secret reached the server's log.
  std::string text = ReadFile(node.server.stderr_path());
  BOOST_TEST(text.find(viewer_token) == std::string::npos);
  BOOST_TEST(text.find(acme.token) == std::string::npos);
  BOOST_TEST(text.find(node.op) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(openapi_describes_every_route) {
  Node node;
  auto doc = node.http.Request("GET", "/openapi.json");
  BOOST_REQUIRE_EQUAL(doc.status, 200);
  auto paths = doc.Json().at("paths").as_object();
  for (const char* p : {"/v1/tenants", "/v1/tenants/{t}/keys/{k}:revoke", "/v1/tenants/{t}/blobs/sha256:{hex}",
                        "/v1/tenants/{t}/dossiers/{d}/versions", "/v1/log/checkpoint", "/healthz"}) {
    BOOST_TEST(paths.contains(p), p);
  }
  BOOST_TEST(paths.at("/v1/tenants/{t}/blobs/sha256:{hex}").as_object().contains("put"));
  BOOST_TEST(paths.at("/v1/tenants/{t}/blobs/sha256:{hex}").as_object().contains("get"));
}

BOOST_AUTO_TEST_CASE(scrub_reports_exactly_what_was_altered) {
  TempDir dir;
  const auto data = dir.path() / "data";
  std::string content;
  std::string digest;
  {
    Server server(data);
    HttpClient http(server.port());
    Actor acme = CreateActor(http, server.operator_token(), "acme");
    BOOST_REQUIRE_EQUAL(http.Request("POST", "/v1/tenants/acme/dossiers", R"({"id":"d1"})", JsonAuth(acme.token)).status, 201);
    content = MinimalDossierJson("Device", {UploadBlob(http, acme, "document")});
    digest = UploadBlob(http, acme, content);
    BOOST_REQUIRE_EQUAL(http.Request("POST", "/v1/tenants/acme/dossiers/d1/versions",
                                     CommitBody(acme, "dossiers/d1", 1, "", digest, acme.key), JsonAuth(acme.token))
                            .status,
                        201);
  }  // SIGTERM: the store is closed cleanly
  const std::string scrub = (BinDir() / "dossierd").string() + " scrub --data " + data.string();
  BOOST_TEST(std::system((scrub + " > " + (dir.path() / "clean.txt").string()).c_str()) == 0);

  // Alter one byte of the stored content (a blob file named by its digest).
  const std::string hex = digest.substr(7);
  std::filesystem::path blob;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data / "blobs")) {
    if (e.path().filename() == hex) blob = e.path();
  }
  BOOST_REQUIRE(!blob.empty());
  {
    std::fstream f(blob, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(3);
    f.put('X');
  }
  const auto report = dir.path() / "report.txt";
  BOOST_TEST(std::system((scrub + " > " + report.string()).c_str()) != 0);
  const std::string text = ReadFile(report);
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(text.find("blob " + digest + " is corrupt") != std::string::npos);
  BOOST_TEST(text.find("FAILED (1 problems)") != std::string::npos);
}
