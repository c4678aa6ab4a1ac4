"""The words both status machines speak (an article's and a submission's).

Each app keeps one table from (status, status) to a `Transition`, one guard that checks a
move against the table and the person, and `available_transitions()` for what to offer.
`by` says who may make a move; an editor may make every move a writer may.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

EDITOR = "editor"
WRITER = "writer"
CONTRIBUTOR = "contributor"


class TransitionError(ValidationError):
    """A move the table does not allow, or that this person may not make, with the reason a
    person can read."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    by: str
    # Publishing and scheduling run the content checks first.
    needs_content: bool = False
    # What the editor reads once the move is made.
    done: str = ""
