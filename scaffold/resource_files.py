"""Rendering a resource's files: the templates in `templates/<framework>/resource/`, with the
resource, its project's answers and its migration as the context."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from scaffold import render, samples
from scaffold.errors import GenerationError
from scaffold.render import RenderedFile
from scaffold.resources import Resource, pascal


def is_migration(path: str) -> bool:
    """A migration of the project's, which stays once written: `remove` never deletes one."""
    parts = path.split("/")
    return parts[0] == "migrations" or (parts[0] == "src" and parts[2:4] == ["migrations", "versions"])


def python_literal(value: Any) -> str:
    """`value` as Python source: a JSON string is a Python string, the rest is spelled out."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Python literal for {type(value).__name__}")


_JS_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def js_literal(value: Any) -> str:
    """`value` as JavaScript source, in the projects' style: single-quoted strings, bare keys."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)[1:-1].replace('\\"', '"').replace("'", "\\'")
        return f"'{text}'"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(js_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        # `__proto__` as a plain key would set the prototype, not a property.
        keys = [k if _JS_NAME.fullmatch(k) and k != "__proto__" else f"[{js_literal(k)}]" for k in value]
        pairs = zip(keys, value.values(), strict=True)
        return "{ " + ", ".join(f"{k}: {js_literal(v)}" for k, v in pairs) + " }"
    raise TypeError(f"no JavaScript literal for {type(value).__name__}")


def python_tuple(values: Sequence[Any]) -> str:
    """A tuple literal: `()`, `("a",)`, `("a", "b")`."""
    items = [python_literal(v) for v in values]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def context(resource: Resource, others: Sequence[Resource], migration: Mapping[str, Any]) -> dict[str, Any]:
    """What the templates see as `r`: the resource, its fields, and the resources it refers to."""
    by_name = {other.name: other for other in (*others, resource)}
    fields = []
    for item in resource.fields:
        data = {**dataclasses.asdict(item), **item.as_dict()}
        data["valid"] = list(samples.valid(item))
        data["query"] = [samples.query_text(value) for value in data["valid"]]
        data["invalid"] = samples.invalid(item)
        data["rules"] = item.kind.rules
        if item.target is not None:
            target = by_name[item.target]
            data["target_singular"] = target.singular
            data["target_class"] = pascal(target.singular)
        fields.append(data)
    return {
        **resource.as_dict(),
        "Singular": pascal(resource.singular),
        "fields": fields,
        "refs": [f for f in fields if f["type"] == "ref"],
        "sortable": ["id", *[f["column"] for f in fields if f["sortable"]], "created_at", "updated_at"],
        "filterable": [f for f in fields if f["operators"]],
        "referrers": [
            {"name": other.name, "singular": other.singular, "field": f.column, "optional": f.optional}
            for other in others
            for f in other.fields
            if f.target == resource.name
        ],
        "migration": dict(migration),
        # What the tests need to create a row of this resource or of one it refers to.
        "bodies": {
            each.name: [
                {f.column: None if f.type == "ref" else samples.valid(f)[n] for f in each.fields}
                for n in (0, 1)
            ]
            for each in by_name.values()
        },
        "ref_map": {
            each.name: {f.column: f.target for f in each.fields if f.target} for each in by_name.values()
        },
        "paths": {each.name: each.path for each in by_name.values()},
    }


def render_resource(
    framework: str, answers: Mapping[str, str], resource: Resource, others: Sequence[Resource],
    migration: Mapping[str, Any], part: str = render.RESOURCE_DIR,
) -> list[RenderedFile]:  # fmt: skip
    """Every file the resource adds to a project with these answers, sorted by path; with
    `part` REMOVAL_DIR, the migration that removes it."""
    import jinja2

    template = render.template_dir(framework)
    folder = template / part
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        auto_reload=False,
    )
    env.filters["py"] = python_literal
    env.filters["pytuple"] = python_tuple
    env.filters["js"] = js_literal
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    current = ""
    try:
        project = render.build_context(template, answers, env)
        values = {"cookiecutter": project, "r": context(resource, others, migration)}
        files = []
        for source in render.template_files(folder):
            rel = current = source.relative_to(folder).as_posix()
            if rel.endswith(".jinja"):
                continue  # macros, imported by the templates
            out = env.from_string(rel).render(values)
            data = env.get_template(rel).render(values).encode("utf-8")
            files.append(RenderedFile(out, data, 0o644))
    except jinja2.TemplateError as exc:
        raise GenerationError(f"the {framework} resource template fails in {current}: {exc}") from exc
    return sorted(files, key=lambda f: f.path)
