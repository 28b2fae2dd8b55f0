"""The two ways a command ends other than success, mapped to exit codes by the CLI."""

from __future__ import annotations

from typing import Iterable


class Refused(Exception):
    """Bad input or a precondition not met (exit 2): nothing was changed. One line per problem."""

    def __init__(self, problems: str | Iterable[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class RolloutFailed(Exception):
    """The rollout failed or was rolled back (exit 1)."""
