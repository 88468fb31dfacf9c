"""
Sign-in throttling (signin/lockout.py, OWASP's device cookies): a username is refused to unknown
browsers for a while after LOGIN_FAILURE_LIMIT failures, whatever the password, while the browsers
its owner signed in on before still sign in; an address (an IPv6 /64) trying many usernames is
refused; one person's typos lock out nobody else; case and spaces do not make a new username;
only our proxies may say where a request comes from.
"""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from signin.lockout import address_key, client_address
from signin.models import Lockout, PasswordFailure
from testing.users import superuser

pytestmark = pytest.mark.django_db

PASSWORD = "Mật-khẩu đúng 2026"
LIMIT = 5  # LOGIN_FAILURE_LIMIT's default
LOCKED = "Đăng nhập sai quá nhiều lần"


@pytest.fixture
def editor(db):
    return superuser("editor", PASSWORD, "editor@baobackan.vn")


@pytest.fixture
def other_editor(db):
    return superuser("nga", PASSWORD, "nga@baobackan.vn")


def sign_in(username, password, address="203.0.113.7", browser=None, **headers):
    """One sign-in from `browser` (a Client, keeping its cookies) or a fresh one; the response."""
    return (browser or Client()).post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def sign_out(browser):
    """Signing out as a person does: the browser keeps its other cookies (Client.logout drops all)."""
    assert browser.post(reverse("wagtailadmin_logout")).status_code == 302


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


def test_a_hundred_guesses_from_fifty_addresses_never_succeed(editor):
    guesses = [f"đoán-{n}" for n in range(100)]
    guesses[50] = PASSWORD  # the attacker's list holds the right one, past the limit
    statuses = [
        sign_in("editor", guess, address=f"198.51.100.{n % 50}").status_code
        for n, guess in enumerate(guesses)
    ]
    assert statuses == [200] * (LIMIT - 1) + [429] * (100 - LIMIT + 1)
    assert refused(sign_in("editor", PASSWORD, address="192.0.2.1"))


@pytest.mark.parametrize("spelling", [" editor", "editor ", "\teditor\n", "ｅｄｉｔｏｒ"])
def test_spaces_and_compatibility_forms_do_not_make_another_username(editor, spelling):
    for n in range(LIMIT):
        sign_in(spelling, "sai", address=f"198.51.100.{n}")
    assert refused(sign_in("editor", PASSWORD, address="192.0.2.1"))


@pytest.mark.parametrize("spelling", ["Editor", "EDITOR", "eDiToR"])
def test_another_case_is_another_account(editor, spelling):
    """Accounts are matched exactly: guessing at "EDITOR" is no guess at "editor"'s password."""
    for n in range(LIMIT):
        sign_in(spelling, "sai", address=f"198.51.100.{n}")
    assert refused(sign_in(spelling, PASSWORD, address="192.0.2.1"))
    assert signed_in(sign_in("editor", PASSWORD, address="192.0.2.1"))


def test_a_browser_known_for_one_account_is_not_known_for_its_other_case(editor):
    """The owner of "editor" cannot use their browser's standing to guess at "Editor"."""
    other = get_user_model().objects.create_superuser("Editor", "hoa@baobackan.vn", PASSWORD + "!")
    browser = Client()
    assert signed_in(sign_in("editor", PASSWORD, browser=browser))
    sign_out(browser)
    statuses = []
    for round_ in range(3):  # guesses, then a sign-in to one's own account, again and again
        statuses += [sign_in("Editor", f"đoán-{round_}-{n}", browser=browser).status_code for n in range(4)]
        assert signed_in(sign_in("editor", PASSWORD, browser=browser))
        sign_out(browser)
    assert statuses[LIMIT - 1 :] == [429] * (len(statuses) - LIMIT + 1)
    assert refused(sign_in(other.username, PASSWORD + "!", browser=browser))


def test_a_long_username_locks_like_any_other(db):
    name = "ß" * 150  # case-folds to 300 characters: counted as typed
    get_user_model().objects.create_superuser(name, "dai@baobackan.vn", PASSWORD)
    statuses = [sign_in(name, f"đoán-{n}", address=f"198.51.100.{n}").status_code for n in range(8)]
    assert statuses == [200] * (LIMIT - 1) + [429] * (8 - LIMIT + 1)
    assert refused(sign_in(name, PASSWORD, address="192.0.2.1"))


def test_a_password_change_makes_every_browser_unknown(editor):
    browser = Client()
    assert signed_in(sign_in("editor", PASSWORD, browser=browser))
    sign_out(browser)
    editor.set_password(PASSWORD)  # a new hash, even for the same password
    editor.save()
    for n in range(LIMIT):
        sign_in("editor", "sai", address=f"198.51.100.{n}")
    assert refused(sign_in("editor", PASSWORD, browser=browser))


def test_requests_without_an_address_are_still_limited_per_username(editor, other_editor):
    for n in range(30):
        sign_in(f"khong-co-{n}", "sai", address="")
    assert not Lockout.objects.exists()  # no address to lock: nobody shares a lockout of ""
    assert signed_in(sign_in("nga", PASSWORD, address=""))
    for _ in range(LIMIT):
        sign_in("editor", "sai", address="")
    assert refused(sign_in("editor", PASSWORD, address=""))


def test_behind_a_unix_socket_the_proxys_address_counts(editor, other_editor):
    for n in range(ADDRESS_LIMIT):
        sign_in(f"khong-co-{n}", "sai", address="", HTTP_X_FORWARDED_FOR="203.0.113.44")
    assert refused(sign_in("nga", PASSWORD, address="", HTTP_X_FORWARDED_FOR="203.0.113.44"))
    assert signed_in(sign_in("nga", PASSWORD, address="", HTTP_X_FORWARDED_FOR="203.0.113.45"))


def test_a_username_is_logged_as_one_line(editor, caplog):
    with caplog.at_level(logging.WARNING, logger="signin"):
        sign_in("editor\nWARNING Successful sign-in for admin", "sai")
    assert all("\n" not in record.getMessage() for record in caplog.records)


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
    past = timezone.now() - datetime.timedelta(minutes=15, seconds=1)
    Lockout.objects.update(until=past)
    PasswordFailure.objects.update(attempted_at=past)
    assert signed_in(sign_in("editor", PASSWORD))


ADDRESS_LIMIT = 20  # LOGIN_ADDRESS_USERNAME_LIMIT's default


def test_an_address_trying_many_usernames_is_stopped(editor, other_editor):
    statuses = [sign_in(f"khong-co-{n}", "sai", address="203.0.113.50").status_code for n in range(30)]
    assert statuses == [200] * (ADDRESS_LIMIT - 1) + [429] * (30 - ADDRESS_LIMIT + 1)
    response = sign_in("nga", PASSWORD, address="203.0.113.50")
    assert refused(response) and "mạng của bạn" in response.content.decode()
    assert signed_in(sign_in("nga", PASSWORD, address="203.0.113.51"))


def test_an_ipv6_client_is_its_whole_64(editor, other_editor):
    for n in range(ADDRESS_LIMIT):
        sign_in(f"khong-co-{n}", "sai", address=f"2001:db8:7:9::{n + 1:x}")
    assert refused(sign_in("nga", PASSWORD, address="2001:db8:7:9:ffff:1:2:3"))
    assert signed_in(sign_in("nga", PASSWORD, address="2001:db8:7:a::1"))  # the next /64


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::/64"),
        ("2001:db8:0:0:ffff:ffff:ffff:ffff", "2001:db8::/64"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
    ],
)
def test_what_counts_as_one_address(rf, address, key):
    assert address_key(rf.post("/admin/login/", REMOTE_ADDR=address)) == key


def test_one_reporters_typos_lock_out_nobody_else_at_the_office(editor, other_editor):
    """A provincial office signs in from one NAT address: five typos are one person's problem."""
    office = "203.0.113.80"
    reporter = get_user_model().objects.create_user("phongvien", password=PASSWORD, is_staff=True)
    reporter.groups.add(*other_editor.groups.all())
    for _ in range(LIMIT):
        sign_in("phongvien", "sai", address=office)
    assert refused(sign_in("phongvien", PASSWORD, address=office))
    assert signed_in(sign_in("nga", PASSWORD, address=office))
    assert signed_in(sign_in("editor", PASSWORD, address=office))


def test_a_known_browser_signs_in_while_its_account_is_locked_elsewhere(editor):
    browser = Client()
    assert signed_in(sign_in("editor", PASSWORD, browser=browser))
    sign_out(browser)
    for n in range(100):  # someone anywhere guessing at the username
        sign_in("editor", f"đoán-{n}", address=f"198.51.100.{n % 50}")
    assert refused(sign_in("editor", PASSWORD, address="192.0.2.9"))
    assert signed_in(sign_in("editor", PASSWORD, browser=browser))


def test_a_known_browser_signs_in_while_its_address_is_locked(editor):
    browser = Client()
    assert signed_in(sign_in("editor", PASSWORD, browser=browser, address="203.0.113.90"))
    sign_out(browser)
    for n in range(ADDRESS_LIMIT):
        sign_in(f"khong-co-{n}", "sai", address="203.0.113.90")
    assert refused(sign_in("editor", PASSWORD, address="203.0.113.90"))
    assert signed_in(sign_in("editor", PASSWORD, browser=browser, address="203.0.113.90"))


def test_a_known_browser_that_keeps_failing_counts_as_unknown(editor):
    browser = Client()
    assert signed_in(sign_in("editor", PASSWORD, browser=browser))
    sign_out(browser)
    for _ in range(LIMIT):  # the browser's own budget: its lockout is its own
        assert not refused(sign_in("editor", "sai", browser=browser))
    assert Lockout.objects.get().kind == Lockout.Kind.DEVICE
    assert signed_in(sign_in("editor", PASSWORD, address="192.0.2.10"))  # elsewhere: untouched
    sign_out(browser)
    for _ in range(LIMIT - 1):  # now an unknown browser, with the username's budget
        assert not refused(sign_in("editor", "sai", browser=browser))
    assert refused(sign_in("editor", "sai", browser=browser))
    assert refused(sign_in("editor", PASSWORD, browser=browser))


def test_a_browser_is_known_only_for_the_accounts_that_signed_in_on_it(editor, other_editor):
    browser = Client()
    assert signed_in(sign_in("nga", PASSWORD, browser=browser))
    sign_out(browser)
    for n in range(LIMIT):
        sign_in("editor", "sai", address=f"198.51.100.{n}")
    assert refused(sign_in("editor", PASSWORD, browser=browser))  # nga's browser, not editor's
    assert signed_in(sign_in("nga", PASSWORD, browser=browser))


def test_a_forged_or_copied_device_cookie_is_not_trusted(editor, other_editor):
    browser = Client()
    assert signed_in(sign_in("nga", PASSWORD, browser=browser))
    cookie = browser.cookies["newsroom_device"].value
    for n in range(LIMIT):
        sign_in("editor", "sai", address=f"198.51.100.{n}")
    forged = Client()
    forged.cookies["newsroom_device"] = cookie.replace("nga", "editor")
    assert refused(sign_in("editor", PASSWORD, browser=forged))
    forged.cookies["newsroom_device"] = "bad:value"
    assert refused(sign_in("editor", PASSWORD, browser=forged))


def test_the_device_cookie_is_for_the_admin_only(editor):
    browser = Client()
    sign_in("editor", PASSWORD, browser=browser)
    cookie = browser.cookies["newsroom_device"]
    assert cookie["path"] == reverse("wagtailadmin_home")
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 86400


def test_an_untrusted_client_never_gets_in_after_a_hundred_wrong_passwords(editor):
    for n in range(100):
        sign_in("editor", f"đoán-{n}")
    assert refused(sign_in("editor", PASSWORD))


def test_an_administrator_on_a_known_browser_lifts_a_lockout(editor, other_editor):
    admin_browser = Client()
    assert signed_in(sign_in("nga", PASSWORD, browser=admin_browser, address="203.0.113.70"))
    sign_out(admin_browser)
    for n in range(ADDRESS_LIMIT):  # the whole office is locked out for unknown browsers...
        sign_in(f"khong-co-{n}", "sai", address="203.0.113.70")
    for _ in range(LIMIT):
        sign_in("nga", "sai", address="198.51.100.9")  # ...and nga's account too
    assert refused(sign_in("editor", PASSWORD, address="203.0.113.70"))
    assert signed_in(sign_in("nga", PASSWORD, browser=admin_browser, address="203.0.113.70"))
    index = admin_browser.get(reverse("signin_lockouts:index"))
    assert "203.0.113.70" in index.content.decode()
    for lockout in Lockout.objects.filter(kind=Lockout.Kind.ADDRESS):
        assert admin_browser.post(reverse("signin_lockouts:delete", args=[lockout.pk])).status_code == 302
    assert signed_in(sign_in("editor", PASSWORD, address="203.0.113.70"))


def test_only_our_proxies_say_where_a_request_comes_from(editor, other_editor):
    # A client that is not one of FORWARDED_ALLOW_IPS cannot escape its lockout with the header...
    for n in range(ADDRESS_LIMIT):
        sign_in(f"khong-co-{n}", "sai", address="203.0.113.60", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert refused(sign_in("nga", PASSWORD, address="203.0.113.60", HTTP_X_FORWARDED_FOR="192.0.2.99"))
    # ...while behind nginx (127.0.0.1 by default) each client is its own address: the one nginx
    # saw, last in the header, whatever the client put before it.
    for n in range(ADDRESS_LIMIT):
        sign_in(
            f"khong-co-{n}", "sai", address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.1, 198.51.100.{n + 1}"
        )
    assert signed_in(sign_in("nga", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"))


def test_failures_and_lockouts_are_logged_without_the_password(editor, caplog):
    with caplog.at_level(logging.WARNING, logger="signin"):  # as configured: each failure, each lockout
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
    for lockout in Lockout.objects.all():
        assert client.post(reverse("signin_lockouts:delete", args=[lockout.pk])).status_code == 302
    assert not refused(sign_in("editor", "một lần gõ sai"))  # lifted with its failures: no relock
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
    """Forgetting every failure from the address would buy four guesses per own sign-in, forever."""
    statuses = [sign_in("editor", f"đoán-{n}").status_code for n in range(LIMIT - 1)]
    assert signed_in(sign_in("nga", PASSWORD))  # the guesser's own account, same address
    statuses.append(sign_in("editor", "đoán thêm").status_code)
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert refused(sign_in("editor", PASSWORD, address="192.0.2.44"))


@pytest.mark.parametrize("proxy", ["127.0.0.1", "::ffff:127.0.0.1"])
def test_a_proxy_is_trusted_however_its_address_is_written(rf, proxy):
    request = rf.post("/admin/login/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert client_address(request) == "198.51.100.23"


def test_ended_lockouts_are_listed_for_a_month(editor):
    for _ in range(LIMIT):
        sign_in("editor", "sai")
    Lockout.objects.update(until=timezone.now() - datetime.timedelta(days=31))
    PasswordFailure.objects.all().delete()
    for _ in range(LIMIT):
        sign_in("editor", "sai", address="198.51.100.77")
    assert list(Lockout.objects.values_list("address", flat=True)) == ["198.51.100.77"]


def test_resetting_an_address_from_the_shell_takes_it_as_counted(editor, other_editor):
    from django.core.management import call_command

    for n in range(ADDRESS_LIMIT):
        sign_in(f"khong-co-{n}", "sai", address=f"2001:db8:5:6::{n + 1:x}")
    for _ in range(LIMIT):
        sign_in("editor", "sai", address="2001:db8:9:9::99")
    call_command("axes_reset_ip", "2001:db8:5:6::1")
    assert list(Lockout.objects.values_list("kind", flat=True)) == [Lockout.Kind.USERNAME]
    assert signed_in(sign_in("nga", PASSWORD, address="2001:db8:5:6::2"))
    call_command("axes_reset_username", "editor")
    assert signed_in(sign_in("editor", PASSWORD, address="2001:db8:5:6::2"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_guesses_side_by_side_are_counted_on_postgresql(editor):
    """Attempts at once on several workers: each must see the others' failures (ATOMIC_REQUESTS)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time")

    def guess(n):
        try:
            return sign_in("editor", f"đoán-{n}", address=f"198.51.100.{n}").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(guess, range(10)))
    assert statuses == [200] * (LIMIT - 1) + [429] * (10 - LIMIT + 1)
    assert PasswordFailure.objects.count() == LIMIT
