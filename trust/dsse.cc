#include "trust/dsse.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "trust/encoding.h"
#include "trust/json_forms.h"

namespace dossier::trust {
namespace {

Status BadEnvelope(std::string message, std::string field = {}) {
  return InvalidArgument(std::move(message), "bad-envelope", std::move(field));
}

}  // namespace

std::string Pae(std::string_view payload_type, std::string_view payload) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(payload.size());
  out += ' ';
  out += payload;
  return out;
}

StatusOr<DsseEnvelope> ParseEnvelope(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  if (ec) return BadEnvelope("envelope is not valid JSON: " + ec.message());
  return EnvelopeFromJson(v);
}

StatusOr<DsseEnvelope> EnvelopeFromJson(const boost::json::value& v) {
  const boost::json::object* obj = v.if_object();
  if (obj == nullptr) return BadEnvelope("envelope must be a JSON object");
  DsseEnvelope env;

  const boost::json::value* type = obj->if_contains("payloadType");
  if (type == nullptr || !type->is_string())
    return BadEnvelope("payloadType must be a string", "payloadType");
  env.payload_type = std::string(type->get_string());

  const boost::json::value* payload = obj->if_contains("payload");
  if (payload == nullptr || !payload->is_string()) return BadEnvelope("payload must be a string", "payload");
  StatusOr<std::string> body = Base64DecodeAnyAlphabet(std::string(payload->get_string()));
  if (!body.ok()) return BadEnvelope("payload is not base64", "payload");
  env.payload = std::move(body).value();

  const boost::json::value* sigs = obj->if_contains("signatures");
  if (sigs == nullptr || !sigs->is_array()) return BadEnvelope("signatures must be an array", "signatures");
  if (sigs->get_array().size() > kMaxEnvelopeSignatures) {
    return BadEnvelope("too many signatures (at most " + std::to_string(kMaxEnvelopeSignatures) + ")",
                       "signatures");
  }
  for (size_t i = 0; i < sigs->get_array().size(); ++i) {
    std::string at = "signatures[" + std::to_string(i) + "]";
    const boost::json::object* s = sigs->get_array()[i].if_object();
    if (s == nullptr) return BadEnvelope("signature must be an object", at);
    DsseSignature out;
    if (const boost::json::value* keyid = s->if_contains("keyid"); keyid != nullptr) {
      if (!keyid->is_string()) return BadEnvelope("keyid must be a string", at + ".keyid");
      out.keyid = std::string(keyid->get_string());
    }
    const boost::json::value* sig = s->if_contains("sig");
    if (sig == nullptr || !sig->is_string()) return BadEnvelope("sig must be a string", at + ".sig");
    StatusOr<std::string> raw = Base64DecodeAnyAlphabet(std::string(sig->get_string()));
    if (!raw.ok()) return BadEnvelope("sig is not base64", at + ".sig");
    out.sig = std::move(raw).value();
    env.signatures.push_back(std::move(out));
  }
  return env;
}

boost::json::object EnvelopeToJson(const DsseEnvelope& envelope) {
  // boost::json::object keeps insertion order, which fixes the member order.
  boost::json::object obj;
  obj["payloadType"] = envelope.payload_type;
  obj["payload"] = Base64Encode(envelope.payload);
  boost::json::array sigs;
  for (const DsseSignature& s : envelope.signatures) {
    boost::json::object o;
    o["keyid"] = s.keyid;
    o["sig"] = Base64Encode(s.sig);
    sigs.push_back(std::move(o));
  }
  obj["signatures"] = std::move(sigs);
  return obj;
}

std::string SerializeEnvelope(const DsseEnvelope& envelope) {
  return boost::json::serialize(EnvelopeToJson(envelope));
}

StatusOr<DsseEnvelope> SignEnvelope(std::string_view payload_type, std::string_view payload,
                                    const PrivateKey& key) {
  DOSSIER_ASSIGN_OR_RETURN(std::string sig, key.Sign(Pae(payload_type, payload)));
  DsseEnvelope env;
  env.payload_type = std::string(payload_type);
  env.payload = std::string(payload);
  env.signatures.push_back(DsseSignature{key.public_key().KeyId(), std::move(sig)});
  return env;
}

Status VerifyEnvelope(const DsseEnvelope& envelope, const PublicKey& key) {
  if (envelope.signatures.empty()) return InvalidArgument("envelope has no signatures", "no-signatures");
  std::string pae = Pae(envelope.payload_type, envelope.payload);
  for (const DsseSignature& s : envelope.signatures) {
    if (key.Verify(pae, s.sig).ok()) return Status::Ok();
  }
  return InvalidArgument("no envelope signature verifies with key " + key.KeyId(), "signature-invalid");
}

}  // namespace dossier::trust
