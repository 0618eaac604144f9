"""Run one command; report its wall time and its own peak memory.

    python -S -I tests/benchmarks/peak.py REPORT COMMAND [ARG ...]

Writes "SECONDS KIB EXIT_STATUS" to the file REPORT. The peak is `wait4`'s
ru_maxrss of that one child. (The benchmark's `RUSAGE_CHILDREN` would be
the largest of all its children so far, and a child forked from the
benchmark itself would inherit the benchmark's own size: the kernel keeps
the larger of the parent's resident set at the fork and the child's own
peak. This wrapper is a bare interpreter, smaller than any command it
runs, so the figure is the command's.) The time is measured here, around
fork and wait, so the wrapper's own start-up is not in it.
"""

import os
import sys
import time


def main(report: str, argv: list[str]) -> None:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    with open(report, "w", encoding="ascii") as handle:
        handle.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
