"""
Checks that the repository refers only to what is in it (`make lint`):

- every relative link of a Markdown file resolves to a file, and its `#anchor` to a heading;
- every path to a file of the project written in the docs or in the code (`api/limits.py`,
  `docs/search.md`, `ops/nginx/newsroom.conf`) exists;
- every dotted reference to a module of the project (`publishing.visibility.visible`,
  `publishing.freshness`) names a module that exists, and what follows the module a name it
  defines; `news.NewsPage` may also be a model label.

Prints each broken reference as `file:line: reference` and exits with 1 if there is one.
"""

import ast
import io
import re
import subprocess
import sys
import tokenize
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "cms",
    "api",
    "answers",
    "backups",
    "publishing",
    "home",
    "news",
    "search",
    "webhooks",
    "signin",
    "editorial",
    "feeds",
    "testing",
)
FOLDERS = (*PACKAGES, "docs", "ops", "bench", "frontend", "e2e", "locale", "tools")
SUFFIXES = ("py", "md", "json", "conf", "txt", "toml", "html", "js", "css", "po", "graphql")

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
FILE_PATH = re.compile(rf"(?<![\w/.-])((?:{'|'.join(FOLDERS)})/[\w./-]*\.(?:{'|'.join(SUFFIXES)}))(?![\w/-])")
DOTTED = re.compile(rf"(?<![\w./-])((?:{'|'.join(PACKAGES)})(?:\.[A-Za-z_]\w*)+)(?![\w/-]|\.\w)")
DEFINITION = re.compile(r"^\s*(?:def|class)\s+(\w+)|^\s*(\w+)\s*(?::[^=\n]*)?=(?!=)", re.MULTILINE)
# Host names and file names that look like dotted references.
NOT_MODULES = re.compile(
    r"\.(org|com|net|vn|io|internal|test|local|example)(\.|$)|\.(md|py|html|txt|json)$|\.[EW]\d{3}$"
)
# A Markdown file named without a folder: the README, a doc, a file beside the one naming it.
MARKDOWN_NAME = re.compile(r"(?<![\w/.-])([\w-]+\.md)\b")


def tracked_files():
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


@cache
def headings(markdown):
    """GitHub's anchors of a Markdown file's headings."""
    anchors = set()
    for line in markdown.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title)))
    return anchors


@cache
def defined_names(module_file):
    """Names a module defines at any level: functions, classes, assignments."""
    return {
        name for pair in DEFINITION.findall(module_file.read_text(encoding="utf-8")) for name in pair if name
    }


def module_file(parts):
    path = ROOT.joinpath(*parts)
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


def dotted_reference_exists(reference):
    if NOT_MODULES.search(reference):
        return True
    parts = reference.split(".")
    for end in range(len(parts), 0, -1):
        found = module_file(parts[:end])
        if found is None:
            continue
        rest = parts[end:]
        if not rest:
            return True
        if rest[0] in defined_names(found):
            return True
        # An app label and a model: news.NewsPage, news.newspage.
        models = module_file([parts[0], "models"])
        return (
            end == 1
            and models is not None
            and rest[0].lower() in {name.lower() for name in defined_names(models)}
        )
    return False


def prose_lines(path, text):
    """(line number, text) of what is prose: every line of a Markdown file; the comments and
    docstrings of a Python file (its code uses variables named like the packages)."""
    if path.suffix != ".py":
        yield from enumerate(text.splitlines(), 1)
        return
    try:
        tree = ast.parse(text)
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (SyntaxError, tokenize.TokenError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                if isinstance(first.value.value, str):
                    for offset, line in enumerate(first.value.value.splitlines()):
                        yield first.lineno + offset, line


def file_exists(path, reference):
    """A path from the project's root, from the file's folder, or a template or static file."""
    candidates = [ROOT / reference, path.parent / reference]
    candidates += [
        app / kind / reference for app in map(ROOT.joinpath, PACKAGES) for kind in ("templates", "static")
    ]
    return any(candidate.exists() for candidate in candidates)


def problems_in(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".md":
        for number, line in enumerate(text.splitlines(), 1):
            for target in MARKDOWN_LINK.findall(line):
                if re.match(r"[a-z]+:", target):
                    continue
                file_part, _, anchor = target.partition("#")
                linked = (path.parent / file_part).resolve() if file_part else path
                if not linked.exists():
                    yield number, target
                elif anchor and linked.suffix == ".md" and anchor not in headings(linked):
                    yield number, target
    for number, line in enumerate(text.splitlines(), 1):
        for reference in FILE_PATH.findall(line):
            if not file_exists(path, reference):
                yield number, reference
    if path.suffix in (".py", ".md"):
        for number, line in prose_lines(path, text):
            for name in MARKDOWN_NAME.findall(line):
                if not any((folder / name).exists() for folder in (ROOT, ROOT / "docs", path.parent)):
                    yield number, name
            for reference in DOTTED.findall(line):
                if not dotted_reference_exists(reference):
                    yield number, reference


def main():
    broken = 0
    for path in tracked_files():
        if (
            path.suffix not in (".py", ".md", ".toml", ".conf", ".json", ".html")
            or "migrations" in path.parts
        ):
            continue
        for number, reference in problems_in(path):
            print(f"{path.relative_to(ROOT)}:{number}: {reference}")
            broken += 1
    if broken:
        print(f"{broken} reference(s) to something that is not in the repository.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
