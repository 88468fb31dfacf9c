"""
A GraphQL document prepared once per distinct text: parsed (with a token cap), validated with
graphql-core's standard rules plus ours, and normalised (printed back, so whitespace and comments
do not make new cache keys), with what the response cache needs to know about it. Frontends send
the same few documents over and over: each is prepared once per process (and per setting that
changes validation), and both the cache key and execution use the same prepared object.

The limits (api.limits), which depend on the variables, are checked per request.
"""

from dataclasses import dataclass
from functools import lru_cache

from graphene_django.settings import graphene_settings
from graphql import GraphQLError, OperationType, parse, print_ast, specified_rules, validate
from graphql.language import DocumentNode, OperationDefinitionNode, Visitor, visit

from . import app_settings
from .limits import NoIntrospectionRule, NoNulCharacterRule


@dataclass(frozen=True)
class PreparedDocument:
    document: DocumentNode | None  # None when the text does not parse
    errors: tuple  # syntax or validation errors: the document must not run
    normalised: str = ""
    has_token: bool = False  # a `token` argument: a preview, never cached
    only_queries: bool = False  # no mutation or subscription

    @property
    def valid(self):
        return not self.errors


class _TokenFinder(Visitor):
    found = False

    def enter_argument(self, node, *args):
        if node.name.value == "token":
            self.found = True
            return self.BREAK


def _has_token_argument(document):
    finder = _TokenFinder()
    visit(document, finder)
    return finder.found


@lru_cache(maxsize=512)
def _prepare(text, max_tokens, introspection, suggestions):
    try:
        document = parse(text, max_tokens=max_tokens)
    except GraphQLError as error:
        return PreparedDocument(None, (error,))
    except RecursionError:
        return PreparedDocument(None, (GraphQLError("The document is nested too deeply."),))
    rules = [*specified_rules, NoNulCharacterRule]
    if not introspection:
        rules.append(NoIntrospectionRule)
    schema = graphene_settings.SCHEMA.graphql_schema
    errors = tuple(validate(schema, document, rules, max_errors=20, hide_suggestions=not suggestions))
    return PreparedDocument(
        document=document,
        errors=errors,
        normalised=print_ast(document),
        has_token=_has_token_argument(document),
        only_queries=all(
            definition.operation == OperationType.QUERY
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode)
        ),
    )


def prepare(text):
    """The prepared form of a document text, under the current settings."""
    return _prepare(
        text,
        app_settings.GRAPHQL_MAX_TOKENS,
        app_settings.GRAPHQL_INTROSPECTION,
        app_settings.GRAPHQL_FIELD_SUGGESTIONS,
    )
