#!/bin/sh
# Makes (once) the key pair for testing built images, in cloudinit/.keys/ (ignored by git),
# and renders cloudinit/.keys/user-data from cloudinit/user-data.tmpl with its public key.
# Prints the folder.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
keys="$root/cloudinit/.keys"
mkdir -p "$keys"
chmod 700 "$keys"
[ -f "$keys/id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C "image-builder-test" -f "$keys/id_ed25519"
public=$(cat "$keys/id_ed25519.pub")
sed "s|@SSH_PUBLIC_KEY@|$public|" "$root/cloudinit/user-data.tmpl" > "$keys/user-data"
cp "$root/cloudinit/meta-data" "$keys/meta-data"
echo "$keys"
