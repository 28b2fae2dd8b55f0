"""Kills the drill's process groups once the drill is gone, however it went (even SIGKILL, which no handler sees).

The drill starts this first and writes `+<pgid>` / `-<pgid>` lines to its stdin as it starts and stops services.
When stdin reaches end of file (the drill exited or was killed), every group still listed is killed.
"""

import os
import signal
import sys


def main() -> None:
    # The drill's own Ctrl-C or SIGTERM must not stop the guardian before it has done its job.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    groups: set[int] = set()
    for line in sys.stdin:
        line = line.strip()
        if line[:1] in "+-" and line[1:].isdigit():
            (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


if __name__ == "__main__":
    main()
