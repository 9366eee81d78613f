"""Real servers for the service tests, once per session: `storydesk serve` as a uvicorn process over a
SQLite file and over a PostgreSQL server started here (Debian's postgresql, as the postgres user when
we are root, on 127.0.0.1 and a free port; skipped when it is not installed)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from storydesk.store import Store

BIN = Path(sys.executable).with_name("storydesk")
TOKEN = "test-token-0123456789abcdef"
#: Small limits so the tests can cross them cheaply.
SERVICE_TOML = """
[service]
max_body_bytes = 300000
max_articles = 25
live_poll_seconds = 0.2
shutdown_seconds = 1.0
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running `storydesk serve`: its base URL, database URL and the token."""

    url: str
    db: str
    backend: str
    token: str = TOKEN

    def client(self, **kwargs) -> httpx.Client:  # type: ignore[no-untyped-def]
        return httpx.Client(base_url=self.url, timeout=120, **kwargs)

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def start_server(db: str, workdir: Path, backend: str) -> Iterator[Server]:
    """Start `storydesk serve` on `db`, wait for /health, and stop it (by its pid) afterwards."""
    token_file = workdir / "token.txt"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    config = workdir / "service.toml"
    config.write_text(SERVICE_TOML, encoding="utf-8")
    port = free_port()
    log = (workdir / f"serve-{backend}.log").open("w")
    proc = subprocess.Popen(
        [str(BIN), "serve", "--db", db, "--port", str(port), "--token-file", str(token_file),
         "--config", str(config)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "STORYDESK_TOKEN": ""},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((workdir / f"serve-{backend}.log").read_text())
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.terminate()
        raise RuntimeError("storydesk serve did not answer within 60 s")
    try:
        yield Server(url, db, backend)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server of our own on 127.0.0.1 and a free port, with an empty database."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql as root)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as the postgres user")
    data = Path(tempfile.mkdtemp(prefix="storydesk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    pgdata = data / "data"
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(pgdata), "-U", "postgres", "-A", "trust",
                                 "-E", "UTF8", "--locale=C", "--no-sync"]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(pgdata), "-o", options, "-w", "-t", "60",
                                 "-l", str(data / "server.log"), "start"]), check=True, capture_output=True)
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE storydesk_test")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/storydesk_test"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"]),
                       check=False, capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory, corpus_result) -> Iterator[Server]:
    """`storydesk serve` over a SQLite store holding the sample corpus's stories."""
    work = tmp_path_factory.mktemp("serve-sqlite")
    db = str(work / "store.sqlite")
    Store(db).save_stories(corpus_result.stories)
    yield from start_server(db, work, "sqlite")


@pytest.fixture(scope="session")
def postgresql_server(
    tmp_path_factory: pytest.TempPathFactory, corpus_result, postgres_url: str
) -> Iterator[Server]:
    """`storydesk serve` over a PostgreSQL store holding the sample corpus's stories."""
    work = tmp_path_factory.mktemp("serve-postgres")
    Store(postgres_url).save_stories(corpus_result.stories)
    yield from start_server(postgres_url, work, "postgresql")


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each API test runs against both stores."""
    return request.getfixturevalue(f"{request.param}_server")
