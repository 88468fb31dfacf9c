"""
The served GraphQL schema: each app's root fields over the types grapple builds from the models
(as api/grapple_overrides.py leaves them).

We do not use grapple's own schema: its root fields (`pages`, `search`, `redirects`, `snippets`,
`images`, ...) return drafts and private content and sort on any column. This is the one module
that knows every app; `schema.graphql` is its printed form (`make schema`).
"""

import graphene

from api.grapple_overrides import schema_types
from api.interfaces import PageInterface
from api.pages import PageQuery
from news.graphql import NewsQuery, TagType
from search.graphql import SearchQuery


class Query(NewsQuery, SearchQuery, PageQuery, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, types=[*schema_types(), TagType, PageInterface], auto_camelcase=True)
