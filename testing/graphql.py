"""Posting GraphQL to the endpoint as a frontend does, and counting the SQL a request costs."""

import json

# What PostgreSQL adds to each GraphQL request inside a test's transaction: the statement timeout
# is set in a savepoint. Not data queries: pinned counts leave them out, on either database.
CONTROL_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL", "ROLLBACK TO SAVEPOINT")


def post_query(client, query, variables=None, **headers):
    """`query` POSTed as JSON to /graphql/ by a Django test client; the response."""
    return client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )


def answer(client, query, variables=None):
    """The decoded body of `post_query`'s response, errors and all."""
    return post_query(client, query, variables).json()


def data_queries(captured):
    """The SQL of the data queries among `captured` (a CaptureQueriesContext's queries)."""
    return [query["sql"] for query in captured if not query["sql"].startswith(CONTROL_STATEMENTS)]


class GraphQLClient:
    """Posts a query to the real endpoint, as a frontend would, and returns the decoded body."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None):
        response = post_query(self.client, query, variables)
        assert response["Content-Type"].startswith("application/json")
        return response, response.json()

    def __call__(self, query, variables=None):
        response, body = self.post(query, variables)
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query, variables=None):
        response, body = self.post(query, variables)
        assert "errors" in body, body
        return [error["message"] for error in body["errors"]]
