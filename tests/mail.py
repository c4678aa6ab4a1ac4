"""Reading the e-mails a test caused (Django's locmem outbox)."""

import re

from django.core import mail
from django.core.mail import EmailMultiAlternatives


def sent_to(address: str) -> list[EmailMultiAlternatives]:
    return [message for message in mail.outbox if address in message.to]


def only_mail_to(address: str) -> EmailMultiAlternatives:
    messages = sent_to(address)
    assert len(messages) == 1, (
        f"{len(messages)} messages to {address}: {[m.subject for m in messages]}"
    )
    return messages[0]


def link_in(message: EmailMultiAlternatives, path: str) -> str:
    """The first link in the plain-text part whose path starts with `path`; its path part."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]*)", message.body)
    assert match, f"no link to {path} in: {message.body}"
    return match.group(1)


def html_part(message: EmailMultiAlternatives) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


def outbox_rows_mentioning(*needles: str) -> list[str]:
    """The notifications outbox rows in which any of `needles` still appears, anywhere."""
    from outbox.models import Notification

    found = []
    for row in Notification.objects.all():
        fields = (row.recipient, row.key, str(row.context), str(row.headers), row.subject)
        text = " ".join((*fields, row.body_text, row.body_html, row.last_error))
        found += [f"{row.key}: {needle}" for needle in needles if needle in text]
    return found
