"""The front door: what the platform is for, the council's framework, and a way into its places."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonweal.framework.queries import framework_summary
from commonweal.places.forms import PostcodeForm
from commonweal.places.queries import area_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home/home.html",
        {"framework": framework_summary(), "area": area_summary(), "postcode_form": PostcodeForm()},
    )
