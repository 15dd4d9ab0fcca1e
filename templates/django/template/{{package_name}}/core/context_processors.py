"""Values every template sees."""

from django.conf import settings
from django.http import HttpRequest


def site_title(request: HttpRequest) -> dict[str, str]:
    """``site_title`` (``settings.SITE_TITLE``), which every page shows in its title and header.
    Not ``site_name``: Django's account views set that to the request's host."""
    return {"site_title": settings.SITE_TITLE}
