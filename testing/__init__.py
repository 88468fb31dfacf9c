"""
What tests share (docs/development.md#tests): imported by tests, bench/ and e2e/, never by the
apps (import-linter keeps `testing` above every layer).

- fixtures.py  the shared fixtures (gql, demo, news_index, editor, committed, assert_data_queries,
               fresh_cache), a pytest plugin registered by the root conftest.py
- queries.py   the GraphQL the tests ask of news pages: block selections, page selections, corpora
- graphql.py   posting to /graphql/ (GraphQLClient, post_query), counting data queries
- content.py   the demo article's title and path, the page editor's form for a draft
- users.py     superusers, members of the newsroom's roles, a review desk
- services.py  local services: `requires_service`, free ports, a webhook listener, gunicorn
- hostile.py   the hostile-request corpus (hostile_requests.json) and how to send it
"""
