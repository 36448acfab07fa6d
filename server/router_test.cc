#define BOOST_TEST_MODULE server_router
#include "server/router.h"

#include <boost/test/unit_test.hpp>

#include "server/problem.h"

using namespace dossier;
using namespace dossier::server;

namespace {
Router MakeRouter() {
  Router router;
  auto ok = [](RouteContext&) -> StatusOr<Response> { return Response::Json(200, "{}"); };
  router.Add({"GET", "/v1/tenants/{t}/keys/{k}", Access::kTenantViewer, "", "keys", ok});
  router.Add({"POST", "/v1/tenants/{t}/keys/{k}:revoke", Access::kTenantAdmin, "", "keys", ok});
  router.Add({"PUT", "/v1/tenants/{t}/blobs/sha256:{hex}", Access::kTenantEditor, "", "blobs", ok, true});
  router.Add({"GET", "/v1/tenants/{t}/blobs/sha256:{hex}", Access::kTenantViewer, "", "blobs", ok});
  return router;
}
}  // namespace

BOOST_AUTO_TEST_CASE(patterns_with_literal_prefix_and_suffix) {
  Router router = MakeRouter();
  auto revoke = router.Find("POST", "/v1/tenants/acme/keys/ab12:revoke");
  BOOST_REQUIRE(revoke.route != nullptr);
  BOOST_TEST(revoke.params.at("k") == "ab12");
  BOOST_TEST(revoke.params.at("t") == "acme");
  auto blob = router.Find("PUT", "/v1/tenants/acme/blobs/sha256:abcd");
  BOOST_REQUIRE(blob.route != nullptr);
  BOOST_TEST(blob.route->streams_body);
  BOOST_TEST(blob.params.at("hex") == "abcd");
  BOOST_TEST(router.Find("PUT", "/v1/tenants/acme/blobs/md5:abcd").route == nullptr);
  auto head = router.Find("HEAD", "/v1/tenants/acme/blobs/sha256:abcd");
  BOOST_REQUIRE(head.route != nullptr);
  BOOST_TEST(head.route->method == "GET");
  auto wrong_method = router.Find("DELETE", "/v1/tenants/acme/keys/ab12");
  BOOST_TEST(wrong_method.route == nullptr);
  BOOST_TEST(wrong_method.path_known);
  BOOST_TEST(router.Find("GET", "/v1/tenants//keys/x").route == nullptr);
}

// The session asks a request's match (found once, when the header is read)
// whether the body streams to a file and whether it is answered on the
// network thread; a request no route matches does neither.
BOOST_AUTO_TEST_CASE(a_match_tells_whether_the_body_streams_and_whether_it_is_answered_inline) {
  Router router = MakeRouter();
  auto ok = [](RouteContext&) -> StatusOr<Response> { return Response::Json(200, "{}"); };
  router.Add({.method = "GET",
              .pattern = "/v1/tenants/{t}/keys/{k}/fingerprint",
              .access = Access::kTenantViewer,
              .handler = ok,
              .answers_inline = true});
  auto upload = router.Find("PUT", "/v1/tenants/acme/blobs/sha256:abcd");
  BOOST_TEST(upload.streams_body());
  BOOST_TEST(!upload.answers_inline());
  auto cheap_read = router.Find("GET", "/v1/tenants/acme/keys/ab12/fingerprint");
  BOOST_TEST(cheap_read.answers_inline());
  BOOST_TEST(!cheap_read.streams_body());
  auto pooled_read = router.Find("GET", "/v1/tenants/acme/keys/ab12");
  BOOST_TEST(!pooled_read.answers_inline());
  auto unmatched = router.Find("PUT", "/v1/tenants/acme/keys/ab12");
  BOOST_TEST(unmatched.route == nullptr);
  BOOST_TEST(!unmatched.streams_body());
  BOOST_TEST(!unmatched.answers_inline());
}

BOOST_AUTO_TEST_CASE(authorization_hides_other_tenants_and_checks_roles) {
  Principal viewer{"t1", "acme", Role::kViewer};
  Principal editor{"t2", "acme", Role::kEditor};
  Principal admin{"t3", "acme", Role::kAdmin};
  Principal reviewer{"t4", "fda", Role::kReviewer};
  Principal op{"t5", "", Role::kOperator};
  BOOST_TEST(Authorize(Access::kTenantViewer, &viewer, "acme").ok());
  BOOST_TEST(Authorize(Access::kTenantEditor, &viewer, "acme").code() == StatusCode::kPermissionDenied);
  BOOST_TEST(Authorize(Access::kTenantEditor, &editor, "acme").ok());
  BOOST_TEST(Authorize(Access::kTenantAdmin, &editor, "acme").code() == StatusCode::kPermissionDenied);
  BOOST_TEST(Authorize(Access::kTenantAdmin, &admin, "acme").ok());
  BOOST_TEST(Authorize(Access::kTenantReviewer, &admin, "acme").ok());
  BOOST_TEST(Authorize(Access::kTenantReviewer, &reviewer, "fda").ok());
  BOOST_TEST(Authorize(Access::kTenantEditor, &reviewer, "fda").code() == StatusCode::kPermissionDenied);
  // Another tenant's objects do not exist for the caller.
  BOOST_TEST(Authorize(Access::kTenantViewer, &admin, "fda").code() == StatusCode::kNotFound);
  BOOST_TEST(Authorize(Access::kTenantViewer, nullptr, "acme").code() == StatusCode::kUnauthenticated);
  BOOST_TEST(Authorize(Access::kOperator, &admin, "").code() == StatusCode::kPermissionDenied);
  BOOST_TEST(Authorize(Access::kOperator, &op, "").ok());
  BOOST_TEST(Authorize(Access::kOperatorOrTenantAdmin, &op, "acme").ok());
  BOOST_TEST(Authorize(Access::kTenantViewer, &op, "acme").code() == StatusCode::kPermissionDenied);
  BOOST_TEST(Authorize(Access::kPublic, nullptr, "").ok());
  // A party recording its side of a submission's correspondence: editors and reviewers.
  BOOST_TEST(Authorize(Access::kTenantEditorOrReviewer, &editor, "acme").ok());
  BOOST_TEST(Authorize(Access::kTenantEditorOrReviewer, &reviewer, "fda").ok());
  BOOST_TEST(Authorize(Access::kTenantEditorOrReviewer, &admin, "acme").ok());
  BOOST_TEST(Authorize(Access::kTenantEditorOrReviewer, &viewer, "acme").code() ==
             StatusCode::kPermissionDenied);
  BOOST_TEST(Authorize(Access::kTenantEditorOrReviewer, &reviewer, "acme").code() == StatusCode::kNotFound);
  BOOST_TEST(Authorize(Access::kTenantEditorOrReviewer, &op, "acme").code() == StatusCode::kPermissionDenied);
}

BOOST_AUTO_TEST_CASE(problem_documents_map_reasons_to_precise_statuses) {
  BOOST_TEST(HttpStatusFor(FailedPrecondition("x", "parent-mismatch")) == 412);
  BOOST_TEST(HttpStatusFor(InvalidArgument("x", "body-too-large")) == 413);
  BOOST_TEST(HttpStatusFor(InvalidArgument("x", "unknown-toc-code", "sections[0].code")) == 422);
  BOOST_TEST(HttpStatusFor(ResourceExhausted("x", "storage-full")) == 507);
  BOOST_TEST(HttpStatusFor(NotFound("x")) == 404);
  Response r = ProblemResponse(InvalidArgument("bad code", "unknown-toc-code", "sections[0].code"), "/v1/x");
  BOOST_TEST(r.content_type == "application/problem+json");
  BOOST_TEST(r.body.find("\"code\":\"unknown-toc-code\"") != std::string::npos);
  BOOST_TEST(r.body.find("\"field\":\"sections[0].code\"") != std::string::npos);
  Response internal = ProblemResponse(Internal("secret detail"), "/v1/x");
  BOOST_TEST(internal.body.find("secret detail") == std::string::npos);
}
