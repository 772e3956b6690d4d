"""Page URLs. Each area keeps its own urlpatterns list in its module."""

from django.urls import path

from . import dashboard, directory, exports, home, notifications, tracking

urlpatterns = [
    path("", home.home, name="home"),
    *tracking.urlpatterns,
    *dashboard.urlpatterns,
    *exports.urlpatterns,
    *notifications.urlpatterns,
    *directory.urlpatterns,
]
