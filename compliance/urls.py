from django.contrib import admin
from django.urls import include, path

from .views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    # Duban's own login, reset, CAS and unlock pages first; Django's standard accounts/ pages after.
    path("accounts/", include(accounts.urlpatterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("compliance.api.urls")),
    path("", include("compliance.views.urls")),
]
