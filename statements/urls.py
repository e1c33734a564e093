from django.urls import path

from statements import views
from statements.feeds import QuoteFeed

app_name = "statements"

urlpatterns = [
    path("", views.home, name="home"),
    path("quotes/", views.quote_list, name="quote_list"),
    path("quotes/feed/", QuoteFeed(), name="quote_feed"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote_detail"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("speakers/", views.speaker_list, name="speaker_list"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker_detail"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("events/", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("compare/", views.compare, name="compare"),
    path("suggest/speakers/", views.speaker_suggestions, name="speaker_suggestions"),
    path("about/", views.about, name="about"),
]
