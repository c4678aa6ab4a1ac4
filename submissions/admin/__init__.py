"""The submissions admin, by subject: the moderation queue, decisions, calls and templates."""

from . import calls, queue  # noqa: F401  (they register their admins)
