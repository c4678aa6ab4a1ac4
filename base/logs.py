"""How the console log reads (LOGGING in settings.py)."""

import logging
import threading


class ClientErrorsInOneLine(logging.Formatter):
    """A request refused with a 4xx (permission denied, bad request) is one line.

    Django logs such a refusal with the exception that caused it; its traceback says nothing
    about a fault of ours, and on the console it buries what is wrong. 5xx keep theirs.
    """

    def format(self, record: logging.LogRecord) -> str:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            # A copy: other handlers of the same record still get the exception.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


class OncePerProcess(logging.Filter):
    """Lets each distinct message through once: a library that warns about the same thing
    for every document it makes says it once."""

    # Enough for every distinct warning of a long-running process; past it, repeats show.
    LIMIT = 1000

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self._seen: set[tuple[str, int, str]] = set()
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, record.getMessage())
        with self._lock:
            if key in self._seen:
                return False
            if len(self._seen) < self.LIMIT:
                self._seen.add(key)
        return True
