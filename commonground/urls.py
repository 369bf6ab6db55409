from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from commonground.coalitions import views as coalition_views
from commonground.marketplace.public_views import public_marketplace


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("", coalition_views.home, name="home"),
    path("accounts/", include("commonground.accounts.urls")),
    path("c/", include("commonground.coalitions.urls")),
    path("c/<slug:slug>/organisations/", include("commonground.organisations.urls")),
    path("c/<slug:slug>/places/", include("commonground.places.urls")),
    path("c/<slug:slug>/marketplace/", include("commonground.marketplace.urls")),
    path("p/<slug:slug>/marketplace/", public_marketplace, name="public_marketplace"),
    path("network/", include("commonground.network.urls")),
    path("c/<slug:slug>/stakeholders/", include("commonground.stakeholders.urls")),
    path("c/<slug:slug>/relationships/", include("commonground.relationships.urls")),
    path("c/<slug:slug>/network/", include("commonground.relationships.network_urls")),
    path("c/<slug:slug>/municipal-session/", include("commonground.municipal.urls")),
    path("ogc/<slug:slug>/", include("commonground.places.ogc_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("commonground.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
]
