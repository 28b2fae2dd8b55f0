"""Waiting for an instance refresh: a rich progress bar plus one line per change, on an injectable clock."""

from __future__ import annotations

from typing import Callable

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

from release.aws import Fleet, Refresh

FINISHED = ("Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed")
POLL_SECONDS = 15.0


class RefreshNotFinished(Exception):
    """The wait ended before the refresh did (timeout, or another refresh took its place)."""

    def __init__(self, refresh: Refresh | None, why: str):
        self.refresh, self.why = refresh, why
        super().__init__(why)


def healthy_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{zone} {count}" for zone, count in counts.items()) or "none"


def wait_for_refresh(fleet: Fleet, refresh_id: str, zones: list[str], console: Console, *,
                     sleep: Callable[[float], None], clock: Callable[[], float], timeout_seconds: float,
                     poll_seconds: float = POLL_SECONDS) -> Refresh:
    """Polls the refresh until it ends; RefreshNotFinished when the wait ends first."""
    deadline = clock() + timeout_seconds
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[replaced]}"), TextColumn("healthy: {task.fields[healthy]}"))
    last_line = ""
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"refresh {refresh_id[:8]}", total=100, replaced="", healthy="")
        while True:
            refresh = fleet.latest_refresh()
            if refresh is None or refresh.id != refresh_id:
                # Someone started another refresh (by hand): it cancelled ours, whose outcome is now unknown.
                raise RefreshNotFinished(refresh, f"refresh {refresh_id} was replaced by "
                                                  f"{refresh.id if refresh else 'nothing'}")
            group = fleet.group()
            desired = int(group.get("DesiredCapacity", 0))
            left = refresh.instances_to_update if refresh.instances_to_update is not None else desired
            replaced = {"RollbackInProgress": "rolling back to the previous version",
                        "RollbackSuccessful": "rolled back to the previous version"}.get(
                refresh.status, f"{max(desired - left, 0)}/{desired} replaced")
            healthy = healthy_text(fleet.healthy_per_az(zones, group))
            progress.update(task, completed=refresh.percentage, replaced=replaced, healthy=healthy)
            line = f"refresh {refresh.id}: {refresh.status} {refresh.percentage}%, {replaced}, healthy: {healthy}"
            if line != last_line:
                progress.console.print(line, highlight=False, markup=False, soft_wrap=True)
                last_line = line
            if refresh.status in FINISHED:
                return refresh
            if clock() >= deadline:
                raise RefreshNotFinished(refresh, f"refresh {refresh_id} is still {refresh.status} after "
                                                  f"{timeout_seconds / 60:g} minutes")
            sleep(poll_seconds)
