"""Item pages. Each view looks items up among the signed-in user's own, so another user's
item answers 404: it is not revealed to exist."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.views import generic

from ..users.models import User
from .forms import ItemForm
from .models import Item


class SignedInRequest(HttpRequest):
    """A request that LoginRequiredMixin let through: its user is signed in, not anonymous."""

    user: User


class OwnedItemsMixin(LoginRequiredMixin):
    """Require a signed-in user and restrict every lookup to the items they own."""

    request: HttpRequest

    def get_queryset(self) -> QuerySet[Item]:
        return Item.objects.owned_by(self.request.user)


class ItemListView(OwnedItemsMixin, generic.ListView[Item]):
    """The user's items, newest first, 20 per page (`?page=2`)."""

    paginate_by = 20


class ItemDetailView(OwnedItemsMixin, generic.DetailView[Item]):
    """One of the user's items; someone else's is a 404."""


class ItemCreateView(OwnedItemsMixin, generic.CreateView[Item, ItemForm]):
    model = Item
    form_class = ItemForm
    request: SignedInRequest

    def form_valid(self, form: ItemForm) -> HttpResponse:
        form.instance.owner = self.request.user
        messages.success(self.request, "Item created.")
        return super().form_valid(form)


class ItemUpdateView(OwnedItemsMixin, generic.UpdateView[Item, ItemForm]):
    form_class = ItemForm

    def form_valid(self, form: ItemForm) -> HttpResponse:
        messages.success(self.request, "Item saved.")
        return super().form_valid(form)


class ItemDeleteView(OwnedItemsMixin, generic.DeleteView[Item, Form]):
    success_url = reverse_lazy("items:list")

    def form_valid(self, form: Form) -> HttpResponse:
        messages.success(self.request, "Item deleted.")
        return super().form_valid(form)
