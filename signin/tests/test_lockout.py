"""
Sign-in throttling (signin/lockout.py, django-axes): a username or an address is refused for a
while after LOGIN_FAILURE_LIMIT failures, whatever the password; case and spaces do not make a
new username; only our proxies may say where a request comes from.
"""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from signin.lockout import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "Mật-khẩu đúng 2026"
LIMIT = 5  # LOGIN_FAILURE_LIMIT's default
LOCKED = "Đăng nhập sai quá nhiều lần"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@baobackan.vn", PASSWORD)


@pytest.fixture
def other_editor(db):
    return get_user_model().objects.create_superuser("nga", "nga@baobackan.vn", PASSWORD)


def sign_in(username, password, address="203.0.113.7", **headers):
    """One sign-in from a fresh browser; returns the response."""
    return Client().post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def refused(response):
    return response.status_code == 429 and LOCKED in response.content.decode()


def test_the_right_password_signs_in(editor):
    assert signed_in(sign_in("editor", PASSWORD))


def test_a_username_is_locked_out_after_the_limit_even_with_the_right_password(editor):
    for _ in range(LIMIT - 1):
        response = sign_in("editor", "sai")
        assert response.status_code == 200 and not refused(response)  # the form again, with its error
    assert refused(sign_in("editor", "sai"))  # the limit-th failure locks
    response = sign_in("editor", PASSWORD)
    assert refused(response)
    assert "15 phút" in response.content.decode()
    assert 'name="username"' in response.content.decode()  # the sign-in form, for later


def test_a_hundred_guesses_are_refused_after_the_limit(editor):
    statuses = [
        sign_in("editor", f"đoán-{n}", address=f"198.51.100.{n % 200}").status_code for n in range(100)
    ]
    assert statuses == [200] * (LIMIT - 1) + [429] * (100 - LIMIT + 1)
    assert refused(sign_in("editor", PASSWORD, address="192.0.2.1"))


@pytest.mark.parametrize("spelling", ["Editor", " editor", "EDITOR ", "eDiToR", "\teditor\n"])
def test_case_and_spaces_do_not_make_another_username(editor, spelling):
    for n in range(LIMIT):
        sign_in(spelling, "sai", address=f"198.51.100.{n}")
    assert refused(sign_in("editor", PASSWORD, address="192.0.2.1"))


def test_a_successful_sign_in_starts_the_count_again(editor):
    for _ in range(LIMIT - 1):
        sign_in("editor", "sai")
    assert signed_in(sign_in("editor", PASSWORD))
    for _ in range(LIMIT - 1):
        assert not refused(sign_in("editor", "sai"))
    assert signed_in(sign_in("editor", PASSWORD))


def test_the_lockout_ends_and_guessing_during_it_does_not_extend_it(editor):
    for _ in range(LIMIT + 3):  # the last three during the lockout
        sign_in("editor", "sai")
    assert refused(sign_in("editor", PASSWORD))
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1))
    assert signed_in(sign_in("editor", PASSWORD))


def test_an_address_is_locked_out_after_the_limit(editor, other_editor):
    for n in range(LIMIT):
        sign_in(f"khong-co-{n}", "sai", address="203.0.113.50")
    assert refused(sign_in("nga", PASSWORD, address="203.0.113.50"))
    assert signed_in(sign_in("nga", PASSWORD, address="203.0.113.51"))


def test_only_our_proxies_say_where_a_request_comes_from(editor, other_editor):
    # A client that is not one of FORWARDED_ALLOW_IPS cannot escape its lockout with the header...
    for n in range(LIMIT):
        sign_in(f"khong-co-{n}", "sai", address="203.0.113.60", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert refused(sign_in("nga", PASSWORD, address="203.0.113.60", HTTP_X_FORWARDED_FOR="192.0.2.99"))
    # ...while behind nginx (127.0.0.1 by default) each client is its own address: the one nginx
    # saw, last in the header, whatever the client put before it.
    for n in range(LIMIT):
        sign_in(
            f"khong-co-{n}", "sai", address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.1, 198.51.100.{n + 1}"
        )
    assert signed_in(sign_in("nga", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"))


def test_failures_and_lockouts_are_logged_without_the_password(editor, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):  # as configured: each failure, each lockout
        for _ in range(LIMIT):
            sign_in("editor", "mật-khẩu-đoán-sai")
    text = caplog.text
    assert "editor" in text and "203.0.113.7" in text
    assert "Locking out" in text
    assert "mật-khẩu-đoán-sai" not in text and PASSWORD not in text


def test_administrators_see_and_clear_lockouts(editor, other_editor, client):
    for _ in range(LIMIT):
        sign_in("editor", "sai")
    client.force_login(other_editor)
    index = client.get(reverse("signin_lockouts:index"))
    assert index.status_code == 200
    page = index.content.decode()
    assert "editor" in page and "203.0.113.7" in page and "Đang khóa" in page
    for attempt in AccessAttempt.objects.all():
        assert client.post(reverse("signin_lockouts:delete", args=[attempt.pk])).status_code == 302
    assert signed_in(sign_in("editor", PASSWORD))


def test_editors_without_the_permission_do_not_see_lockouts(client):
    from django.contrib.auth.models import Group, Permission

    user = get_user_model().objects.create_user("phong-vien", password=PASSWORD)
    group = Group.objects.create(name="Cộng tác viên")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    assert client.get(reverse("signin_lockouts:index")).status_code == 302  # refused: back to the dashboard


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(forwarded=st.text(max_size=80), remote=st.sampled_from(["127.0.0.1", "203.0.113.9", "::1", "", "bad"]))
def test_any_forwarded_header_gives_an_address_or_the_connections(rf, forwarded, remote):
    import ipaddress

    request = rf.post("/admin/login/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    address = client_address(request)
    if remote != "127.0.0.1":
        assert address == remote
    else:
        assert address == remote or ipaddress.ip_address(address)


def test_signing_in_to_another_account_forgives_nothing_of_this_one(editor, other_editor):
    """Axes would forget every failure from the address: four guesses, own sign-in, four more..."""
    statuses = [sign_in("editor", f"đoán-{n}").status_code for n in range(LIMIT - 1)]
    assert signed_in(sign_in("nga", PASSWORD))  # the guesser's own account, same address
    statuses.append(sign_in("editor", "đoán thêm").status_code)
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert refused(sign_in("editor", PASSWORD, address="192.0.2.44"))


@pytest.mark.parametrize("proxy", ["127.0.0.1", "::ffff:127.0.0.1"])
def test_a_proxy_is_trusted_however_its_address_is_written(rf, proxy):
    request = rf.post("/admin/login/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert client_address(request) == "198.51.100.23"
