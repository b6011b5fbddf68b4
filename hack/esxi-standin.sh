#!/bin/sh
# Builds a stand-in for the ESXi installer ISO, for the MAAS ESXi build's tests (no ESXi ISO can
# be fetched here). It boots like an installer: isolinux, then a Debian kernel whose initramfs
# loads the SATA modules, finds the kickstart USB stick's label, writes an "installed" disk onto
# the SATA disk (a GPT whose partition 1 is FAT, as ESXi's bootloader partition is) and powers
# off, which is what the real kickstart's %post does. Everything comes from Debian's packages:
# linux-image (downloaded and unpacked, not installed), busybox-static, isolinux, mtools,
# fdisk (sfdisk on a file), xorriso.
# Usage: hack/esxi-standin.sh OUT_DIR   (writes OUT_DIR/VMware-VMvisor-Installer-8.0U3-standin.x86_64.iso)
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
out=${1:?usage: hack/esxi-standin.sh OUT_DIR}
kernel_dir="$root/.build-tools/standin-kernel"
[ -d "$kernel_dir/boot" ] || sh "$root/hack/standin-kernel.sh"
vmlinuz=$(ls "$kernel_dir"/boot/vmlinuz-* | head -n 1)
release=${vmlinuz##*/vmlinuz-}
modules="$kernel_dir/lib/modules/$release/kernel"
mkdir -p "$out"
work=$(mktemp -d "$out/.standin.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# The "installed" disk: GPT, partition 1 a FAT16 bootloader partition, partition 2 for the rest.
disk="$work/installed.img"
head -c $((24 * 1024 * 1024)) /dev/zero >"$disk"
printf 'label: gpt\nstart=2048, size=16384, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\nstart=18432, size=20480, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n' \
    | sfdisk --quiet "$disk"
MTOOLS_SKIP_CHECK=1 mformat -i "$disk@@1048576" -T 16384 -h 16 -s 32 -v ESXIBOOT ::
printf 'stand-in for the ESXi bootloader partition\n' >"$work/boot.cfg"
MTOOLS_SKIP_CHECK=1 mcopy -i "$disk@@1048576" "$work/boot.cfg" ::boot.cfg

# The initramfs: busybox, the modules for AHCI disks, the installed disk, /init.
ramfs="$work/ramfs"
mkdir -p "$ramfs/bin" "$ramfs/dev" "$ramfs/proc" "$ramfs/sys" "$ramfs/modules"
cp /bin/busybox "$ramfs/bin/busybox"
for module in drivers/scsi/scsi_common drivers/scsi/scsi_mod drivers/ata/libata drivers/ata/libahci drivers/ata/ahci \
    crypto/crct10dif_common crypto/crct10dif_generic lib/crc-t10dif lib/crc64 crypto/crc64_rocksoft_generic lib/crc64-rocksoft \
    block/t10-pi drivers/scsi/sd_mod drivers/usb/common/usb-common drivers/usb/core/usbcore drivers/usb/host/xhci-hcd \
    drivers/usb/host/xhci-pci drivers/usb/storage/usb-storage; do
    cp "$modules/$module.ko" "$ramfs/modules/"
    echo "${module##*/}" >>"$ramfs/modules/order"
done
gzip -c "$disk" >"$ramfs/installed.img.gz"
cat >"$ramfs/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "stand-in installer: loading SATA and USB drivers"
for m in $(cat /modules/order); do insmod /modules/$m.ko || echo "stand-in installer: insmod $m failed"; done
# The boot options packer typed (ESXi's Shift+O line) reach the kernel's command line: isolinux
# took them at its prompt, as the label "O" followed by its arguments.
options=""
case " $(cat /proc/cmdline) " in *" ks=usb:/KS.CFG "*) options=" $(cat /proc/cmdline)" ;; esac
[ -n "$options" ] && echo "stand-in installer: boot options typed:${options#* quiet}" || echo "stand-in installer: no boot options were typed"
i=0
while { [ ! -b /dev/sda ] || [ ! -b /dev/sdb ]; } && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
echo "stand-in installer: disks: $(ls /sys/block | tr '\n' ' ')"
# The kickstart stick is the disk whose text holds vmaccepteula; the install disk the other one.
ks=""; target=""
for d in sda sdb; do
    [ -b /dev/$d ] || continue
    if head -c 8388608 /dev/$d | strings | grep -q '^vmaccepteula'; then ks=/dev/$d; else target=/dev/$d; fi
done
if [ -n "$ks" ]; then
    echo "stand-in installer: kickstart found on $ks:"
    head -c 8388608 "$ks" | strings | grep -E '^(vmaccepteula|install|network|rootpw|%post|%firstboot|halt)' \
        | sed 's/^\(rootpw --iscrypted\) .*/\1 <hash>/' | sed 's/^/    /'
    if [ -n "$target" ] && [ -n "$options" ]; then
        echo "stand-in installer: installing onto $target"
        zcat /installed.img.gz | dd of=$target bs=1M conv=fsync 2>/dev/null && echo "stand-in installer: installed"
    fi
else
    echo "stand-in installer: no kickstart on a USB stick"
fi
sync
echo "stand-in installer: powering off (the kickstart's %post)"
poweroff -f
EOF
chmod 0755 "$ramfs/init"
(cd "$ramfs" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$work/initrd.gz"

# The ISO: isolinux waits at its prompt. packer's first <enter> picks the default label, which
# has no kernel (isolinux says so and prompts again, as ESXi's boot menu hands over to its
# loader); then "O ks=usb:/KS.CFG …<enter>" boots label O with the typed options appended.
iso_root="$work/iso"
mkdir -p "$iso_root/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso_root/isolinux/"
cp "$vmlinuz" "$iso_root/vmlinuz"
cp "$work/initrd.gz" "$iso_root/initrd.gz"
printf 'prompt 1\ntimeout 0\ndefault menu\nlabel menu\n  kernel /no-kernel-here\nlabel O\n  kernel /vmlinuz\n  append initrd=/initrd.gz console=ttyS0 panic=5 quiet\n' \
    >"$iso_root/isolinux/isolinux.cfg"
iso="$out/VMware-VMvisor-Installer-8.0U3-standin.x86_64.iso"
xorriso -as mkisofs -quiet -o "$iso.tmp" -V ESXI-STANDIN -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$iso_root" 2>/dev/null
mv "$iso.tmp" "$iso"
echo "$iso"
