import json

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView

from home.scheduling import publish_due_revisions


class NewsroomGraphQLView(GraphQLView):
    """
    The one GraphQL endpoint. Responses are compact UTF-8 JSON: graphene-django escapes
    every non-ASCII character as \\uXXXX, which makes Vietnamese text about 50 % larger.
    """

    def json_encode(self, request, d, pretty=False):
        if not (self.pretty or pretty) and not request.GET.get("pretty"):
            return json.dumps(d, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(d, ensure_ascii=False, sort_keys=True, indent=2, separators=(",", ": "))

    def dispatch(self, request, *args, **kwargs):
        # Read per request, so tests and deployments can switch GraphiQL off.
        self.graphiql = settings.GRAPHIQL_ENABLED
        publish_due_revisions()
        return super().dispatch(request, *args, **kwargs)


# Frontends POST JSON from other origins with no session cookie: CSRF does not apply.
graphql_view = csrf_exempt(NewsroomGraphQLView.as_view())
