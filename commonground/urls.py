from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from commonground.coalitions import views as coalition_views


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("", coalition_views.home, name="home"),
    path("accounts/", include("commonground.accounts.urls")),
    path("c/", include("commonground.coalitions.urls")),
    path("c/<slug:slug>/organisations/", include("commonground.organisations.urls")),
    path("c/<slug:slug>/places/", include("commonground.places.urls")),
    path("ogc/<slug:slug>/", include("commonground.places.ogc_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("commonground.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
]
