"""A local SMTP server of the tests' own (aiosmtpd), which can refuse or stall on request."""

import asyncio
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """Keeps every message it accepts; `refuse()` and `stall_once()` change its mood."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.recipients: list[str] = []
        self.sessions = 0
        self._refusal: str | None = None
        self._refusals_left = 0
        self._stall = False
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    # --- what the test asks of it ----------------------------------------------------------

    def refuse(self, reply: str, times: int = -1) -> None:
        """Answer RCPT with `reply` (e.g. "451 4.3.0 Try later") `times` times (-1: always)."""
        self._refusal, self._refusals_left = reply, times

    def accept(self) -> None:
        self._refusal, self._refusals_left = None, 0

    def stall_once(self) -> None:
        """Hold the next RCPT until `release` is set, telling the test through `stalled`."""
        self._stall = True

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} of {count} messages after {timeout}s")
            time.sleep(0.05)

    # --- aiosmtpd's handler hooks ------------------------------------------------------------

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._stall:
            self._stall = False
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        if self._refusal and self._refusals_left != 0:
            self._refusals_left -= 1
            return self._refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(envelope.content)
            self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.sink = SmtpSink()
        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> "SmtpServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sink.release.set()
        self._controller.stop()
