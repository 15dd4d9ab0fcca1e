from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import CreateView, TemplateView

from .forms import SignUpForm
from .models import User


class SignUpView(CreateView[User, SignUpForm]):
    """Create an account and log the new user in straight away."""

    form_class = SignUpForm
    template_name = "registration/signup.html"

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        user = form.save()
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(settings.LOGIN_REDIRECT_URL)


class ProfileView(LoginRequiredMixin, TemplateView):
    """Who am I: the signed-in user's account page."""

    template_name = "users/profile.html"
