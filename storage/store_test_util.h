// What the Store conformance tests share: records to write and the macros
// that run a test case once per backend.
#pragma once

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <string>

#include "storage/store.h"
#include "storage/store_test_backends.h"
#include "trust/digest.h"

namespace dossier::storage::testing {

// A test case run once on every backend, with `backend` naming it.
#define STORE_TEST_CASE(name) \
  BOOST_DATA_TEST_CASE(name, boost::unit_test::data::make(::dossier::storage::testing::kBackends), backend)

// Declares `location` (a fresh StoreLocation on `backend`) and `store` (open
// on it); returns from the test (skipped) when the backend is unavailable.
#define STORE_UNDER_TEST(location, store)                            \
  auto location = ::dossier::storage::testing::NewLocation(backend); \
  if (!location) return;                                             \
  auto store = ::dossier::storage::testing::OpenOn(*location)

inline std::unique_ptr<Store> OpenOn(StoreLocation& location,
                                     std::function<void(const std::string&)> report_corruption = {}) {
  auto store = location.Open(std::move(report_corruption));
  BOOST_REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  return std::move(store).value();
}

inline TenantRecord Tenant(const std::string& id) {
  TenantRecord t;
  t.set_id(id);
  t.set_display_name(id);
  t.set_kind("MANUFACTURER");
  return t;
}

inline ObjectRecord Dossier(const std::string& tenant, const std::string& id) {
  ObjectRecord o;
  o.set_tenant(tenant);
  o.set_kind("dossiers");
  o.set_id(id);
  return o;
}

inline std::string DigestOf(const std::string& s) { return trust::DigestRef(trust::Sha256(s)); }

inline VersionRecord Version(const std::string& tenant, const std::string& id, uint64_t n,
                             const std::string& parent, const std::string& content) {
  VersionRecord v;
  v.set_tenant(tenant);
  v.set_kind("dossiers");
  v.set_id(id);
  v.set_version(n);
  v.set_parent_digest(parent);
  v.set_content_digest(DigestOf(content));
  v.set_media_type("application/vnd.dossier.v1+json");
  v.set_leaf_data("leaf:" + tenant + "/" + id + "/" + std::to_string(n));
  return v;
}

}  // namespace dossier::storage::testing
