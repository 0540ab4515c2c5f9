"""A throwaway PostgreSQL cluster: initdb into a temporary directory, its own port, stopped and started at will.

The server binaries are PostgreSQL's (/usr/lib/postgresql/<version>/bin, the newest one). PostgreSQL
refuses to run as root, so under root the cluster belongs to the `postgres` system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.tools import free_port

SERVER_BINARIES = "/usr/lib/postgresql/*/bin"


def server_binaries() -> Path | None:
    """The newest version's: /usr/lib/postgresql/17/bin rather than 16."""
    found = [Path(p) for p in glob.glob(SERVER_BINARIES) if Path(p).parent.name.isdigit()]
    found = [path for path in found if (path / "initdb").exists() and (path / "pg_ctl").exists()]
    return max(found, key=lambda path: int(path.parent.name), default=None)


class Cluster:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="guichet-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._owner = "postgres" if os.geteuid() == 0 else None
        if self._owner:
            owner = pwd.getpwnam(self._owner)
            os.chown(self.root, owner.pw_uid, owner.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/guichet"

    def _run(self, *command: str, timeout: float = 120) -> None:
        argv = [str(self.binaries / command[0]), *command[1:]]
        if self._owner:
            argv = ["runuser", "-u", self._owner, "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr}{result.stdout}\n{log}")

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-instructions")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "guichet")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def crash(self) -> None:
        """Stop at once, as a crash or a kill would: no checkpoint, open connections cut (recovery at start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
