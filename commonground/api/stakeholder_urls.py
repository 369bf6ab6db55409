"""Routes of the stakeholder map's endpoints, under ``coalitions/<slug>/stakeholders/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from .stakeholder_engagement import (
    AnalysisViewSet,
    DuePlanViewSet,
    InteractionViewSet,
    PlanViewSet,
    ShortlistViewSet,
)
from .stakeholders import CriterionViewSet, ScoreViewSet, StakeholderViewSet

BASE = "coalitions/<slug:slug>/stakeholders/"

urlpatterns: list[URLPattern] = [
    path(
        BASE,
        StakeholderViewSet.as_view({"get": "list", "post": "create"}),
        name="stakeholder-list",
    ),
    path(
        f"{BASE}<int:pk>/",
        StakeholderViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="stakeholder-detail",
    ),
    path(
        f"{BASE}<int:pk>/stage/",
        StakeholderViewSet.as_view({"post": "stage"}),
        name="stakeholder-stage",
    ),
    path(
        f"{BASE}<int:pk>/scores/",
        ScoreViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="stakeholder-scores",
    ),
    path(
        f"{BASE}<int:pk>/plan/",
        PlanViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="stakeholder-plan",
    ),
    path(
        f"{BASE}<int:pk>/interactions/",
        InteractionViewSet.as_view({"get": "list", "post": "create"}),
        name="stakeholder-interactions",
    ),
    path(
        f"{BASE}criteria/",
        CriterionViewSet.as_view({"get": "list", "post": "create"}),
        name="criterion-list",
    ),
    path(
        f"{BASE}criteria/<int:pk>/",
        CriterionViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="criterion-detail",
    ),
    path(f"{BASE}due/", DuePlanViewSet.as_view({"get": "list"}), name="stakeholder-due"),
    path(
        f"{BASE}shortlist/",
        ShortlistViewSet.as_view({"get": "list"}),
        name="stakeholder-shortlist",
    ),
    path(
        f"{BASE}settings/",
        ShortlistViewSet.as_view({"get": "read_cutoff", "patch": "set_cutoff"}),
        name="stakeholder-settings",
    ),
    path(
        f"{BASE}analysis/",
        AnalysisViewSet.as_view({"get": "retrieve"}),
        name="stakeholder-analysis",
    ),
]
