"""Pages anyone may open without signing in: public notices, objections, verification."""

from django.urls import path  # noqa: F401

app_name = "public"
urlpatterns = []
