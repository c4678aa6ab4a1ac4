"""A queryset whose SQL is worked out once and run with new values each time.

Building and compiling a query costs the ORM about as much time as PostgreSQL takes to
answer it (about a millisecond for an article page's article). A page that asks the same
query with another slug on every request can keep the SQL: the queryset is built once with
marker values, compiled, and each run puts the real values where the markers were, prepared
for the database by the same fields the ORM uses. The query itself stays written with the
ORM (and with `published()`, the one definition of public).
"""

from collections.abc import Callable, Hashable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, QuerySet
from django.db.models.query import RawQuerySet


class PreparedQuery:
    """`PreparedQuery(build, name=(field, marker), …).run(name=value, …)`: the rows of
    `build(name=value, …)`, with `build` called and compiled once per database."""

    def __init__(self, build: Callable[..., QuerySet], **markers: tuple[Field, Any]):
        self._build = build
        self._markers = markers
        self._compiled: dict[str, tuple[type, str, list[tuple[str | None, Any]]]] = {}

    def run(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> RawQuerySet:
        if values.keys() != self._markers.keys():
            raise TypeError(f"run() takes exactly {sorted(self._markers)}")
        model, sql, slots = self._compiled.get(using) or self._compile(using)
        connection = connections[using]
        prepared = {
            name: field.get_db_prep_value(values[name], connection, prepared=False)
            for name, (field, _) in self._markers.items()
        }
        params = [prepared[name] if name else param for name, param in slots]
        return model._default_manager.raw(sql, params, using=using)

    def _compile(self, using: str) -> tuple[type, str, list[tuple[str | None, Any]]]:
        queryset = self._build(**{name: marker for name, (_, marker) in self._markers.items()})
        sql, params = queryset.query.get_compiler(using).as_sql()
        connection = connections[using]
        marker_of = {
            field.get_db_prep_value(marker, connection, prepared=False): name
            for name, (field, marker) in self._markers.items()
        }
        # Each parameter: the name of the value that goes there, or None to keep it.
        slots = [(marker_of.get(p) if isinstance(p, Hashable) else None, p) for p in params]
        missing = set(self._markers) - {name for name, _ in slots}
        if missing:
            raise ValueError(f"the query does not use {sorted(missing)}")
        self._compiled[using] = (queryset.model, sql, slots)
        return self._compiled[using]
