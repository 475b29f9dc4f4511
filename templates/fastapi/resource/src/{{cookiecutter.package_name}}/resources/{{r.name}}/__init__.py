"""One resource: its model, schemas, service and routes.

scaffold generated this package; it is yours to change. The registry lists it.
"""

from __future__ import annotations

from .. import Resource
from .routes import router

resource = Resource(name={{ r.name | py }}, router=router)
