// A reviewer records a decision with nothing more than a REVIEWER token: the
// decision's content goes up through the submission's own upload route
// (server/submission_blob_routes.cc), which takes only a small JSON object
// naming a submission the caller's tenant received, and the signed decision
// then commits. The general blob upload stays EDITOR-level.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "server/in_process_api.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/keys.h"
#include "trust/statement.h"
#include "trust/json_forms.h"

using namespace dossier;
using namespace dossier::server;
namespace json = boost::json;

namespace {

constexpr const char* kDecisionMedia = "application/vnd.dossier.decision.v1+json";
const std::map<std::string, std::string> kOctets = {{"content-type", "application/octet-stream"}};

void Expect(const Response& r, int status, const std::string& what) {
  BOOST_TEST_REQUIRE(r.status == status, what << " answered " << r.status << " " << r.body);
}

// acme submits dossier "cxr" v1 to the FDA; the FDA has a REVIEWER token and
// a registered key; HSA is a second regulator that received nothing.
struct ReviewWorld {
  InProcessApi server;
  trust::PrivateKey acme_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  trust::PrivateKey fda_key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  std::string acme_editor, fda_reviewer, fda_editor, fda_viewer, hsa_reviewer, submission;

  ReviewWorld() {
    server.CreateTenant("acme");
    for (const char* body : {R"({"id":"fda","kind":"REGULATOR","jurisdiction":"US"})",
                             R"({"id":"hsa","kind":"REGULATOR","jurisdiction":"SG"})"}) {
      Expect(server.Call("POST", "/v1/tenants", body, server.operator_token()), 201, "create regulator");
    }
    acme_editor = server.IssueToken("acme", "EDITOR");
    fda_reviewer = server.IssueToken("fda", "REVIEWER");
    fda_editor = server.IssueToken("fda", "EDITOR");
    fda_viewer = server.IssueToken("fda", "VIEWER");
    hsa_reviewer = server.IssueToken("hsa", "REVIEWER");
    Register("acme", acme_key);
    Register("fda", fda_key);
    Expect(server.Call("POST", "/v1/tenants/acme/dossiers", R"({"id":"cxr"})", acme_editor), 201, "dossier");
    const std::string doc = "%PDF-1.7 software description\n";
    Upload("/v1/tenants/acme/blobs/", doc, acme_editor);
    const std::string content =
        R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":"CXR","identifiers":[{"type":"UDI_DI",)"
        R"("value":"00614141999996","issuer":"GS1"}]},"sections":[{"code":"2.04.01","documents":[{"digest":")" +
        trust::DigestRef(trust::Sha256(doc)) + R"(","mediaType":"application/pdf","fileName":"sw.pdf"}]}]})";
    Upload("/v1/tenants/acme/blobs/", content, acme_editor);
    Expect(
        server.Call("POST", "/v1/tenants/acme/dossiers/cxr/versions",
                    CommitBody("acme", "dossiers/cxr", content, "application/vnd.dossier.v1+json", acme_key),
                    acme_editor),
        201, "commit");
    auto submitted = server.Call(
        "POST", "/v1/tenants/acme/submissions",
        R"({"dossier":"cxr","version":1,"agency":"fda","pathway":"510k-traditional"})", acme_editor);
    Expect(submitted, 201, "submit");
    submission = std::string(json::parse(submitted.body).at("id").as_string());
  }

  void Register(const std::string& tenant, const trust::PrivateKey& key) {
    const std::string admin = server.IssueToken(tenant, "ADMIN");
    json::object body{{"publicKeyPem", key.public_key().Pem()}};
    Expect(server.Call("POST", "/v1/tenants/" + tenant + "/keys", json::serialize(body), admin), 201, "key");
  }

  Response Upload(const std::string& prefix, const std::string& bytes, const std::string& token) {
    return server.Call("PUT", prefix + trust::DigestRef(trust::Sha256(bytes)), bytes, token, kOctets);
  }

  static std::string CommitBody(const std::string& tenant, const std::string& object,
                                const std::string& content, const std::string& media,
                                const trust::PrivateKey& key) {
    trust::Statement statement{tenant, object, 1, "", trust::DigestRef(trust::Sha256(content)), media};
    auto envelope =
        trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), key).value();
    return json::serialize(json::object{{"contentDigest", statement.content_digest},
                                        {"mediaType", media},
                                        {"envelope", trust::EnvelopeToJson(envelope)}});
  }

  std::string Decision() const {
    return R"({"submission":")" + submission +
           R"(","outcome":"CLEARED","number":"K261234","date":"2026-11-29","sections":[{"code":"2.04.01",)"
           R"("outcome":"ACCEPTABLE","notes":"adequate"}]})";
  }
  std::string UploadPath(const std::string& tenant) const {
    return "/v1/tenants/" + tenant + "/submissions/" + submission + "/blobs/";
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_reviewer_token_alone_uploads_and_signs_a_decision) {
  ReviewWorld w;
  const std::string decision = w.Decision();
  // The general upload stays EDITOR-level: a reviewer is refused there.
  auto general = w.Upload("/v1/tenants/fda/blobs/", decision, w.fda_reviewer);
  BOOST_TEST(general.status == 403);
  BOOST_TEST(ProblemCode(general) == "permission-denied");

  auto uploaded = w.Upload(w.UploadPath("fda"), decision, w.fda_reviewer);
  BOOST_TEST_REQUIRE(uploaded.status == 201, uploaded.body);
  BOOST_TEST(w.Upload(w.UploadPath("fda"), decision, w.fda_reviewer).status == 200);  // idempotent
  auto decided = w.server.Call("POST", "/v1/tenants/fda/submissions/" + w.submission + "/decisions",
                               ReviewWorld::CommitBody("fda", "submissions/" + w.submission + "/decisions",
                                                       decision, kDecisionMedia, w.fda_key),
                               w.fda_reviewer);
  BOOST_TEST_REQUIRE(decided.status == 201, decided.body);
  auto seen = w.server.Call("GET", "/v1/tenants/acme/submissions/" + w.submission, "", w.acme_editor);
  BOOST_TEST(json::parse(seen.body).at("status").as_string() == "DECIDED");
}

BOOST_AUTO_TEST_CASE(the_submission_upload_takes_only_a_record_of_a_received_submission) {
  ReviewWorld w;
  const std::string decision = w.Decision();
  // Who: a VIEWER may not; another regulator and the manufacturer's side do not see the submission here.
  auto viewer = w.Upload(w.UploadPath("fda"), decision, w.fda_viewer);
  BOOST_TEST(viewer.status == 403);
  BOOST_TEST(ProblemCode(viewer) == "permission-denied");
  BOOST_TEST(w.Upload(w.UploadPath("hsa"), decision, w.hsa_reviewer).status == 404);
  BOOST_TEST(w.Upload(w.UploadPath("acme"), decision, w.acme_editor).status == 404);
  BOOST_TEST(w.Upload(w.UploadPath("fda"), decision, w.hsa_reviewer).status == 404);  // another tenant's path
  // What: only a JSON object naming this submission, within the size bound, under its own digest.
  const std::string other = R"({"submission":"s-0000000000000000","outcome":"CLEARED"})";
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"%PDF-1.7 not a record\n", "not-a-submission-record"},
      {"[1,2,3]", "not-a-submission-record"},
      {R"({"outcome":"CLEARED"})", "not-a-submission-record"},
      {other, "not-a-submission-record"},
      {R"({"submission":")" + w.submission + R"(","notes":")" + std::string(300 * 1024, 'x') + R"("})",
       "body-too-large"},
  };
  for (const auto& [bytes, code] : refused) {
    auto r = w.Upload(w.UploadPath("fda"), bytes, w.fda_reviewer);
    BOOST_TEST(r.status >= 400);
    BOOST_TEST(r.status < 500);
    BOOST_TEST(ProblemCode(r) == code, bytes.substr(0, 40) << " answered " << r.body);
  }
  auto named = w.server.Call("PUT", w.UploadPath("fda") + trust::DigestRef(trust::Sha256("{}")), decision,
                             w.fda_reviewer, kOctets);
  BOOST_TEST(named.status == 422);
  BOOST_TEST(ProblemCode(named) == "digest-mismatch", named.body);
  auto bad_name = w.server.Call("PUT", w.UploadPath("fda") + "sha256:XYZ", decision, w.fda_reviewer, kOctets);
  BOOST_TEST(ProblemCode(bad_name) == "bad-digest");
  // A regulator EDITOR (who may upload anything anyway) may use it too; nothing refused was stored.
  BOOST_TEST(w.Upload(w.UploadPath("fda"), decision, w.fda_editor).status == 201);
  BOOST_TEST(!w.server.store().GetBlob("fda", trust::DigestRef(trust::Sha256(other))).ok());
}
