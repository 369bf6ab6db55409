"""REST API v1. Coalition-scoped endpoints are nested under ``coalitions/<slug>/``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from .coalitions import CoalitionViewSet, InvitationViewSet, MembershipViewSet
from .organisations import ContactViewSet, OrganisationViewSet
from .places import AnalysisRunViewSet, AreaViewSet, LayerViewSet
from .risk import AreaIndicatorsViewSet, RiskProfileViewSet

app_name = "api"

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # JSON only; nested routes have no ".json" forms either
router.register("coalitions", CoalitionViewSet, basename="coalition")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path(
        "coalitions/<slug:slug>/memberships/",
        MembershipViewSet.as_view({"get": "list"}),
        name="membership-list",
    ),
    path(
        "coalitions/<slug:slug>/memberships/<int:pk>/",
        MembershipViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="membership-detail",
    ),
    path(
        "coalitions/<slug:slug>/invitations/",
        InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitation-list",
    ),
    path(
        "coalitions/<slug:slug>/organisations/",
        OrganisationViewSet.as_view({"get": "list", "post": "create"}),
        name="organisation-list",
    ),
    path(
        "coalitions/<slug:slug>/organisations/<int:pk>/",
        OrganisationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="organisation-detail",
    ),
    path(
        "coalitions/<slug:slug>/contacts/",
        ContactViewSet.as_view({"get": "list", "post": "create"}),
        name="contact-list",
    ),
    path(
        "coalitions/<slug:slug>/contacts/<int:pk>/",
        ContactViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="contact-detail",
    ),
    path(
        "coalitions/<slug:slug>/areas/",
        AreaViewSet.as_view({"get": "list"}),
        name="area-list",
    ),
    path(
        "coalitions/<slug:slug>/layers/",
        LayerViewSet.as_view({"get": "list"}),
        name="layer-list",
    ),
    path(
        "coalitions/<slug:slug>/layers/<int:pk>/",
        LayerViewSet.as_view({"get": "retrieve"}),
        name="layer-detail",
    ),
    path(
        "coalitions/<slug:slug>/analyses/",
        AnalysisRunViewSet.as_view({"get": "list", "post": "create"}),
        name="analysis-list",
    ),
    path(
        "coalitions/<slug:slug>/analyses/<int:pk>/",
        AnalysisRunViewSet.as_view({"get": "retrieve"}),
        name="analysis-detail",
    ),
    path(
        "coalitions/<slug:slug>/area-indicators/",
        AreaIndicatorsViewSet.as_view({"post": "create"}),
        name="area-indicators",
    ),
    path(
        "coalitions/<slug:slug>/risk-profiles/",
        RiskProfileViewSet.as_view({"get": "list", "post": "create"}),
        name="risk-profile-list",
    ),
    path(
        "coalitions/<slug:slug>/risk-profiles/<int:pk>/",
        RiskProfileViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="risk-profile-detail",
    ),
    path(
        "coalitions/<slug:slug>/risk-profiles/<int:pk>/refresh/",
        RiskProfileViewSet.as_view({"post": "refresh"}),
        name="risk-profile-refresh",
    ),
]
