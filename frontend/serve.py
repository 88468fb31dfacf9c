"""
The reference frontend's server: the static files in `public/`, a `/config.js` module telling
the browser where the CMS's GraphQL endpoint is, `/sitemap.xml` from the CMS's `sitemap`, and
`index.html` for every other path (the app reads the address and renders the route itself).
Standard library only, loopback only.

    python frontend/serve.py [--port 3000] [--graphql-url http://127.0.0.1:8000/graphql/]

The port also comes from FRONTEND_PORT, the GraphQL URL from CMS_GRAPHQL_URL.
"""

import argparse
import json
import os
import sys
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

HOST = "127.0.0.1"
DEFAULT_PORT = 3000
DEFAULT_GRAPHQL_URL = "http://127.0.0.1:8000/graphql/"
PUBLIC_DIR = Path(__file__).resolve().parent / "public"
PER_PAGE = 10
SITEMAP_QUERY = """query Sitemap($page: Int!, $locale: String) {
  sitemap(page: $page, perPage: 5000, locale: $locale) {
    items { urlPath lastPublishedAt } pagination { nextPage }
  }
}"""
LANGUAGES = ("vi", "en")  # the CMS's content languages: Vietnamese pages, then the English ones
SITEMAP_MAX_ENTRIES = 50_000  # what one sitemap file may hold (sitemaps.org)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}


def origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(graphql_url):
    """
    Scripts and styles from this server only, so the CMS's rich text (inserted as HTML) can never
    run script; images and embedded players from anywhere, as the CMS's media may live elsewhere.
    """
    connect = " ".join(filter(None, ["'self'", origin_of(graphql_url)]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: http: https:",
            "media-src 'self' http: https:",
            "frame-src http: https:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


def config_module(graphql_url):
    config = {"graphqlUrl": graphql_url, "perPage": PER_PAGE, "timeoutMs": 15000}
    # json.dumps yields a valid JS literal; "<" is escaped so the text is inert anywhere.
    literal = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    return (
        "// Written by frontend/serve.py from CMS_GRAPHQL_URL (or --graphql-url).\n"
        f"export const config = Object.freeze({literal});\n"
    )


def sitemap_entries(graphql_url, timeout=30):
    """Every public page of the CMS's site in each language, page after page of `sitemap`."""
    entries = []
    for locale in LANGUAGES:
        entries += sitemap_entries_in(graphql_url, locale, SITEMAP_MAX_ENTRIES - len(entries), timeout)
    return entries[:SITEMAP_MAX_ENTRIES]


def sitemap_entries_in(graphql_url, locale, limit, timeout):
    entries, page = [], 1
    while page is not None and len(entries) < limit:
        request = urllib.request.Request(  # noqa: S310 (the configured CMS)
            graphql_url,
            data=json.dumps({"query": SITEMAP_QUERY, "variables": {"page": page, "locale": locale}}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer = json.loads(response.read().decode())
        if "errors" in answer:
            raise RuntimeError(answer["errors"][0]["message"])
        sitemap = answer["data"]["sitemap"]
        entries += sitemap["items"]
        page = sitemap["pagination"]["nextPage"]
    return entries[:limit]


def sitemap_xml(origin, entries):
    """sitemaps.org XML: each page's address on this site, with its last publication date."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for entry in entries:
        location = escape(origin + quote(entry["urlPath"], safe="/-._~"))
        modified = (
            f"<lastmod>{escape(entry['lastPublishedAt'])}</lastmod>" if entry["lastPublishedAt"] else ""
        )
        lines.append(f"  <url><loc>{location}</loc>{modified}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


class FrontendHandler(BaseHTTPRequestHandler):
    def version_string(self):
        return "newsroom-frontend"

    def do_GET(self):
        self.respond(send_body=True)

    def do_HEAD(self):
        self.respond(send_body=False)

    def respond(self, send_body):
        path = unquote(urlsplit(self.path).path)
        if path == "/config.js":
            body = config_module(self.server.graphql_url).encode()
            return self.send(HTTPStatus.OK, CONTENT_TYPES[".js"], body, send_body)
        if path == "/sitemap.xml":
            return self.send_sitemap(send_body)
        file = self.static_file(path)
        if file is None:
            if Path(path).suffix:
                # A missing asset is a 404, not the app: a typo in a script name stays visible.
                return self.send(HTTPStatus.NOT_FOUND, CONTENT_TYPES[".txt"], b"Not found\n", send_body)
            file = PUBLIC_DIR / "index.html"
        content_type = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
        return self.send(HTTPStatus.OK, content_type, file.read_bytes(), send_body)

    def send_sitemap(self, send_body):
        try:
            entries = sitemap_entries(self.server.graphql_url)
        except (OSError, ValueError, KeyError, RuntimeError) as error:
            body = f"The CMS did not answer: {error}\n".encode()
            return self.send(HTTPStatus.BAD_GATEWAY, CONTENT_TYPES[".txt"], body, send_body)
        origin = f"http://{self.headers.get('Host') or f'{HOST}:{self.server.server_address[1]}'}"
        return self.send(HTTPStatus.OK, CONTENT_TYPES[".xml"], sitemap_xml(origin, entries), send_body)

    def static_file(self, path):
        relative = path.lstrip("/")
        if not relative or "\x00" in relative:
            return None
        candidate = (PUBLIC_DIR / relative).resolve()
        if not candidate.is_relative_to(PUBLIC_DIR) or not candidate.is_file():
            return None
        return candidate

    def send(self, status, content_type, body, send_body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # A development server: always serve the current files.
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        self.send_header("Content-Security-Policy", content_security_policy(self.server.graphql_url))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format, *args):
        if not self.server.quiet:
            super().log_message(format, *args)


def create_server(port=DEFAULT_PORT, graphql_url=DEFAULT_GRAPHQL_URL, quiet=False):
    """A server bound to 127.0.0.1 (port 0 picks a free one); call serve_forever() on it."""
    server = ThreadingHTTPServer((HOST, port), FrontendHandler)
    server.daemon_threads = True
    server.graphql_url = graphql_url
    server.quiet = quiet
    return server


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Serve the reference frontend on 127.0.0.1.")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("FRONTEND_PORT") or DEFAULT_PORT),
        help="port to listen on (default: FRONTEND_PORT or 3000; 0 picks a free one)",
    )
    parser.add_argument(
        "--graphql-url",
        default=os.environ.get("CMS_GRAPHQL_URL") or DEFAULT_GRAPHQL_URL,
        help=f"the CMS's GraphQL endpoint (default: CMS_GRAPHQL_URL or {DEFAULT_GRAPHQL_URL})",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    if not (args.graphql_url.startswith(("http://", "https://", "/"))):
        parser.error("--graphql-url must be an http(s) URL or a path on this server")
    return args


def main(argv=None):
    args = parse_args(argv)
    server = create_server(args.port, args.graphql_url, args.quiet)
    port = server.server_address[1]
    print(f"  Reference frontend  http://{HOST}:{port}/", flush=True)  # noqa: T201
    print(f"  reading GraphQL     {args.graphql_url}", flush=True)  # noqa: T201
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
