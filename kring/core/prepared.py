"""A query compiled once and run again with another id: for the few reads made many times a
second (every live socket's stage and heartbeat).

Django compiles a queryset's SQL every time it is evaluated. For a read that follows many
relations (a live session with its meeting, group, programme, organisation, facilitator,
method version and lead: a hundred columns) compiling costs more than running the query
and building its objects together. `PreparedQuery` compiles the queryset once per thread
and database, with a marker where the id goes, and builds the instances as Django's own
`ModelIterable` does (related objects, deferred fields, annotations, the database's
converters). The query runs through the connection's cursor as any other does (logged,
counted in tests).
"""

import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Stands for the id while compiling; found again among the compiled query's parameters.
_MARKER = -7_318_925_011


class PreparedQuery:
    def __init__(self, build: Callable[[int], QuerySet]):
        """`build(id)`: the queryset for one id (filtered on it, one row at most)."""
        self.build = build
        self._compiled = threading.local()

    def _compile(self, using: str):
        cache = self._compiled.__dict__
        found = cache.get(using)
        if found is None:
            queryset = self.build(_MARKER).order_by()[:1]
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotations
            params = list(params)
            if params.count(_MARKER) != 1:
                raise ValueError("the prepared query must take its id exactly once")
            found = cache[using] = (compiler, sql, params, params.index(_MARKER))
        return found

    def get(self, object_id: int, using: str = "default"):
        """The instance with `object_id`, or None."""
        compiler, sql, params, at = self._compile(using)
        params = list(params)
        params[at] = object_id
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        [row] = compiler.results_iter(results=[[row]])  # the database's converters
        info = compiler.klass_info
        fields = info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in compiler.select[start:end]]
        instance = info["model"].from_db(using, names, row[start:end])
        for populator in get_related_populators(info, compiler.select, using):
            populator.populate(row, instance)
        for name, position in compiler.annotation_col_map.items():
            setattr(instance, name, row[position])
        return instance
