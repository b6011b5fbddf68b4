// OpenSSL's libcrypto (Debian: libssl-dev) for SHA-256 and SHA-512: its assembly uses the CPU's
// SHA extensions, and it is already on every machine that builds (swift-crypto compiled a
// second copy of BoringSSL, a third of a fresh build). The plain SHA256_* functions are
// deprecated in OpenSSL 3 in favour of EVP but kept; their context is a value type, which
// Swift copies with the hash state.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
