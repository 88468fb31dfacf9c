"""
Realistic Vietnamese news pages in bulk, for benchmarks and load tests (`manage.py generate_news`).

Three layers:

- phrases.py: what articles are made of (places, people, topics per sector, sentences), data only.
- articles.py: `article_data(rng, today, sectors)` composes one article — title, lead, byline,
  date, sectors, tags and a StreamField body. It touches no database and draws every choice from
  `rng`, so a given `random.Random(seed)` always yields the same articles.
- writer.py: `generate_news(count, ...)` writes them under the default site's "Tin tức" section
  in batches, without Wagtail's page-by-page `add_child`: it computes the treebeard paths itself,
  bulk-inserts the `wagtailcore_page` rows, then the `news_newspage` rows, the sector and tag
  rows, and indexes each batch for search in bulk. Each batch is one transaction that leaves a
  valid tree (the parent's `numchild` is updated in the same transaction).

What it does not create: revisions, log entries and Wagtail's reference index (image usage) rows —
generated pages are published as they are, with no history. See docs/content-model.md.
"""

from .articles import article_data
from .writer import generate_news

__all__ = ["article_data", "generate_news"]
