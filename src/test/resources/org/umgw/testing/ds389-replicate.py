"""Joins two running 389-DS instances in multi-supplier replication (org.umgw.testing.Ds389).

Usage: ds389-replicate.py SUFFIX NAME1 PORT1 PWFILE1 NAME2 PORT2 PWFILE2
The first becomes the first supplier; the second joins it (total init from the first, then an
agreement each way), as `dsconf ... replication enable` + `repl-agmt create` + `init` would.
Needs Debian's lib389 (/usr/bin/python3).
"""
import logging
import sys

from lib389 import DirSrv
from lib389.replica import ReplicationManager

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")


def instance(name, port, password_file):
    with open(password_file) as f:
        password = f.read()
    ds = DirSrv(verbose=False)
    ds.local_simple_allocate(serverid=name, ldapuri="ldap://127.0.0.1:%s" % port, password=password)
    # The instances listen on loopback only; lib389 would name the machine's host name. The
    # service accounts lib389 creates are named HOST:SSLPORT: give each instance its own.
    ds.host = "127.0.0.1"
    ds.port = int(port)
    ds.sslport = int(port)
    ds.open()
    return ds


suffix = sys.argv[1]
first = instance(*sys.argv[2:5])
second = instance(*sys.argv[5:8])
repl = ReplicationManager(suffix, logger=logging.getLogger("umgw-ds389-repl"))
repl.create_first_supplier(first)
repl.join_supplier(first, second)
