"""`any`: a foreign key equal to one of a list of ids, the list sent as a single parameter.

`speaker__any=[ids]` means the same as `speaker__in=[ids]`, without Django preparing each of
thousands of values every time the query is compiled (the quote list, its facets and its cache key
compile a filter three times; an export batch asks for the topics of 2,000 quotes).
"""

import json

from django.db import models


@models.ForeignKey.register_lookup
class AnyOf(models.Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):  # PostgreSQL: the list as one array
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, [int(pk) for pk in self.rhs]]

    def as_sqlite(self, compiler, connection):  # SQLite: the list as one JSON array
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [
            *lhs_params,
            json.dumps([int(pk) for pk in self.rhs]),
        ]
