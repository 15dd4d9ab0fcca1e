"""Django's generic classes, subscriptable at run time as the type stubs declare them.

django-stubs types the admin, model forms and class-based views as generic, so that the code
says what they hold (`ModelAdmin[Item]`, `ListView[Item]`), but Django's own classes refuse the
subscript. django-stubs-ext patches every such class; the project subscripts these three
families only, and this keeps a typing helper out of the production dependencies.
"""

from typing import Any

from django.contrib.admin.options import BaseModelAdmin
from django.forms.models import BaseModelForm
from django.views import View

GENERIC_BASES: tuple[type[Any], ...] = (BaseModelAdmin, BaseModelForm, View)


def _subscript(cls: type[Any], *_: object) -> type[Any]:
    """`ListView[Item]` is plain `ListView` at run time: the parameter is for mypy only."""
    return cls


def allow_subscripts() -> None:
    """Give the base classes a `__class_getitem__`; their subclasses inherit it."""
    for base in GENERIC_BASES:
        base.__class_getitem__ = classmethod(_subscript)
