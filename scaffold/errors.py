"""The errors scaffold raises, each with the exit code the CLI maps it to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scaffold.verify import Verification


class ScaffoldError(Exception):
    """Raised when scaffold cannot do what was asked; the message says what to do next."""

    exit_code = 1


class UsageError(ScaffoldError):
    """Raised when the command line or an answer is invalid."""

    exit_code = 2


class InvalidNameError(UsageError):
    """Raised when a project name cannot be used as a folder and package name."""


class UnknownChoiceError(UsageError):
    """Raised when a framework, database, auth mode or stack is not one scaffold knows."""


class ConflictingOptionsError(UsageError):
    """Raised when --stack and --framework/--database/--auth disagree."""


class StackNotBuiltError(UsageError):
    """Raised when a known stack is asked for before its template exists."""


class InputRequiredError(UsageError):
    """Raised when an answer is needed and there is no terminal to ask it in."""


class TargetExistsError(ScaffoldError):
    """Raised when the target path exists and is not an empty folder."""


class GenerationError(ScaffoldError):
    """Raised when the project could not be written; nothing is left behind."""


class NotAProjectError(ScaffoldError):
    """Raised when a folder to verify is not a scaffold project, or not the one its tokens name."""


class VerificationFailed(ScaffoldError):
    """Raised when a step of verification (install, lint, test, boot) failed; `result` says which.

    The project is left as it is, without a completion token.
    """

    def __init__(self, message: str, result: Verification) -> None:
        super().__init__(message)
        self.result = result
