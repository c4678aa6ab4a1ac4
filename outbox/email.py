"""The e-mail transport: the rows of a batch go over one SMTP connection."""

import contextlib
import smtplib

from django.core.mail import get_connection

from .emails import build_message, render_email
from .models import Notification
from .transports import Done, Transport


class EmailTransport(Transport):
    def deliver(self, rows: list[Notification], done: Done) -> None:
        """Send over one connection, opened by us so that the backend keeps it for the batch."""
        connection = get_connection()
        is_open = False
        try:
            for row in rows:
                try:
                    message = _message(row)
                except Exception as error:  # a missing template, a bad context: this row only
                    done(row, error)
                    continue
                try:
                    if not is_open:
                        connection.open()
                        is_open = True
                    connection.send_messages([message])
                except Exception as error:  # SMTP refusals, network errors, a bad header
                    done(row, error)
                    with contextlib.suppress(Exception):
                        connection.close()  # the next message gets a fresh connection
                    is_open = False
                else:
                    done(row, None)
        finally:
            with contextlib.suppress(Exception):
                connection.close()

    def is_transient(self, error: Exception) -> bool:
        """4xx replies, dropped connections and network errors pass; 5xx replies do not."""
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _ in error.recipients.values()]
            return all(400 <= code < 500 for code in codes)
        if isinstance(error, smtplib.SMTPResponseException):
            return 400 <= error.smtp_code < 500
        return super().is_transient(error)


def _message(notification: Notification):
    if not notification.subject:
        subject, text, html = render_email(notification.template, notification.context)
        # Cut to the column's size here, so that recording the row as sent cannot fail
        # after the message has gone out (and it would go out again).
        subject = subject[: Notification._meta.get_field("subject").max_length]
        notification.subject, notification.body_text, notification.body_html = subject, text, html
    return build_message(
        to=notification.recipient,
        subject=notification.subject,
        text=notification.body_text,
        html=notification.body_html,
        headers=notification.headers,
        key=notification.key,
    )
