{%- set S = r.Singular -%}
"""One resource: its model, schemas, service and routes.

scaffold generated this package; it is yours to change. The registry lists it.
"""

from __future__ import annotations

from .. import Resource
from .routes import bp, paths
from .schemas import {{ S }}, {{ S }}Create, {{ S }}Page, {{ S }}Update

resource = Resource(
    name={{ r.name | py }},
    blueprint=bp,
    models=(
        ({{ S }}Create, "validation"),
        ({{ S }}Update, "validation"),
        ({{ S }}, "serialization"),
        ({{ S }}Page, "serialization"),
    ),
    paths=paths,
)
