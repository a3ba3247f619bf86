"""Pages anyone may open without signing in: public notices, objections, verification."""

from django.urls import path

from certification.views import public

app_name = "public"
urlpatterns = [
    path("notices/", public.notice_list, name="notice-list"),
    path("notices/<int:pk>/", public.notice_detail, name="notice-detail"),
    path("verify/", public.verify, name="verify-lookup"),
    path("verify/<str:number>/", public.verify, name="verify"),
]
