#define BOOST_TEST_MODULE trust_dsse
#include "trust/dsse.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "trust/digest.h"
#include "trust/encoding.h"
#include "trust/statement.h"
#include "trust/json_forms.h"

using namespace dossier::trust;

BOOST_AUTO_TEST_CASE(pae_matches_spec_example) {
  // DSSE protocol.md.
  BOOST_TEST(Pae("http://example.com/HelloWorld", "hello world") ==
             "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  BOOST_TEST(Pae("", "") == "DSSEv1 0  0 ");
}

BOOST_AUTO_TEST_CASE(sign_verify_and_tamper_every_field) {
  for (KeyAlgorithm alg : {KeyAlgorithm::kEd25519, KeyAlgorithm::kEcdsaP256}) {
    auto key = PrivateKey::Generate(alg);
    auto other = PrivateKey::Generate(alg);
    BOOST_REQUIRE(key.ok());
    auto env = SignEnvelope("application/x-test", "payload bytes", *key);
    BOOST_REQUIRE(env.ok());
    BOOST_TEST(env->signatures.size() == 1u);
    BOOST_TEST(env->signatures[0].keyid == key->public_key().KeyId());
    BOOST_TEST(VerifyEnvelope(*env, key->public_key()).ok());
    BOOST_TEST(VerifyEnvelope(*env, other->public_key()).reason() == "signature-invalid");

    DsseEnvelope t = *env;
    t.payload_type = "application/x-tesT";
    BOOST_TEST(VerifyEnvelope(t, key->public_key()).reason() == "signature-invalid");
    t = *env;
    t.payload += " ";
    BOOST_TEST(VerifyEnvelope(t, key->public_key()).reason() == "signature-invalid");
    t = *env;
    t.signatures[0].sig[3] ^= 0x10;
    BOOST_TEST(VerifyEnvelope(t, key->public_key()).reason() == "signature-invalid");
    t = *env;
    t.signatures[0].keyid = "whatever";  // keyid is only a hint
    BOOST_TEST(VerifyEnvelope(t, key->public_key()).ok());
    t = *env;
    t.signatures.clear();
    BOOST_TEST(VerifyEnvelope(t, key->public_key()).reason() == "no-signatures");
    // Any verifying signature suffices.
    t = *env;
    t.signatures.insert(t.signatures.begin(), DsseSignature{"x", std::string(64, 'a')});
    BOOST_TEST(VerifyEnvelope(t, key->public_key()).ok());
  }
}

BOOST_AUTO_TEST_CASE(json_round_trip_is_deterministic) {
  auto key = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  auto env = SignEnvelope("t", std::string("\x00\xff payload", 10), *key);
  BOOST_REQUIRE(env.ok());
  std::string json = SerializeEnvelope(*env);
  BOOST_TEST(json.rfind("{\"payloadType\":\"t\",\"payload\":\"" + Base64Encode(env->payload) +
                            "\",\"signatures\":[{\"keyid\":\"" + key->public_key().KeyId() + "\",\"sig\":\"",
                        0) == 0u);
  auto parsed = ParseEnvelope(json);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->payload == env->payload);
  BOOST_TEST(SerializeEnvelope(*parsed) == json);
  BOOST_TEST(VerifyEnvelope(*parsed, key->public_key()).ok());
  BOOST_TEST(EnvelopeFromJson(boost::json::value(EnvelopeToJson(*env))).ok());

  // Other tools: URL-safe base64, no keyid, whitespace, unknown members.
  std::string other = "{ \"signatures\": [ {\"sig\": \"" + Base64UrlEncode(env->signatures[0].sig) +
                      "\", \"ext\": 1} ], \"payload\": \"" + Base64UrlEncode(env->payload) +
                      "\", \"payloadType\": \"t\", \"x\": null }";
  auto parsed_other = ParseEnvelope(other);
  BOOST_REQUIRE(parsed_other.ok());
  BOOST_TEST(parsed_other->signatures[0].keyid.empty());
  BOOST_TEST(VerifyEnvelope(*parsed_other, key->public_key()).ok());
}

BOOST_AUTO_TEST_CASE(parse_rejects_with_field_paths) {
  const std::pair<const char*, const char*> cases[] = {
      {"not json", ""},
      {"[]", ""},
      {R"({"payload":"AA==","signatures":[]})", "payloadType"},
      {R"({"payloadType":1,"payload":"AA==","signatures":[]})", "payloadType"},
      {R"({"payloadType":"t","signatures":[]})", "payload"},
      {R"({"payloadType":"t","payload":"A","signatures":[]})", "payload"},
      {R"({"payloadType":"t","payload":"AA=="})", "signatures"},
      {R"({"payloadType":"t","payload":"AA==","signatures":{}})", "signatures"},
      {R"({"payloadType":"t","payload":"AA==","signatures":[1]})", "signatures[0]"},
      {R"({"payloadType":"t","payload":"AA==","signatures":[{"sig":"AA=="},{"keyid":"k"}]})",
       "signatures[1].sig"},
      {R"({"payloadType":"t","payload":"AA==","signatures":[{"sig":"A@=="}]})", "signatures[0].sig"},
      {R"({"payloadType":"t","payload":"AA==","signatures":[{"sig":"AA==","keyid":5}]})",
       "signatures[0].keyid"},
  };
  for (const auto& [json, field] : cases) {
    auto r = ParseEnvelope(json);
    BOOST_TEST(r.status().reason() == "bad-envelope", json);
    BOOST_TEST(r.status().field() == field, json);
  }
  std::string many = R"({"payloadType":"t","payload":"","signatures":[)";
  for (size_t i = 0; i <= kMaxEnvelopeSignatures; ++i) many += std::string(i ? "," : "") + R"({"sig":""})";
  many += "]}";
  BOOST_TEST(ParseEnvelope(many).status().field() == "signatures");
}

namespace {

Statement SampleStatement() {
  Statement s;
  s.tenant = "acme";
  s.object = "dossiers/pump-x";
  s.version = 2;
  s.parent_digest = DigestRef(Sha256("v1"));
  s.content_digest = DigestRef(Sha256("v2"));
  s.media_type = "application/vnd.dossier.v1+json";
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(statement_round_trip) {
  Statement s = SampleStatement();
  std::string json = SerializeStatement(s);
  BOOST_TEST(json == "{\"tenant\":\"acme\",\"object\":\"dossiers/pump-x\",\"version\":2,\"parentDigest\":\"" +
                         s.parent_digest + "\",\"contentDigest\":\"" + s.content_digest +
                         "\",\"mediaType\":\"application/vnd.dossier.v1+json\"}");
  auto parsed = ParseStatement(json);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST((*parsed == s));
  s.parent_digest.clear();
  s.version = 1;
  BOOST_TEST((*ParseStatement(SerializeStatement(s)) == s));
  s.version = UINT64_MAX;
  BOOST_TEST(ParseStatement(SerializeStatement(s))->version == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(statement_is_strict) {
  auto with = [](const char* key, boost::json::value v) {
    boost::json::object o = boost::json::parse(SerializeStatement(SampleStatement())).as_object();
    if (v.is_null()) {
      o.erase(key);
    } else {
      o[key] = v;
    }
    return boost::json::serialize(o);
  };
  const std::pair<std::string, const char*> cases[] = {
      {with("tenant", nullptr), "tenant"},
      {with("tenant", ""), "tenant"},
      {with("tenant", 3), "tenant"},
      {with("object", nullptr), "object"},
      {with("version", nullptr), "version"},
      {with("version", 0), "version"},
      {with("version", -1), "version"},
      {with("version", 1.5), "version"},
      {with("version", 2.0), "version"},
      {with("version", "2"), "version"},
      {with("parentDigest", nullptr), "parentDigest"},
      {with("parentDigest", "sha256:abc"), "parentDigest"},
      {with("contentDigest", ""), "contentDigest"},
      {with("contentDigest", boost::json::string("sha256:" + std::string(64, 'A'))), "contentDigest"},
      {with("mediaType", ""), "mediaType"},
      {with("extra", true), "extra"},
      {"[1]", ""},
      {"{", ""},
  };
  for (const auto& [json, field] : cases) {
    auto r = ParseStatement(json);
    BOOST_TEST(r.status().reason() == "bad-statement", json);
    BOOST_TEST(r.status().field() == field, json);
  }
  // Duplicate members are ambiguous between parsers: rejected.
  std::string json = SerializeStatement(SampleStatement());
  json.insert(1, "\"tenant\":\"evil\",");
  BOOST_TEST(ParseStatement(json).status().reason() == "bad-statement");
  BOOST_TEST(ParseStatement(json).status().message().find("tenant") != std::string::npos);
}
