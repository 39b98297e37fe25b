"""Querysets compiled to SQL once per database vendor and then run with new values.

Building and compiling an ORM query costs the portal more than PostgreSQL spends running it
(the signed-in user's query, with its two subqueries: about 1.5 ms to compile, 0.1 ms to run).
A query run on every request is compiled once here and run through `Model.raw()`, which
makes the same model instances, extra columns included, with the database's converters.
Only for querysets without select_related (raw() does not follow relations). A values_list()
queryset (a UNION ALL of several included) gives its rows as tuples through `rows()`, each
value converted as the ORM converts it.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable

# Values no key takes, so each can be found among the compiled parameters.
_PLACEHOLDER = -7_310_2024


class CompiledQuery:
    """`build(**values)` returns the queryset for some values of `names` (each used at least
    once); `run(**values)` runs it compiled."""

    def __init__(self, build, *names):
        self.build = build
        self.names = names
        self._compiled = {}
        self._converters = {}

    def compile(self, using=DEFAULT_DB_ALIAS):
        vendor = connections[using].vendor
        if vendor not in self._compiled:
            placeholders = {name: _PLACEHOLDER - n for n, name in enumerate(self.names)}
            queryset = self.build(**placeholders)
            if queryset._iterable_class is ModelIterable:
                if queryset.query.select_related:
                    raise ValueError("CompiledQuery cannot follow select_related")
            else:  # rows(): raw() converts a model's columns itself
                self._converters[vendor] = _converters(queryset, using)
            sql, params = queryset.query.get_compiler(using).as_sql()
            slots = {}
            for name, placeholder in placeholders.items():
                found = [n for n, param in enumerate(params) if str(param) == str(placeholder)]
                if not found:
                    raise ValueError(f"the built queryset must use {name}")
                slots[name] = [(n, type(params[n])) for n in found]
            self._compiled[vendor] = (queryset.model, sql, tuple(params), slots)
        return self._compiled[vendor]

    def _bound(self, using, values):
        model, sql, params, slots = self.compile(using)
        params = list(params)
        for name, found in slots.items():
            for slot, kind in found:
                params[slot] = kind(values[name])
        return model, sql, params

    def run(self, using=DEFAULT_DB_ALIAS, **values):
        model, sql, params = self._bound(using, values)
        return model._default_manager.db_manager(using).raw(sql, params)

    def rows(self, using=DEFAULT_DB_ALIAS, **values) -> list[tuple]:
        """The rows of a values_list() queryset, each value converted as the ORM does."""
        _model, sql, params = self._bound(using, values)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        converters = self._converters[connection.vendor]
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(tuple(row))
        return converted


def _converters(queryset, using) -> list:
    """The ORM's converters of each column: (position, (functions, expression)); a UNION's
    columns are typed by its first query."""
    query = queryset.query
    compiler = (query.combined_queries[0] if query.combinator else query).get_compiler(using)
    compiler.setup_query()
    columns = [expression for expression, _sql, _alias in compiler.select]
    return list(compiler.get_converters(columns).items())
