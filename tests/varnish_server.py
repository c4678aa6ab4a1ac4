"""A Varnish of a test's own, with the repository's VCL pointed at a test's backend.

It listens on a free 127.0.0.1 port and can be stopped and started again on the same port
(a cache outage). The VCL is deploy/varnish/default.vcl with only the backend's port
changed.
"""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.smtp import free_port

REPOSITORY_VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "default.vcl"
BACKEND_PORT_LINE = '.port = "8000";'


def vcl_for(backend_port: int) -> str:
    vcl = REPOSITORY_VCL.read_text()
    if BACKEND_PORT_LINE not in vcl:
        raise AssertionError(f"{REPOSITORY_VCL} no longer names its backend as {BACKEND_PORT_LINE}")
    return vcl.replace(BACKEND_PORT_LINE, f'.port = "{backend_port}";')


class VarnishServer:
    def __init__(self, backend_port: int):
        self.binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
        self.port = free_port()
        self.backend_port = backend_port
        self.workdir = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def available(self) -> bool:
        return Path(self.binary).exists()

    def start(self) -> None:
        vcl = self.workdir / "test.vcl"
        vcl.write_text(vcl_for(self.backend_port))
        self.process = subprocess.Popen(
            [
                self.binary, "-F", "-f", str(vcl), "-a", f"127.0.0.1:{self.port}",
                "-n", str(self.workdir / "instance"), "-s", "malloc,64m", "-T", "127.0.0.1:0",
                # No jail: the test's user runs it, and owns its working directory.
                "-j", "none",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "varnishd.log").open("ab"),
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    log = (self.workdir / "varnishd.log").read_text()
                    raise RuntimeError(f"varnishd did not start: {log}") from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
