from django.urls import path

from commonground.network import views

app_name = "cities"

urlpatterns = [
    path("", views.index, name="index"),
    path("themes/", views.theme_add, name="theme_add"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/agree/", views.request_agree, name="request_agree"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
]
