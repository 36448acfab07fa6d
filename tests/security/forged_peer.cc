#include "tests/security/forged_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "trust/checkpoint.h"
#include "trust/digest.h"
#include "trust/dsse.h"
#include "trust/encoding.h"
#include "trust/log_leaf.h"
#include "trust/json_forms.h"

namespace dossier::testing::security {
namespace json = boost::json;

namespace {

json::array Base64Hashes(const std::vector<std::string>& hashes) {
  json::array a;
  for (const auto& h : hashes) a.emplace_back(trust::Base64Encode(h));
  return a;
}

std::string LeafData(const trust::LogLeaf& leaf) { return trust::Base64Encode(trust::EncodeLogLeaf(leaf)); }

}  // namespace

ForgedLog::ForgedLog(std::string origin)
    : origin_(std::move(origin)),
      log_key_(trust::PrivateKey::Generate(trust::KeyAlgorithm::kEd25519).value()) {}

uint64_t ForgedLog::AddKeyLeaf(std::string_view kind, const std::string& tenant, const trust::PublicKey& key,
                               int64_t at_ms) {
  trust::LogLeaf leaf;
  leaf.kind = std::string(kind);
  leaf.tenant = tenant;
  leaf.object = "keys/" + key.KeyId();
  leaf.envelope_digest = trust::KeyLeafDigest(key);
  leaf.timestamp_ms = at_ms;
  leaves_.push_back(leaf);
  return tree_.Append(trust::LogLeafHash(leaf));
}

void ForgedLog::AddDecision(const std::string& tenant, const std::string& submission,
                            const trust::PrivateKey& signer, int64_t at_ms, uint64_t key_index,
                            std::optional<uint64_t> revocation_index, std::string_view payload_type) {
  const std::string content = R"({"submission":")" + submission + R"(","outcome":"CLEARED"})";
  trust::Statement st;
  st.tenant = tenant;
  st.object = "submissions/" + submission + "/decisions";
  st.version = 1;
  st.content_digest = trust::DigestRef(trust::Sha256(content));
  st.media_type = "application/vnd.dossier.decision.v1+json";
  Decision d;
  d.bundle.envelope = trust::SignEnvelope(payload_type, trust::SerializeStatement(st), signer).value();
  d.bundle.content_digest = st.content_digest;
  d.bundle.media_type = st.media_type;
  d.bundle.signer_public_key_pem = signer.public_key().Pem();
  d.bundle.leaf = {"version",
                   st.tenant,
                   st.object,
                   st.version,
                   st.content_digest,
                   trust::DigestRef(trust::Sha256(trust::SerializeEnvelope(d.bundle.envelope))),
                   at_ms};
  d.bundle.log_index = tree_.Append(trust::LogLeafHash(d.bundle.leaf));
  leaves_.push_back(d.bundle.leaf);
  d.key_index = key_index;
  d.revocation_index = revocation_index;
  decisions_.push_back(std::move(d));
}

std::vector<trust::Bundle> ForgedLog::Bundles() const {
  const uint64_t size = tree_.size();
  trust::Checkpoint checkpoint{origin_, size, tree_.Root(), {}};
  const std::string note = trust::SignNote(trust::CheckpointBody(checkpoint), origin_, log_key_).value();
  std::vector<trust::Bundle> out;
  for (const Decision& d : decisions_) {
    trust::Bundle b = d.bundle;
    b.signer_key_leaf = leaves_.at(d.key_index);
    b.signer_key_log_index = d.key_index;
    b.signer_key_inclusion_proof = trust::InclusionProof(tree_, d.key_index, size).value();
    if (d.revocation_index) {
      b.signer_key_revocation =
          trust::KeyRevocationEvidence{leaves_.at(*d.revocation_index), *d.revocation_index,
                                       trust::InclusionProof(tree_, *d.revocation_index, size).value()};
    }
    b.inclusion_proof = trust::InclusionProof(tree_, b.log_index, size).value();
    b.checkpoint_note = note;
    out.push_back(std::move(b));
  }
  return out;
}

std::string ForgedLog::FeedPage() const {
  json::array entries;
  uint64_t seq = 0;
  std::string note;
  for (const trust::Bundle& b : Bundles()) {
    note = b.checkpoint_note;
    json::object signer{{"keyId", trust::PublicKey::FromPem(b.signer_public_key_pem)->KeyId()},
                        {"publicKeyPem", b.signer_public_key_pem},
                        {"logIndex", b.signer_key_log_index},
                        {"leafData", LeafData(b.signer_key_leaf)},
                        {"inclusionProof", Base64Hashes(b.signer_key_inclusion_proof)}};
    if (b.signer_key_revocation) {
      signer["revocation"] =
          json::object{{"logIndex", b.signer_key_revocation->log_index},
                       {"leafData", LeafData(b.signer_key_revocation->leaf)},
                       {"inclusionProof", Base64Hashes(b.signer_key_revocation->inclusion_proof)}};
    }
    entries.push_back(json::object{{"seq", ++seq},
                                   {"object", b.leaf.object},
                                   {"version", b.leaf.version},
                                   {"contentDigest", b.content_digest},
                                   {"mediaType", b.media_type},
                                   {"logIndex", b.log_index},
                                   {"leafData", LeafData(b.leaf)},
                                   {"envelope", trust::EnvelopeToJson(b.envelope)},
                                   {"inclusionProof", Base64Hashes(b.inclusion_proof)},
                                   {"signer", std::move(signer)},
                                   {"outcome", "CLEARED"},
                                   {"number", "K26" + std::to_string(seq)},
                                   {"date", "2026-11-29"}});
  }
  return json::serialize(json::object{{"entries", std::move(entries)},
                                      {"checkpoint", note},
                                      {"treeSize", tree_.size()},
                                      {"nextSince", seq},
                                      {"more", false}});
}

ForgedPeerServer::ForgedPeerServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

ForgedPeerServer::~ForgedPeerServer() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void ForgedPeerServer::SetFeed(const std::string& tenant, std::string page_json) {
  std::lock_guard lock(mu_);
  pages_[tenant] = std::move(page_json);
}

void ForgedPeerServer::SetRedirect(const std::string& tenant, std::string location) {
  std::lock_guard lock(mu_);
  redirects_[tenant] = std::move(location);
}

int ForgedPeerServer::FeedRequests(const std::string& tenant) {
  std::lock_guard lock(mu_);
  auto it = feed_requests_.find(tenant);
  return it == feed_requests_.end() ? 0 : it->second;
}

void ForgedPeerServer::Serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;  // wakes every 100 ms to notice stopping_
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
      pollfd c{fd, POLLIN, 0};
      if (::poll(&c, 1, 2000) <= 0) break;
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      head.append(buf, static_cast<size_t>(n));
    }
    const std::string response = Answer(head);
    if (const int hold = hold_ms_.load(); hold > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(hold));
      pollfd waiting{listen_fd_, POLLIN, 0};
      if (::poll(&waiting, 1, 0) > 0) ++overlaps_;
    }
    for (size_t sent = 0; sent < response.size();) {
      const ssize_t n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    ::close(fd);
  }
}

std::string ForgedPeerServer::Answer(const std::string& request_head) {
  // "GET /v1/tenants/<t>/feed?since=0&limit=500 HTTP/1.1"
  const std::string prefix = "GET /v1/tenants/";
  std::string status = "404 Not Found", body = R"({"code":"not-found"})";
  if (request_head.rfind(prefix, 0) == 0) {
    const size_t tenant_end = request_head.find('/', prefix.size());
    const std::string tenant = request_head.substr(prefix.size(), tenant_end - prefix.size());
    const bool is_feed =
        tenant_end != std::string::npos && request_head.compare(tenant_end, 6, "/feed?") == 0;
    std::lock_guard lock(mu_);
    if (auto to = redirects_.find(tenant); is_feed && to != redirects_.end()) {
      ++feed_requests_[tenant];
      return "HTTP/1.1 302 Found\r\nLocation: " + to->second +
             "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }
    if (auto page = pages_.find(tenant); is_feed && page != pages_.end()) {
      ++feed_requests_[tenant];
      status = "200 OK";
      body = page->second;
    }
  }
  return "HTTP/1.1 " + status +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace dossier::testing::security
