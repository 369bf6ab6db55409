from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User


class SignUpForm(forms.Form):
    """For a person accepting an invitation who has no account yet."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput,
        help_text=password_validation.password_validators_help_text_html(),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(
            password, User(email=self.email, full_name=self.data.get("full_name", ""))
        )
        return str(password)


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
