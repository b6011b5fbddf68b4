"""Storage on first boot: datastore1 is grown to the end of the boot disk (the image was made
on a small disk). Custom storage layouts from MAAS are not applied (README: limitations)."""
import re


def grow_datastore(shell, warn=print):
    """Grows the VMFS partition holding datastore1 to the end of its disk."""
    listing = shell.query("esxcli", "--formatter=csv", "storage", "vmfs", "extent", "list")
    lines = listing.strip().splitlines()
    if len(lines) < 2:
        warn("no VMFS extent found: datastore1 not grown")
        return False
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
    extent = next((r for r in rows if r.get("VolumeName") == "datastore1"), rows[0])
    device = "/vmfs/devices/disks/" + extent["DeviceName"]
    number = int(extent["Partition"])
    table = shell.query("partedUtil", "getptbl", device)
    usable = shell.query("partedUtil", "getUsableSectors", device).split()
    match = re.search(r"^%d (\d+) (\d+) (\S+) (\d+)$" % number, table, re.M)
    if not match or len(usable) != 2:
        warn("cannot read the partition table of %s: datastore1 not grown" % device)
        return False
    start, end, kind = match.group(1), int(match.group(2)), match.group(3)
    last = int(usable[1])
    if last <= end:
        return False
    shell.run("partedUtil", "resize", device, number, start, last)
    shell.run("vmkfstools", "--growfs", "%s:%d" % (device, number), "%s:%d" % (device, number))
    return True
