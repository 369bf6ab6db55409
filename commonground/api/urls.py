"""REST API v1. Coalition-scoped endpoints are nested under ``coalitions/<slug>/``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from .coalitions import CoalitionViewSet, InvitationViewSet, MembershipViewSet
from .marketplace import MatchViewSet, NeedViewSet, OfferViewSet
from .municipal import (
    AgendaItemViewSet,
    DocumentViewSet,
    MilestoneViewSet,
    ObjectiveViewSet,
    ParticipantViewSet,
    SessionViewSet,
    TaskViewSet,
)
from .network import CityRequestViewSet, PartnerOfferViewSet, ThemeViewSet
from .organisations import ContactViewSet, OrganisationViewSet
from .places import AnalysisRunViewSet, AreaViewSet, LayerViewSet
from .relationships import urlpatterns as relationship_urlpatterns
from .risk import AreaIndicatorsViewSet, RiskProfileViewSet
from .stakeholder_urls import urlpatterns as stakeholder_urlpatterns

app_name = "api"

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # JSON only; nested routes have no ".json" forms either
router.register("coalitions", CoalitionViewSet, basename="coalition")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    *stakeholder_urlpatterns,
    *relationship_urlpatterns,
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

# The session with the municipal authorities: one checklist per coalition, and its items.
MUNICIPAL = "coalitions/<slug:slug>/municipal-session/"
MUNICIPAL_ITEMS = [
    ("participants", "municipal-participant", ParticipantViewSet),
    ("objectives", "municipal-objective", ObjectiveViewSet),
    ("tasks", "municipal-task", TaskViewSet),
    ("milestones", "municipal-milestone", MilestoneViewSet),
    ("agenda", "municipal-agenda-item", AgendaItemViewSet),
]
urlpatterns += [
    path(
        MUNICIPAL,
        SessionViewSet.as_view({"get": "retrieve", "post": "create", "patch": "partial_update"}),
        name="municipal-session",
    ),
    path(
        f"{MUNICIPAL}document/",
        DocumentViewSet.as_view({"get": "retrieve", "post": "create", "delete": "destroy"}),
        name="municipal-document",
    ),
]
for _segment, _name, _viewset in MUNICIPAL_ITEMS:
    urlpatterns += [
        path(
            f"{MUNICIPAL}{_segment}/",
            _viewset.as_view({"get": "list", "post": "create"}),
            name=f"{_name}-list",
        ),
        path(
            f"{MUNICIPAL}{_segment}/<int:pk>/",
            _viewset.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
            name=f"{_name}-detail",
        ),
    ]

# The marketplace: needs, offers, and the matches between them with their fulfilment.
MARKET = "coalitions/<slug:slug>/"
urlpatterns += [
    path(
        f"{MARKET}needs/", NeedViewSet.as_view({"get": "list", "post": "create"}), name="need-list"
    ),
    path(
        f"{MARKET}needs/<int:pk>/",
        NeedViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="need-detail",
    ),
    path(
        f"{MARKET}needs/<int:pk>/matches/",
        NeedViewSet.as_view({"get": "matches"}),
        name="need-matches",
    ),
    path(
        f"{MARKET}needs/<int:pk>/propose/",
        NeedViewSet.as_view({"post": "propose"}),
        name="need-propose",
    ),
    path(
        f"{MARKET}offers/",
        OfferViewSet.as_view({"get": "list", "post": "create"}),
        name="offer-list",
    ),
    path(
        f"{MARKET}offers/<int:pk>/",
        OfferViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="offer-detail",
    ),
    path(
        f"{MARKET}offers/<int:pk>/matches/",
        OfferViewSet.as_view({"get": "matches"}),
        name="offer-matches",
    ),
    path(
        f"{MARKET}offers/<int:pk>/review/",
        OfferViewSet.as_view({"post": "review"}),
        name="offer-review",
    ),
    path(f"{MARKET}matches/", MatchViewSet.as_view({"get": "list"}), name="match-list"),
    path(
        f"{MARKET}matches/<int:pk>/", MatchViewSet.as_view({"get": "retrieve"}), name="match-detail"
    ),
    path(
        f"{MARKET}matches/<int:pk>/step/", MatchViewSet.as_view({"post": "step"}), name="match-step"
    ),
    path(
        f"{MARKET}matches/<int:pk>/messages/",
        MatchViewSet.as_view({"get": "messages", "post": "messages"}),
        name="match-messages",
    ),
]

# The network of cities (shared by every coalition on the instance).
urlpatterns += [
    path("network/themes/", ThemeViewSet.as_view({"get": "list"}), name="network-themes"),
    path(
        "network/requests/",
        CityRequestViewSet.as_view({"get": "list", "post": "create"}),
        name="network-request-list",
    ),
    path(
        "network/requests/<int:pk>/",
        CityRequestViewSet.as_view({"get": "retrieve"}),
        name="network-request-detail",
    ),
    path(
        "network/requests/<int:pk>/offers/",
        CityRequestViewSet.as_view({"get": "offers"}),
        name="network-request-offers",
    ),
    path(
        "network/offers/",
        PartnerOfferViewSet.as_view({"get": "list", "post": "create"}),
        name="network-offer-list",
    ),
    path(
        "network/offers/<int:pk>/",
        PartnerOfferViewSet.as_view({"get": "retrieve"}),
        name="network-offer-detail",
    ),
]
