"""The Jakarta demo's relationships: two clusters joined by a single bridge, one isolated.

The city and national responders (PMI DKI, BPBD, the agencies, universities, companies) form
one well-knit cluster; the riverside community, faith and local NGO networks another. The
only link between them is Dinas Sosial's grant to JRMK: the one bridge the map names, with
Dinsos and JRMK as single points of failure. BPBD is one too, though on no bridge: the
universities and mappers reach the coalition only through it. Kompas has no relationship
yet. Every other organisation sits on a cycle, so no other link is a bridge.
"""

from __future__ import annotations

from django.db import transaction

from commonground.coalitions.models import Coalition
from commonground.organisations.models import Organisation
from commonground.relationships.actions import create_relationship
from commonground.relationships.models import Relationship

PMI = "Palang Merah Indonesia DKI Jakarta"
BPBD = "Badan Penanggulangan Bencana Daerah DKI Jakarta"
DSDA = "Dinas Sumber Daya Air DKI Jakarta"
DINKES = "Dinas Kesehatan DKI Jakarta"
DINSOS = "Dinas Sosial DKI Jakarta"
KELURAHAN = "Kelurahan Kampung Melayu"
BNPB = "Badan Nasional Penanggulangan Bencana"
UI = "Universitas Indonesia"
ITB = "Institut Teknologi Bandung"
TRISAKTI = "Universitas Trisakti Urban Planning Lab"
SCHOOL = "SD Negeri Kampung Melayu 01"
WALHI = "Wahana Lingkungan Hidup Jakarta"
ZAKAT = "Yayasan Rumah Zakat"
HOT = "Humanitarian OpenStreetMap Team Indonesia"
PLAN = "Plan International Indonesia"
JRMK = "Jaringan Rakyat Miskin Kota"
PULO = "Kampung Pulo Community Forum"
DURI = "Bukit Duri Youth Group"
JALA = "Migrant Domestic Workers Network"
ISTIQLAL = "Masjid Istiqlal Disaster Response Team"
MDMC = "Muhammadiyah Disaster Management Center"
NU = "Nahdlatul Ulama Disaster Management Agency"
CARITAS = "Gereja Katedral Jakarta Caritas"
TELKOM = "PT Telkom Indonesia CSR"
GOJEK = "Gojek Foundation"
KADIN = "Jakarta Chamber of Commerce"
INDOFOOD = "Indofood Sukses Makmur CSR"
UNDRR = "UN Office for Disaster Risk Reduction"
IFRC = "International Federation of Red Cross and Red Crescent Societies"
RRI = "Radio Republik Indonesia Jakarta"
ISOLATED = "Kompas Media Group"
BRIDGE = (DINSOS, JRMK)

# source, type, target, strength, notes
RELATIONSHIPS: list[tuple[str, str, str, int, str]] = [
    # City and national responders
    (PMI, "partners_with", BPBD, 5, "Co-chairs of the coalition; joint flood response plan."),
    (BPBD, "reports_to", BNPB, 4, ""),
    (BNPB, "funds", PMI, 3, "Preparedness grant for community-based action teams."),
    (IFRC, "funds", PMI, 4, "Urban resilience programme."),
    (PMI, "reports_to", IFRC, 4, ""),
    (UNDRR, "partners_with", IFRC, 3, ""),
    (UNDRR, "shares_information", BNPB, 3, "Making Cities Resilient 2030 scorecard."),
    (BPBD, "partners_with", DSDA, 4, "Pump and sluice operations during floods."),
    (DSDA, "shares_information", UI, 3, "River gauge data."),
    (UI, "partners_with", BPBD, 3, ""),
    (ITB, "partners_with", UI, 4, ""),
    (ITB, "shares_information", DSDA, 3, "Flood models."),
    (TRISAKTI, "partners_with", UI, 2, ""),
    (TRISAKTI, "partners_with", HOT, 3, "Mapping of riverside kampungs."),
    (HOT, "shares_information", BPBD, 4, "OpenStreetMap data for contingency plans."),
    (DINKES, "partners_with", PMI, 4, "First aid posts and clinics during floods."),
    (DINKES, "reports_to", BPBD, 3, ""),
    (DINSOS, "partners_with", PMI, 3, "Relief distribution."),
    (DINSOS, "shares_information", DINKES, 3, ""),
    (TELKOM, "funds", PMI, 2, ""),
    (TELKOM, "partners_with", RRI, 3, "Early-warning broadcasts."),
    (RRI, "shares_information", BPBD, 4, ""),
    (GOJEK, "partners_with", PMI, 3, "Riders deliver relief items."),
    (GOJEK, "member_of", KADIN, 3, ""),
    (KADIN, "partners_with", BPBD, 2, ""),
    (INDOFOOD, "member_of", KADIN, 3, ""),
    (INDOFOOD, "funds", PMI, 2, "Food parcels."),
    # The only link between the two clusters
    (
        DINSOS,
        "funds",
        JRMK,
        3,
        "Social assistance grants: the coalition's only working link to the riverside "
        "community networks.",
    ),
    # Riverside community, faith and local NGO networks
    (JRMK, "partners_with", PULO, 4, ""),
    (PULO, "partners_with", DURI, 4, "Joint evacuation drills."),
    (DURI, "member_of", JRMK, 3, ""),
    (KELURAHAN, "shares_information", PULO, 5, "Water level alerts by WhatsApp."),
    (SCHOOL, "reports_to", KELURAHAN, 3, ""),
    (SCHOOL, "partners_with", DURI, 3, "School safety club."),
    (PLAN, "funds", SCHOOL, 4, "Safe schools programme."),
    (PLAN, "partners_with", DURI, 3, ""),
    (JALA, "member_of", JRMK, 4, ""),
    (JALA, "partners_with", WALHI, 2, ""),
    (WALHI, "partners_with", JRMK, 3, "Advocacy on riverbank evictions."),
    (ISTIQLAL, "partners_with", PULO, 3, "Shelter space during floods."),
    (MDMC, "funds", ISTIQLAL, 3, ""),
    (MDMC, "partners_with", NU, 4, "Interfaith response team."),
    (NU, "partners_with", PULO, 3, ""),
    (ZAKAT, "funds", ISTIQLAL, 3, "Community kitchens."),
    (ZAKAT, "partners_with", CARITAS, 2, ""),
    (CARITAS, "partners_with", DURI, 3, ""),
]


def load_jakarta_relationships() -> bool:
    """Create the relationships through the action (so the audit log shows them), once."""
    coalition = Coalition.objects.filter(slug="jakarta").first()
    if coalition is None or Relationship.objects.filter(coalition=coalition).exists():
        return False
    names = {name for s, _t, o, _n, _x in RELATIONSHIPS for name in (s, o)}
    orgs = {
        org.name: org
        for org in Organisation.objects.filter(name__in=names, participations__coalition=coalition)
    }
    if len(orgs) < len(names):
        return False  # not the demo's organisations: leave this coalition alone
    actor = coalition.focal_point
    with transaction.atomic():
        for source, kind, target, strength, notes in RELATIONSHIPS:
            create_relationship(
                actor, coalition, orgs[source], orgs[target], kind, strength=strength, notes=notes
            )
    return True
