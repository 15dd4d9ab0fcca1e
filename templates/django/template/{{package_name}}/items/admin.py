from django.contrib import admin

from .models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ("title", "owner", "created_at", "updated_at")
    list_select_related = ("owner",)
    search_fields = ("title", "owner__email")
    list_filter = ("created_at",)
    autocomplete_fields = ("owner",)
    date_hierarchy = "created_at"
