from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def detail(request: HttpRequest) -> HttpResponse:
    return render(request, "framework/detail.html", {})


def edit(request: HttpRequest) -> HttpResponse:
    return render(request, "framework/detail.html", {})
