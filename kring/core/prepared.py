"""A query compiled once and run again with another id: for the few reads made many times a
second (every live socket's stage and heartbeat).

Django compiles a queryset's SQL every time it is evaluated. For a read that follows many
relations (a live session with its meeting, group, programme, organisation, facilitator,
method version and lead: a hundred columns) compiling costs more than running the query
and building its objects together. `PreparedQuery` compiles the queryset once per process
and database, with a marker where the id goes, and builds the instances as Django's own
`ModelIterable` does (related objects, deferred fields, annotations, the database's
converters). The query runs through the connection's cursor as any other does (logged,
counted in tests).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Stands for the id while compiling; found again among the compiled query's parameters.
_MARKER = -7_318_925_011


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    at: int  # where the id goes among the parameters
    # Per column that needs it: the database's and the field's converters.
    converters: tuple[tuple[int, tuple, object], ...]
    model: type
    start: int  # the model's own columns: row[start:end], named
    end: int
    names: tuple[str, ...]
    populators: tuple  # the related objects, filled from the same row
    annotations: tuple[tuple[str, int], ...]


class PreparedQuery:
    def __init__(self, build: Callable[[int], QuerySet]):
        """`build(id)`: the queryset for one id (filtered on it, one row at most)."""
        self.build = build
        self._compiled: dict[str, _Compiled] = {}
        self._compiling = threading.Lock()

    def _compile(self, using: str) -> _Compiled:
        # Once per process and database: a request runs on a thread of its own under
        # ASGI, so a compilation kept per thread was made again for every request. What
        # is kept holds no connection: each run uses its own thread's.
        found = self._compiled.get(using)
        if found is not None:
            return found
        with self._compiling:
            found = self._compiled.get(using)
            if found is None:
                found = self._compiled[using] = self._compile_now(using)
        return found

    def _compile_now(self, using: str) -> _Compiled:
        queryset = self.build(_MARKER).order_by()[:1]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotations
        params = tuple(params)
        if params.count(_MARKER) != 1:
            raise ValueError("the prepared query must take its id exactly once")
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("the prepared query cannot read composite fields")
        info = compiler.klass_info
        fields = info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=params,
            at=params.index(_MARKER),
            converters=tuple(
                (position, tuple(converters), expression)
                for position, (converters, expression) in compiler.get_converters(columns).items()
            ),
            model=info["model"],
            start=start,
            end=end,
            names=tuple(column[0].target.attname for column in compiler.select[start:end]),
            populators=tuple(get_related_populators(info, compiler.select, using)),
            annotations=tuple(compiler.annotation_col_map.items()),
        )

    def get(self, object_id: int, using: str = "default"):
        """The instance with `object_id`, or None."""
        compiled = self._compile(using)
        params = list(compiled.params)
        params[compiled.at] = object_id
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, converters, expression in compiled.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        instance = compiled.model.from_db(using, compiled.names, row[compiled.start : compiled.end])
        for populator in compiled.populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        return instance
