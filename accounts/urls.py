from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm

# No app_name: settings name these routes "login" and "logout" (LOGIN_URL, LOGOUT_REDIRECT_URL),
# as django.contrib.auth.urls does.
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # LogoutView accepts POST only, so a link or prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
