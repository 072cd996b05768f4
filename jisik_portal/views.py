from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Staff see their start page; residents (not logged in) find the public proposal form."""
    return render(request, "home.html")
