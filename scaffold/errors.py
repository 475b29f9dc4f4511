"""The errors scaffold raises, each with the exit code the CLI maps it to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scaffold.results import Verification


class ScaffoldError(Exception):
    """Raised when scaffold cannot do what was asked; the message says what to do next."""

    exit_code = 1
    # Stable across releases: the `error.code` of tool errors in `scaffold mcp`.
    code = "error"


class UsageError(ScaffoldError):
    """Raised when the command line or an answer is invalid."""

    exit_code = 2
    code = "usage"


class InvalidNameError(UsageError):
    """Raised when a project name cannot be used as a folder and package name."""

    code = "invalid_name"


class UnknownChoiceError(UsageError):
    """Raised when a framework, database, auth mode or stack is not one scaffold knows."""

    code = "unknown_choice"


class ConflictingOptionsError(UsageError):
    """Raised when --stack and --framework/--database/--auth disagree."""

    code = "conflicting_options"


class InputRequiredError(UsageError):
    """Raised when an answer is needed and there is no terminal to ask it in."""

    code = "input_required"


class TargetExistsError(ScaffoldError):
    """Raised when the target path exists and is not an empty folder."""

    code = "target_exists"


class GenerationError(ScaffoldError):
    """Raised when the project could not be written; nothing is left behind."""

    code = "generation_failed"


class NotAProjectError(ScaffoldError):
    """Raised when a folder to verify is not a scaffold project, or not the one its tokens name."""

    code = "not_a_project"


class WorkspaceMismatchError(ScaffoldError):
    """Raised when an agent workspace's workspace-path.txt names another folder than the one in use."""

    code = "workspace_mismatch"


class VerificationFailed(ScaffoldError):
    """Raised when a step of verification (install, lint, test, boot) failed; `result` says which.

    The project is left as it is, without a completion token.
    """

    code = "verification_failed"

    def __init__(self, message: str, result: Verification) -> None:
        super().__init__(message)
        self.result = result
        # The whole `--json` document of the command that failed, where it is more than `result`.
        self.document: dict[str, object] | None = None


class ProjectStateError(ScaffoldError):
    """Raised when the project's state forbids a change: a registry edited by hand, a file in the
    way, a project made by an older scaffold, a resource defined otherwise; nothing is written."""

    exit_code = 3
    code = "project_state"
