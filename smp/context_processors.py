from smp.models import Partnership


def navigation(request) -> dict:
    """The partnerships the user can switch between, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_partnerships": []}
    return {"nav_partnerships": list(Partnership.objects.for_user(user).only("name", "slug"))}
