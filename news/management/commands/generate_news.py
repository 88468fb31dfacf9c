import time

from django.core.management.base import BaseCommand, CommandError

from news.generate import generate_news


class Progress:
    """One line on `stream`, rewritten in place: count/total, pages per second, ETA."""

    def __init__(self, stream, total):
        self.stream = stream
        self.total = total
        self.started = time.monotonic()

    def update(self, done):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate else 0
        width = len(str(self.total))
        self.stream.write(
            f"\r{done:>{width}}/{self.total} pages  {done * 100 // max(self.total, 1):3d}%  "
            f"{rate:7.0f} pages/s  ETA {format_duration(eta)}   "
        )
        self.stream.flush()

    def finish(self):
        self.stream.write("\n")
        self.stream.flush()


def format_duration(seconds):
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


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
