"""Stack advice: which framework, database and auth mode fit a project, and why."""

from __future__ import annotations

from typing import NamedTuple

from scaffold.errors import UsageError
from scaffold.stacks import Stack

# The questions, their allowed answers, and the answer assumed when one is not given.
QUESTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "language": (("python", "javascript"), "python"),
    "async": (("yes", "no"), "no"),
    "docs": (("yes", "no"), "no"),
    "data": (("relational", "documents"), "relational"),
    "stage": (("prototype", "production"), "prototype"),
    "clients": (("browser", "mobile", "service"), "browser"),
}


class Rule(NamedTuple):
    """When every answer in `when` matches, `choose` sets that part of the stack, for `reason`."""

    when: dict[str, str]
    choose: tuple[str, str]
    reason: str


# The rules, first match wins for each part of the stack. Read top to bottom.
RULES: tuple[Rule, ...] = (
    Rule({"language": "javascript"}, ("framework", "express"),
         "a JavaScript team keeps one language from the browser to the server: Express"),
    Rule({"async": "yes"}, ("framework", "fastapi"),
         "many slow I/O calls at once (other APIs, websockets) want async from socket to database: FastAPI"),
    Rule({"docs": "yes"}, ("framework", "fastapi"),
         "API docs generated from the type hints, always in step with the code: FastAPI"),
    Rule({}, ("framework", "flask"),
         "a plain synchronous API with the fewest moving parts: Flask"),
    Rule({"data": "documents"}, ("database", "mongodb"),
         "document-shaped data with a loose schema maps to MongoDB collections"),
    Rule({"stage": "production"}, ("database", "postgres"),
         "production wants concurrent writers, backups and managed hosting: PostgreSQL"),
    Rule({}, ("database", "sqlite"),
         "a prototype needs nothing running: SQLite is one file"),
    Rule({"clients": "browser"}, ("auth", "session"),
         "browser clients are safest with HttpOnly session cookies, out of reach of scripts"),
    Rule({}, ("auth", "jwt"),
         "mobile apps and services carry bearer tokens more easily than cookies: JWT"),
)  # fmt: skip

_ALTERNATIVE_FRAMEWORK = {"flask": "fastapi", "fastapi": "flask", "express": "fastapi"}
_ALTERNATIVE_DATABASE = {"sqlite": "postgres", "postgres": "sqlite", "mongodb": "postgres"}
_TRADE_OFFS = {
    "flask": "Flask: synchronous and explicit, a huge ecosystem, docs written by hand",
    "fastapi": "FastAPI: async and typed with generated docs, at the price of async all the way down",
    "express": "Express: JavaScript end to end, validation and docs assembled from libraries",
    "sqlite": "SQLite: nothing to run, but one writer at a time and no network access",
    "postgres": "PostgreSQL: the production default, but a server to run from day one",
    "mongodb": "MongoDB: flexible documents, but the schema lives only in the application",
}


class Advice(NamedTuple):
    """A recommended stack with its reasons, an alternative with its trade-offs, and what to do."""

    answers: dict[str, str]
    stack: Stack
    reasons: list[str]
    alternative: Stack
    trade_offs: list[str]
    mvp: list[str]
    commands: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {
            "answers": self.answers,
            "recommended": {"stack": self.stack.name, "reasons": self.reasons},
            "alternative": {"stack": self.alternative.name, "trade_offs": self.trade_offs},
            "mvp": self.mvp,
            "commands": self.commands,
        }


def check(answers: dict[str, str | None]) -> dict[str, str]:
    """Answers with the defaults filled in; raise UsageError for one that is not allowed."""
    full = {}
    for question, (allowed, default) in QUESTIONS.items():
        value = answers.get(question)
        if value is None:
            value = default
        value = value.strip().lower()
        if value not in allowed:
            raise UsageError(f"--{question} must be one of {', '.join(allowed)}, not '{value}'")
        full[question] = value
    return full


def advise(answers: dict[str, str | None]) -> Advice:
    """The advice for these answers (unanswered questions take their defaults)."""
    full = check(answers)
    chosen: dict[str, str] = {}
    reasons = []
    for rule in RULES:
        part, value = rule.choose
        if part not in chosen and all(full[k] == v for k, v in rule.when.items()):
            chosen[part] = value
            reasons.append(rule.reason)
    stack = Stack(**chosen)
    alternative = Stack(
        _ALTERNATIVE_FRAMEWORK[stack.framework], _ALTERNATIVE_DATABASE[stack.database], stack.auth
    )
    if full["language"] == "javascript" and alternative.framework != "express":
        # A JavaScript team's alternative keeps the language and changes the database.
        alternative = Stack("express", _ALTERNATIVE_DATABASE[stack.database], stack.auth)
    trade_offs = [
        _TRADE_OFFS[getattr(alternative, part)]
        for part in ("framework", "database")
        if getattr(alternative, part) != getattr(stack, part)
    ]
    return Advice(
        full, stack, reasons, alternative, trade_offs, _mvp(stack, full), _commands(stack, alternative)
    )


def _mvp(stack: Stack, answers: dict[str, str]) -> list[str]:
    notes = []
    if stack.database == "sqlite":
        notes.append(
            "Start on SQLite; move to PostgreSQL when a second app process writes, or before the first "
            "real users: the models and migrations carry over, only DATABASE_URL changes."
        )
    if stack.database == "postgres" and answers["stage"] == "prototype":
        notes.append("PostgreSQL from day one: run it with `docker compose up -d db`.")
    if stack.database == "mongodb":
        notes.append("Keep validation in the application layer: MongoDB will not enforce the schema for you.")
    if stack.auth == "session":
        notes.append("Sessions suit one site; add a JWT-based API when mobile apps or services arrive.")
    else:
        notes.append("Keep access tokens short-lived (ACCESS_TOKEN_EXPIRES) and rely on logout revocation.")
    notes.append(
        "Keep the generated CI workflow running from the first commit, so the tests stay green "
        "as the code grows."
    )
    return notes


def _commands(stack: Stack, alternative: Stack) -> dict[str, str]:
    def command(s: Stack) -> str:
        return f"scaffold new my-app --stack {s.name}"

    return {"recommended": command(stack), "alternative": command(alternative)}
