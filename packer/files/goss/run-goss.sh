#!/bin/sh
# Runs the goss specs in the guest (packer 1.6.6 has no goss provisioner). The goss binary
# comes from GOSS_DOWNLOAD_PATH when it exists there, else from GOSS_URL.
set -eu
bin=${GOSS_DOWNLOAD_PATH:-/tmp/goss-bin}
if [ ! -x "$bin" ]; then
    url=${GOSS_URL:-https://github.com/goss-org/goss/releases/download/v${GOSS_VERSION}/goss-linux-${GOSS_ARCH}}
    curl -fsSL -o "$bin" "$url"
    chmod 0755 "$bin"
fi
cd /tmp/goss
"$bin" --gossfile goss.yaml --vars goss-vars.yaml --vars-inline "${GOSS_VARS_INLINE:-{}}" \
    validate --retry-timeout "${GOSS_RETRY_TIMEOUT:-180s}" --sleep "${GOSS_SLEEP:-2s}" \
    --format "${GOSS_FORMAT:-documentation}"
