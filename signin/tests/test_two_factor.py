"""
Two-factor sign-in (signin/two_factor.py): after the password, an account with an authenticator
app owes a code before any admin page opens; recovery codes work once; wrong codes are throttled;
a password alone never replaces the app; TWO_FACTOR_REQUIRED makes publishers set it up.
"""

import re
import time
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import GroupPagePermission, Page

from testing.users import superuser

pytestmark = pytest.mark.django_db

PASSWORD = "Mật-khẩu đúng 2026"
HOME = reverse("wagtailadmin_home")
VERIFY = reverse("signin_two_factor_verify")
SETUP = reverse("signin_two_factor_setup")


def code_for(device, at=None):
    """The code the user's phone shows now (or at time `at`)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def wrong_code(device):
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def signed_in_client(username):
    client = Client()
    response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def set_up_app(client):
    """Goes through the setup screens as a user would; returns the device and the recovery codes."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def user_with_groups(username, *, publish=False):
    user = get_user_model().objects.create_user(username, f"{username}@baobackan.vn", PASSWORD)
    group = Group.objects.create(name=f"Nhóm của {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.objects.get(depth=1)
    for codename in ["add_page", "change_page"] + (["publish_page"] if publish else []):
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    user.groups.add(group)
    return user


@pytest.fixture
def editor(db):
    return superuser("bientapvien", PASSWORD, "btv@baobackan.vn")


@pytest.fixture
def protected(editor):
    """The editor, with an app set up; returns (device, recovery codes)."""
    return set_up_app(signed_in_client("bientapvien"))


def test_without_an_app_the_password_is_enough(editor):
    client = signed_in_client("bientapvien")
    assert client.get(HOME).status_code == 200


def test_setting_up_shows_a_qr_code_and_the_key_then_wants_a_code_from_the_app(editor):
    client = signed_in_client("bientapvien")
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "Quét mã QR này" in page
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    secret = re.search(r"data-two-factor-secret>([A-Z2-7 ]+)</code>", page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert client.get(SETUP).content.decode().count(secret) == 1  # the same key on a reload

    response = client.post(SETUP, {"code": wrong_code(device)})
    assert "Mã này không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    with time_machine.travel(time.time() + 5, tick=False):  # past the throttle of the wrong try
        response = client.post(SETUP, {"code": code_for(device)})
    page = response.content.decode()
    assert "Mã khôi phục của bạn" in page
    assert len(set(re.findall(r"<code>([a-z2-7]{8})</code>", page))) == 10
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    assert client.get(HOME).status_code == 200  # this session is verified


def test_after_the_password_every_admin_page_waits_for_the_code(protected):
    client = signed_in_client("bientapvien")
    for path in [
        HOME,
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_account"),
        "/admin/api/main/pages/",
    ]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{VERIFY}?{urlencode({'next': path})}"
    assert client.post(reverse("wagtailadmin_pages:add_subpage", args=[2])).status_code == 302
    # The public site and the API are not the admin.
    assert (
        client.post("/graphql/", {"query": "{ __typename }"}, content_type="application/json").status_code
        == 200
    )
    # What the step's own page loads is not held back (the icons, the admin's translations).
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    page = client.get(VERIFY).content.decode()
    assert "Nhập mã xác thực" in page and "mã khôi phục" in page
    assert 'action="/admin/logout/"' in page


def test_the_right_code_opens_the_admin_and_goes_where_the_user_was_going(protected):
    device, _ = protected
    client = signed_in_client("bientapvien")
    with time_machine.travel(time.time() + 60, tick=False):  # a new code, not the one used to set up
        response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize(
    "next_url", ["https://ke-gian.example/", "//ke-gian.example/", "javascript:alert(1)"]
)
def test_the_code_never_sends_anyone_to_another_site(protected, next_url):
    device, _ = protected
    client = signed_in_client("bientapvien")
    with time_machine.travel(time.time() + 60, tick=False):
        response = client.post(VERIFY, {"code": code_for(device), "next": next_url})
    assert response["Location"] == HOME


def test_a_code_works_once(protected):
    device, _ = protected
    with time_machine.travel(time.time() + 60, tick=False):
        code = code_for(device)
        first, second = signed_in_client("bientapvien"), signed_in_client("bientapvien")
        assert first.post(VERIFY, {"code": code}).status_code == 302
        response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200 and "Mã này không đúng hoặc đã được dùng" in response.content.decode()


def test_a_recovery_code_works_once_and_says_how_many_are_left(protected):
    _, codes = protected
    client = signed_in_client("bientapvien")
    response = client.post(VERIFY, {"code": f" {codes[3].upper()[:4]}-{codes[3][4:]} "}, follow=True)
    assert response.status_code == 200
    assert "còn 9" in response.content.decode()
    assert client.get(HOME).status_code == 200
    again = signed_in_client("bientapvien").post(VERIFY, {"code": codes[3]})
    assert "Mã này không đúng hoặc đã được dùng" in again.content.decode()


def test_wrong_codes_are_throttled_and_the_wait_is_said(protected):
    device, codes = protected
    client = signed_in_client("bientapvien")
    start = time.time() + 60
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            client.post(VERIFY, {"code": wrong_code(device)})
        response = client.post(VERIFY, {"code": code_for(device)})  # right, but too soon: 8 s to wait
    assert response.status_code == 200 and "Nhập sai quá nhiều mã: hãy đợi" in response.content.decode()
    # Recovery codes count their own failures: a thief guessing app codes does not block them.
    assert signed_in_client("bientapvien").post(VERIFY, {"code": codes[0]}).status_code == 302
    with time_machine.travel(start + 9, tick=False):
        assert client.post(VERIFY, {"code": code_for(device, at=start + 9)}).status_code == 302


def test_a_password_alone_cannot_replace_the_app(protected):
    client = signed_in_client("bientapvien")
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert client.post(reverse("signin_two_factor_disable"), {"code": "123456"})["Location"].startswith(
        VERIFY
    )
    assert TOTPDevice.objects.filter(confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


def test_new_recovery_codes_replace_the_old_ones(protected):
    _, old_codes = protected
    client = signed_in_client("bientapvien")
    client.post(VERIFY, {"code": old_codes[0]})
    page = client.post(reverse("signin_two_factor_recovery_codes")).content.decode()
    new_codes = re.findall(r"<code>([a-z2-7]{8})</code>", page)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert (
        "Mã này không đúng"
        in signed_in_client("bientapvien").post(VERIFY, {"code": old_codes[1]}).content.decode()
    )
    with time_machine.travel(time.time() + 2, tick=False):  # past the throttle of the wrong try
        assert signed_in_client("bientapvien").post(VERIFY, {"code": new_codes[1]}).status_code == 302


def test_turning_it_off_wants_a_fresh_code_then_the_password_is_enough(protected):
    device, codes = protected
    client = signed_in_client("bientapvien")
    client.post(VERIFY, {"code": codes[0]})
    turn_off = reverse("signin_two_factor_disable")
    assert "Mã này không đúng" in client.post(turn_off, {"code": "000000"}).content.decode()
    assert client.post(turn_off, {"code": codes[1]}).status_code == 302
    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    assert signed_in_client("bientapvien").get(HOME).status_code == 200


def test_the_account_page_offers_it(editor):
    client = signed_in_client("bientapvien")
    assert reverse("signin_two_factor") in client.get(reverse("wagtailadmin_account")).content.decode()
    assert "Xác thực hai lớp đang tắt" in client.get(reverse("signin_two_factor")).content.decode()


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def test_when_required_administrators_and_publishers_must_set_it_up(required, editor):
    publisher = user_with_groups("thu-ky", publish=True)
    reporter = user_with_groups("phong-vien")
    for user in (editor, publisher):
        client = signed_in_client(user.username)
        assert client.get(HOME)["Location"] == f"{SETUP}?{urlencode({'next': HOME})}", user
        assert "bắt buộc" in client.get(SETUP).content.decode()
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        assert client.post(SETUP, {"code": code_for(device)}).status_code == 200
        assert client.get(HOME).status_code == 200
    assert signed_in_client("phong-vien").get(HOME).status_code == 200  # cannot publish: optional
    assert not TOTPDevice.objects.filter(user=reporter).exists()


def test_when_required_it_cannot_be_turned_off(required, protected):
    _, codes = protected
    client = signed_in_client("bientapvien")
    client.post(VERIFY, {"code": codes[0]})
    response = client.post(reverse("signin_two_factor_disable"), {"code": codes[1]}, follow=True)
    assert "không thể tắt" in response.content.decode()
    assert TOTPDevice.objects.filter(confirmed=True).exists()


def test_an_administrator_resets_a_lost_phone(protected):
    device, codes = protected
    reporter = user_with_groups("phong-vien")
    set_up_app(signed_in_client("phong-vien"))
    admin = signed_in_client("bientapvien")
    admin.post(VERIFY, {"code": codes[0]})
    listing = admin.get(reverse("signin_two_factor_devices:index")).content.decode()
    assert "phong-vien" in listing and "bientapvien" in listing
    lost = TOTPDevice.objects.get(user=reporter)
    delete = reverse("signin_two_factor_devices:delete", args=[lost.pk])
    assert "mật khẩu" in admin.get(delete).content.decode()  # says the password goes too
    assert admin.post(delete).status_code == 302
    assert not StaticDevice.objects.filter(user=reporter).exists()  # the recovery codes went with it
    assert StaticDevice.objects.filter(user__username="bientapvien").exists()
    # Whoever knew the old password cannot be the one to set up the next app.
    reporter.refresh_from_db()
    assert not reporter.has_usable_password()
    reporter.set_password(PASSWORD)  # the new one, through "Forgotten password?"
    reporter.save()
    assert signed_in_client("phong-vien").get(HOME).status_code == 200


def test_others_cannot_see_or_reset_two_factor_devices(protected):
    user_with_groups("phong-vien")
    client = signed_in_client("phong-vien")
    assert client.get(reverse("signin_two_factor_devices:index")).status_code == 302  # back to the dashboard
    device, _ = protected
    client.post(reverse("signin_two_factor_devices:delete", args=[device.pk]))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_shell_resets_the_last_administrator(protected):
    from django.core.management import CommandError, call_command

    call_command("reset_two_factor", "bientapvien")
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    user = get_user_model().objects.get(username="bientapvien")
    assert not user.has_usable_password()
    user.set_password(PASSWORD)  # `manage.py changepassword`, as the command says
    user.save()
    assert signed_in_client("bientapvien").get(HOME).status_code == 200
    with pytest.raises(CommandError, match="nothing to reset"):
        call_command("reset_two_factor", "bientapvien")
    with pytest.raises(CommandError, match="No user"):
        call_command("reset_two_factor", "không-có-ai")


def test_a_password_alone_opens_no_restricted_document(protected):
    from wagtail.models import Collection, CollectionViewRestriction
    from wagtail_factories import DocumentFactory

    collection = Collection.get_first_root_node().add_child(name="Nội bộ")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    document = DocumentFactory(title="Báo cáo nội bộ", collection=collection, file__filename="bao-cao.txt")
    _, codes = protected
    client = signed_in_client("bientapvien")
    assert client.get(document.url).status_code == 302  # to the sign-in page, like anyone
    client.post(VERIFY, {"code": codes[0]})
    assert client.get(document.url).status_code == 200


def secret_on(page):
    return re.search(r"data-two-factor-secret>([A-Z2-7 ]+)</code>", page).group(1)


def test_a_secret_seen_by_another_session_is_never_the_one_confirmed(required, editor):
    """Someone with the password opens the setup first: the user's own setup gets a new secret."""
    attacker = signed_in_client("bientapvien")
    seen = secret_on(attacker.get(SETUP).content.decode())
    peeked = TOTPDevice.objects.get(user=editor, confirmed=False)
    victim = signed_in_client("bientapvien")
    assert secret_on(victim.get(SETUP).content.decode()) != seen
    assert not TOTPDevice.objects.filter(pk=peeked.pk).exists()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert victim.post(SETUP, {"code": code_for(device)}).status_code == 200
    # The attacker's secret opens nothing, from the setup screen or the code screen.
    with time_machine.travel(time.time() + 60, tick=False):
        assert attacker.post(SETUP, {"code": code_for(peeked)})["Location"].startswith(VERIFY)
        response = signed_in_client("bientapvien").post(VERIFY, {"code": code_for(peeked)})
    assert response.status_code == 200 and "Mã này không đúng" in response.content.decode()


def test_an_unconfirmed_app_never_passes_the_second_step(protected, editor):
    pending = TOTPDevice.objects.create(user=editor, name="chưa xác nhận", confirmed=False)
    with time_machine.travel(time.time() + 60, tick=False):
        response = signed_in_client("bientapvien").post(VERIFY, {"code": code_for(pending)})
    assert response.status_code == 200


def test_the_second_step_gives_a_new_session_id(protected):
    _, codes = protected
    client = signed_in_client("bientapvien")
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"code": codes[0]})
    assert client.cookies["sessionid"].value != before
    stolen = Client()
    stolen.cookies["sessionid"] = before
    assert stolen.get(HOME).status_code == 302


def test_new_recovery_codes_keep_a_session_signed_in_with_one(protected):
    _, codes = protected
    client = signed_in_client("bientapvien")
    client.post(VERIFY, {"code": codes[0]})
    client.post(reverse("signin_two_factor_recovery_codes"))
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("permission", ["add_user", "change_user", "change_group", "delete_authenticatorapp"])
def test_when_required_whoever_can_manage_users_or_sign_ins_must_set_it_up(required, db, permission):
    user = user_with_groups("nhan-su")
    user.groups.get().permissions.add(Permission.objects.get(codename=permission))
    assert signed_in_client("nhan-su").get(HOME)["Location"].startswith(SETUP)


def test_only_an_administrator_resets_an_administrators_app(protected):
    helpdesk = user_with_groups("ho-tro")
    for codename in ("view_authenticatorapp", "delete_authenticatorapp"):
        helpdesk.groups.get().permissions.add(Permission.objects.get(codename=codename))
    device, _ = protected
    client = signed_in_client("ho-tro")
    assert client.post(reverse("signin_two_factor_devices:delete", args=[device.pk]))["Location"] == HOME
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert get_user_model().objects.get(username="bientapvien").has_usable_password()


def test_a_browser_becomes_known_only_once_the_code_is_right(protected):
    """A password alone earns no standing against lockouts (signin/devices.py)."""
    device, _ = protected
    client = signed_in_client("bientapvien")
    assert "newsroom_device" not in client.cookies
    with time_machine.travel(time.time() + 60, tick=False):
        response = client.post(VERIFY, {"code": code_for(device), "next": HOME})
    assert response.status_code == 302
    assert client.cookies["newsroom_device"].value
