// Versioned objects through the real Api: creating, reading with ETags, a
// signed commit and its idempotent retry, renderings, diff and bundle, and the
// reasons for refused input.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "schema/translate/zip.h"
#include "server/in_process_api.h"
#include "tests/support/files.h"
#include "trust/bundle.h"
#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/json_forms.h"
#include "trust/keys.h"
#include "trust/statement.h"

using namespace dossier;
using namespace dossier::server;
namespace json = boost::json;

namespace {

constexpr std::string_view kDossierJson = "application/vnd.dossier.v1+json";

json::object Body(const Response& r) { return json::parse(r.body).as_object(); }

std::string Header(const Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

// A valid dossier whose one section names one uploaded PDF.
std::string DossierContent(const std::string& trade_name, const std::string& document_digest) {
  return R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":")" + trade_name +
         R"(","identifiers":[{"type":"UDI_DI","value":"00614141999996","issuer":"GS1"}]},)"
         R"("sections":[{"code":"2.04.01","documents":[{"digest":")" +
         document_digest + R"(","mediaType":"application/pdf","fileName":"report.pdf"}]}]})";
}

// Tenant "acme" with an EDITOR token, a registered signer key, an uploaded
// document and dossier "d".
struct ObjectWorld {
  InProcessApi server;
  std::string editor;
  trust::PrivateKey signer = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  std::string document = "%PDF-1.7 test report\n";
  std::string document_digest = trust::DigestRef(trust::Sha256(document));

  ObjectWorld() {
    server.CreateTenant("acme");
    editor = server.IssueToken("acme", "EDITOR");
    const std::string admin = server.IssueToken("acme", "ADMIN");
    json::object key{{"publicKeyPem", signer.public_key().Pem()}};
    Expect(server.Call("POST", "/v1/tenants/acme/keys", json::serialize(key), admin), 201, "register key");
    Expect(Upload(document), 201, "upload document");
    Expect(server.Call("POST", "/v1/tenants/acme/dossiers", R"({"id":"d","title":"Triage"})", editor), 201,
           "create dossier");
  }

  static void Expect(const Response& r, int status, const std::string& what) {
    BOOST_TEST_REQUIRE(r.status == status, what << " answered " << r.status << " " << r.body);
  }

  Response Upload(const std::string& bytes) {
    return server.Call("PUT", "/v1/tenants/acme/blobs/" + trust::DigestRef(trust::Sha256(bytes)), bytes,
                       editor, {{"content-type", "application/octet-stream"}});
  }

  // The commit request body for `content` as `version` on `parent`, signed by `key`.
  std::string CommitBody(const std::string& content, uint64_t version, const std::string& parent,
                         const trust::PrivateKey& key) {
    trust::Statement statement{"acme",
                               "dossiers/d",
                               version,
                               parent,
                               trust::DigestRef(trust::Sha256(content)),
                               std::string(kDossierJson)};
    auto envelope =
        trust::SignEnvelope(trust::kStatementPayloadType, trust::SerializeStatement(statement), key).value();
    json::object body{{"contentDigest", statement.content_digest},
                      {"mediaType", statement.media_type},
                      {"envelope", trust::EnvelopeToJson(envelope)}};
    return json::serialize(body);
  }

  // Uploads `content` and commits it as the next version; returns the answer.
  Response Commit(const std::string& content, uint64_t version, const std::string& parent) {
    Upload(content);
    return server.Call("POST", "/v1/tenants/acme/dossiers/d/versions",
                       CommitBody(content, version, parent, signer), editor);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(object_routes)

BOOST_AUTO_TEST_CASE(an_object_answers_with_its_etag_and_304_when_unchanged) {
  ObjectWorld w;
  Response got = w.server.Call("GET", "/v1/tenants/acme/dossiers/d", "", w.editor);
  BOOST_TEST_REQUIRE(got.status == 200, got.body);
  BOOST_TEST(Header(got, "ETag") == "\"empty\"");
  BOOST_TEST(Body(got).at("title").as_string() == "Triage");
  BOOST_TEST(Body(got).at("headVersion").to_number<uint64_t>() == 0u);
  Response unchanged =
      w.server.Call("GET", "/v1/tenants/acme/dossiers/d", "", w.editor, {{"if-none-match", "\"empty\""}});
  BOOST_TEST(unchanged.status == 304);
  BOOST_TEST(unchanged.body.empty());

  Response missing = w.server.Call("GET", "/v1/tenants/acme/dossiers/nope", "", w.editor);
  BOOST_TEST(missing.status == 404);
}

BOOST_AUTO_TEST_CASE(objects_are_listed_in_pages) {
  ObjectWorld w;
  for (const char* id : {"e", "f"}) {
    json::object body{{"id", id}};
    ObjectWorld::Expect(w.server.Call("POST", "/v1/tenants/acme/dossiers", json::serialize(body), w.editor),
                        201, id);
  }
  Response first = w.server.Call("GET", "/v1/tenants/acme/dossiers?page_size=2", "", w.editor);
  BOOST_TEST_REQUIRE(first.status == 200, first.body);
  BOOST_TEST(Body(first).at("dossiers").as_array().size() == 2u);
  const std::string next(Body(first).at("nextPageToken").as_string());
  Response second =
      w.server.Call("GET", "/v1/tenants/acme/dossiers?pageSize=2&pageToken=" + next, "", w.editor);
  BOOST_TEST_REQUIRE(second.status == 200, second.body);
  BOOST_TEST(Body(second).at("dossiers").as_array().size() == 1u);
  BOOST_TEST(!Body(second).contains("nextPageToken"));
}

BOOST_AUTO_TEST_CASE(bad_object_requests_are_refused_with_their_reason) {
  ObjectWorld w;
  BOOST_TEST(
      w.server.RefusalMismatches(
          w.editor,
          {
              {"POST", "/v1/tenants/acme/dossiers", R"({"id":"d"})", 409, "object-exists", ""},
              {"POST", "/v1/tenants/acme/dossiers", R"({"id":"-x"})", 400, "bad-id", "id"},
              {"POST", "/v1/tenants/acme/dossiers", R"({"id":"x","dossier":"d"})", 400, "unknown-field",
               "dossier"},
              {"POST", "/v1/tenants/acme/change-plans", R"({"id":"p"})", 422, "missing-field", "dossier"},
              {"POST", "/v1/tenants/acme/change-plans", R"({"id":"p","dossier":"ghost"})", 400,
               "unknown-reference", "dossier"},
              {"POST", "/v1/tenants/acme/dossiers/d/versions",
               R"({"contentDigest":"sha256:00","mediaType":"x","envelope":{}})", 400, "bad-digest",
               "contentDigest"},
              {"POST", "/v1/tenants/acme/dossiers/d/versions",
               R"({"contentDigest":"sha256:)" + std::string(64, '0') + R"(","mediaType":"x"})", 422,
               "missing-field", "envelope"},
          }) == "");
  Response bad_number = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions/first", "", w.editor);
  BOOST_TEST(bad_number.status == 400);
  BOOST_TEST(ProblemCode(bad_number) == "bad-parameter");
  BOOST_TEST(ProblemField(bad_number) == "n");
  Response no_version = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions/1", "", w.editor);
  BOOST_TEST(no_version.status == 404);
}

BOOST_AUTO_TEST_CASE(a_signed_commit_lands_once_and_renders_as_signed) {
  ObjectWorld w;
  const std::string content = DossierContent("Triage v1", w.document_digest);
  const std::string digest = trust::DigestRef(trust::Sha256(content));
  Response committed = w.Commit(content, 1, "");
  BOOST_TEST_REQUIRE(committed.status == 201, committed.body);
  const json::object version = Body(committed);
  BOOST_TEST(version.at("version").to_number<uint64_t>() == 1u);
  BOOST_TEST(version.at("digest").as_string() == digest);
  BOOST_TEST(version.at("signerKeyId").as_string() == w.signer.public_key().KeyId());
  BOOST_TEST(version.at("receipt").as_object().at("signature").as_string().size() > 0u);
  BOOST_TEST(Header(committed, "Location") == "/v1/tenants/acme/dossiers/d/versions/1");

  // The same envelope again is the retry of a commit that landed: 200, same version.
  Response retried = w.server.Call("POST", "/v1/tenants/acme/dossiers/d/versions",
                                   w.CommitBody(content, 1, "", w.signer), w.editor);
  BOOST_TEST(retried.status == 200, retried.body);
  BOOST_TEST(Body(retried).at("logIndex") == version.at("logIndex"));

  Response head = w.server.Call("GET", "/v1/tenants/acme/dossiers/d", "", w.editor);
  BOOST_TEST(Header(head, "ETag") == "\"" + digest + "\"");

  Response exact = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions/1/content", "", w.editor);
  BOOST_TEST(exact.status == 200);
  BOOST_TEST(exact.body == content);
  BOOST_TEST(exact.content_type == std::string(kDossierJson));

  Response rendered = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions/1", "", w.editor);
  BOOST_TEST_REQUIRE(rendered.status == 200, rendered.body);
  BOOST_TEST(Body(rendered).at("content").at("device").at("tradeName").as_string() == "Triage v1");
  BOOST_TEST(Body(rendered).contains("envelope"));
  // Served from the rendering cache the second time, identically.
  BOOST_TEST(w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions/1", "", w.editor).body ==
             rendered.body);
  Response protobuf = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions/1", "", w.editor,
                                    {{"accept", "application/x-protobuf"}});
  BOOST_TEST(protobuf.status == 200);
  BOOST_TEST(protobuf.content_type == "application/x-protobuf");
  BOOST_TEST(protobuf.body.find("Triage v1") != std::string::npos);

  Response history = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions", "", w.editor);
  BOOST_TEST(Body(history).at("versions").as_array().size() == 1u);
}

// Version records are cached after a first read (they never change); the
// cache sits behind authorisation and is keyed by tenant, and a version that
// did not exist yet is not remembered as missing.
BOOST_AUTO_TEST_CASE(cached_versions_stay_their_tenants_and_a_missing_one_is_not_remembered) {
  ObjectWorld w;
  const std::string v1 = DossierContent("Triage v1", w.document_digest);
  BOOST_TEST_REQUIRE(w.Commit(v1, 1, "").status == 201);
  const std::string path = "/v1/tenants/acme/dossiers/d/versions/1/content";
  for (int i = 0; i < 2; ++i) BOOST_TEST(w.server.Call("GET", path, "", w.editor).body == v1);

  w.server.CreateTenant("globex");
  const std::string stranger = w.server.IssueToken("globex", "ADMIN");
  const Response refused = w.server.Call("GET", path, "", stranger);
  BOOST_TEST((refused.status == 403 || refused.status == 404), refused.status << " " << refused.body);
  BOOST_TEST(refused.body.find("Triage") == std::string::npos);
  // The same names under the stranger's own tenant are not acme's record.
  BOOST_TEST(w.server.Call("GET", "/v1/tenants/globex/dossiers/d/versions/1/content", "", stranger).status ==
             404);

  const std::string path2 = "/v1/tenants/acme/dossiers/d/versions/2";
  BOOST_TEST(w.server.Call("GET", path2, "", w.editor).status == 404);
  const std::string v2 = DossierContent("Triage v2", w.document_digest);
  BOOST_TEST_REQUIRE(w.Commit(v2, 2, trust::DigestRef(trust::Sha256(v1))).status == 201);
  const Response second = w.server.Call("GET", path2, "", w.editor);
  BOOST_TEST_REQUIRE(second.status == 200, second.body);
  BOOST_TEST(Body(second).at("content").at("device").at("tradeName").as_string() == "Triage v2");
}

BOOST_AUTO_TEST_CASE(commits_out_of_turn_or_by_strangers_are_refused) {
  ObjectWorld w;
  const std::string v1 = DossierContent("Triage v1", w.document_digest);
  BOOST_TEST_REQUIRE(w.Commit(v1, 1, "").status == 201);
  const std::string v1_digest = trust::DigestRef(trust::Sha256(v1));
  const std::string v2 = DossierContent("Triage v2", w.document_digest);

  Response skipped = w.Commit(v2, 3, v1_digest);
  BOOST_TEST(skipped.status == 412);
  BOOST_TEST(ProblemCode(skipped) == "version-mismatch");
  Response wrong_parent = w.Commit(v2, 2, "sha256:" + std::string(64, 'f'));
  BOOST_TEST(wrong_parent.status == 412);
  BOOST_TEST(ProblemCode(wrong_parent) == "parent-mismatch");
  Response stale =
      w.server.Call("POST", "/v1/tenants/acme/dossiers/d/versions", w.CommitBody(v2, 2, v1_digest, w.signer),
                    w.editor, {{"if-match", "\"empty\""}});
  BOOST_TEST(stale.status == 412);
  BOOST_TEST(ProblemCode(stale) == "etag-mismatch");

  const trust::PrivateKey stranger = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  Response unsigned_by_tenant = w.server.Call("POST", "/v1/tenants/acme/dossiers/d/versions",
                                              w.CommitBody(v2, 2, v1_digest, stranger), w.editor);
  BOOST_TEST(unsigned_by_tenant.status == 422);
  // The keyid hint names a key the tenant never registered: unknown-key, not a bad signature.
  BOOST_TEST(ProblemCode(unsigned_by_tenant) == "unknown-key");

  const std::string undocumented = DossierContent("Triage v2", "sha256:" + std::string(64, 'a'));
  Response missing_document = w.Commit(undocumented, 2, v1_digest);
  BOOST_TEST(missing_document.status == 422);
  BOOST_TEST(ProblemCode(missing_document) == "missing-blob");

  // None of these moved the head.
  Response head = w.server.Call("GET", "/v1/tenants/acme/dossiers/d", "", w.editor);
  BOOST_TEST(Body(head).at("headVersion").to_number<uint64_t>() == 1u);
}

BOOST_AUTO_TEST_CASE(diff_and_bundle_describe_committed_versions) {
  ObjectWorld w;
  const std::string v1 = DossierContent("Triage v1", w.document_digest);
  BOOST_TEST_REQUIRE(w.Commit(v1, 1, "").status == 201);
  const std::string other_document = "%PDF-1.7 revised report\n";
  BOOST_TEST_REQUIRE(w.Upload(other_document).status == 201);
  const std::string v2 = DossierContent("Triage v1", trust::DigestRef(trust::Sha256(other_document)));
  BOOST_TEST_REQUIRE(w.Commit(v2, 2, trust::DigestRef(trust::Sha256(v1))).status == 201);

  Response diff = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/diff?from=1&to=2", "", w.editor);
  BOOST_TEST_REQUIRE(diff.status == 200, diff.body);
  BOOST_TEST(Body(diff).at("from").to_number<uint64_t>() == 1u);
  BOOST_TEST(Body(diff).at("to").to_number<uint64_t>() == 2u);
  BOOST_TEST(diff.body.find("2.04.01") != std::string::npos, diff.body);
  Response no_to = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/diff?from=1", "", w.editor);
  BOOST_TEST(no_to.status == 422);
  BOOST_TEST(ProblemField(no_to) == "to");
  Response bad_from = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/diff?from=one&to=2", "", w.editor);
  BOOST_TEST(bad_from.status == 400);
  BOOST_TEST(ProblemField(bad_from) == "from");

  Response bundle = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/versions/2/bundle", "", w.editor);
  BOOST_TEST_REQUIRE(bundle.status == 200, bundle.body);
  const json::object b = Body(bundle);
  BOOST_TEST(b.at("contentDigest").as_string() == trust::DigestRef(trust::Sha256(v2)));
  BOOST_TEST(b.at("signerPublicKeyPem").as_string() == w.signer.public_key().Pem());
  BOOST_TEST(b.at("signerKeyLogIndex").to_number<uint64_t>() < b.at("logIndex").to_number<uint64_t>());
  Response log_key = w.server.Call("GET", "/v1/log/public-key", "", w.editor);
  BOOST_TEST_REQUIRE(log_key.status == 200);
  const json::object log = Body(log_key);
  auto public_key = trust::PublicKey::FromPem(std::string(log.at("publicKeyPem").as_string()));
  BOOST_TEST_REQUIRE(public_key.ok());
  auto checkpoint = trust::OpenCheckpoint(std::string(b.at("checkpoint").as_string()),
                                          std::string(log.at("origin").as_string()), *public_key);
  BOOST_TEST_REQUIRE(checkpoint.ok(), checkpoint.status().ToString());
  BOOST_TEST(checkpoint->tree_size == w.server.store().LogSize());
}

// The redline (the diff route's ?format=html|pdf) escapes every dossier string
// and is served under a CSP; the response package holds what it says it holds.
BOOST_AUTO_TEST_CASE(redline_escapes_dossier_strings_and_the_response_package_verifies) {
  ObjectWorld w;
  auto content = [&](const std::string& trade_name, const std::string& report_digest,
                     const std::string& extra_document) {
    std::string docs =
        R"({"digest":")" + report_digest + R"(","mediaType":"application/pdf","fileName":"report.pdf"})";
    if (!extra_document.empty()) {
      docs += R"(,{"digest":")" + extra_document +
              R"(","mediaType":"application/pdf","fileName":"<script>alert(2)</script>.pdf"})";
    }
    return R"({"tocEdition":"IMDRF-N9-ED4","device":{"tradeName":")" + trade_name +
           R"("},"sections":[{"code":"2.04.01","documents":[)" + docs + "]}]}";
  };
  const std::string v1 = content("Triage <script>alert(1)</script>", w.document_digest, "");
  BOOST_TEST_REQUIRE(w.Commit(v1, 1, "").status == 201);
  const std::string revised = "%PDF-1.7 revised report\n", added = "%PDF-1.7 new annex\n";
  BOOST_TEST_REQUIRE(w.Upload(revised).status == 201);
  BOOST_TEST_REQUIRE(w.Upload(added).status == 201);
  const std::string revised_digest = trust::DigestRef(trust::Sha256(revised));
  const std::string added_digest = trust::DigestRef(trust::Sha256(added));
  const std::string v2 = content("Triage 2 <script>", revised_digest, added_digest);
  BOOST_TEST_REQUIRE(w.Commit(v2, 2, trust::DigestRef(trust::Sha256(v1))).status == 201);

  Response diff = w.server.Call("GET", "/v1/tenants/acme/dossiers/d/diff?from=1&to=2", "", w.editor);
  BOOST_TEST_REQUIRE(diff.status == 200, diff.body);
  const json::object d = Body(diff);
  const json::object& field = d.at("fields").as_array().at(0).as_object();
  BOOST_TEST(field.at("path").as_string() == "device.tradeName");
  BOOST_TEST(field.at("old").as_string() == "Triage <script>alert(1)</script>");
  BOOST_TEST(field.at("new").as_string() == "Triage 2 <script>");
  const json::array& docs = d.at("sections").as_array().at(0).at("documents").as_array();
  BOOST_TEST_REQUIRE(docs.size() == 2u);
  BOOST_TEST(docs[0].at("change").as_string() == "ADDED");
  BOOST_TEST(docs[0].at("fileName").as_string() == "<script>alert(2)</script>.pdf");
  BOOST_TEST(docs[1].at("change").as_string() == "CHANGED");
  BOOST_TEST(docs[1].at("oldDigest").as_string() == w.document_digest);
  BOOST_TEST(docs[1].at("newDigest").as_string() == revised_digest);

  Response html =
      w.server.Call("GET", "/v1/tenants/acme/dossiers/d/diff?from=1&to=2&format=html", "", w.editor);
  BOOST_TEST_REQUIRE(html.status == 200, html.body);
  BOOST_TEST(html.content_type == "text/html; charset=utf-8");
  BOOST_TEST(Header(html, "Content-Security-Policy").rfind("default-src 'none'; style-src 'sha256-", 0) ==
             0u);
  BOOST_TEST(html.body.find("<script") == std::string::npos, html.body);
  BOOST_TEST(html.body.find("Triage &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(html.body.find("&lt;script&gt;alert(2)&lt;/script&gt;.pdf") != std::string::npos);
  BOOST_TEST(html.body.find("report.pdf") != std::string::npos);

  Response plan_redline =
      w.server.Call("GET", "/v1/tenants/acme/dossiers/d/diff?from=1&to=2&format=docx", "", w.editor);
  BOOST_TEST(plan_redline.status == 400);
  BOOST_TEST(ProblemField(plan_redline) == "format");

  const std::string letter = "%PDF-1.7 reply to the additional information request\n";
  BOOST_TEST_REQUIRE(w.Upload(letter).status == 201);
  const std::string letter_digest = trust::DigestRef(trust::Sha256(letter));
  const std::string request =
      R"({"from":1,"to":2,"replyLetter":")" + letter_digest + R"(","replyLetterName":"reply.pdf"})";
  BOOST_TEST(
      w.server.RefusalMismatches(
          w.editor,
          {{"POST", "/v1/tenants/acme/dossiers/d/response-package",
            R"({"from":1,"to":2,"replyLetter":")" + letter_digest + R"(","replyLetterName":"../x.pdf"})", 400,
            "bad-file-name", "replyLetterName"},
           {"POST", "/v1/tenants/acme/dossiers/d/response-package",
            R"({"from":1,"to":9,"replyLetter":")" + letter_digest + R"(","replyLetterName":"r.pdf"})", 400,
            "unknown-version", "to"},
           {"POST", "/v1/tenants/acme/dossiers/d/response-package",
            R"({"from":1,"to":2,"replyLetter":"sha256:)" + std::string(64, 'e') +
                R"(","replyLetterName":"r.pdf"})",
            400, "unknown-blob", "replyLetter"},
           {"POST", "/v1/tenants/acme/dossiers/d/response-package", R"({"to":2})", 422, "missing-field",
            "from"}}) == "");
  if (!std::filesystem::exists("/usr/bin/wkhtmltopdf")) {
    BOOST_TEST_REQUIRE(std::getenv("CI") == nullptr, "CI needs wkhtmltopdf (tools/install-deps.sh)");
    BOOST_TEST_MESSAGE("skipping the PDF checks: /usr/bin/wkhtmltopdf is not installed");
    return;
  }
  Response pdf =
      w.server.Call("GET", "/v1/tenants/acme/dossiers/d/diff?from=1&to=2&format=pdf", "", w.editor);
  BOOST_TEST_REQUIRE(pdf.status == 200, pdf.body);
  BOOST_TEST(pdf.content_type == "application/pdf");
  BOOST_TEST(pdf.body.rfind("%PDF-", 0) == 0u);
  // docs/images/redline.png is a page of this PDF (docs/REDLINE.md says how it was made).
  if (const char* save = std::getenv("DOSSIER_SAVE_REDLINE_PDF")) testing::WriteFile(save, pdf.body);

  Response package = w.server.Call("POST", "/v1/tenants/acme/dossiers/d/response-package", request, w.editor);
  BOOST_TEST_REQUIRE(package.status == 200, package.body);
  BOOST_TEST(package.content_type == "application/zip");
  testing::TempDir dir("redline-package-");
  const auto zip_path = dir.path() / "package.zip";
  testing::WriteFile(zip_path, package.body);
  auto zip = translate::ZipReader::Open(zip_path, translate::ImportLimits());
  BOOST_TEST_REQUIRE(zip.ok(), zip.status().ToString());
  const json::object manifest = json::parse((*zip)->ReadAll("manifest.json", 1 << 20).value()).as_object();
  std::map<std::string, std::string> roles;
  for (const auto& f : manifest.at("files").as_array()) {
    const std::string path(f.at("path").as_string());
    auto bytes = (*zip)->ReadAll(path, 16 << 20);
    BOOST_TEST_REQUIRE(bytes.ok(), path);
    BOOST_TEST(trust::DigestRef(trust::Sha256(*bytes)) == f.at("sha256").as_string(), path);
    roles[path] = std::string(f.at("role").as_string());
  }
  BOOST_TEST(roles["reply/reply.pdf"] == "reply-letter");
  BOOST_TEST(roles["redline/redline.pdf"] == "redline-pdf");
  BOOST_TEST(roles["documents/2.04.01/report.pdf"] == "document");
  BOOST_TEST(roles["documents/2.04.01/" + added_digest.substr(7)] == "document");  // unsafe name: digest
  // The signed "to" version in the package names every packed document, and
  // its bundle verifies against this node's log key.
  const std::string signed_to = (*zip)->ReadAll("versions/v2.content.json", 1 << 20).value();
  BOOST_TEST(trust::DigestRef(trust::Sha256(signed_to)) ==
             manifest.at("versions").at("to").at("contentDigest").as_string());
  BOOST_TEST(signed_to.find(revised_digest) != std::string::npos);
  BOOST_TEST(signed_to.find(added_digest) != std::string::npos);
  auto bundle = trust::BundleFromJson((*zip)->ReadAll("versions/v2.bundle.json", 1 << 20).value());
  BOOST_TEST_REQUIRE(bundle.ok(), bundle.status().ToString());
  const json::object log = Body(w.server.Call("GET", "/v1/log/public-key", "", w.editor));
  auto log_key = trust::PublicKey::FromPem(std::string(log.at("publicKeyPem").as_string())).value();
  auto verified =
      trust::VerifyBundle(*bundle, std::string(log.at("origin").as_string()), log_key, &signed_to);
  BOOST_TEST(verified.ok(), verified.status().ToString());
}

BOOST_AUTO_TEST_SUITE_END()
