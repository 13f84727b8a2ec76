"""Creates a 389-DS instance from an .inf file without systemd (used by org.umgw.testing.Ds389).

`dscreate from-file` asks systemctl even with `systemd = False` in the .inf; lib389's SetupDs
does the same work when DirSrv.with_systemd answers False: ns-slapd is then started directly
(`ns-slapd -D /etc/dirsrv/slapd-NAME -i PIDFILE`, daemonised) and left running with the
configuration applied. Needs Debian's lib389 (/usr/bin/python3, not a pyenv python).
"""
import logging
import sys

import lib389
from lib389.instance.setup import SetupDs

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
lib389.DirSrv.with_systemd = lambda self: False
SetupDs(verbose=False, log=logging.getLogger("umgw-ds389")).create_from_inf(sys.argv[1])
