"""
The apps' settings (docs/development.md#settings-and-environment): each app's app_settings.py holds
their defaults, a Django setting of the same name overrides one when it is read, and
cms/settings/base.py sets that Django setting from the environment variable of the same name (or
its older name) only when the variable is set, parsed as it always was.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from answers import app_settings as answers_settings
from api import app_settings as api_settings
from api.costs import LIST_FIELDS
from news import app_settings as news_settings
from publishing import app_settings as publishing_settings
from search import app_settings as search_settings
from webhooks import app_settings as webhooks_settings

APPS = [
    api_settings,
    answers_settings,
    news_settings,
    publishing_settings,
    search_settings,
    webhooks_settings,
]
DEFAULTS = {name: default for app in APPS for name, default in app.DEFAULTS.items()}
OLDER_NAMES = ["NEWS_PAGE_SIZE", "NEWS_MAX_PAGE_SIZE"]
ROOT = Path(__file__).resolve().parents[2]
BASE_SETTINGS = ROOT / "cms" / "settings" / "base.py"


def base_settings(monkeypatch, **environment):
    """
    cms/settings/base.py run afresh, as a module of its own, with only `environment` set of the
    apps' variables (the project's settings are left alone).
    """
    for name in [*DEFAULTS, *OLDER_NAMES]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("fresh_base_settings", BASE_SETTINGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_default_applies_when_the_settings_lack_its_name(settings):
    for app in APPS:
        for name, default in app.DEFAULTS.items():
            if hasattr(settings, name):
                delattr(settings, name)
            assert getattr(app, name) == default, name
    assert api_settings.GRAPHQL_MAX_DEPTH == 6
    assert api_settings.GRAPHQL_PAGE_SIZE == 10
    with pytest.raises(AttributeError):
        api_settings.GRAPHQL_MAX_DEPTHS  # noqa: B018  (a misspelt name is an error, not a default)


def test_a_django_setting_overrides_the_default_when_read(settings):
    settings.GRAPHQL_MAX_DEPTH = 3
    settings.GRAPHQL_PAGE_SIZE = 7
    assert api_settings.GRAPHQL_MAX_DEPTH == 3
    # The cost meter reads it too: a page of `newsPages` without `perPage` counts 7 items.
    assert LIST_FIELDS["Query"]["newsPages"].size({}) == 7
    with override_settings(SEARCH_MAX_TERMS=2, WEBHOOK_URLS=["https://www.example.org/hook"]):
        assert search_settings.SEARCH_MAX_TERMS == 2
        assert webhooks_settings.WEBHOOK_URLS == ["https://www.example.org/hook"]
    assert search_settings.SEARCH_MAX_TERMS == 32


def test_unset_variables_leave_the_defaults(monkeypatch):
    module = base_settings(monkeypatch)
    assert not [name for name in DEFAULTS if hasattr(module, name)]


def test_variables_are_parsed_into_settings_as_before(monkeypatch):
    module = base_settings(
        monkeypatch,
        GRAPHQL_MAX_DEPTH="9",
        GRAPHQL_EXECUTION_BUDGET_SECONDS="0.5",
        GRAPHQL_INTROSPECTION="off",
        GRAPHQL_LEAN_EXECUTION=" Yes ",
        GRAPHQL_STORED_ANSWERS="",  # set but empty: false, as env_bool always read it
        SEARCH_MAX_TERMS="3",
        WEBHOOK_URLS="https://a.example.org/, ,https://b.example.org/",
        WEBHOOK_SECRET="s" * 40,
        WEBHOOK_TIMEOUT="2.5",
        PREVIEW_TOKEN_MAX_AGE="60",
    )
    assert module.GRAPHQL_MAX_DEPTH == 9
    assert module.GRAPHQL_EXECUTION_BUDGET_SECONDS == 0.5
    assert module.GRAPHQL_INTROSPECTION is False
    assert module.GRAPHQL_LEAN_EXECUTION is True
    assert module.GRAPHQL_STORED_ANSWERS is False
    assert module.SEARCH_MAX_TERMS == 3
    assert module.WEBHOOK_URLS == ["https://a.example.org/", "https://b.example.org/"]
    assert module.WEBHOOK_SECRET == "s" * 40
    assert module.WEBHOOK_TIMEOUT == 2.5
    assert module.PREVIEW_TOKEN_MAX_AGE == 60
    assert not hasattr(module, "GRAPHQL_MAX_COST")  # unset: the default applies


@pytest.mark.parametrize("value", ["six", ""])
def test_a_number_that_is_not_one_stops_start_up_as_before(monkeypatch, value):
    with pytest.raises(ValueError, match="invalid literal for int"):
        base_settings(monkeypatch, GRAPHQL_MAX_DEPTH=value)


def test_the_older_news_page_size_variables_still_work(monkeypatch):
    module = base_settings(monkeypatch, NEWS_PAGE_SIZE="7", NEWS_MAX_PAGE_SIZE="70")
    assert (module.GRAPHQL_PAGE_SIZE, module.GRAPHQL_MAX_PAGE_SIZE) == (7, 70)
    assert not hasattr(module, "NEWS_PAGE_SIZE")
    # The new names win when both are set.
    module = base_settings(monkeypatch, NEWS_PAGE_SIZE="7", GRAPHQL_PAGE_SIZE="8", NEWS_MAX_PAGE_SIZE="70")
    assert (module.GRAPHQL_PAGE_SIZE, module.GRAPHQL_MAX_PAGE_SIZE) == (8, 70)
    with pytest.raises(ValueError, match="invalid literal for int"):
        base_settings(monkeypatch, NEWS_MAX_PAGE_SIZE="many")


def test_each_variable_sets_a_setting_that_one_app_reads(monkeypatch):
    module = base_settings(monkeypatch)
    owners = [name for app in APPS for name in app.DEFAULTS]
    assert len(owners) == len(set(owners)), "a setting has a default in two apps"
    assert set(module.app_settings_from_environment) <= set(DEFAULTS)
    assert set(module.older_variable_names) <= set(module.app_settings_from_environment)
    # Each parser reads its default, written as an operator would, back to the same value and type.
    for name, parse in module.app_settings_from_environment.items():
        default = DEFAULTS[name]
        written = ",".join(default) if isinstance(default, list) else str(default)
        assert parse(written) == default and type(parse(written)) is type(default), name


def test_a_server_started_with_the_variables_reads_them():
    code = (
        "import django, json; django.setup()\n"
        "from api import app_settings as api\n"
        "from webhooks import app_settings as webhooks\n"
        "print(json.dumps([api.GRAPHQL_PAGE_SIZE, api.GRAPHQL_MAX_DEPTH, api.GRAPHQL_MAX_COST,"
        " webhooks.WEBHOOK_TIMEOUT]))"
    )
    environment = {
        **{key: value for key, value in os.environ.items() if key not in [*DEFAULTS, *OLDER_NAMES]},
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "NEWS_PAGE_SIZE": "7",
        "GRAPHQL_MAX_DEPTH": "9",
        "WEBHOOK_TIMEOUT": "2.5",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [7, 9, 100_000, 2.5]
