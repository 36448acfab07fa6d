#define BOOST_TEST_MODULE trust_encoding
#include "trust/encoding.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "trust/digest.h"

using namespace dossier::trust;

BOOST_AUTO_TEST_CASE(hex_round_trip_and_rejects) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string hex = HexEncode(all);
  BOOST_TEST(hex.size() == 512u);
  BOOST_TEST(hex.substr(0, 8) == "00010203");
  BOOST_TEST(hex.substr(504) == "fcfdfeff");
  BOOST_TEST(*HexDecode(hex) == all);
  BOOST_TEST(*HexDecode("ABcd") == std::string("\xab\xcd"));
  BOOST_TEST(HexDecode("").ok());
  for (const char* bad : {"a", "abc", "zz", "0g", " 00", "00 "}) {
    BOOST_TEST(HexDecode(bad).status().reason() == "bad-hex", bad);
  }
}

BOOST_AUTO_TEST_CASE(base64_rfc4648_vectors) {
  // RFC 4648 §10.
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, b64] : vectors) {
    BOOST_TEST(Base64Encode(plain) == b64);
    BOOST_TEST(*Base64Decode(b64) == plain);
    std::string url = b64;
    while (!url.empty() && url.back() == '=') url.pop_back();
    BOOST_TEST(Base64UrlEncode(plain) == url);
    BOOST_TEST(*Base64UrlDecode(url) == plain);
    BOOST_TEST(*Base64UrlDecode(b64) == plain);  // padded url form accepted
  }
  std::string tricky("\xfb\xff\xbf", 3);
  BOOST_TEST(Base64Encode(tricky) == "+/+/");
  BOOST_TEST(Base64UrlEncode(tricky) == "-_-_");
  BOOST_TEST(*Base64DecodeAnyAlphabet("-_-_") == tricky);
  BOOST_TEST(*Base64DecodeAnyAlphabet("+/+/") == tricky);
}

BOOST_AUTO_TEST_CASE(base64_strict_rejects) {
  for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm9v=", "Zh==", "Zm9=", "-_-_",
                          "Zm 9v", "====", "Z"}) {
    BOOST_TEST(Base64Decode(bad).status().reason() == "bad-base64", bad);
  }
  for (const char* bad : {"+/+/", "Zh", "Z", "Zg=", "Zm9=", "Zm9v="}) {
    BOOST_TEST(Base64UrlDecode(bad).status().reason() == "bad-base64", bad);
  }
}

BOOST_AUTO_TEST_CASE(sha256_nist_vectors) {
  BOOST_TEST(HexEncode(Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(HexEncode(Sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(HexEncode(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256Hasher h;
  h.Update("a");
  h.Update("");
  h.Update("bc");
  BOOST_TEST(h.Finish() == Sha256("abc"));
  h.Update("abc");  // reusable after Finish
  BOOST_TEST(h.Finish() == Sha256("abc"));
  Sha256Hasher moved = std::move(h);
  BOOST_TEST(moved.Finish() == Sha256(""));
}

BOOST_AUTO_TEST_CASE(sha256_file_streams) {
  auto path = std::filesystem::temp_directory_path() / ("trust_sha_" + std::to_string(::getpid()));
  std::string data;
  for (int i = 0; i < 200000; ++i) data.push_back(static_cast<char>(i * 7));
  {
    std::ofstream out(path, std::ios::binary);
    out << data;
  }
  BOOST_TEST(*Sha256File(path) == Sha256(data));
  std::filesystem::remove(path);
  BOOST_TEST(Sha256File(path).status().reason() == "io-error");
}

BOOST_AUTO_TEST_CASE(digest_refs) {
  std::string raw = Sha256("abc");
  std::string ref = DigestRef(raw);
  BOOST_TEST(ref == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(*ParseDigestRef(ref) == raw);
  BOOST_TEST(IsDigestRef(ref));
  std::string upper = ref;
  upper[10] = 'A';
  for (const std::string& bad :
       {upper, ref.substr(1), ref + "0", ref.substr(0, ref.size() - 1),
        std::string("SHA256:") + ref.substr(7), std::string("sha512:") + ref.substr(7),
        std::string("sha256:") + std::string(64, 'g'), std::string()}) {
    BOOST_TEST(ParseDigestRef(bad).status().reason() == "bad-digest", bad);
    BOOST_TEST(!IsDigestRef(bad));
  }
}
