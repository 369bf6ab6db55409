"""The phrase bank of the synthetic posts: items per category (``items.tsv``) and the sentences
around them, in English, Spanish, French and Bahasa Indonesia."""

from __future__ import annotations

import csv
from pathlib import Path

# category -> (subcategory index, unit, {language: item}), from items.tsv
LANGUAGES = ("en", "es", "fr", "id")
ITEMS: dict[str, list[tuple[int, str, dict[str, str]]]] = {}
with (Path(__file__).parent / "items.tsv").open(encoding="utf-8") as rows:
    for row in list(csv.DictReader(rows, delimiter="\t")):
        names = {language: row[language] for language in LANGUAGES}
        ITEMS.setdefault(row["category"], []).append((int(row["subcategory"]), row["unit"], names))

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
