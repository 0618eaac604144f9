"""Hold a database's write lock, as another program saving at length would.

    python hold_write_lock.py DB [--seconds N]

Takes the lock with BEGIN IMMEDIATE, prints "locked" (flushed), and keeps it
until a line arrives on stdin or N seconds (default 30) have passed, then
commits and exits. Used by tests/test_ui_never_waits.py: while this process
lives, nachhaken cannot write the file.
"""

from __future__ import annotations

import argparse
import select
import sqlite3
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    conn = sqlite3.connect(args.db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    select.select([sys.stdin], [], [], args.seconds)
    conn.execute("COMMIT")
    conn.close()


if __name__ == "__main__":
    main()
