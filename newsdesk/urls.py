from django.contrib import admin
from django.urls import include, path

from statements import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("statements.urls")),
]

# A server error caused by the database being unreachable or read-only is a 503 that says so.
handler500 = "statements.middleware.server_error"
