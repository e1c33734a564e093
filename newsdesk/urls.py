from django.contrib import admin
from django.urls import include, path

from statements import views

admin.site.site_header = "Newsdesk curation"
admin.site.site_title = "Newsdesk admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("statements.urls")),
]
