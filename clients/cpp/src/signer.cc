// The SDK's signers: in memory, encrypted PEM, PKCS#11 (see signer.h).
//
// PKCS#11 is spoken directly (the module dlopen()ed, its C_ functions called
// through the function list) rather than through an OpenSSL engine or
// provider: engines are deprecated in OpenSSL 3, the pkcs11 provider is not
// in Debian 12, and the direct route needs only the standard header, so the
// key's class, type, curve and mechanism are checked here, in one file.
#include "dossier/client/signer.h"

#include <dlfcn.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <p11-kit/pkcs11.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

#include "common/hex.h"
#include "trust/digest.h"

namespace dossier::client {

std::string Signer::key_id() const { return public_key().KeyId(); }

void Signer::SignAsync(std::string message, SignDone done) const { done(Sign(message)); }

namespace {

// Overwrites a secret before its memory is released.
void Wipe(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

class InMemorySigner final : public Signer {
 public:
  explicit InMemorySigner(trust::PrivateKey key) : key_(std::move(key)) {}
  trust::KeyAlgorithm algorithm() const override { return key_.algorithm(); }
  trust::PublicKey public_key() const override { return key_.public_key(); }
  StatusOr<std::string> Sign(std::string_view message) const override { return key_.Sign(message); }

 private:
  trust::PrivateKey key_;
};

}  // namespace

SigningKey::SigningKey(const trust::PrivateKey& key) : signer_(MakeInMemorySigner(key)) {}
SigningKey::SigningKey(std::shared_ptr<const Signer> signer) : signer_(std::move(signer)) {}

std::shared_ptr<const Signer> MakeInMemorySigner(trust::PrivateKey key) {
  return std::make_shared<InMemorySigner>(std::move(key));
}

// ------------------------------------------------------------ encrypted PEM

namespace {

struct PassphraseContext {
  const std::string* passphrase;
};

// OpenSSL's pem_password_cb: copies the passphrase already obtained.
int CopyPassphrase(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* context = static_cast<PassphraseContext*>(user);
  const std::string& passphrase = *context->passphrase;
  if (passphrase.size() > static_cast<size_t>(size)) return -1;
  std::memcpy(buffer, passphrase.data(), passphrase.size());
  return static_cast<int>(passphrase.size());
}

}  // namespace

StatusOr<std::shared_ptr<const Signer>> LoadEncryptedPemSigner(const std::filesystem::path& path,
                                                               const SecretFn& passphrase_fn) {
  std::string pem;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status(StatusCode::kNotFound, "cannot read " + path.string(), "io-error");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    pem = buffer.str();
  }
  // Only the encrypted form: a plain key file is a choice the caller makes
  // explicitly with trust::PrivateKey::FromPem, not something this silently accepts.
  if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") == std::string::npos) {
    Wipe(pem);
    return InvalidArgument(path.string() + " is not an encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY)",
                           "key-not-encrypted");
  }
  if (!passphrase_fn) {
    Wipe(pem);
    return InvalidArgument("no passphrase callback was given", "bad-passphrase");
  }
  StatusOr<std::string> passphrase = passphrase_fn();
  if (!passphrase.ok()) {
    Wipe(pem);
    return passphrase.status();
  }
  PassphraseContext context{&*passphrase};
  BIO* in = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = in ? PEM_read_bio_PrivateKey(in, nullptr, &CopyPassphrase, &context) : nullptr;
  BIO_free(in);
  Wipe(pem);
  Wipe(*passphrase);
  ERR_clear_error();
  if (pkey == nullptr) {
    return InvalidArgument("cannot decrypt " + path.string() + ": wrong passphrase or corrupt file",
                           "bad-passphrase");
  }
  // Hand the key to trust::PrivateKey (which owns the algorithm checks) as an
  // unencrypted PKCS#8 PEM in memory, wiped right after.
  BIO* out = BIO_new(BIO_s_secmem());
  if (out == nullptr) out = BIO_new(BIO_s_mem());
  std::string plain;
  if (out != nullptr &&
      PEM_write_bio_PKCS8PrivateKey(out, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1) {
    char* data = nullptr;
    long n = BIO_get_mem_data(out, &data);
    if (n > 0) plain.assign(data, static_cast<size_t>(n));
  }
  BIO_free(out);  // secure-memory BIOs clear their buffer on free
  EVP_PKEY_free(pkey);
  ERR_clear_error();
  auto key = trust::PrivateKey::FromPem(plain);
  Wipe(plain);
  if (!key.ok()) return key.status();
  return MakeInMemorySigner(std::move(*key));
}

// ------------------------------------------------------------------ PKCS#11

namespace {

std::string RvName(CK_RV rv) {
  switch (rv) {
    case CKR_OK:
      return "CKR_OK";
    case CKR_ARGUMENTS_BAD:
      return "CKR_ARGUMENTS_BAD";
    case CKR_DEVICE_ERROR:
      return "CKR_DEVICE_ERROR";
    case CKR_FUNCTION_FAILED:
      return "CKR_FUNCTION_FAILED";
    case CKR_GENERAL_ERROR:
      return "CKR_GENERAL_ERROR";
    case CKR_KEY_HANDLE_INVALID:
      return "CKR_KEY_HANDLE_INVALID";
    case CKR_KEY_TYPE_INCONSISTENT:
      return "CKR_KEY_TYPE_INCONSISTENT";
    case CKR_MECHANISM_INVALID:
      return "CKR_MECHANISM_INVALID";
    case CKR_PIN_INCORRECT:
      return "CKR_PIN_INCORRECT";
    case CKR_PIN_LOCKED:
      return "CKR_PIN_LOCKED";
    case CKR_SESSION_HANDLE_INVALID:
      return "CKR_SESSION_HANDLE_INVALID";
    case CKR_TOKEN_NOT_PRESENT:
      return "CKR_TOKEN_NOT_PRESENT";
    case CKR_USER_NOT_LOGGED_IN:
      return "CKR_USER_NOT_LOGGED_IN";
    case CKR_CRYPTOKI_NOT_INITIALIZED:
      return "CKR_CRYPTOKI_NOT_INITIALIZED";
    default: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "CKR 0x%lx", static_cast<unsigned long>(rv));
      return buffer;
    }
  }
}

Status Pkcs11Error(const std::string& what, CK_RV rv, std::string reason = "pkcs11-error") {
  return Status(StatusCode::kUnavailable, what + " failed: " + RvName(rv), std::move(reason));
}

class Pkcs11ModuleImpl final : public Pkcs11Module {
 public:
  Pkcs11ModuleImpl(void* handle, CK_FUNCTION_LIST_PTR functions, bool finalize)
      : handle_(handle), functions_(functions), finalize_(finalize) {}
  ~Pkcs11ModuleImpl() override {
    if (finalize_) functions_->C_Finalize(nullptr);
    dlclose(handle_);
  }
  CK_FUNCTION_LIST_PTR f() const { return functions_; }

 private:
  void* handle_;
  CK_FUNCTION_LIST_PTR functions_;
  bool finalize_;
};

// The DER encodings this signer recognises in CKA_EC_PARAMS.
constexpr unsigned char kP256Oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
constexpr unsigned char kEd25519Oid[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
// SoftHSM2 and OpenSC also accept the curve named as a PrintableString.
constexpr char kEd25519Name[] =
    "\x13\x0c"
    "edwards25519";
// SubjectPublicKeyInfo prefixes: P-256 with an uncompressed point, Ed25519.
constexpr unsigned char kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};

std::string_view AsView(const unsigned char* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }

// CKA_EC_POINT is a DER OCTET STRING holding the point (PKCS#11 3.0 §2.3.3);
// some tokens give the bare point. Accept both.
std::string UnwrapEcPoint(const std::string& value, size_t expected) {
  if (value.size() == expected) return value;
  if (value.size() == expected + 2 && static_cast<unsigned char>(value[0]) == 0x04 &&
      static_cast<unsigned char>(value[1]) == expected) {
    return value.substr(2);
  }
  return {};
}

// ECDSA answers r||s (PKCS#11 §2.3.1); the SDK's signatures are DER like trust::PrivateKey's.
StatusOr<std::string> RawEcdsaToDer(const std::string& raw) {
  if (raw.size() != 64) return Internal("the token's ECDSA signature is not 64 bytes", "sign-failed");
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    ECDSA_SIG_free(sig);
    BN_free(r);
    BN_free(s);
    return Internal("cannot encode the ECDSA signature", "sign-failed");
  }
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (n <= 0) return Internal("cannot encode the ECDSA signature", "sign-failed");
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

class Pkcs11Signer final : public Signer {
 public:
  Pkcs11Signer(std::shared_ptr<Pkcs11Module> module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key,
               trust::PublicKey public_key)
      : module_(std::move(module)), session_(session), key_(key), public_key_(std::move(public_key)) {}
  ~Pkcs11Signer() override { f()->C_CloseSession(session_); }

  trust::KeyAlgorithm algorithm() const override { return public_key_.algorithm(); }
  trust::PublicKey public_key() const override { return public_key_; }

  StatusOr<std::string> Sign(std::string_view message) const override {
    const bool ecdsa = algorithm() == trust::KeyAlgorithm::kEcdsaP256;
    // CKM_ECDSA signs a hash given to it; CKM_EDDSA signs the whole message.
    std::string input = ecdsa ? trust::Sha256(message) : std::string(message);
    CK_MECHANISM mechanism{ecdsa ? CKM_ECDSA : CKM_EDDSA, nullptr, 0};
    // Both answers are 64 bytes: r||s of P-256, or R||S of Ed25519.
    std::string signature(64, '\0');
    CK_ULONG length = signature.size();
    {
      // One operation at a time on a session (PKCS#11 §5.2).
      std::lock_guard<std::mutex> lock(mutex_);
      CK_RV rv = f()->C_SignInit(session_, &mechanism, key_);
      if (rv != CKR_OK) return Pkcs11Error("C_SignInit", rv);
      rv = f()->C_Sign(session_, reinterpret_cast<CK_BYTE_PTR>(input.data()), input.size(),
                       reinterpret_cast<CK_BYTE_PTR>(signature.data()), &length);
      if (rv != CKR_OK) return Pkcs11Error("C_Sign", rv);
    }
    signature.resize(length);
    if (ecdsa) return RawEcdsaToDer(signature);
    return signature;
  }

 private:
  CK_FUNCTION_LIST_PTR f() const { return static_cast<Pkcs11ModuleImpl&>(*module_).f(); }
  std::shared_ptr<Pkcs11Module> module_;
  CK_SESSION_HANDLE session_;
  CK_OBJECT_HANDLE key_;
  trust::PublicKey public_key_;
  mutable std::mutex mutex_;
};

// Every object of `object_class` matching the label and/or id.
StatusOr<std::vector<CK_OBJECT_HANDLE>> FindObjects(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE session,
                                                    CK_OBJECT_CLASS object_class, const std::string& label,
                                                    const std::string& id) {
  std::vector<CK_ATTRIBUTE> query;
  query.push_back({CKA_CLASS, &object_class, sizeof object_class});
  if (!label.empty()) query.push_back({CKA_LABEL, const_cast<char*>(label.data()), label.size()});
  if (!id.empty()) query.push_back({CKA_ID, const_cast<char*>(id.data()), id.size()});
  CK_RV rv = f->C_FindObjectsInit(session, query.data(), query.size());
  if (rv != CKR_OK) return Pkcs11Error("C_FindObjectsInit", rv);
  std::vector<CK_OBJECT_HANDLE> found;
  CK_OBJECT_HANDLE batch[8];
  CK_ULONG n = 0;
  while ((rv = f->C_FindObjects(session, batch, 8, &n)) == CKR_OK && n > 0)
    found.insert(found.end(), batch, batch + n);
  f->C_FindObjectsFinal(session);
  if (rv != CKR_OK) return Pkcs11Error("C_FindObjects", rv);
  return found;
}

StatusOr<std::string> Attribute(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object,
                                CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a{type, nullptr, 0};
  CK_RV rv = f->C_GetAttributeValue(session, object, &a, 1);
  if (rv != CKR_OK) return Pkcs11Error("C_GetAttributeValue", rv);
  std::string value(a.ulValueLen, '\0');
  a.pValue = value.data();
  rv = f->C_GetAttributeValue(session, object, &a, 1);
  if (rv != CKR_OK) return Pkcs11Error("C_GetAttributeValue", rv);
  value.resize(a.ulValueLen);
  return value;
}

// The public key from the public key object's CKA_KEY_TYPE, CKA_EC_PARAMS, CKA_EC_POINT.
StatusOr<trust::PublicKey> PublicKeyOf(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE session,
                                       CK_OBJECT_HANDLE object) {
  DOSSIER_ASSIGN_OR_RETURN(std::string type_bytes, Attribute(f, session, object, CKA_KEY_TYPE));
  CK_KEY_TYPE type = 0;
  if (type_bytes.size() != sizeof type) return InvalidArgument("unreadable CKA_KEY_TYPE", "unsupported-key");
  std::memcpy(&type, type_bytes.data(), sizeof type);
  DOSSIER_ASSIGN_OR_RETURN(std::string params, Attribute(f, session, object, CKA_EC_PARAMS));
  DOSSIER_ASSIGN_OR_RETURN(std::string point, Attribute(f, session, object, CKA_EC_POINT));
  if (type == CKK_EC && params == AsView(kP256Oid, sizeof kP256Oid)) {
    std::string xy = UnwrapEcPoint(point, 65);
    if (xy.empty() || xy[0] != 0x04)
      return InvalidArgument("unreadable P-256 CKA_EC_POINT", "unsupported-key");
    return trust::PublicKey::FromSpkiDer(std::string(AsView(kP256SpkiPrefix, sizeof kP256SpkiPrefix)) + xy);
  }
  if (type == CKK_EC_EDWARDS &&
      (params == AsView(kEd25519Oid, sizeof kEd25519Oid) || params == std::string_view(kEd25519Name, 14))) {
    std::string raw = UnwrapEcPoint(point, 32);
    if (raw.empty()) return InvalidArgument("unreadable Ed25519 CKA_EC_POINT", "unsupported-key");
    return trust::PublicKey::FromRawEd25519(raw);
  }
  return InvalidArgument("the token's key is neither Ed25519 nor ECDSA P-256", "unsupported-key");
}

std::string TrimPadded(const unsigned char* text, size_t n) {
  std::string s(reinterpret_cast<const char*>(text), n);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

}  // namespace

StatusOr<std::shared_ptr<Pkcs11Module>> Pkcs11Module::Load(const std::filesystem::path& path) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    return Status(StatusCode::kNotFound,
                  "cannot load PKCS#11 module " + path.string() + ": " + (error ? error : ""),
                  "pkcs11-load-failed");
  }
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle, "C_GetFunctionList"));
  CK_FUNCTION_LIST_PTR functions = nullptr;
  if (get_list == nullptr || get_list(&functions) != CKR_OK || functions == nullptr) {
    dlclose(handle);
    return Status(StatusCode::kNotFound, path.string() + " is not a PKCS#11 module (no C_GetFunctionList)",
                  "pkcs11-load-failed");
  }
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  const CK_RV rv = functions->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    dlclose(handle);
    return Pkcs11Error("C_Initialize of " + path.string(), rv);
  }
  // Someone else in this process initialised it: theirs to finalise.
  return std::shared_ptr<Pkcs11Module>(std::make_shared<Pkcs11ModuleImpl>(handle, functions, rv == CKR_OK));
}

StatusOr<std::shared_ptr<const Signer>> OpenPkcs11Signer(std::shared_ptr<Pkcs11Module> module,
                                                         const Pkcs11KeySpec& spec) {
  if (module == nullptr) return InvalidArgument("no PKCS#11 module", "pkcs11-load-failed");
  if (spec.key_label.empty() && spec.key_id_hex.empty()) {
    return InvalidArgument("name the key by label or id", "pkcs11-key-not-found");
  }
  std::string key_id;
  if (!spec.key_id_hex.empty()) {
    auto decoded = HexDecode(spec.key_id_hex, "key_id_hex");
    if (!decoded.ok()) return InvalidArgument("key_id_hex is not hex", "pkcs11-key-not-found");
    key_id = std::move(*decoded);
  }
  CK_FUNCTION_LIST_PTR f = static_cast<Pkcs11ModuleImpl&>(*module).f();

  if (spec.token_label.empty() && !spec.slot_id) {
    return InvalidArgument("name the token by label or slot", "pkcs11-token-not-found");
  }
  // The slot named, or the one whose token has the label.
  CK_ULONG count = 0;
  CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count);
  if (rv != CKR_OK) return Pkcs11Error("C_GetSlotList", rv);
  std::vector<CK_SLOT_ID> slots(count);
  rv = f->C_GetSlotList(CK_TRUE, slots.data(), &count);
  if (rv != CKR_OK) return Pkcs11Error("C_GetSlotList", rv);
  slots.resize(count);
  std::optional<CK_SLOT_ID> slot;
  for (CK_SLOT_ID candidate : slots) {
    if (spec.slot_id && candidate != *spec.slot_id) continue;
    CK_TOKEN_INFO info;
    if (f->C_GetTokenInfo(candidate, &info) != CKR_OK) continue;
    if (spec.token_label.empty() || TrimPadded(info.label, sizeof info.label) == spec.token_label) {
      slot = candidate;
      break;
    }
  }
  if (!slot) {
    std::string which = spec.slot_id ? "in slot " + std::to_string(*spec.slot_id) : std::string();
    if (!spec.token_label.empty())
      which += (which.empty() ? "" : " ") + ("labelled \"" + spec.token_label + "\"");
    return Status(StatusCode::kNotFound, "no PKCS#11 token " + which, "pkcs11-token-not-found");
  }

  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  rv = f->C_OpenSession(*slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session);
  if (rv != CKR_OK) return Pkcs11Error("C_OpenSession", rv);
  auto fail = [&](Status status) -> StatusOr<std::shared_ptr<const Signer>> {
    f->C_CloseSession(session);
    return status;
  };

  if (!spec.pin) return fail(InvalidArgument("no PIN callback was given", "pkcs11-login-failed"));
  StatusOr<std::string> pin = spec.pin();
  if (!pin.ok()) return fail(pin.status());
  rv = f->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(pin->data()), pin->size());
  Wipe(*pin);
  if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LOCKED || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE) {
    return fail(Status(StatusCode::kPermissionDenied, "C_Login: " + RvName(rv), "pkcs11-login-failed"));
  }
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) return fail(Pkcs11Error("C_Login", rv));

  auto private_keys = FindObjects(f, session, CKO_PRIVATE_KEY, spec.key_label, key_id);
  if (!private_keys.ok()) return fail(private_keys.status());
  if (private_keys->size() != 1) {
    return fail(Status(StatusCode::kNotFound,
                       std::to_string(private_keys->size()) + " private keys match label \"" +
                           spec.key_label + "\" id \"" + spec.key_id_hex + "\" (exactly one must)",
                       "pkcs11-key-not-found"));
  }
  const CK_OBJECT_HANDLE private_key = private_keys->front();
  // The public half: the public key object paired by CKA_ID (PKCS#11's
  // convention), else by the same label.
  auto id_of_private = Attribute(f, session, private_key, CKA_ID);
  if (!id_of_private.ok()) return fail(id_of_private.status());
  auto public_keys = id_of_private->empty() ? FindObjects(f, session, CKO_PUBLIC_KEY, spec.key_label, {})
                                            : FindObjects(f, session, CKO_PUBLIC_KEY, {}, *id_of_private);
  if (!public_keys.ok()) return fail(public_keys.status());
  if (public_keys->size() != 1) {
    return fail(Status(StatusCode::kNotFound, "the private key has no single public key object beside it",
                       "pkcs11-key-not-found"));
  }
  auto public_key = PublicKeyOf(f, session, public_keys->front());
  if (!public_key.ok()) return fail(public_key.status());
  return std::shared_ptr<const Signer>(
      std::make_shared<Pkcs11Signer>(std::move(module), session, private_key, std::move(*public_key)));
}

}  // namespace dossier::client
