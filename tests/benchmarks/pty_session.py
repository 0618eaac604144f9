"""Drive a terminal app from outside, on a real pseudo-terminal, and time what it draws.

The app runs in a child process whose stdin/stdout/stderr are the slave side
of a pty of a fixed size; we read the master side. The text on screen is
found by stripping escape sequences from the bytes the app wrote, so "the
screen shows X" means "the app has written X to the terminal", which is what
a user's terminal would display. Peak memory is the kernel's high-water mark
of the app's resident set (`VmHWM` in /proc), read just before it quits.
(`wait4`'s ru_maxrss would not do: a forked child inherits its parent's
figure, so the benchmark's own size would leak into it.)
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence

__all__ = ["PtySession", "strip_escapes"]

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[()][0-9A-Za-z]"  # charset selection
    r"|\x1b[@-Z\\-_]"  # other two-byte sequences
)


def strip_escapes(text: str) -> str:
    """The printable text of terminal output."""
    return _ESCAPES.sub("", text)


class PtySession:
    """One app process on its own pty.

    Args:
        argv: the command.
        env: its environment.
        size: (columns, rows) of the terminal.
        cwd: its working folder.
    """

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        size: tuple[int, int] = (120, 40),
        cwd: str | None = None,
    ):
        self.master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.raw = bytearray()
        """Everything the app wrote since the last `mark()`."""
        self.last_output = self.started
        self.rusage = None
        self.exit_status: int | None = None

    # ------------------------------------------------------------ reading

    def _read(self, timeout: float) -> bool:
        """Read what is available within `timeout`; False if nothing came."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:  # the child closed the pty
            data = b""
        if not data:
            raise EOFError("the app closed the terminal")
        self.raw += data
        self.last_output = time.perf_counter()
        return True

    def text(self) -> str:
        """The printable text written since the last mark."""
        return strip_escapes(self.raw.decode("utf-8", errors="ignore"))

    def mark(self) -> None:
        """Forget what was written so far (the next search starts here)."""
        self.raw.clear()

    def wait_for(self, needle: str, timeout: float = 30.0) -> float:
        """Read until `needle` is on screen; returns the time it appeared (perf_counter).

        Raises:
            TimeoutError: it did not appear in time (the screen so far is in the message).
        """
        deadline = time.perf_counter() + timeout
        while needle not in self.text():
            if time.perf_counter() > deadline:
                tail = self.text()[-2000:]
                raise TimeoutError(f"{needle!r} not on screen after {timeout}s; last output: {tail!r}")
            self._read(0.5)
        return self.last_output

    def settle(self, quiet: float = 0.15, timeout: float = 10.0) -> float:
        """Read until nothing has come for `quiet` seconds; returns the time of the last output."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self._read(quiet):
                return self.last_output
        return self.last_output

    def drain(self, seconds: float) -> None:
        """Read whatever comes for `seconds` (the app must not block on a full pty meanwhile)."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self._read(left)

    # ------------------------------------------------------------ writing

    def send(self, keys: str) -> float:
        """Type `keys`; returns the time they were written."""
        os.write(self.master, keys.encode())
        return time.perf_counter()

    # ------------------------------------------------------------ ending

    def peak_rss_kib(self) -> int:
        """The app's peak resident set size so far, in KiB (Linux)."""
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc: peak memory needs Linux")

    def kill(self) -> None:
        """End the app at once (SIGKILL), so its CPU time stops where the measurement did."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.close(quit_keys="")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the ended app."""
        return self.rusage.ru_utime + self.rusage.ru_stime

    def close(self, quit_keys: str = "\x11", timeout: float = 5.0) -> None:
        """Quit the app (Ctrl+Q by default; SIGKILL if it does not end in time)."""
        if quit_keys:
            try:
                self.send(quit_keys)
            except OSError:
                pass
        deadline = time.perf_counter() + timeout
        while self.exit_status is None:
            pid, status, rusage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                self.exit_status, self.rusage = status, rusage
                break
            if time.perf_counter() > deadline:
                os.killpg(self.process.pid, signal.SIGKILL)
                deadline = time.perf_counter() + timeout
            try:
                self._read(0.05)
            except EOFError:
                time.sleep(0.01)
        self.process.returncode = os.waitstatus_to_exitcode(self.exit_status)
        os.close(self.master)
