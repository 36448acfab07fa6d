// testing::FakeClient (the installed test fixture): records calls, answers
// what the test programmed, and pages through ClientInterface's helpers; an
// integrator's function written against ClientInterface runs on it unchanged.
#define BOOST_TEST_MODULE client_fake_test
#include "dossier/client/testing/fake_client.h"

#include <boost/test/unit_test.hpp>
#include <thread>

#include "dossier/client/client.h"

using namespace dossier;
using namespace dossier::client;
using dossier::client::testing::FakeClient;

static_assert(std::is_base_of_v<ClientInterface, Client>, "Client is substitutable by a fake");

namespace {

// An integrator's code under test: register a key unless it is there, then commit.
StatusOr<uint64_t> Publish(ClientInterface& client, const trust::PrivateKey& key) {
  auto keys = client.ListKeys("acme");
  if (!keys.ok()) return keys.status();
  bool known = false;
  for (const auto& k : *keys) known = known || k.key_id == key.public_key().KeyId();
  if (!known) {
    if (auto r = client.RegisterKey("acme", key.public_key(), "ci"); !r.ok()) return r.status();
  }
  auto committed = client.Commit({.tenant = "acme", .id = "scanner", .content = "{}"}, key,
                                 CallOptions{.timeout = std::chrono::seconds(5)});
  if (!committed.ok()) return committed.status();
  return committed->version.version;
}

}  // namespace

BOOST_AUTO_TEST_CASE(records_calls_and_answers_what_was_programmed) {
  auto key = trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value();
  FakeClient fake;
  fake.Return("ListKeys", StatusOr<std::vector<KeyInfo>>(std::vector<KeyInfo>{}));
  fake.On("RegisterKey",
          [](const std::string&, const trust::PublicKey& k, const std::string& label,
             const CallOptions&) -> StatusOr<KeyInfo> {
            KeyInfo info;
            info.key_id = k.KeyId();
            info.label = label;
            return info;
          });
  fake.On("Commit",
          [](CommitRequest request, const SigningKey&, const CallOptions& options) -> StatusOr<CommitResult> {
            if (options.timeout != std::chrono::seconds(5)) return Internal("the timeout did not arrive");
            CommitResult r;
            r.version.version = request.version.value_or(7);
            return r;
          });
  auto published = Publish(fake, key);
  BOOST_REQUIRE_MESSAGE(published.ok(), published.status().ToString());
  BOOST_TEST(*published == 7u);
  BOOST_TEST(fake.CallCount("ListKeys") == 1u);
  BOOST_TEST(fake.CallCount("RegisterKey") == 1u);
  auto [tenant, k, label, options] =
      fake.Arguments<std::string, trust::PublicKey, std::string, CallOptions>("RegisterKey");
  BOOST_TEST(tenant == "acme");
  BOOST_TEST(label == "ci");
  BOOST_TEST(k.KeyId() == key.public_key().KeyId());
  const auto calls = fake.calls();
  BOOST_REQUIRE(calls.size() == 3u);
  BOOST_TEST(calls[2].method == "Commit");

  // A failure programmed for one call reaches the code under test.
  fake.Return("Commit", StatusOr<CommitResult>(FailedPrecondition("someone was first", "parent-mismatch")));
  fake.Reset();
  fake.Return("ListKeys",
              StatusOr<std::vector<KeyInfo>>(std::vector<KeyInfo>{{.key_id = key.public_key().KeyId()}}));
  fake.Return("Commit", StatusOr<CommitResult>(FailedPrecondition("someone was first", "parent-mismatch")));
  BOOST_TEST(Publish(fake, key).status().reason() == "parent-mismatch");
  BOOST_TEST(fake.CallCount("RegisterKey") == 0u);  // the key was listed
}

BOOST_AUTO_TEST_CASE(unprogrammed_and_mistyped_answers_are_errors) {
  FakeClient fake;
  BOOST_TEST(fake.Ready().reason() == "fake-not-programmed");
  BOOST_TEST(fake.GetTenant("acme").status().code() == StatusCode::kUnimplemented);
  fake.Return("GetTenant", Tenant{});  // not StatusOr<Tenant>
  BOOST_TEST(fake.GetTenant("acme").status().reason() == "fake-wrong-type");
  BOOST_CHECK_THROW(fake.Arguments<int>("GetTenant"), std::bad_any_cast);
  BOOST_CHECK_THROW((fake.Arguments<std::string, CallOptions>("GetTenant", 5)), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(overloads_take_one_handler_each) {
  FakeClient fake;
  fake.On("VerifyVersion",
          [](const ExpectedIdentity& e, const CallOptions&) -> StatusOr<trust::BundleVerification> {
            if (e.id != "scanner") return FailedPrecondition("other dossier", "unexpected-object");
            return trust::BundleVerification{};
          });
  BOOST_TEST(fake.VerifyVersion(ExpectedIdentity{.tenant = "acme", .id = "scanner", .version = 1}).ok());
  BOOST_TEST(
      fake.VerifyVersion(ExpectedIdentity{.tenant = "acme", .id = "x", .version = 1}).status().reason() ==
      "unexpected-object");
  // The other overload has no handler yet.
  BOOST_TEST(fake.VerifyVersion("acme", ObjectKind::kDossier, "scanner", 1).status().reason() ==
             "fake-wrong-type");
  // A handler that forgot the CallOptions parameter is told, not silently skipped.
  fake.On("GetTenant", [](const std::string&) -> StatusOr<Tenant> { return Tenant{}; });
  BOOST_TEST(fake.GetTenant("acme").status().reason() == "fake-wrong-type");
}

BOOST_AUTO_TEST_CASE(pages_through_the_interface_helpers) {
  FakeClient fake;
  fake.On("ListVersions",
          [](const std::string&, ObjectKind, const std::string&, const std::string& token, int,
             const CallOptions&) -> StatusOr<VersionPage> {
            const uint64_t from = token.empty() ? 1 : std::stoull(token);
            VersionPage page;
            for (uint64_t v = from; v < from + 2 && v <= 5; ++v)
              page.versions.push_back(VersionInfo{.version = v});
            if (from + 2 <= 5) page.next_page_token = std::to_string(from + 2);
            return page;
          });
  std::vector<uint64_t> seen;
  for (auto& v : fake.Versions("acme", ObjectKind::kDossier, "scanner", 2)) {
    BOOST_REQUIRE(v.ok());
    seen.push_back(v->version);
  }
  BOOST_TEST((seen == std::vector<uint64_t>{1, 2, 3, 4, 5}));
  BOOST_TEST(fake.CallCount("ListVersions") == 3u);

  // The other lists page the same way through their page-level calls: the
  // inbox in two pages, then a failing page ends the range with its error.
  fake.On("InboxPage",
          [](const std::string& tenant, const std::string& token, int page_size,
             const CallOptions&) -> StatusOr<SubmissionPage> {
            if (tenant != "fda") return Status(StatusCode::kNotFound, "no such tenant", "not-found");
            if (token.empty())
              return SubmissionPage{{Submission{.id = "s-1"}, Submission{.id = "s-2"}}, "p2"};
            if (token == "p2" && page_size == 2) return SubmissionPage{{Submission{.id = "s-3"}}, ""};
            return Status(StatusCode::kInvalidArgument, "unexpected page", "bad-page-token");
          });
  std::vector<std::string> ids;
  for (auto& s : fake.InboxSubmissions("fda", 2)) {
    BOOST_REQUIRE(s.ok());
    ids.push_back(s->id);
  }
  BOOST_TEST((ids == std::vector<std::string>{"s-1", "s-2", "s-3"}));
  auto [tenant, token, size, options] =
      fake.Arguments<std::string, std::string, int, CallOptions>("InboxPage", 1);
  BOOST_TEST(token == "p2");
  BOOST_TEST(size == 2);
  int errors = 0;
  for (auto& s : fake.InboxSubmissions("acme")) errors += s.ok() ? 0 : 1;
  BOOST_TEST(errors == 1);
  // A whole-list call added with the paging work is mockable too.
  fake.Return("AuditLog", StatusOr<std::vector<JsonText>>(std::vector<JsonText>{R"({"seq":1})"}));
  BOOST_TEST(fake.AuditLog("acme")->size() == 1u);
}

BOOST_AUTO_TEST_CASE(calls_from_several_threads_are_all_recorded) {
  FakeClient fake;
  fake.Return("Ready", Status::Ok());
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 100; ++i) BOOST_CHECK(fake.Ready().ok());
      });
    }
  }
  BOOST_TEST(fake.CallCount("Ready") == 400u);
}
