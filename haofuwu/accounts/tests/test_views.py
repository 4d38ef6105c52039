"""Log-in, log-out, API tokens, and the page shell every user meets: language switch, menu, inbox."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from haofuwu.accounts.models import ApiToken
from haofuwu.core.models import Notification
from haofuwu.core.notifications import notify

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def html_lang(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


# Log-in


def test_login_page_is_chinese_by_default_with_labelled_fields(client, world, chinese):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'type="password"' in html


def test_correct_password_logs_in_and_lands_on_projects(client, world):
    response = client.post(reverse("accounts:login"), {"username": "manager_a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("estates:project_list")
    assert "甲小区" in response.content.decode()


def test_login_follows_a_safe_next_but_not_another_site(client, world):
    target = reverse("estates:staff_list")
    response = client.post(
        reverse("accounts:login") + f"?next={target}", {"username": "manager_a", "password": PASSWORD}
    )
    assert response["Location"] == target
    client.logout()
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/", {"username": "manager_a", "password": PASSWORD}
    )
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_error_above_the_form(client, world, settings):
    settings.LANGUAGE_CODE = "en"
    response = client.post(reverse("accounts:login"), {"username": "manager_a", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'class="form-errors" role="alert">\s*<p>Wrong username or password\.</p>', html)
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_with_a_message(client, world, settings):
    settings.LANGUAGE_CODE = "en"
    for _attempt in range(5):
        client.post(reverse("accounts:login"), {"username": "manager_a", "password": "wrong"})
    # Even the right password is refused while locked, and the page says why.
    response = client.post(reverse("accounts:login"), {"username": "manager_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins. Try again in 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_login_form_shows_required_beside_fields(client, world, settings):
    settings.LANGUAGE_CODE = "en"
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert re.search(r'id="id_username_error">This field is required\.', html)
    assert re.search(r'id="id_password_error">This field is required\.', html)


def test_logout_is_a_post_and_ends_the_session(client_for, world):
    client = client_for(world.users["manager_a"])
    page = client.get(reverse("estates:project_list")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in page
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("estates:project_list")).status_code == 302


# The shell: language, menu, unread count


def test_language_switch_turns_the_page_english_and_back(client_for, world, chinese):
    client = client_for(world.users["manager_a"])
    url = reverse("estates:project_list")
    assert html_lang(client.get(url)) == "zh-hans"
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response["Location"] == url
    english = client.get(url)
    assert html_lang(english) == "en"
    assert re.search(r'aria-current="page">Projects</a>', english.content.decode())
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": url})
    assert html_lang(client.get(url)) == "zh-hans"


def test_menu_shows_only_what_the_role_may_use(client_for, world):
    manager_html = client_for(world.users["manager_a"]).get(reverse("estates:project_list")).content.decode()
    assert f'href="{reverse("estates:resident_list")}"' in manager_html
    assert f'href="{reverse("estates:resident_home")}"' not in manager_html
    resident_html = client_for(world.users["resident_a"]).get(reverse("estates:resident_home")).content.decode()
    assert f'href="{reverse("estates:resident_home")}" aria-current="page"' in resident_html
    assert f'href="{reverse("estates:project_list")}"' not in resident_html


def test_header_shows_user_and_unread_count(client_for, world):
    user = world.users["manager_a"]
    notify(recipient=user, title="维修工单超时")
    notify(recipient=user, title="证书即将到期")
    html = client_for(user).get(reverse("estates:project_list")).content.decode()
    assert re.search(r'data-testid="unread-count">2<', html)
    assert "<summary>manager_a</summary>" in html


def test_htmx_requests_carry_the_csrf_token_from_the_body(client_for, world):
    html = client_for(world.users["manager_a"]).get(reverse("estates:project_list")).content.decode()
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]{32,}\"\}'", html)
    assert "/static/vendor/htmx/htmx.min.js" in html and "/static/vendor/pico/pico.min.css" in html
    assert "cdn" not in html.lower()


# Inbox


def test_inbox_lists_notifications_and_marks_one_read(client_for, world):
    user = world.users["manager_a"]
    first = notify(recipient=user, title="维修工单超时", body="3号楼漏水")
    notify(recipient=user, title="证书即将到期")
    notify(recipient=world.users["manager_b"], title="别人的消息")
    client = client_for(user)
    html = client.get(reverse("core:inbox")).content.decode()
    assert "维修工单超时" in html and "3号楼漏水" in html and "证书即将到期" in html
    assert "别人的消息" not in html
    assert html.count('class="notification is-unread"') == 2
    response = client.post(reverse("core:inbox_mark_read", args=[first.pk]))
    assert response["Location"] == reverse("core:inbox")
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert client.get(reverse("core:inbox")).content.decode().count('class="notification is-unread"') == 1


# API tokens


def test_new_token_is_shown_once_with_a_warning_and_listed_by_prefix(client_for, world, settings):
    settings.LANGUAGE_CODE = "en"
    client = client_for(world.users["manager_a"])
    response = client.post(reverse("accounts:tokens"), {"name": "报表脚本"})
    html = response.content.decode()
    raw = response.context["created"]
    assert raw.startswith("hfw_")
    assert f'<code id="new-token">{raw}</code>' in html
    assert "Copy your new token now" in html
    token = ApiToken.objects.get(user=world.users["manager_a"])
    assert token.name == "报表脚本"
    later = client.get(reverse("accounts:tokens")).content.decode()
    assert raw not in later
    assert f"<code>{token.prefix}…</code>" in later


def test_token_revoke_button_revokes_only_own_token(client_for, world):
    from haofuwu.accounts.services import api_token_create

    mine, _raw = api_token_create(user=world.users["manager_a"], name="mine")
    theirs, _raw = api_token_create(user=world.users["manager_b"], name="theirs")
    client = client_for(world.users["manager_a"])
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert f'name="revoke" value="{mine.pk}"' in page
    client.post(reverse("accounts:tokens"), {"revoke": theirs.pk})
    client.post(reverse("accounts:tokens"), {"revoke": mine.pk})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
