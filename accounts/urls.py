from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

# No app_name: settings name these routes "login" and "logout" (LOGIN_URL, LOGOUT_REDIRECT_URL),
# as django.contrib.auth.urls does; "password_change" is the name Django's views expect too.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # LogoutView accepts POST only, so a link or prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("operations/", views.OperationList.as_view(), name="operation-list"),
    path(
        "operations/export/", views.OperationList.as_view(export=True), name="operation-export"
    ),
]
