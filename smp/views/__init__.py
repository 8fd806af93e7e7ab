"""The site's own pages: the partnership chooser, health check and error pages.
Partnership administration is in smp/views/members.py and smp/views/agencies.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader

from smp.models import Partnership


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One partnership: go straight to it; several: let the user choose."""
    partnerships = list(Partnership.objects.for_user(request.user))
    if len(partnerships) == 1:
        return redirect("priorities:home", slug=partnerships[0].slug)
    return render(request, "smp/home.html", {"partnerships": partnerships})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and docker compose: the app answers and the DB too."""
    Partnership.objects.exists()
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request: no context processors, sessions or
    database, which may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
