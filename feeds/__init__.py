"""RSS 2.0 feeds of the latest news for aggregators (docs/feeds.md)."""
