from django.urls import path

from commonground.coalitions import views

app_name = "coalitions"

urlpatterns = [
    path("new/", views.coalition_create, name="create"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/profile/", views.profile_edit, name="profile"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/audit/", views.audit_log, name="audit"),
]
