#!/bin/sh
# SSH into a VM built locally with VMware (needs vmrun): hack/image-ssh.sh BUILD_DIR [USER]
# Logs in as capv (the cloudinit/ test user, or USER / SSH_USER) with the generated test key.
set -eu
dir=${1:?usage: hack/image-ssh.sh BUILD_DIR [USER]}
user=${SSH_USER:-${2:-capv}}
vmrun=${VM_RUN:-vmrun}
command -v "$vmrun" >/dev/null 2>&1 || { echo "image-ssh: $vmrun not found (VMware Workstation/Fusion)" >&2; exit 3; }
vmx=$(ls "$dir"/*.vmx 2>/dev/null | head -n 1)
[ -n "$vmx" ] || { echo "image-ssh: no .vmx in $dir" >&2; exit 2; }
keys=$(sh "$(dirname -- "$0")/cloudinit-key.sh")
ip=$("$vmrun" getGuestIPAddress "$vmx" -wait)
exec ssh -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -i "$keys/id_ed25519" "$user@$ip"
