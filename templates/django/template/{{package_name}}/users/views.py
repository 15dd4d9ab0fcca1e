"""Account pages. Log-in, sign-up and password reset count each attempt (core/throttle.py) and
answer 429 with the form and a message once a client or an account has made too many."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from ..core import throttle
from .forms import SignUpForm


class ThrottledFormView(FormView[Any]):
    """Count every POST; past the limit, show the empty form again with status 429.

    The refused form is rebuilt unbound: a bound one would validate on display, and the log-in
    form's validation is the password check the limit is there to stop.
    """

    throttle_scope: str
    #: The form field that names the account (the e-mail address).
    account_field = "email"

    def throttle_account(self, request: HttpRequest, **kwargs: Any) -> object:
        return request.POST.get(self.account_field)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = self.throttle_account(request, **kwargs)
        wait = throttle.attempt(request, self.throttle_scope, account)
        if wait is None:
            return super().post(request, *args, **kwargs)
        form_kwargs = self.get_form_kwargs()
        form_kwargs.pop("data", None)
        form_kwargs.pop("files", None)
        messages.error(request, throttle.refusal_message(wait))
        refused = self.render_to_response(
            self.get_context_data(form=self.get_form_class()(**form_kwargs)), status=429
        )
        refused["Retry-After"] = str(wait)
        return refused


class LoginView(ThrottledFormView, auth_views.LoginView):
    throttle_scope = throttle.LOGIN
    account_field = "username"  # Django's log-in form names the e-mail field so

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.forget_account(throttle.LOGIN, form.cleaned_data["username"])
        return super().form_valid(form)


class PasswordResetView(ThrottledFormView, auth_views.PasswordResetView):
    throttle_scope = throttle.PASSWORD_RESET


class PasswordResetConfirmView(ThrottledFormView, auth_views.PasswordResetConfirmView):
    throttle_scope = throttle.PASSWORD_RESET_CONFIRM

    def throttle_account(self, request: HttpRequest, **kwargs: Any) -> object:
        return kwargs.get("uidb64")  # the account the link is for


class SignUpView(ThrottledFormView):
    """Create an account and log the new user in straight away."""

    form_class = SignUpForm
    template_name = "registration/signup.html"
    throttle_scope = throttle.SIGNUP

    def form_valid(self, form: SignUpForm) -> HttpResponse:
        user = form.save()
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(settings.LOGIN_REDIRECT_URL)


class ProfileView(LoginRequiredMixin, TemplateView):
    """Who am I: the signed-in user's account page."""

    template_name = "users/profile.html"
