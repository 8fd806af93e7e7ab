"""Form helpers every app uses, and the forms of the partnership administration pages
(memberships and agencies)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from smp.models import Agency, Partnership, Role
from smp.services import NewAccount


def check_constraints_in_full(form: forms.ModelForm, field: str, message: str) -> None:
    """ModelForm skips database constraints that involve a field it does not show
    (the partnership; the plan in a lead's form), so a duplicate would reach the
    database as an IntegrityError. Check them on the whole instance instead."""
    if form.has_error(field) or form.non_field_errors():
        return  # already reported (ModelForm caught it when it shows every field)
    try:
        form.instance.validate_constraints()
    except forms.ValidationError:
        form.add_error(field, message)


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names when
    the form has that field, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _agency_choice(partnership: Partnership) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Agency.objects.filter(partnership=partnership), required=False,
        help_text="The organisation they work for.",
    )


def _role_choice(**kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple,
                                     **kwargs)


class MemberAddForm(forms.Form):
    """An existing account (by username or e-mail), or the details of a new one."""

    account = forms.CharField(
        required=False, max_length=254, label="Existing account: username or e-mail address",
        help_text="Leave empty to create a new account below.",
    )
    first_name = forms.CharField(required=False, max_length=150, label="First name")
    last_name = forms.CharField(required=False, max_length=150, label="Last name")
    email = forms.EmailField(required=False, label="E-mail address",
                             help_text="They get a link here to choose their password.")
    username = forms.CharField(required=False, max_length=150,
                               help_text="What they sign in with, e.g. jo.bennett.")

    NEW_ACCOUNT = ("first_name", "last_name", "email", "username")

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _role_choice(label="Roles in the partnership")
        self.fields["agency"] = _agency_choice(partnership)

    def clean(self) -> dict:
        cleaned = super().clean()
        account = cleaned.get("account", "").strip()
        if account:
            cleaned["user"] = self._existing(account)
            if any(cleaned.get(name) for name in self.NEW_ACCOUNT):
                self.add_error("account", "Give an existing account or a new one, not both.")
        else:
            cleaned["user"] = None
            for name in self.NEW_ACCOUNT:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, "Needed for a new account.")
        return cleaned

    def new_account(self) -> NewAccount | None:
        """The new account's details, when no existing account was given."""
        data = self.cleaned_data
        if data.get("user") is not None:
            return None
        return NewAccount(username=data["username"], email=data["email"],
                          first_name=data["first_name"], last_name=data["last_name"])

    def _existing(self, account: str):
        users = get_user_model().objects
        by_name = users.filter(username__iexact=account).first()
        if by_name is not None:
            return by_name
        by_email = list(users.filter(email__iexact=account)[:2])
        if len(by_email) == 1:
            return by_email[0]
        self.add_error("account", "Several accounts use this address: give the username."
                       if by_email else "No account has this username or e-mail address. "
                       "Leave this empty to create one.")
        return None


class MemberRolesForm(forms.Form):
    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _role_choice(label="Roles in the partnership", required=False)
        self.fields["agency"] = _agency_choice(partnership)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "is_responsible_authority"]
        labels = {"is_responsible_authority": "Responsible authority"}

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["short_name"].help_text = "Shown in tables, e.g. MBC."

    def validate_unique(self) -> None:
        super().validate_unique()
        check_constraints_in_full(self, "name", "The partnership already has an agency with "
                                  "this name.")
