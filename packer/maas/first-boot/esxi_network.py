"""MAAS's network configuration (netplan version 1, as MAAS sends it for ESXi) applied with esxcli.

Physical interfaces are matched to vmnics by MAC. Bonds become a standard vSwitch whose uplinks
are the members, with the failover policy mapped from the bond mode: balance-rr -> portid,
active-backup -> explicit (the primary first), 802.3ad -> iphash (LACP rate and hash policy
are ignored); other modes are skipped with a warning. VLANs become port groups. Every interface
with an address gets a VMkernel NIC. Linux bridges have no ESXi counterpart and are skipped.
"""

BOND_POLICIES = {"balance-rr": "portid", "active-backup": "explicit", "802.3ad": "iphash"}


def vmnics_by_mac(shell):
    """{mac: vmnic} from `esxcli network nic list`."""
    text = shell.query("esxcli", "--formatter=csv", "network", "nic", "list")
    result = {}
    lines = text.strip().splitlines()
    if not lines:
        return result
    header = lines[0].split(",")
    for line in lines[1:]:
        row = dict(zip(header, line.split(",")))
        if row.get("MACAddress") and row.get("Name"):
            result[row["MACAddress"].lower()] = row["Name"]
    return result


class Network:
    def __init__(self, config, shell, nics, warn=print):
        self.entries = (config.get("network") or {}).get("config") or []
        self.shell = shell
        self.nics = nics
        self.warn = warn
        self.vmk = 0
        self.by_name = {e.get("name"): e for e in self.entries if e.get("name")}

    def nic(self, entry):
        mac = (entry.get("mac_address") or "").lower()
        if mac not in self.nics:
            self.warn("no vmnic has MAC %s (%s): skipped" % (mac, entry.get("name")))
            return None
        return self.nics[mac]

    def apply(self):
        # The installer's own management network (vmk0 on vSwitch0, DHCP) gives way to MAAS's:
        # the first interface MAAS configures becomes vmk0, ESXi's management interface.
        for argv in (("esxcli", "network", "ip", "interface", "remove", "-i", "vmk0"),
                     ("esxcli", "network", "vswitch", "standard", "remove", "-v", "vSwitch0")):
            try:
                self.shell.run(*argv)
            except Exception as error:  # absent already
                self.warn("%s: %s" % (" ".join(argv), error))
        nameservers = []
        for entry in self.entries:
            kind = entry.get("type")
            if kind == "physical":
                self.physical(entry)
            elif kind == "bond":
                self.bond(entry)
            elif kind == "vlan":
                self.vlan(entry)
            elif kind == "bridge":
                self.warn("bridge %s: ESXi has no Linux bridges; skipped" % entry.get("name"))
            elif kind == "nameserver":
                nameservers += entry.get("address") or []
            elif kind == "route":
                self.route(entry)
        for server in nameservers:
            self.shell.run("esxcli", "network", "ip", "dns", "server", "add", "--server=%s" % server)

    def physical(self, entry):
        vmnic = self.nic(entry)
        if not vmnic or not entry.get("subnets"):
            return
        if entry.get("mtu"):
            self.shell.run("esxcli", "network", "nic", "set", "-n", vmnic, "-m", entry["mtu"])
        switch = "vSwitch-" + entry["name"]
        self.switch(switch, [vmnic], entry.get("mtu"))
        self.portgroup(switch, entry["name"], None, entry)

    def bond(self, entry):
        params = entry.get("params") or {}
        mode = params.get("bond-mode", "balance-rr")
        policy = BOND_POLICIES.get(mode)
        if policy is None:
            self.warn("bond %s: mode %s has no ESXi teaming policy; skipped" % (entry["name"], mode))
            return
        if mode == "802.3ad":
            self.warn("bond %s: LACP rate and transmit hash policy are ignored (iphash)" % entry["name"])
        members = [self.by_name[m] for m in entry.get("bond_interfaces") or [] if m in self.by_name]
        uplinks = [n for n in (self.nic(m) for m in members) if n]
        primary = params.get("bond-primary")
        if primary in self.by_name:
            first = self.nic(self.by_name[primary])
            if first in uplinks:
                uplinks.remove(first)
                uplinks.insert(0, first)
        if not uplinks:
            self.warn("bond %s: no member found; skipped" % entry["name"])
            return
        switch = "vSwitch-" + entry["name"]
        self.switch(switch, uplinks, entry.get("mtu"))
        self.shell.run(
            "esxcli", "network", "vswitch", "standard", "policy", "failover", "set",
            "-v", switch, "-a", ",".join(uplinks), "-l", policy)
        self.portgroup(switch, entry["name"], None, entry)

    def vlan(self, entry):
        parent = entry.get("vlan_link")
        switch = "vSwitch-" + parent if parent else None
        if not switch:
            self.warn("vlan %s: no parent; skipped" % entry.get("name"))
            return
        self.portgroup(switch, entry["name"], entry.get("vlan_id"), entry)

    def switch(self, name, uplinks, mtu):
        self.shell.run("esxcli", "network", "vswitch", "standard", "add", "-v", name)
        if mtu:
            self.shell.run("esxcli", "network", "vswitch", "standard", "set", "-v", name, "-m", mtu)
        for uplink in uplinks:
            self.shell.run("esxcli", "network", "vswitch", "standard", "uplink", "add", "-v", name, "-u", uplink)

    def portgroup(self, switch, name, vlan, entry):
        self.shell.run("esxcli", "network", "vswitch", "standard", "portgroup", "add", "-v", switch, "-p", name)
        if vlan is not None:
            self.shell.run("esxcli", "network", "vswitch", "standard", "portgroup", "set", "-p", name, "-v", vlan)
        for subnet in entry.get("subnets") or []:
            self.vmknic(name, subnet)

    def vmknic(self, portgroup, subnet):
        vmk = "vmk%d" % self.vmk
        self.vmk += 1
        self.shell.run("esxcli", "network", "ip", "interface", "add", "-i", vmk, "-p", portgroup)
        if subnet.get("type") in ("dhcp", "dhcp4"):
            self.shell.run("esxcli", "network", "ip", "interface", "ipv4", "set", "-i", vmk, "-t", "dhcp")
            return
        address = subnet.get("address", "")
        if "/" in address:
            address, prefix = address.split("/", 1)
            netmask = prefix_to_netmask(int(prefix))
        else:
            netmask = subnet.get("netmask", "255.255.255.0")
        self.shell.run(
            "esxcli", "network", "ip", "interface", "ipv4", "set", "-i", vmk, "-t", "static", "-I", address, "-N", netmask)
        if subnet.get("gateway"):
            self.shell.run("esxcli", "network", "ip", "route", "ipv4", "add", "-n", "default", "-g", subnet["gateway"])

    def route(self, entry):
        self.shell.run(
            "esxcli", "network", "ip", "route", "ipv4", "add", "-n", entry.get("destination", "default"), "-g", entry["gateway"])


def prefix_to_netmask(prefix):
    bits = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
    return ".".join(str((bits >> s) & 0xFF) for s in (24, 16, 8, 0))
