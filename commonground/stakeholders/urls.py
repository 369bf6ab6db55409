from django.urls import path

from commonground.stakeholders.views import analysis, criteria, engagement, exchange, stakeholders

app_name = "stakeholders"

urlpatterns = [
    path("", stakeholders.stakeholder_list, name="list"),
    path("board/", stakeholders.stakeholder_board, name="board"),
    path("new/", stakeholders.stakeholder_create, name="create"),
    path("suggest/", stakeholders.organisation_suggestions, name="suggest"),
    path("<int:pk>/", stakeholders.stakeholder_detail, name="detail"),
    path("<int:pk>/edit/", stakeholders.stakeholder_edit, name="edit"),
    path("<int:pk>/stage/", stakeholders.stakeholder_stage, name="stage"),
    path("<int:pk>/score/", criteria.stakeholder_score, name="score"),
    path("<int:pk>/plan/", engagement.plan_edit, name="plan"),
    path("<int:pk>/interactions/", engagement.interaction_create, name="interaction_create"),
    path("<int:pk>/contact.vcf", exchange.stakeholder_vcard, name="vcard"),
    path("criteria/", criteria.criteria, name="criteria"),
    path("criteria/<int:pk>/", criteria.criterion_edit, name="criterion_edit"),
    path("shortlist/", criteria.shortlist_view, name="shortlist"),
    path("shortlist/cutoff/", criteria.shortlist_cutoff, name="cutoff"),
    path("grid/", analysis.power_interest_grid, name="grid"),
    path("salience/", analysis.salience_view, name="salience"),
    path("diversity/", analysis.diversity_view, name="diversity"),
    path("overdue/", engagement.overdue, name="overdue"),
    path("import/", exchange.stakeholder_import, name="import"),
    path("export.<str:fmt>", exchange.stakeholder_export, name="export"),
    path("contacts.vcf", exchange.contacts_vcard, name="vcards"),
]
