from django.urls import path

from commonground.marketplace import exchange_views, match_views, views

app_name = "marketplace"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("dashboard/", match_views.dashboard, name="dashboard"),
    path("settings/", match_views.market_settings, name="settings"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/import/", exchange_views.need_import, name="need_import"),
    path("needs/import/map/", exchange_views.need_import_map, name="need_import_map"),
    path("needs.<str:fmt>", exchange_views.need_export, name="need_export"),
    path("offers.<str:fmt>", exchange_views.offer_export, name="offer_export"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/attach/", views.need_attach, name="need_attach"),
    path("needs/<int:pk>/propose/", match_views.propose, name="propose"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/import/", exchange_views.offer_import, name="offer_import"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/review/", views.offer_review, name="offer_review"),
    path("matches/<int:pk>/", match_views.match_detail, name="match"),
    path("matches/<int:pk>/step/", match_views.match_step, name="match_step"),
    path("matches/<int:pk>/message/", match_views.match_message, name="match_message"),
]
