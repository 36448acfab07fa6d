#include "common/random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>

#include "common/hex.h"

namespace dossier {

StatusOr<std::string> RandomBytes(size_t n) {
  if (n > static_cast<size_t>(INT_MAX)) {
    return InvalidArgument("cannot draw more than INT_MAX random bytes at once", "random-too-large");
  }
  std::string out(n, '\0');
  if (n == 0) return out;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    const unsigned long error = ERR_get_error();  // also clears it, so it does not leak into a later call
    char detail[256] = "no detail";
    if (error != 0) ERR_error_string_n(error, detail, sizeof detail);
    return Unavailable(std::string("the random number generator failed: ") + detail, "random-unavailable");
  }
  return out;
}

StatusOr<std::string> RandomHex(size_t n_bytes) {
  DOSSIER_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(n_bytes));
  return HexEncode(bytes);
}

}  // namespace dossier
