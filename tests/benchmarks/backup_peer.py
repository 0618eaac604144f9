"""The peer of `nachhaken backup` (issue 14): SQLite's online backup in a plain script.

    python tests/benchmarks/backup_peer.py DATABASE TARGET

`sqlite3.Connection.backup`, page by page in one step, and nothing else: no
check of the copy, no counts, no file mode.
"""

import sqlite3
import sys


def main(source: str, target: str) -> None:
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    original.close()
    copy.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
