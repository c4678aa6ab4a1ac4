"""Building e-mails: one helper, three templates per message.

`templates/jinja2/emails/<name>.subject.txt`, `<name>.txt` and `<name>.html`, Jinja2 templates
rendered with the same context. Every message has a plain-text and an HTML part. The HTML part
is escaped, the subject and the text part are not (base/jinja2.py escapes by extension): a
name is printed as the person typed it, `&` and all.
"""

import hashlib
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """The subject, plain text and HTML of the message `template`, in the language the
    context names as the reader's (`reader_language`), else the site's default."""
    with translation.override(context.get("reader_language") or settings.LANGUAGE_CODE):
        context = {
            "SITE_URL": settings.SITE_URL,
            "SITE_NAME": translation.gettext(settings.SITE_NAME),
            **context,
        }
        subject = render_to_string(f"emails/{template}.subject.txt", context, using="jinja2")
        text = render_to_string(f"emails/{template}.txt", context, using="jinja2")
        html = render_to_string(f"emails/{template}.html", context, using="jinja2")
    return " ".join(subject.split()), text, html


def build_message(
    *, to: str, subject: str, text: str, html: str, headers: dict, key: str
) -> EmailMultiAlternatives:
    # The same delivery key always gives the same Message-ID, so a mail system that sees a
    # message twice (a worker that died between sending and recording it) can drop the copy.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = urlparse(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": f"<{digest}@{domain}>", **headers},
    )
    message.attach_alternative(html, "text/html")
    return message
