import time

from django.core.management.base import BaseCommand, CommandError

from news.generate import Progress, generate_news


class PlainStream:
    """The command's stderr without the error colour Django gives it on a terminal."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text):
        self.wrapper.write(text, style_func=lambda text: text, ending="")

    def flush(self):
        self.wrapper.flush()


class Command(BaseCommand):
    help = (
        "Add N generated Vietnamese news pages (realistic titles, leads, bodies, sectors and tags) "
        "to the default site's news section, in bulk, for benchmarks. Loads the demo content first "
        "if the section is missing. Each run adds more pages; the same --seed gives the same content."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many pages to add.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the content (default 1).")
        parser.add_argument(
            "--batch", type=int, default=1000, help="Pages per transaction and per search-index update."
        )

    def handle(self, *args, count, seed, batch, **options):
        if count < 0:
            raise CommandError("N must be 0 or more.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        # Progress and notes go to stderr, uncoloured; stdout gets the one-line summary.
        stderr = PlainStream(self.stderr)

        def log(message):
            stderr.write(f"{message}\n")

        progress = Progress(stderr, count)
        started = time.monotonic()
        created = generate_news(count, seed=seed, batch_size=batch, progress=progress.update, log=log)
        if count:
            progress.finish()
        elapsed = time.monotonic() - started
        rate = created / elapsed if elapsed > 0 else 0
        self.stdout.write(f"Created {created} news pages in {elapsed:.1f} s ({rate:.0f} pages/s)")
