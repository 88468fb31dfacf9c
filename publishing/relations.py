"""
A list's many-to-many relations fetched in one query each (`SharedTargets`: a list's sectors and
tags), kept on each page as the relation's prefetched objects: what a model's
`graphql_prefetches` names for such a relation (api.fetch_plans applies it when a query selects
the field).
"""

import functools


class PrefetchedQuerySet:
    """
    A relation's objects fetched in advance, as the result cache of a queryset that is never run:
    the pages of a list share one empty query (`none()` for each page cloned a query a hundred
    times a list, a tenth of its time). Anything chained on it (`page.sectors.filter(...)`) starts
    from these objects in the database, as a relation manager's queryset would.
    """

    def _chain(self):
        ids = [obj.pk for obj in self._result_cache]
        return self.model._default_manager.using(self.db).filter(pk__in=ids)._chain()


@functools.cache
def prefetched_class(queryset_class):
    """`queryset_class` with PrefetchedQuerySet's behaviour (its own methods kept)."""
    return type(f"Prefetched{queryset_class.__name__}", (PrefetchedQuerySet, queryset_class), {})


class SharedTargets:
    """
    A many-to-many relation whose targets repeat from page to page (a handful of sectors, a few
    dozen tags), fetched for a whole list in one query of plain values — each (page, target) pair
    with the target's columns — and each target made into an object once, the pages sharing it,
    instead of one model instance per pair. Each page's targets come in their model's order
    (Meta.ordering), tags in the order they were added.
    """

    def __init__(self, name):
        self.name = name

    def relation(self, model):
        field = model._meta.get_field(self.name)
        if hasattr(field, "m2m_field_name"):  # a ManyToManyField
            return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()
        return field.through, "content_object", "tag"  # a taggit manager: its ItemBase

    def prefetch(self, model, pages):
        pages = [page for page in pages if self.name not in getattr(page, "_prefetched_objects_cache", {})]
        if not pages:
            return
        through, source, target = self.relation(model)
        target_model = model._meta.get_field(self.name).related_model
        columns = [field.attname for field in target_model._meta.concrete_fields]
        rows = (
            through._base_manager.filter(**{f"{source}_id__in": [page.pk for page in pages]})
            .order_by("pk")
            .values_list(f"{source}_id", *(f"{target}__{column}" for column in columns))
        )
        targets, by_page = {}, {}
        for page_id, *values in rows:
            pk = values[columns.index(target_model._meta.pk.attname)]
            if pk not in targets:
                targets[pk] = target_model.from_db(through._base_manager.db, columns, values)
            by_page.setdefault(page_id, []).append(targets[pk])
        manager = target_model._base_manager
        queryset_class = prefetched_class(manager._queryset_class)
        empty = manager.none()
        for page in pages:
            found = by_page.get(page.pk, [])
            for ordering in reversed(target_model._meta.ordering):  # stable sorts, last key first
                name = ordering.lstrip("-")
                found.sort(key=lambda obj, name=name: getattr(obj, name), reverse=ordering.startswith("-"))
            cached = queryset_class(model=target_model, query=empty.query, using=empty.db)
            cached._result_cache, cached._prefetch_done = found, True
            page.__dict__.setdefault("_prefetched_objects_cache", {})[self.name] = cached
