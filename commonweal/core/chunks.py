"""Reading a big queryset a chunk at a time, by keyset paging on the primary key.

`keyset_chunks(queryset, size)` yields lists of at most `size` records in primary-key order, asking for the
next chunk with `pk > last` rather than an OFFSET, so each query costs the same however far in it is, and only
one chunk is held in memory. The queryset's own ordering is replaced by the primary key's.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable

T = TypeVar("T")


def keyset_chunks(queryset: QuerySet[Any, T], size: int) -> Iterator[list[T]]:
    """Every row of the queryset, `size` at a time in primary-key order.

    The rows may be model instances, or the tuples of values_list() with "pk" first, or the primary keys of
    values_list("pk", flat=True)."""
    if size < 1:
        raise ValueError("A chunk needs at least one row.")
    ordered = queryset.order_by("pk")
    key_of: Any
    kind = ordered._iterable_class
    if kind is ModelIterable:
        key_of = attrgetter("pk")
    elif kind is FlatValuesListIterable and _first_is_pk(ordered):
        key_of = None
    elif kind is ValuesListIterable and _first_is_pk(ordered):
        key_of = itemgetter(0)
    else:
        raise ValueError("keyset_chunks reads model instances, or values_list() with the primary key first.")
    last: Any = None
    while True:
        page = ordered if last is None else ordered.filter(pk__gt=last)
        chunk = list(page[:size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < size:  # a short chunk is the last one: no need to ask again
            return
        last = chunk[-1] if key_of is None else key_of(chunk[-1])


def _first_is_pk(queryset: QuerySet[Any, Any]) -> bool:
    fields: tuple[str, ...] = tuple(getattr(queryset, "_fields", None) or ())  # set by values_list()
    pk = queryset.model._meta.pk
    names = {"pk", pk.name, pk.attname} if pk else {"pk", "id"}
    return bool(fields) and fields[0] in names
