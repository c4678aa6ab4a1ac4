import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
WRONG = "guess"


def _sign_in(client, username, password=WRONG, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def test_one_address_trying_many_usernames_is_locked(client, editor, settings):
    settings.AXES_FAILURE_LIMIT, settings.AXES_ADDRESS_FAILURE_LIMIT = 5, 20
    answers = [_sign_in(client, f"name{n}").status_code for n in range(12) for _attempt in range(4)]
    assert 429 in answers, "48 failures over 12 usernames from one address were never locked"
    assert answers.index(429) == settings.AXES_ADDRESS_FAILURE_LIMIT - 1
    # Locked for every name, even with the right password.
    locked = _sign_in(client, editor.username, PASSWORD)
    assert locked.status_code == 429 and "Sign-in temporarily locked" in locked.text
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert (
        _sign_in(client, editor.username, PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302
    )


def test_a_made_up_forwarded_header_does_not_escape_the_lock(client, editor, settings):
    settings.PROXY_COUNT = 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, editor.username)
    forged = _sign_in(client, editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert forged.status_code == 429


def test_behind_a_proxy_the_lock_follows_the_client_not_the_proxy(client, editor, settings):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, editor.username, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert (
        _sign_in(
            client, editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy
        ).status_code
        == 429
    )
    colleague = _sign_in(
        client, editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy
    )
    assert colleague.status_code == 302
