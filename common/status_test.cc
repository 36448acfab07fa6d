#define BOOST_TEST_MODULE common_status
#include "common/status.h"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <string>

using dossier::Status;
using dossier::StatusCode;
using dossier::StatusOr;

BOOST_AUTO_TEST_CASE(ok_status_has_no_reason) {
  Status s;
  BOOST_TEST(s.ok());
  BOOST_TEST(s.reason().empty());
  BOOST_TEST(s.ToString() == "OK");
}

BOOST_AUTO_TEST_CASE(reason_defaults_from_code) {
  Status s(StatusCode::kFailedPrecondition, "stale");
  BOOST_TEST(s.reason() == "failed-precondition");
  BOOST_TEST(dossier::InvalidArgument("x", "unknown-toc-code").reason() == "unknown-toc-code");
}

BOOST_AUTO_TEST_CASE(field_prefix_joins_paths) {
  Status s = dossier::InvalidArgument("bad", "bad-digest", "documents[2].digest");
  BOOST_TEST(s.WithFieldPrefix("sections[1]").field() == "sections[1].documents[2].digest");
  Status arr = dossier::InvalidArgument("bad", "x", "[3].value");
  BOOST_TEST(arr.WithFieldPrefix("identifiers").field() == "identifiers[3].value");
  BOOST_TEST(Status().WithFieldPrefix("a").ok());
}

StatusOr<int> Half(int v) {
  if (v % 2) return dossier::InvalidArgument("odd");
  return v / 2;
}

Status UseHalf(int v, int* out) {
  DOSSIER_ASSIGN_OR_RETURN(*out, Half(v));
  return Status::Ok();
}

BOOST_AUTO_TEST_CASE(assign_or_return_propagates) {
  int out = 0;
  BOOST_TEST(UseHalf(8, &out).ok());
  BOOST_TEST(out == 4);
  Status s = UseHalf(3, &out);
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.message() == "odd");
}

// value() on an error must fail loudly in every build type (this test runs in
// the Release build too): the child process aborts and says why on stderr.
namespace {
struct ChildOutcome {
  bool aborted = false;
  std::string stderr_text;
};
template <typename Fn>
ChildOutcome RunInChild(Fn fn) {
  int fds[2];
  BOOST_REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    // Boost.Test catches SIGABRT to report it; the child must really abort.
    std::signal(SIGABRT, SIG_DFL);
    fn();
    _exit(0);  // reached only when fn did not abort
  }
  close(fds[1]);
  ChildOutcome outcome;
  char buffer[512];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) outcome.stderr_text.append(buffer, n);
  close(fds[0]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  outcome.aborted = WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGABRT;
  return outcome;
}
}  // namespace

BOOST_AUTO_TEST_CASE(value_of_an_error_aborts_with_the_status) {
  auto outcome = RunInChild([] {
    StatusOr<int> failed = dossier::NotFound("no such dossier", "dossier-not-found");
    volatile int v = failed.value();
    (void)v;
  });
  BOOST_TEST(outcome.aborted);
  BOOST_TEST(outcome.stderr_text.find("[dossier-not-found] no such dossier") != std::string::npos);

  auto deref = RunInChild([] {
    StatusOr<std::string> failed = dossier::InvalidArgument("bad", "bad-key");
    volatile size_t n = failed->size();
    (void)n;
  });
  BOOST_TEST(deref.aborted);
}

BOOST_AUTO_TEST_CASE(http_status_travels_with_the_status) {
  Status local = dossier::InvalidArgument("bad", "bad-digest", "digest");
  BOOST_TEST(local.http_status() == 0);
  Status remote = local.WithHttpStatus(422);
  BOOST_TEST(remote.http_status() == 422);
  BOOST_TEST(remote.reason() == "bad-digest");
  BOOST_TEST(remote.field() == "digest");
  BOOST_TEST(local.http_status() == 0);  // a copy, the original unchanged
  BOOST_TEST(remote.WithFieldPrefix("documents[0]").http_status() == 422);
  BOOST_TEST(remote.Annotate("commit").http_status() == 422);
  BOOST_TEST(Status().WithHttpStatus(500).ok());
}

BOOST_AUTO_TEST_CASE(statusor_from_ok_status_is_an_error_not_an_empty_value) {
  StatusOr<int> wrong = Status();
  BOOST_TEST(!wrong.ok());
  BOOST_TEST(wrong.status().reason() == "internal");
  auto outcome = RunInChild([] {
    StatusOr<int> also_wrong = Status();
    volatile int v = *also_wrong;
    (void)v;
  });
  BOOST_TEST(outcome.aborted);
}
