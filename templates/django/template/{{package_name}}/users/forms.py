from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError

from .models import User


def _reject_taken_email(email: str) -> str:
    """E-mail addresses are unique regardless of case: Ann@x.org and ann@x.org are one user."""
    email = User.objects.normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError("A user with this e-mail address already exists.")
    return email


class SignUpForm(UserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return _reject_taken_email(self.cleaned_data["email"])


class AdminUserAddForm(AdminUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return _reject_taken_email(self.cleaned_data["email"])


class AdminUserChangeForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"
