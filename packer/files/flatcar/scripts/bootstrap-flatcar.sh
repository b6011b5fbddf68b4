#!/bin/bash
# Flatcar has no Python: install a relocatable PyPy into /opt/bin so ansible can run.
# Runs only for Flatcar builds (the template's execute_command checks BUILD_NAME).
set -euo pipefail
BINDIR=/opt/bin
[ -x "$BINDIR/python" ] && exit 0
mkdir -p "$BINDIR"
cd /opt
curl -fsSL "${PYPY_HTTP_SOURCE:-https://downloads.python.org/pypy/pypy3.10-v7.3.17-linux64.tar.bz2}" | tar -xj
mv -n pypy3.10-v7.3.17-linux64 pypy3
ln -sf /opt/pypy3/bin/pypy3 "$BINDIR/python"
"$BINDIR/python" --version
