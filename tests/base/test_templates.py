import jinja2
import pytest
from django.template import engines


def test_a_misspelt_variable_fails_the_page_in_tests():
    page = engines["jinja2"].from_string("<h1>{{ titel }}</h1>")
    with pytest.raises(jinja2.UndefinedError):
        page.render({"title": "Lachin"})


def test_a_missing_variable_is_still_false_in_a_condition():
    page = engines["jinja2"].from_string("{% if preview %}Preview{% else %}Page{% endif %}")
    assert page.render({}) == "Page"
