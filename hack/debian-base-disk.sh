#!/bin/sh
# A Debian 12 base disk for the qemu family, its boot test and the real demo (issue 20): a Debian
# root made with debootstrap from Debian's archive (the one host this machine reaches), written
# into a partitioned raw image without mounting anything (sfdisk on the file, then mke2fs -d at
# the partition's offset), bootable on its own: GRUB's BIOS boot sector and a core image built by
# grub-mkimage (partition and ext4 support, its prefix on partition 1) are written into the
# gap before the partition, as grub-install would, but onto the file (no loop device), and
# /boot/grub/grub.cfg boots the kernel through Debian's /vmlinuz and /initrd.img links (which
# follow kernel upgrades in the guest). The cloud kernel and its initrd are also left beside the
# disk for qemu's direct kernel boot.
# Cached by content: the folder's name is the digest of this script, so the same inputs are
# built once. debootstrap needs root; the rest does not.
#
# Usage: hack/debian-base-disk.sh CACHE_DIR   -> prints CACHE_DIR/debian-12-base-<digest>
set -eu
cache=${1:?usage: debian-base-disk.sh CACHE_DIR}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
size=${BASE_DISK_SIZE:-3G}
# What the guest needs to boot, take a NoCloud seed, answer SSH and run ansible; locales, or
# cloud-init's locale module fails; python3-cffi-backend names what debootstrap cannot resolve
# (python3-cryptography's virtual dependency).
packages=linux-image-cloud-amd64,initramfs-tools,systemd-sysv,udev,kmod,ifupdown,isc-dhcp-client,openssh-server,cloud-init,sudo,python3,python3-cffi-backend,locales
digest=$( (cat "$0"; echo "$mirror $size $packages") | sha256sum | cut -c1-16)
out="$cache/debian-12-base-$digest"
if [ -f "$out/disk.raw" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.img" ]; then
    echo "$out"
    exit 0
fi
grub=/usr/lib/grub/i386-pc
[ -f "$grub/boot.img" ] || { echo "debian-base-disk: $grub/boot.img missing (Debian's grub-pc-bin)" >&2; exit 3; }
[ "$(id -u)" = 0 ] || { echo "debian-base-disk: debootstrap needs root" >&2; exit 3; }
for tool in debootstrap sfdisk mke2fs grub-mkimage; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "debian-base-disk: $tool missing" >&2; exit 3; }
done
work="$out.partial"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
/usr/sbin/debootstrap --variant=minbase --include="$packages" bookworm "$work/root" "$mirror" > "$work/debootstrap.log" 2>&1 || {
    tail -n 20 "$work/debootstrap.log" >&2
    exit 1
}
root="$work/root"
echo "LABEL=ib-root / ext4 defaults,errors=remount-ro 0 1" > "$root/etc/fstab"
echo "debian" > "$root/etc/hostname"
sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' "$root/etc/locale.gen"
chroot "$root" locale-gen > /dev/null
echo "LANG=en_US.UTF-8" > "$root/etc/default/locale"
# Every boot of an image made from this disk gets its own machine-id and SSH host keys.
: > "$root/etc/machine-id"
rm -f "$root"/etc/ssh/ssh_host_*
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*_Packages
mkdir -p "$root/boot/grub"
cat > "$root/boot/grub/grub.cfg" <<'EOF'
# image-builder's base disk: no menu; the kernel Debian's /vmlinuz link names.
set timeout=0
linux /vmlinuz root=LABEL=ib-root ro console=tty0 console=ttyS0,115200n8
initrd /initrd.img
boot
EOF
cp "$root"/boot/vmlinuz-* "$work/vmlinuz"
cp "$root"/boot/initrd.img-* "$work/initrd.img"
# One Linux partition from 1 MiB; the file system is written at that offset, unmounted.
truncate -s "$size" "$work/disk.raw"
printf 'label: dos\nstart=2048, type=83, bootable\n' | /usr/sbin/sfdisk -q "$work/disk.raw"
bytes=$(stat -c %s "$work/disk.raw")
/usr/sbin/mke2fs -q -t ext4 -L ib-root -d "$root" -E offset=1048576 "$work/disk.raw" "$(( (bytes - 1048576) / 1024 ))k"
# GRUB: the boot sector's code (440 bytes: the partition table stays), then the core image
# from sector 1 (its own block list says where the rest of it is).
grub-mkimage -O i386-pc -o "$work/core.img" -p '(hd0,msdos1)/boot/grub' biosdisk part_msdos ext2 normal linux
[ "$(stat -c %s "$work/core.img")" -lt $(( 2047 * 512 )) ] || { echo "debian-base-disk: GRUB's core image is too large" >&2; exit 1; }
dd if="$grub/boot.img" of="$work/disk.raw" bs=440 count=1 conv=notrunc status=none
dd if="$work/core.img" of="$work/disk.raw" bs=512 seek=1 conv=notrunc status=none
rm -rf "$root" "$work/core.img"
mv "$work" "$out"
trap - EXIT
echo "$out"
