// The entry point of server_routes_test: in-process handler tests of the route
// modules (tenant_routes_test.cc, key_routes_test.cc, object_routes_test.cc)
// against the real Api over a real store (server/in_process_api.h).
#define BOOST_TEST_MODULE server_routes
#include <boost/test/unit_test.hpp>
