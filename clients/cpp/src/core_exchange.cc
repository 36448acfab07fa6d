// ClientCore: regional views (export, import, readiness), submissions,
// signed decisions and reliance between regulators.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "core.h"
#include "dossier/client/toc_folder.h"

namespace dossier::client {
namespace json = boost::json;
namespace fs = std::filesystem;
using internal::Enc;
using internal::HttpRequest;
using internal::HttpResponse;
using internal::ToJson;

using internal::SubmissionPath;
using internal::TenantPath;

namespace {

// Hands the records of a streamed import answer to a RecordFn as they arrive
// (ImportRecords). An NDJSON answer is one record a line; each line is handed
// on once a byte of the next one arrived, so the last line waits until the
// answer is known to be whole: the last line of an answer the server cut short
// is its problem ({"problem": {...}}), never a record. Any other 2xx answer (a
// single record, application/json) is one record, handed on at its end.
// Memory: one line (two while the next begins), each bounded by
// max_response_bytes, besides the transport's read buffer.
class RecordSplitter {
 public:
  RecordSplitter(RecordFn on_record, uint64_t max_record_bytes)
      : on_record_(std::move(on_record)), max_record_bytes_(max_record_bytes) {}

  // HttpRequest::body_sink.
  Status Take(const internal::HttpResponse& head, std::string_view bytes) {
    if (!ndjson_) {
      std::string type = head.Header("content-type");
      for (auto& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      ndjson_ = type.starts_with("application/x-ndjson");
    }
    if (*ndjson_) {
      size_t start = 0;
      for (size_t end; (end = bytes.find('\n', start)) != std::string_view::npos; start = end + 1) {
        if (holding_) DOSSIER_RETURN_IF_ERROR(DeliverHeld());  // a line follows it
        const std::string_view piece = bytes.substr(start, end - start);
        DOSSIER_RETURN_IF_ERROR(Bound(piece.size()));
        held_.assign(partial_);
        held_.append(piece);
        partial_.clear();
        if (!held_.empty() && held_.back() == '\r') held_.pop_back();
        holding_ = !IsBlank(held_);
      }
      bytes.remove_prefix(start);
      if (bytes.empty()) return Status::Ok();
      if (holding_) DOSSIER_RETURN_IF_ERROR(DeliverHeld());
    }
    DOSSIER_RETURN_IF_ERROR(Bound(bytes.size()));
    partial_.append(bytes);
    return Status::Ok();
  }

  // The answer ended whole: the records not handed on yet.
  Status Finish() {
    if (holding_) DOSSIER_RETURN_IF_ERROR(DeliverHeld());
    while (!partial_.empty() && std::isspace(static_cast<unsigned char>(partial_.back())))
      partial_.pop_back();
    if (IsBlank(partial_)) return Status::Ok();
    return Deliver(partial_);
  }

  // The answer was cut short: what was received and not handed on (its last
  // line may be the server's problem).
  std::string Unsent() const { return (holding_ ? held_ + "\n" : std::string()) + partial_; }

  // What on_record returned when it stopped the call (OK otherwise).
  const Status& stopped() const { return stopped_; }

 private:
  static bool IsBlank(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); });
  }
  Status Bound(size_t more) const {
    if (partial_.size() + more <= max_record_bytes_) return Status::Ok();
    return ResourceExhausted("a record of the answer is larger than max_response_bytes",
                             "response-too-large");
  }
  Status DeliverHeld() {
    holding_ = false;
    return Deliver(held_);
  }
  Status Deliver(std::string_view record) {
    if (!on_record_) return Status::Ok();
    Status s = on_record_(record);
    if (!s.ok()) stopped_ = s;
    return s;
  }

  RecordFn on_record_;
  const uint64_t max_record_bytes_;
  std::optional<bool> ndjson_;  // known from the first bytes' head
  std::string partial_;         // bytes after the last line end (a single record: all of it)
  std::string held_;            // the last complete line, not handed on yet
  bool holding_ = false;
  Status stopped_;
};

}  // namespace

// ------------------------------------------------------------ regional views

ClientCore::Task<ClientCore::Done> ClientCore::Export(std::string tenant, std::string dossier,
                                                      uint64_t version, std::string format, fs::path path,
                                                      ProgressFn progress) {
  HttpRequest r;
  r.method = "GET";
  r.target = ObjectPath(tenant, ObjectKind::kDossier, dossier) + "/versions/" + std::to_string(version) +
             "/export?format=" + Enc(format);
  r.idempotent = true;
  r.response_file = path;
  r.progress = std::move(progress);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  (void)response;  // the body went to `path`
  co_return Done{};
}

ClientCore::Task<RawResponse> ClientCore::Import(std::string tenant, std::string format, fs::path path,
                                                 ProgressFn progress) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) co_return NotFound("cannot read " + path.string(), "io-error");
  HttpRequest r;
  r.method = "POST";
  r.target = TenantPath(tenant) + "/imports?format=" + Enc(format);
  r.content_type = MediaTypeForFile(path);
  r.body_file = path;
  r.idempotent = true;  // nothing is committed by an import
  // A many-record answer is streamed; when the input breaks after its first
  // chunk the server ends it with a problem line (docs/CONTRACT.md).
  r.keep_partial_body = true;
  r.progress = std::move(progress);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  if (!response.body_failure.ok()) co_return internal::CutShortStatus(response);
  co_return RawResponse{response.status, response.Header("content-type"), std::move(response.body)};
}

ClientCore::Task<ClientCore::Done> ClientCore::ImportRecords(std::string tenant, std::string format,
                                                             fs::path path, RecordFn on_record,
                                                             ProgressFn progress) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) co_return NotFound("cannot read " + path.string(), "io-error");
  // Lives in this frame, which outlives the request (awaited below).
  RecordSplitter splitter(std::move(on_record), options_.max_response_bytes);
  HttpRequest r;
  r.method = "POST";
  r.target = TenantPath(tenant) + "/imports?format=" + Enc(format);
  r.content_type = MediaTypeForFile(path);
  r.body_file = path;
  r.idempotent = true;  // nothing is committed; never resent once a 2xx header came (body_sink)
  r.body_sink = [&splitter](const HttpResponse& head, std::string_view bytes) {
    return splitter.Take(head, bytes);
  };
  r.progress = std::move(progress);
  CO_ASSIGN_OR_RETURN(auto response, co_await Call(std::move(r)));
  if (!splitter.stopped().ok()) co_return splitter.stopped();
  if (!response.body_failure.ok()) {
    // Cut short: the problem of the last line the server wrote (held back,
    // never handed on), else the transport's failure.
    response.body = splitter.Unsent();
    co_return internal::CutShortStatus(response);
  }
  if (Status s = splitter.Finish(); !s.ok()) co_return s;
  co_return Done{};
}

ClientCore::Task<json::object> ClientCore::Readiness(std::string tenant, std::string dossier,
                                                     uint64_t version, std::string agency,
                                                     std::string pathway) {
  std::string target = ObjectPath(tenant, ObjectKind::kDossier, dossier) + "/versions/" +
                       std::to_string(version) + "/readiness?agency=" + Enc(agency);
  if (!pathway.empty()) target += "&pathway=" + Enc(pathway);
  co_return co_await CallJson("GET", std::move(target), {}, true);
}

// --------------------------------------------------- submissions, decisions

ClientCore::Task<Submission> ClientCore::Submit(std::string tenant, NewSubmission submission) {
  co_return co_await SendAs<Submission>("POST", TenantPath(tenant) + "/submissions", ToJson(submission),
                                        false);
}

ClientCore::Task<std::vector<Submission>> ClientCore::Inbox(std::string tenant) {
  co_return co_await GetList<Submission>(TenantPath(tenant) + "/inbox", "submissions");
}

ClientCore::Task<Submission> ClientCore::GetSubmission(std::string tenant, std::string submission) {
  co_return co_await GetAs<Submission>(SubmissionPath(tenant, submission));
}

ClientCore::Task<std::vector<VersionInfo>> ClientCore::ListDecisions(std::string tenant,
                                                                     std::string submission) {
  co_return co_await GetList<VersionInfo>(SubmissionPath(tenant, submission) + "/decisions", "decisions");
}

ClientCore::Task<CommitResult> ClientCore::CommitDecision(std::string tenant, Decision decision,
                                                          SigningKey signer) {
  // The next version of the submission's decisions object.
  CO_ASSIGN_OR_RETURN(auto existing, co_await ListDecisions(tenant, decision.submission));
  trust::Statement statement;
  statement.tenant = tenant;
  statement.object = "submissions/" + decision.submission + "/decisions";
  statement.version = existing.size() + 1;
  statement.parent_digest = existing.empty() ? std::string() : existing.back().digest;
  statement.media_type = std::string(kDecisionJson);
  co_return co_await CommitStatement(std::move(statement),
                                     SubmissionPath(tenant, decision.submission) + "/decisions",
                                     json::serialize(ToJson(decision)), {}, std::move(signer));
}

// ------------------------------------------------------------------ reliance

ClientCore::Task<json::object> ClientCore::CreateRelianceAgreement(std::string tenant,
                                                                   NewRelianceAgreement agreement) {
  co_return co_await CallJson("POST", TenantPath(tenant) + "/reliance-agreements",
                              json::serialize(ToJson(agreement)), false);
}

ClientCore::Task<Peer> ClientCore::AddPeer(std::string tenant, NewPeer peer) {
  co_return co_await SendAs<Peer>("POST", TenantPath(tenant) + "/peers", ToJson(peer), false);
}

ClientCore::Task<Peer> ClientCore::GetPeer(std::string tenant, std::string peer_id) {
  co_return co_await GetAs<Peer>(TenantPath(tenant) + "/peers/" + Enc(peer_id));
}

ClientCore::Task<std::vector<Peer>> ClientCore::ListPeers(std::string tenant) {
  co_return co_await GetList<Peer>(TenantPath(tenant) + "/peers", "peers");
}

ClientCore::Task<std::vector<ForeignDecision>> ClientCore::Reliance(std::string tenant,
                                                                    std::string submission) {
  co_return co_await GetList<ForeignDecision>(SubmissionPath(tenant, submission) + "/reliance", "decisions");
}

}  // namespace dossier::client
