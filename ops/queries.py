"""
The GraphQL documents of the load test (docs/contract.md#graphql, as docs/graphql.md shows them), shared by
the locustfile and the driver: the driver reads pages back with the very document the traffic
uses, so it meets the same response-cache entries.
"""

LIST_QUERY = """
query NewsList($page: Int, $sector: String) {
  newsPages(page: $page, perPage: 12, sector: $sector, order: "-date") {
    items {
      id title slug urlPath date author intro
      heroImage { url width height srcSet(sizes: [320, 640, 960], format: "webp") }
      sectors { name slug }
      tags { name slug }
    }
    pagination { total count perPage currentPage totalPages nextPage prevPage }
  }
}
"""

PAGE_QUERY = """
query NewsPage($urlPath: String!) {
  page(urlPath: $urlPath) {
    __typename
    title urlPath
    ancestors { title urlPath }
    ... on NewsPage {
      date author intro heroCaption
      heroImage { url rendition(width: 1200, format: "webp") { url width height } }
      sectors { name slug }
      tags { name slug }
      body {
        id field blockType
        ... on CharBlock { value }
        ... on RichTextBlock { value }
        ... on ImageBlock {
          caption credit
          image { title width height srcSet(sizes: [320, 640, 960, 1200]) }
        }
        ... on QuoteBlock { text attribution }
        ... on KeyFiguresBlock { title figures { value label } }
        ... on DocumentChooserBlock { document { title url fileSize } }
        ... on EmbedBlock { url embed }
      }
    }
  }
}
"""

SECTORS_QUERY = "{ sectors { id name slug description newsCount } }"

SEARCH_QUERY = """
query Search($q: String!, $page: Int) {
  search(query: $q, page: $page, perPage: 10) {
    items { title urlPath date intro sectors { name slug } }
    pagination { total totalPages currentPage }
  }
}
"""

# A page the editor unpublishes now and then (ops/publisher.py), read by its slug: `newsPage` is
# null while the page is not live, so a reader who still gets its data got a hidden page.
WATCHED_QUERY = """
query Watched($slug: String!) {
  newsPage(slug: $slug) { id title slug intro }
}
"""
