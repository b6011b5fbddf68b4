"""Runs ESXi's commands (esxcli, partedUtil, vmkfstools), or prints them in a dry run."""
import subprocess


class Shell:
    def __init__(self, dry_run=False, log=print):
        self.dry_run = dry_run
        self.log = log
        self.commands = []

    def run(self, *argv):
        argv = [str(a) for a in argv]
        self.commands.append(argv)
        self.log("+ " + " ".join(argv))
        if self.dry_run:
            return ""
        return subprocess.check_output(argv, universal_newlines=True)

    def query(self, *argv, default=""):
        """A read-only command: run even in a dry run when the command exists, else `default`."""
        if self.dry_run:
            return default
        return subprocess.check_output([str(a) for a in argv], universal_newlines=True)
