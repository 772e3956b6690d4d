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

# A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 with a message; other bad requests the 400 page.
handler400 = "compliance.views.errors.bad_request"
