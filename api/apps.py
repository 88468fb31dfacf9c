from django.apps import AppConfig


class ApiConfig(AppConfig):
    """
    The GraphQL plumbing: the endpoint, its limits, how operations run, fetch plans, grapple's types
    as we change them. Listed after grapple in INSTALLED_APPS: by the time `ready()` runs grapple
    has built its types, and our changes to them are installed once (grapple_overrides.py).
    Start-up fails if graphql-core changed what our executors rely on (execution.py, `RELIES_ON`).
    The schema served is the project's (cms/schema.py), over every app's root fields.
    """

    name = "api"
    verbose_name = "GraphQL API"

    def ready(self):
        from . import execution, grapple_overrides

        grapple_overrides.install()
        execution.check_graphql_core()
