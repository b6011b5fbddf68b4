#!/bin/sh
# What compiling the CLI needs beyond the Swift toolchain: OpenSSL's headers and libcrypto
# (SHA-256 and SHA-512; Debian's libssl-dev, which swift.org's list of toolchain packages pulls in
# through libcurl4-openssl-dev). Installs it as root with apt-get, else says what is missing.
set -eu
[ -f /usr/include/openssl/sha.h ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build-deps: installing libssl-dev"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libssl-dev >/dev/null
else
    echo "build-deps: missing: libssl-dev (OpenSSL's headers; install it with your package manager)" >&2
    exit 3
fi
