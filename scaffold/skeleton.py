"""Cached renders of a template with placeholder answers, filled in by plain substitution.

A template's output depends on two kinds of answers: choices (database, auth), which
change what is rendered, and free text (project name, package name, secret), which in
practice is only pasted in. For each set of choices the template is rendered once with
placeholders for the free text and cached; a new project is then the cached files with
the placeholders replaced, which needs no Jinja at all and takes a few milliseconds.

Substitution is used only where it equals rendering. Two checks, on a cache miss:

1. Static: inside the template's Jinja tags, a free-text answer may appear only as a
   whole plain expression, ``{{ cookiecutter.project_slug }}``. Any filter, test,
   condition, index or other use of it (``| lower``, ``[0]``, ``{% if … %}``), and any
   use of ``cookiecutter`` other than ``cookiecutter.<known key>``, rules the cache out.
   So does any statement other than ``if``, ``for``, ``include``, ``raw`` and an inline
   ``set x = ...``: those only choose which template text is emitted, while the others
   (``filter``, ``macro``, ``call``, a block ``set``, ``with``, ``autoescape``,
   ``block``, ...) can transform or capture the text they enclose, a pasted answer
   included.
2. Probes: the template is rendered with two placeholder sets that differ in length,
   case, punctuation and their first and last characters; unless replacing one set by
   the other turns the first render into the second byte for byte, the cache is ruled
   out.

A template and choice set that fail either check are always rendered in full.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from scaffold import __version__, render
from scaffold.render import RenderedFile

_FORMAT = 1
_UNCACHEABLE = "uncacheable"

Skeleton = list[tuple[str, bytes, int]]


_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_REFERENCE = re.compile(r"\bcookiecutter\b(?:\s*\.\s*(\w+))?")
_PASTED = re.compile(r"\{\{-?\s*cookiecutter\s*\.\s*(\w+)\s*-?\}\}")
_STATEMENT = re.compile(r"\{%[-+]?\s*(\w+)")
_INLINE_SET = re.compile(r"\{%[-+]?\s*set\s+[\w\s,]+=(?!=)")
# Statements that select template text without changing any of it.
_SELECTING = frozenset(
    {"if", "elif", "else", "endif", "for", "endfor", "include", "raw", "endraw"}
)  # fmt: skip


def _probe(key: str, index: int, flavour: str) -> str:
    # Control characters cannot come from a template's own text, so a probe is never
    # mistaken for content; the two flavours differ in every way a filter could see.
    if flavour == "a":
        return f"\x02Sk{index}.a-B_\x03"
    return f"\x04{key.upper()}-{index}.zz_Qq{'w' * (index + 3)}\x05"


def _only_pasted(text: str, free: set[str], known: set[str]) -> bool:
    """Whether every use of a free-text answer in these Jinja tags is a plain ``{{ x }}``,
    and no statement could transform the text it encloses."""
    for tag in _JINJA_TAG.findall(text):
        statement = _STATEMENT.match(tag)
        if statement and statement.group(1) not in _SELECTING and not _INLINE_SET.match(tag):
            return False
        pasted = _PASTED.fullmatch(tag)
        if pasted and pasted.group(1) in known:
            continue
        for match in _REFERENCE.finditer(tag):
            key = match.group(1)
            if key is None or key not in known or key in free:
                return False
    return True


def _statically_safe(template: Path, free: list[str]) -> bool:
    raw = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    known, free_set = set(raw), set(free)
    derived = [v for k, v in raw.items() if isinstance(v, str) and k not in free_set and "{" in v]
    if derived:  # a default computed from other answers may transform free text
        return False
    for path in render.template_files(template):
        if path == template / "cookiecutter.json":  # its defaults are checked above
            continue
        if any(path.is_relative_to(template / part) for part in (render.RESOURCE_DIR, render.REMOVAL_DIR)):
            continue  # rendered by `add` and `remove`, not `new`
        if not _only_pasted(str(path.relative_to(template)), free_set, known):
            return False
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue
        if not _only_pasted(data.decode("utf-8", errors="replace"), free_set, known):
            return False
    return True


def _free_text(template: Path, answers: Mapping[str, str]) -> list[str]:
    """Answers that are free text (a string default in cookiecutter.json), in a fixed order."""
    raw = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    return sorted(k for k in answers if isinstance(raw.get(k), str) and not k.startswith("_"))


def _cache_file(template: Path, choices: Mapping[str, str]) -> Path | None:
    cache = render.cache_dir()
    if cache is None:
        return None
    tag = "-".join(f"{k}={v}" for k, v in sorted(choices.items()))
    return cache / f"skeleton-{template.name}-{tag}.marshal"


def _fingerprint(template: Path, choices: Mapping[str, str]) -> str:
    """What a cached skeleton was built from: any change to the template makes a new one."""
    parts = [str(_FORMAT), __version__, str(template.resolve()), repr(sorted(choices.items()))]
    for path in render.template_files(template):
        st = path.stat()
        parts.append(f"{path.relative_to(template)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def _substitute(files: Skeleton, replacements: Mapping[str, str]) -> Skeleton:
    out = []
    for path, data, mode in files:
        for old, new in replacements.items():
            path = path.replace(old, new)
            data = data.replace(old.encode(), new.encode())
        out.append((path, data, mode))
    return out


def _build(template: Path, choices: Mapping[str, str], free: list[str]) -> Skeleton | str:
    """The render with placeholders, or _UNCACHEABLE when substitution could differ from rendering."""
    if not _statically_safe(template, free):
        return _UNCACHEABLE
    probes = {flavour: {key: _probe(key, i, flavour) for i, key in enumerate(free)} for flavour in ("a", "b")}
    rendered = {
        flavour: [(f.path, f.data, f.mode) for f in render.render_template(template, {**choices, **values})]
        for flavour, values in probes.items()
    }
    swapped = _substitute(rendered["a"], {probes["a"][k]: probes["b"][k] for k in free})
    if sorted(swapped) != sorted(rendered["b"]):
        return _UNCACHEABLE
    return rendered["a"]


def _load(path: Path, fingerprint: str) -> Skeleton | str | None:
    """The cached skeleton, or None when there is none, it is damaged or it is stale."""
    try:
        with open(path, "rb") as handle:
            stored, skeleton = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if stored != fingerprint or not isinstance(skeleton, (list, str)):
        return None
    return skeleton


def _store(path: Path, fingerprint: str, skeleton: Skeleton | str) -> None:
    # Written whole and renamed into place, so concurrent runs never read half a file.
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(prefix=".skeleton-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                marshal.dump((fingerprint, skeleton), handle)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def render_cached(framework: str, answers: Mapping[str, str]) -> list[RenderedFile]:
    """The same files as ``render.render(framework, answers)``, from the cache when it can."""
    template = render.template_dir(framework)
    free = _free_text(template, answers)
    choices = {k: v for k, v in answers.items() if k not in free}
    cache_file = _cache_file(template, choices)
    fingerprint = _fingerprint(template, choices)
    skeleton = _load(cache_file, fingerprint) if cache_file else None
    if skeleton is None:
        skeleton = _build(template, choices, free)
        if cache_file:
            _store(cache_file, fingerprint, skeleton)
    if isinstance(skeleton, str):
        return render.render_template(template, answers)
    filled = _substitute(skeleton, {_probe(key, i, "a"): answers[key] for i, key in enumerate(free)})
    return sorted((RenderedFile(p, d, m) for p, d, m in filled), key=lambda f: f.path)
