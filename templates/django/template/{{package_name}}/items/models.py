from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.urls import reverse

from ..users.models import User


class ItemQuerySet(models.QuerySet["Item"]):
    def owned_by(self, user: User | AnonymousUser) -> "ItemQuerySet":
        """The only way views and the API look items up, so nobody reaches another's items
        (and an anonymous visitor none)."""
        if not isinstance(user, User):
            return self.none()
        return self.filter(owner=user)


class Item(models.Model):
    """Something a user owns: the example resource to copy for your own models."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["owner", "-created_at"]),)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("items:detail", args=[self.pk])
