"""
What operators run, as the shipped files and the docs write it, on the production settings: the
environment file made from ops/newsroom.env.example, ops/manage.sh, the systemd units'
command lines (ops/systemd/), the cron lines of the README, docs/deployment.md and
docs/backups.md, and the first administrator's `createsuperuser`. Paths are the documented ones
moved into a folder of the test's: /srv/newsroom is this project, /srv/backups and
/etc/newsroom/newsroom.env are the test's own, and the database is a SQLite file of its own.
"""

import json
import os
import pty
import re
import secrets
import select
import shlex
import shutil
import signal
import sqlite3
import subprocess
import tarfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from testing.services import free_port

PROJECT = Path(settings.BASE_DIR)
UNITS = PROJECT / "ops" / "systemd"
EXAMPLE = PROJECT / "ops" / "newsroom.env.example"
ENV_FILE = "/etc/newsroom/newsroom.env"
# What systemd gives a service (and cron a job) besides its EnvironmentFile.
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The jobs production runs, by the command each runs (docs/deployment.md#scheduled-jobs).
JOBS = {"publish_scheduled", "deliver_webhooks", "delete_expired_previews", "backup"}
CRON_LINE = re.compile(r"^(?:[\d*/,-]+\s+){5}(.+)$")


def environment_file(text):
    """KEY=value lines as systemd's EnvironmentFile= reads them (comments, quotes, blank lines)."""
    variables = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        variables[key.strip()] = value
    return variables


def unit(path):
    """{section: {key: [values]}} of a systemd unit file."""
    sections, section = {}, None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        section.setdefault(key, []).append(value)
    return sections


class Site:
    """The documented paths, moved into `folder`."""

    def __init__(self, folder):
        self.folder = folder
        self.backups = folder / "backups"
        self.env_file = folder / "newsroom.env"
        self.port = free_port()
        filled = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "BACKUP_SIGNING_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "DJANGO_ALLOWED_HOSTS": "cms.example.org,127.0.0.1",
        }
        lines = []
        for line in EXAMPLE.read_text().splitlines():
            key = line.partition("=")[0]
            if key == "REDIS_URL":  # no shared Redis in a test: the caches in the database
                continue
            lines.append(f"{key}={filled[key]}" if key in filled and not line.startswith("#") else line)
        self.env_file.write_text("\n".join(lines) + "\n")
        self.environment = environment_file(self.env_file.read_text())

    def place(self, text):
        """A documented command line or path, on this test's paths."""
        return (
            text.replace(ENV_FILE, str(self.env_file))
            .replace("/srv/newsroom", str(PROJECT))
            .replace("/srv/backups", str(self.backups))
        )

    def shell(self, command, timeout=300):
        """A documented shell line (cron's), with nothing but cron's PATH and the env file's name."""
        return subprocess.run(  # noqa: S603
            ["/bin/sh", "-c", self.place(command)],
            env={"PATH": SYSTEMD_PATH, "HOME": str(self.folder), "NEWSROOM_ENV_FILE": str(self.env_file)},
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def service(self, path):
        """(command lines, working directory, environment) of a unit, as systemd would run them."""
        service = unit(path)["Service"]
        [environment_file_path] = service["EnvironmentFile"]
        environment = {"PATH": SYSTEMD_PATH, "HOME": str(self.folder)}
        environment.update(environment_file(Path(self.place(environment_file_path)).read_text()))
        commands = [
            shlex.split(self.place(line))
            for key in ("ExecStart", "ExecStartPost")
            for line in service.get(key, [])
        ]
        return commands, self.place(service["WorkingDirectory"][0]), environment


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("operator"))
    # A deploy, as docs/deployment.md writes it: migrate, collectstatic.
    for command in ("migrate --no-input -v 0", "collectstatic --no-input -v 0"):
        result = site.shell(f"/srv/newsroom/ops/manage.sh {command}")
        assert result.returncode == 0, result.stderr
    return site


def test_the_example_environment_has_what_production_requires(site):
    example = environment_file(EXAMPLE.read_text())
    assert example["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    for required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
        assert example.get(required), f"{required} is missing from {EXAMPLE.name}"
    # systemd and ops/manage.sh read the filled file alike; a variable set for one command wins.
    code = "import json, os; print(json.dumps(dict(os.environ)))"
    result = site.shell(f"env BACKUP_SIGNING_KEY=old-key /srv/newsroom/ops/manage.sh shell -c '{code}'")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert {key: seen.get(key) for key in site.environment} == {
        **site.environment,
        "BACKUP_SIGNING_KEY": "old-key",
    }
    # The production settings' own checks pass with it.
    result = site.shell("/srv/newsroom/ops/manage.sh check --deploy --fail-level WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_units_are_the_service_and_one_timer_per_job():
    services = {path.stem: unit(path) for path in UNITS.glob("*.service")}
    timers = {path.stem: unit(path) for path in UNITS.glob("*.timer")}
    assert services["newsroom"]["Service"]["ExecStart"] == [
        "/srv/newsroom/.venv/bin/gunicorn -c cms/gunicorn.conf.py"
    ]
    jobs = {name: parts for name, parts in services.items() if parts["Service"]["Type"] == ["oneshot"]}
    assert set(jobs) == set(timers)
    assert {shlex.split(parts["Service"]["ExecStart"][0])[2] for parts in jobs.values()} == JOBS
    for name, parts in services.items():
        assert parts["Service"]["EnvironmentFile"] == [ENV_FILE], name
        assert parts["Service"]["User"] == ["newsroom"] and parts["Service"]["WorkingDirectory"] == [
            "/srv/newsroom"
        ]
    for name, parts in timers.items():
        assert parts["Install"]["WantedBy"] == ["timers.target"] and parts["Timer"]["OnCalendar"], name


def test_each_job_runs_as_its_unit_writes_it(site):
    site.backups.mkdir(exist_ok=True)
    old, recent = (
        site.backups / "newsroom-20000101T000000Z.tar",
        site.backups / "newsroom-20990101T000000Z.tar",
    )
    for leftover in (old, recent):
        leftover.write_bytes(b"")
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    os.utime(old, (fifteen_days_ago, fifteen_days_ago))
    for path in sorted(UNITS.glob("newsroom-*.service")):
        commands, directory, environment = site.service(path)
        for command in commands:
            result = subprocess.run(  # noqa: S603 (the unit's own command line)
                command, cwd=directory, env=environment, capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 0, f"{path.name}: {command}\n{result.stdout}{result.stderr}"
    written = sorted(site.backups.glob("newsroom-*.tar"))
    assert old not in written and recent in written  # backups older than 14 days go
    assert len(written) == 2
    with tarfile.open(written[0]) as archive:
        assert json.load(archive.extractfile("manifest.json"))["counts"]


def test_the_service_serves_as_its_unit_writes_it(site):
    [command], directory, environment = site.service(UNITS / "newsroom.service")
    process = subprocess.Popen(  # noqa: S603
        command, cwd=directory, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{site.port}/readyz", timeout=2) as response:
                    assert json.load(response)["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "gunicorn did not start"
                time.sleep(0.3)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def documented_cron_lines():
    lines = []
    for doc in ("README.md", "docs/deployment.md", "docs/backups.md"):
        text = (PROJECT / doc).read_text()
        for block in re.findall(r"^```(?:cron|sh)?\n(.*?)^```", text, flags=re.M | re.S):
            lines += [(doc, match.group(1)) for match in map(CRON_LINE.match, block.splitlines()) if match]
    return lines


def test_the_documented_cron_lines_run_as_written(site):
    lines = documented_cron_lines()
    assert {
        command.split("manage.sh ")[1].split()[0] for _, command in lines if "manage.sh " in command
    } >= JOBS
    for doc, command in lines:
        assert ENV_FILE in command or "ops/manage.sh" in command, f"{doc}: {command} reads no environment"
        result = site.shell(command)
        assert result.returncode == 0, f"{doc}: {command}\n{result.stdout}{result.stderr}"


def test_the_first_administrator_is_created_as_documented(site):
    """docs/deployment.md's `sudo -u newsroom /srv/newsroom/ops/manage.sh createsuperuser`, at a terminal."""
    documented = re.search(
        r"^.*ops/manage\.sh createsuperuser$", (PROJECT / "docs/deployment.md").read_text(), re.M
    )
    command = documented.group(0).removeprefix("sudo -u newsroom ").strip()
    password = secrets.token_urlsafe(16)
    answers = ["quantri", "quantri@example.org", password, password]
    pid, terminal = pty.fork()
    if pid == 0:  # the operator's terminal: createsuperuser asks for the password there
        os.chdir(site.folder)
        os.execve("/bin/sh", ["/bin/sh", "-c", site.place(command)], {  # noqa: S606
            "PATH": SYSTEMD_PATH, "NEWSROOM_ENV_FILE": str(site.env_file), "TERM": "dumb",
        })  # fmt: skip
    output, deadline = b"", time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([terminal], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the command ended
            break
        if not chunk:
            break
        output += chunk
        # Answer a prompt once the program has gone quiet: a terminal set up after its prompt is
        # shown (readline, getpass's TCSAFLUSH) would drop an answer typed too soon, under load.
        if answers and output.rstrip().endswith(b":") and not select.select([terminal], [], [], 0.5)[0]:
            os.write(terminal, answers.pop(0).encode() + b"\n")
            output += b"\n"
    ended, status = os.waitpid(pid, os.WNOHANG)
    if not ended:  # still waiting for an answer it never got: say what it showed, never hang
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output.decode(errors="replace")
    database = sqlite3.connect(site.environment["DATABASE_URL"].removeprefix("sqlite:///"))
    assert database.execute(
        "SELECT is_superuser, is_staff FROM auth_user WHERE username = 'quantri'"
    ).fetchone() == (1, 1)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_unit_files_are_valid(site, tmp_path):
    """`systemd-analyze verify`: every key known, every command executable (on this test's paths)."""
    for path in UNITS.iterdir():
        (tmp_path / path.name).write_text(site.place(path.read_text()))
    names = sorted(str(tmp_path / path.name) for path in UNITS.iterdir())
    result = subprocess.run(  # noqa: S603
        [shutil.which("systemd-analyze"), "verify", *names], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
