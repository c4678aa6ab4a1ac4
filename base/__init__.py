"""The base of the newsroom: what every app may use and nothing that knows an app.

Markdown, word diffs, the client's address, rate limits, the page and fragment cache, the
API's plumbing and keys, the roles. Its Django app keeps the label `newsroom` (its tables,
migrations and permissions were made under that name).
"""
