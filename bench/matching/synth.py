"""Synthetic needs and offers across cities, written in English, Spanish, French and Bahasa.

Each city has ten districts; needs sit in a district (a point near its centre and the area
keys ``city-N`` and ``city-N-dM``; 5% give no point). Offers: 60% serve a radius, 20% areas
(a district or the whole city), 5% both, 14.5% give a place only (the default radius) and
0.5% are network partners with no place, serving anywhere. Items are
drawn from a small multilingual phrase bank per category, so the same thing is posted in four
languages, and 3% of posts are filed under a wrong category (as people do). Everything comes
from one seeded generator: the same arguments give the same posts.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass

from commonground.analysis.matching import CATEGORIES, Need, Offer

# category -> (subcategory index, unit, {language: item})
ITEMS: dict[str, list[tuple[int, str, dict[str, str]]]] = {
    "water_sanitation": [
        (
            1,
            "pcs",
            {
                "en": "water filters",
                "es": "filtros de agua",
                "fr": "filtres à eau",
                "id": "penjernih air",
            },
        ),
        (
            0,
            "l",
            {
                "en": "water tanks",
                "es": "tanques de agua",
                "fr": "citernes d'eau",
                "id": "tangki air",
            },
        ),
        (
            2,
            "pcs",
            {
                "en": "latrine repair",
                "es": "reparación de letrinas",
                "fr": "réparation de latrines",
                "id": "perbaikan jamban",
            },
        ),
        (
            3,
            "kits",
            {
                "en": "hygiene kits",
                "es": "kits de higiene",
                "fr": "kits d'hygiène",
                "id": "paket kebersihan",
            },
        ),
    ],
    "health": [
        (
            0,
            "kits",
            {
                "en": "first aid kits",
                "es": "botiquines de primeros auxilios",
                "fr": "trousses de premiers secours",
                "id": "kotak P3K",
            },
        ),
        (
            1,
            "boxes",
            {
                "en": "medicines and bandages",
                "es": "medicamentos y vendas",
                "fr": "médicaments et pansements",
                "id": "obat dan perban",
            },
        ),
        (
            2,
            "hours",
            {
                "en": "psychosocial support",
                "es": "apoyo psicosocial",
                "fr": "soutien psychosocial",
                "id": "dukungan psikososial",
            },
        ),
        (
            3,
            "pcs",
            {"en": "mosquito nets", "es": "mosquiteros", "fr": "moustiquaires", "id": "kelambu"},
        ),
    ],
    "shelter": [
        (
            0,
            "pcs",
            {
                "en": "tents and tarpaulins",
                "es": "carpas y lonas",
                "fr": "tentes et bâches",
                "id": "tenda dan terpal",
            },
        ),
        (
            1,
            "households",
            {
                "en": "roof repair",
                "es": "reparación de techos",
                "fr": "réparation de toitures",
                "id": "perbaikan atap",
            },
        ),
        (
            2,
            "m",
            {
                "en": "footbridge repair",
                "es": "reparación del puente peatonal",
                "fr": "réparation de la passerelle",
                "id": "perbaikan jembatan",
            },
        ),
        (
            3,
            "pcs",
            {
                "en": "blankets and mattresses",
                "es": "cobijas y colchones",
                "fr": "couvertures et matelas",
                "id": "selimut dan kasur",
            },
        ),
    ],
    "food": [
        (
            0,
            "kg",
            {
                "en": "rice and cooking oil",
                "es": "arroz y aceite",
                "fr": "riz et huile",
                "id": "beras dan minyak goreng",
            },
        ),
        (
            1,
            "kg",
            {
                "en": "baby food",
                "es": "alimento infantil",
                "fr": "aliments pour bébés",
                "id": "makanan bayi",
            },
        ),
        (
            2,
            "pcs",
            {
                "en": "community kitchen stoves",
                "es": "estufas para cocina comunitaria",
                "fr": "réchauds pour cuisine communautaire",
                "id": "kompor dapur umum",
            },
        ),
        (
            3,
            "kg",
            {
                "en": "vegetable seeds",
                "es": "semillas de hortalizas",
                "fr": "semences de légumes",
                "id": "benih sayuran",
            },
        ),
    ],
    "education": [
        (
            0,
            "pcs",
            {
                "en": "school backpacks and notebooks",
                "es": "mochilas y cuadernos escolares",
                "fr": "cartables et cahiers",
                "id": "tas dan buku sekolah",
            },
        ),
        (
            1,
            "m",
            {
                "en": "classroom repair",
                "es": "reparación de aulas",
                "fr": "réparation de salles de classe",
                "id": "perbaikan ruang kelas",
            },
        ),
        (
            2,
            "hours",
            {
                "en": "homework tutoring",
                "es": "tutorías escolares",
                "fr": "soutien scolaire",
                "id": "bimbingan belajar",
            },
        ),
    ],
    "livelihoods": [
        (
            0,
            "pcs",
            {
                "en": "sewing machines",
                "es": "máquinas de coser",
                "fr": "machines à coudre",
                "id": "mesin jahit",
            },
        ),
        (
            1,
            "people",
            {
                "en": "small business coaching",
                "es": "asesoría para pequeños negocios",
                "fr": "accompagnement de petites entreprises",
                "id": "pendampingan usaha kecil",
            },
        ),
        (
            3,
            "pcs",
            {
                "en": "market stalls",
                "es": "puestos de mercado",
                "fr": "étals de marché",
                "id": "lapak pasar",
            },
        ),
    ],
    "protection": [
        (
            0,
            "hours",
            {
                "en": "child friendly space",
                "es": "espacio amigable para la niñez",
                "fr": "espace ami des enfants",
                "id": "ruang ramah anak",
            },
        ),
        (
            2,
            "pcs",
            {
                "en": "wheelchairs and ramps",
                "es": "sillas de ruedas y rampas",
                "fr": "fauteuils roulants et rampes",
                "id": "kursi roda dan ram",
            },
        ),
        (
            3,
            "hours",
            {
                "en": "legal aid for documents",
                "es": "asesoría legal para documentos",
                "fr": "aide juridique pour les papiers",
                "id": "bantuan hukum dokumen",
            },
        ),
    ],
    "preparedness_equipment": [
        (
            0,
            "pcs",
            {
                "en": "flood early warning sirens",
                "es": "sirenas de alerta temprana",
                "fr": "sirènes d'alerte précoce",
                "id": "sirene peringatan dini banjir",
            },
        ),
        (
            1,
            "pcs",
            {
                "en": "rescue boats and life jackets",
                "es": "botes de rescate y chalecos salvavidas",
                "fr": "bateaux de sauvetage et gilets",
                "id": "perahu karet dan pelampung",
            },
        ),
        (
            3,
            "pcs",
            {
                "en": "power generators",
                "es": "generadores eléctricos",
                "fr": "groupes électrogènes",
                "id": "genset",
            },
        ),
        (
            4,
            "pcs",
            {
                "en": "handheld radios",
                "es": "radios portátiles",
                "fr": "radios portatives",
                "id": "radio HT",
            },
        ),
    ],
    "training_skills": [
        (
            0,
            "people",
            {
                "en": "first aid training",
                "es": "capacitación en primeros auxilios",
                "fr": "formation aux premiers secours",
                "id": "pelatihan pertolongan pertama",
            },
        ),
        (
            1,
            "people",
            {
                "en": "evacuation drill",
                "es": "simulacro de evacuación",
                "fr": "exercice d'évacuation",
                "id": "simulasi evakuasi",
            },
        ),
        (
            3,
            "people",
            {
                "en": "welding course",
                "es": "curso de soldadura",
                "fr": "formation en soudure",
                "id": "kursus las",
            },
        ),
    ],
    "expertise": [
        (
            0,
            "hours",
            {
                "en": "structural engineer assessment",
                "es": "evaluación de ingeniero estructural",
                "fr": "expertise d'un ingénieur structure",
                "id": "kajian insinyur struktur",
            },
        ),
        (
            2,
            "hours",
            {
                "en": "flood risk mapping",
                "es": "mapeo de riesgo de inundación",
                "fr": "cartographie du risque d'inondation",
                "id": "pemetaan risiko banjir",
            },
        ),
        (
            4,
            "hours",
            {
                "en": "database and GIS support",
                "es": "apoyo en bases de datos y SIG",
                "fr": "appui en bases de données et SIG",
                "id": "dukungan basis data dan SIG",
            },
        ),
    ],
    "funding": [
        (
            0,
            "usd",
            {
                "en": "small grant for the community fund",
                "es": "pequeña donación para el fondo comunitario",
                "fr": "petite subvention pour le fonds communautaire",
                "id": "hibah kecil untuk dana warga",
            },
        ),
        (
            1,
            "usd",
            {
                "en": "microcredit for women's groups",
                "es": "microcrédito para grupos de mujeres",
                "fr": "microcrédit pour groupements de femmes",
                "id": "kredit mikro kelompok perempuan",
            },
        ),
    ],
    "logistics": [
        (
            0,
            "days",
            {
                "en": "truck transport",
                "es": "transporte en camión",
                "fr": "transport par camion",
                "id": "angkutan truk",
            },
        ),
        (
            1,
            "m3",
            {
                "en": "warehouse storage",
                "es": "almacenamiento en bodega",
                "fr": "stockage en entrepôt",
                "id": "gudang penyimpanan",
            },
        ),
        (
            3,
            "people",
            {
                "en": "volunteers for distribution",
                "es": "voluntarios para la distribución",
                "fr": "bénévoles pour la distribution",
                "id": "relawan distribusi",
            },
        ),
    ],
    "other": [
        (
            0,
            "",
            {
                "en": "translation help",
                "es": "ayuda con traducción",
                "fr": "aide à la traduction",
                "id": "bantuan penerjemahan",
            },
        ),
        (
            0,
            "",
            {
                "en": "sound system for the meeting",
                "es": "equipo de sonido para la reunión",
                "fr": "sonorisation pour la réunion",
                "id": "pengeras suara untuk rapat",
            },
        ),
    ],
}

NEED_TITLE = {
    "en": "{item} for {n} households",
    "es": "{item} para {n} familias",
    "fr": "{item} pour {n} familles",
    "id": "{item} untuk {n} keluarga",
}
OFFER_TITLE = {
    "en": "{item} available",
    "es": "{item} disponibles",
    "fr": "{item} disponibles",
    "id": "{item} tersedia",
}
NEED_TEXT = {
    "en": [
        "Our neighbourhood was flooded last month.",
        "The community meets every Sunday.",
        "Many older people live alone here.",
        "Access is by a narrow lane.",
    ],
    "es": [
        "El barrio se inundó el mes pasado.",
        "La comunidad se reúne los domingos.",
        "Aquí viven muchas personas mayores solas.",
        "Se llega por un callejón angosto.",
    ],
    "fr": [
        "Le quartier a été inondé le mois dernier.",
        "La communauté se réunit le dimanche.",
        "Beaucoup de personnes âgées vivent seules.",
        "On y accède par une ruelle étroite.",
    ],
    "id": [
        "Kampung kami kebanjiran bulan lalu.",
        "Warga berkumpul setiap hari Minggu.",
        "Banyak lansia tinggal sendiri di sini.",
        "Aksesnya lewat gang sempit.",
    ],
}
OFFER_TEXT = {
    "en": [
        "Donated by a local company.",
        "We can deliver within the city.",
        "Part of our social responsibility programme.",
        "Pick-up from our warehouse.",
    ],
    "es": [
        "Donado por una empresa local.",
        "Podemos entregar dentro de la ciudad.",
        "Parte de nuestro programa de responsabilidad social.",
        "Se recoge en nuestra bodega.",
    ],
    "fr": [
        "Don d'une entreprise locale.",
        "Nous livrons dans toute la ville.",
        "Dans le cadre de notre responsabilité sociale.",
        "À retirer à notre entrepôt.",
    ],
    "id": [
        "Sumbangan perusahaan setempat.",
        "Kami bisa antar di dalam kota.",
        "Bagian dari program CSR kami.",
        "Ambil di gudang kami.",
    ],
}
LANGUAGES = ("en", "es", "fr", "id")


@dataclass(frozen=True)
class City:
    key: str
    lon: float
    lat: float
    districts: tuple[tuple[float, float], ...]


def cities(count: int, rng: random.Random) -> list[City]:
    out = []
    for i in range(count):
        lon, lat = rng.uniform(-170, 170), rng.uniform(-40, 55)
        districts = tuple(_jitter(lon, lat, 8.0, rng) for _ in range(10))
        out.append(City(f"city-{i}", lon, lat, districts))
    return out


def _jitter(lon: float, lat: float, km: float, rng: random.Random) -> tuple[float, float]:
    distance, bearing = km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111.195
    dlon = distance * math.sin(bearing) / (111.195 * math.cos(math.radians(lat)))
    return lon + dlon, lat + dlat


def _item(
    rng: random.Random, categories: tuple[str, ...] = tuple(ITEMS)
) -> tuple[str, str, str, str, str]:
    """(category filed under, subcategory, unit, language, item text)."""
    category = rng.choice(categories)
    sub_index, unit, names = rng.choice(ITEMS[category])
    subs = CATEGORIES[category]
    sub = subs[sub_index] if subs else ""
    language = rng.choice(LANGUAGES)
    if rng.random() < 0.03:  # filed under a wrong category
        category, sub = rng.choice([c for c in ITEMS if c != category]), ""
    return category, sub, unit, language, names[language]


def generate(
    n_needs: int, n_offers: int, n_cities: int, today: datetime.date, seed: int = 1
) -> tuple[list[Need], list[Offer]]:
    """Needs and offers spread evenly over the cities, in city order."""
    rng = random.Random(seed)
    places = cities(n_cities, rng)
    needs = [_need(i + 1, places[i * n_cities // n_needs], today, rng) for i in range(n_needs)]
    offers = [_offer(i + 1, places[i * n_cities // n_offers], today, rng) for i in range(n_offers)]
    return needs, offers


def _need(id_: int, city: City, today: datetime.date, rng: random.Random) -> Need:
    category, sub, unit, language, item = _item(rng)
    n = rng.choice([20, 50, 80, 120, 200, 300, 500])
    district = rng.randrange(len(city.districts))
    lon, lat = _jitter(*city.districts[district], 2.0, rng)
    located = rng.random() >= 0.05
    return Need(
        id=id_,
        title=NEED_TITLE[language].format(item=item, n=n),
        description=" ".join(rng.sample(NEED_TEXT[language], 2)),
        category=category,
        subcategory=sub,
        quantity=float(n) if unit else None,
        unit=unit,
        lon=lon if located else None,
        lat=lat if located else None,
        areas=frozenset({city.key, f"{city.key}-d{district}"}),
        needed_by=today + datetime.timedelta(days=rng.randint(5, 120))
        if rng.random() < 0.8
        else None,
        urgency=rng.randint(1, 4),
        risk=round(rng.uniform(0, 10), 1) if rng.random() < 0.8 else None,
    )


def _offer(id_: int, city: City, today: datetime.date, rng: random.Random) -> Offer:
    kind = rng.random()
    # 0.5% are network partners with no place, offering know-how or money anywhere.
    located = kind < 0.995
    category, sub, unit, language, item = (
        _item(rng) if located else _item(rng, ("funding", "expertise", "training_skills"))
    )
    lon, lat = _jitter(city.lon, city.lat, 10.0, rng)
    radius: float | None = None
    areas: frozenset[str] = frozenset()
    if kind < 0.60:
        radius = rng.choice([5.0, 10.0, 15.0, 25.0, 40.0])
    elif kind < 0.80:
        areas = frozenset(
            {city.key} if rng.random() < 0.4 else {f"{city.key}-d{rng.randrange(10)}"}
        )
    elif kind < 0.85:
        radius, areas = 5.0, frozenset({f"{city.key}-d{rng.randrange(10)}"})
    # the rest give a place only: they serve within the default radius
    start = today + datetime.timedelta(days=rng.randint(-60, 60)) if rng.random() < 0.5 else None
    until = today + datetime.timedelta(days=rng.randint(-10, 365)) if rng.random() < 0.6 else None
    return Offer(
        id=id_,
        title=OFFER_TITLE[language].format(item=item),
        description=" ".join(rng.sample(OFFER_TEXT[language], 2)),
        category=category,
        subcategory=sub,
        quantity=float(rng.choice([10, 25, 50, 100, 250, 1000])) if unit else None,
        unit=unit,
        lon=lon if located else None,
        lat=lat if located else None,
        radius_km=radius,
        areas=areas,
        available_from=start,
        available_until=until,
    )
