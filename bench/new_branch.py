"""From ``coopkit new-branch`` to the first page served: how long a new branch waits.

Run with ``python -m bench.new_branch``. In a temporary folder: ``coopkit
new-branch`` (a Belgian branch, every value given, so no prompt), then ``coopkit
serve --instance`` on a free port — which migrates the new SQLite database and
bootstraps the cooperative, its rules, books, branding and first administrator —
then polls until the branch's home page answers 200 to its administrator signed
in. Each step is a real process started from the shell, as a person would.
``tests/test_branch_instance.py`` runs the same once, as its end-to-end test.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

COOPKIT = Path(sys.executable).with_name("coopkit")
PASSWORD = "first-admin-password"  # noqa: S105 (a throw-away instance)
SLUG = "coop-bench"
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Timings:
    new_branch: float
    serve_to_first_page: float
    home_page: str

    @property
    def total(self) -> float:
        return self.new_branch + self.serve_to_first_page


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def new_branch(folder: Path) -> None:
    subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [
            str(COOPKIT), "new-branch", "--name", "Coop Bench", "--slug", SLUG,
            "--country", "be", "--output", str(folder), "--admin-email", "admin@bench.example",
            "--admin-name", "Bench Admin", "--admin-password", PASSWORD,
        ],
        check=True, capture_output=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def home_page(base: str, slug: str, email: str, password: str, timeout: float = 60.0) -> str:
    """Sign in as ``email`` and read the cooperative's home, polling until the server is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with httpx.Client(base_url=base, timeout=5) as client:
                token = CSRF.search(client.get("/login").text)
                assert token, "the sign-in page has no CSRF field"
                form = {"email": email, "password": password, "_csrf_token": token.group(1)}
                client.post("/login", data=form)
                home = client.get(f"/t/{slug}/")
                if home.status_code == 200:
                    return home.text
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{base}/t/{slug}/ did not answer 200 in {timeout} s")


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``coopkit serve --instance folder`` on a free port; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own console script, fixed arguments)
        [str(COOPKIT), "serve", "--instance", str(folder), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=10)
    if server.returncode not in (0, -15):
        raise RuntimeError(f"coopkit serve failed: {errors.decode(errors='replace')}")


def time_to_first_page(workdir: Path) -> Timings:
    folder = workdir / "coop-bench"
    started = time.perf_counter()
    new_branch(folder)
    generated = time.perf_counter()
    with serving(folder) as base:
        html = home_page(base, SLUG, "admin@bench.example", PASSWORD)
        served = time.perf_counter()
    return Timings(generated - started, served - generated, html)


def main() -> None:
    runs = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as workdir:
            runs.append(time_to_first_page(Path(workdir)))
    for number, run in enumerate(runs, 1):
        print(
            f"run {number}: new-branch {run.new_branch:.2f} s, serve → first page "
            f"{run.serve_to_first_page:.2f} s, total {run.total:.2f} s"
        )
    best = min(runs, key=lambda r: r.total)
    print(f"best: {best.total:.2f} s from `coopkit new-branch` to the home page served")


if __name__ == "__main__":
    main()
