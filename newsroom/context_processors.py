from django.conf import settings
from django.utils.translation import gettext


def site(request) -> dict:
    # The name in the page's language where the catalog has it ("Кавказский центр"): the
    # default name is a word of templates/jinja2/base.html; another name stays as set.
    return {"SITE_NAME": gettext(settings.SITE_NAME), "SITE_URL": settings.SITE_URL}
