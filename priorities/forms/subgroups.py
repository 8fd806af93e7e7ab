"""Adding a member (a person and/or an agency) to a subgroup."""

from __future__ import annotations

from django import forms

from priorities.forms.common import check_constraints_in_full, member_choice
from priorities.models import Subgroup, SubgroupMember
from smp.models import Agency


class SubgroupMemberForm(forms.ModelForm):
    class Meta:
        model = SubgroupMember
        fields = ["user", "agency", "role"]
        labels = {"role": "Role in the group"}

    def __init__(self, *args, subgroup: Subgroup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.subgroup = subgroup
        partnership = subgroup.partnership
        self.fields["user"] = member_choice(
            partnership, required=False, label="Person",
            help_text="A member of the partnership. Leave empty to record an agency only.",
        )
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)
        self.fields["agency"].help_text = "The organisation they represent, or that takes part."

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("user") and not cleaned.get("agency") and not self.errors:
            self.add_error("user", "Choose a person, an agency or both.")
        return cleaned

    def validate_unique(self) -> None:
        super().validate_unique()
        field = "user" if self.instance.user_id else "agency"
        check_constraints_in_full(self, field, "Already a member of the subgroup.")
