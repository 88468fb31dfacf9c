"""
The GraphQL the tests ask of news pages, written once.

Each block type's selection is here once (CHAR, RICH_TEXT, QUOTE, ...; `body(...)` puts a body
together), and the selections of a news page are built from them, one for each thing tests
check:

- FRONTEND_FIELDS, FRONTEND_BODY: what a frontend asks (the contract, news/tests/test_graphql.py;
  production settings, api/tests/test_hostile_requests.py);
- COUNTED_NEWS: everything that could cost a query per item — renditions, srcSets, section
  counts, links, documents (the pinned counts of api/tests/test_query_counts.py);
- STORED_NEWS, STORED_BODY: within what stored answers hold (answers/stored.py), STORED_BODY to
  the deepest blocks;
- EVERY_NEWS_FIELD: what two executors must answer alike, resolvers of every kind.

And the corpora of the tests that compare two ways of answering on many queries:
STORED_ANSWERS_CORPUS (stored answers and the database, answers/tests/test_stored_answers.py) and
EXECUTION_CORPUS (the lean executor and graphql-core's, api/tests/test_execution.py).

A change here changes what those tests ask, and so what they pin: the SQL counts of
test_query_counts.py were measured on these selections.
"""

# A block's own fields, on every block type.
BLOCK = "__typename id field blockType rawValue"
CHAR = "... on CharBlock { value }"
RICH_TEXT = "... on RichTextBlock { value }"
QUOTE = "... on QuoteBlock { text attribution }"
KEY_FIGURES = "... on KeyFiguresBlock { title figures { value label } }"
DOCUMENT = "... on DocumentChooserBlock { document { title url } }"
EMBED = "... on EmbedBlock { url }"


def body(*selections):
    """A news page's `body` with these selections of its blocks."""
    return "body { " + " ".join(selections) + " }"


PAGINATION = "pagination { total count perPage currentPage totalPages nextPage prevPage }"
PAGINATION_TOTALS = "pagination { total count totalPages }"

# A news page's own text, as a list shows it.
ARTICLE = "id title slug url urlPath date author intro heroCaption"

FRONTEND_FIELDS = (
    f"{ARTICLE} heroImage {{ url srcSet(sizes: [320, 640]) }} sectors {{ name slug }} tags {{ name slug }}"
)
FRONTEND_BODY = body(
    "id blockType field rawValue",
    CHAR,
    RICH_TEXT,
    "... on ImageBlock { caption credit image { title width height url "
    'srcSet(sizes: [320, 800], format: "webp") rendition(width: 800) { url width } } }',
    QUOTE,
    KEY_FIGURES,
    DOCUMENT,
    EMBED,
)

COUNTED_BODY = body(
    "id field blockType rawValue",
    CHAR,
    RICH_TEXT,
    "... on ImageBlock { caption image { url width srcSet(sizes: [320, 640]) "
    "rendition(width: 320) { url } } }",
    "... on KeyFiguresBlock { figures { value label } }",
    DOCUMENT,
)
COUNTED_NEWS = (
    f"{ARTICLE} "
    "heroImage { url srcSet(sizes: [320, 640, 960]) rendition(width: 800) { url width height } } "
    "sectors { name slug newsCount } tags { name slug } parent { title urlPath } ancestors { title } "
    f"{COUNTED_BODY}"
)

STORED_NEWS = (
    "id title slug urlPath date author intro heroCaption locale heroImage { id url width height } "
    "sectors { name slug } tags { name slug } "
    + body(BLOCK, CHAR, RICH_TEXT, "... on ImageBlock { caption credit image { url } }", KEY_FIGURES)
)
STORED_BODY = body(
    BLOCK,
    CHAR,
    RICH_TEXT,
    "... on ImageBlock { caption credit image { id title url width height } blocks { __typename id field } }",
    "... on QuoteBlock { text attribution blocks { blockType ... on TextBlock { value } } }",
    "... on KeyFiguresBlock { title figures { value label } blocks { blockType ... on ListBlock { "
    "items { ... on StructBlock { blocks { ... on CharBlock { value } } } } } } }",
)

EVERY_NEWS_FIELD = (
    "__typename id title slug url urlPath date author intro heroCaption seoTitle pageType "
    "firstPublishedAt lastPublishedAt heroImage { __typename id title width height url aspectRatio isSvg } "
    "sectors { __typename id name slug description newsCount snippetType contentType } tags { id name slug } "
    "parent { title urlPath } ancestors { title } children(limit: 3) { title } "
    + body(
        BLOCK,
        CHAR,
        RICH_TEXT,
        "... on ImageBlock { caption credit blocks { id field } image { id title width } }",
        QUOTE,
        KEY_FIGURES,
        "... on DocumentChooserBlock { document { id title fileSize } }",
        EMBED,
    )
)

# Named fragments, one inside the other, for a query's `items { ...N }`.
FRAGMENTS = (
    "fragment N on NewsPage { title body { ...B } } "
    "fragment B on StreamFieldInterface { field ... on RichTextBlock { value } }"
)

# Lists and pages whose answers are stored: aliases, fragments, directives, arguments, locales.
STORED_ANSWERS_CORPUS = [
    f"{{ newsPages(perPage: 20) {{ items {{ id title slug urlPath date author intro {STORED_BODY} }} }} }}",
    "{ newsPages { items { t: title s: slug sectors { a: name b: name slug } tags { name } } } }",
    f'{{ newsPages(order: "title") {{ items {{ ...N }} pagination {{ total }} }} }} {FRAGMENTS}',
    "{ newsPages { items { ... on PageInterface { title locale pageType firstPublishedAt lastPublishedAt } "
    "... on NewsPage { heroCaption heroImage { url aspectRatio isSvg focalPointX } } } } }",
    "query ($full: Boolean!, $lean: Boolean!) { newsPages { items { title "
    "intro @include(if: $full) author @skip(if: $lean) body @include(if: $full) { field } } } }",
    "{ a: newsPages(perPage: 2) { items { title } } "
    "b: newsPages(page: 2, perPage: 2) { items { slug title } } }",
    "{ newsPages { items { title title body { id } body { field } } } }",
    '{ newsPage(slug: "dong-phuc") { __typename title seoTitle searchDescription sectors { id description '
    "snippetType contentType } body { blockType } } }",
    '{ newsPages(sector: "giao-duc") { items { title } } '
    'newsPages2: newsPages(tag: "bac-kan") { items { slug } } }',
    '{ newsPages(locale: "en") { items { title locale sectors { name } } } }',
    # Fields with arguments on images: executed on the images, loaded by their stored ids.
    "{ newsPages { items { title heroImage { url rendition(width: 320) { url width } "
    "srcSet(sizes: [320, 640]) } "
    "body { ... on ImageBlock { image { id r: rendition(width: 640) { url } } } } } } }",
    # A type the shape does not store: only the page holding it reads it from the database.
    "{ newsPages { items { slug body { ... on DocumentChooserBlock { document { title } } } } } }",
]

# Every root field of the news desk's content, with fragments, variables and arguments.
EXECUTION_CORPUS = [
    f"{{ newsPages(perPage: 20) {{ items {{ {EVERY_NEWS_FIELD} }} {PAGINATION} }} }}",
    "{ newsPages { items { t: title s: slug sectors { a: name b: name } } } }",
    f'{{ newsPages(order: "title") {{ items {{ ...N }} }} }} {FRAGMENTS}',
    '{ sectors { id name slug newsCount } sector(slug: "y-te") { name newsCount } }',
    '{ page(urlPath: "/tin-tuc/") { __typename title ... on NewsIndexPage { intro } '
    "children(limit: 50) { __typename title ... on NewsPage { date sectors { slug } } } } }",
    '{ page(urlPath: "/") { ... on HomePage { intro } children { title } } }',
    "query ($n: Int) { newsPages(perPage: $n) { items { id } pagination { total } } }",
    "{ newsPages { items { body { ... on ImageBlock { image { srcSet(sizes: [320]) "
    "rendition(width: 320) { url width } } } } } } }",
]
