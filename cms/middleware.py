from django.middleware.gzip import GZipMiddleware
from django.utils.cache import cc_delim_re


class GraphQLResponseMiddleware(GZipMiddleware):
    """
    For /graphql/ only:

    - compresses answers for clients that accept it (their content is public, so compression
      leaks nothing; pages carrying CSRF tokens are left alone, see BREACH);
    - drops `Vary: Cookie, Accept-Language` from public answers: they are the same for every
      reader and language (logged-in answers are `private, no-store`), and a CDN would otherwise
      store one copy per cookie.
    """

    def process_response(self, request, response):
        if request.path != "/graphql/" or response.get("Content-Type", "").startswith("text/html"):
            return response
        if response.get("Cache-Control", "").startswith("public") and response.has_header("Vary"):
            kept = [
                h
                for h in cc_delim_re.split(response["Vary"])
                if h.lower() not in ("cookie", "accept-language")
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return super().process_response(request, response)
