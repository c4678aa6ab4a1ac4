import difflib
import html
import re


def word_diff_html(before: str, after: str) -> str:
    """A word-level diff as HTML: removed words in <del>, added words in <ins>, all escaped.

    Words and the whitespace between them are separate tokens, so line breaks survive (show
    the result with `white-space: pre-wrap`).
    """
    old, new = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(html.escape("".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{html.escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{html.escape(''.join(new[b1:b2]))}</ins>")
    return "".join(parts)
