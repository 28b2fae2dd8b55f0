"""The child side of preflight/program_env.py: runs one program on the interpreter of its own virtualenv.

It receives the resolved stack config (so it needs none of the preflight's file readers), runs the
program under the same mock engine as an in-process run, and writes one JSON message per line to the pipe
it was given: each resource as it registers, then the whole result.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sys
from types import SimpleNamespace


def main(request: dict) -> None:
    # Ctrl-C reaches the whole process group; the parent handles it and ends this process, and a parent
    # that is killed outright (or ends on --timeout) takes this process with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    os.dup2(2, 1)  # the program's prints go where an in-process run sends them: stderr
    out = os.fdopen(request["fd"], "w", encoding="utf-8")

    def send(message: dict) -> None:
        out.write(json.dumps(message, default=list) + "\n")
        out.flush()

    try:
        from preflight import runner
    except BaseException as e:  # noqa: BLE001 - the environment cannot run the SDK: one line, not a traceback
        send({"childError": f"{type(e).__name__}: {e}"})
        out.close()
        return

    cfg = SimpleNamespace(**request["config"])
    on_resource = (lambda r: send({"resource": dataclasses.asdict(r)})) if request["stream"] else None
    facts = None
    if request.get("facts") is not None:
        from preflight.offline_facts import facts_from_dict

        facts = facts_from_dict(request["facts"])
    result = runner.run_configured(cfg, request["mode"], on_resource, facts)
    send({"result": dataclasses.asdict(result)})
    out.close()
    sys.stdout.flush()
