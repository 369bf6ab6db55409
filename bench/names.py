"""Word lists and name templates for the benchmark's generated cities, organisations and people.

Everything here is invented from small vocabularies: the names read like the registry of a
real coalition in Lima, Dakar or Surabaya without copying any real list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    country: str
    lat: float
    lon: float
    lang: str  # "en", "es", "fr" or "id": picks the vocabulary for local names


CITIES: list[City] = [
    City("Manila", "PH", 14.60, 120.98, "en"),
    City("Quezon City", "PH", 14.68, 121.04, "en"),
    City("Cebu", "PH", 10.32, 123.89, "en"),
    City("Davao", "PH", 7.19, 125.46, "en"),
    City("Tacloban", "PH", 11.24, 125.00, "en"),
    City("Dhaka", "BD", 23.81, 90.41, "en"),
    City("Chattogram", "BD", 22.36, 91.78, "en"),
    City("Karachi", "PK", 24.86, 67.01, "en"),
    City("Lahore", "PK", 31.55, 74.34, "en"),
    City("Nairobi", "KE", -1.29, 36.82, "en"),
    City("Mombasa", "KE", -4.04, 39.67, "en"),
    City("Kisumu", "KE", -0.09, 34.77, "en"),
    City("Kampala", "UG", 0.35, 32.58, "en"),
    City("Lagos", "NG", 6.52, 3.38, "en"),
    City("Port Harcourt", "NG", 4.82, 7.05, "en"),
    City("Accra", "GH", 5.60, -0.19, "en"),
    City("Kumasi", "GH", 6.69, -1.62, "en"),
    City("Freetown", "SL", 8.48, -13.23, "en"),
    City("Monrovia", "LR", 6.30, -10.80, "en"),
    City("Lusaka", "ZM", -15.39, 28.32, "en"),
    City("Harare", "ZW", -17.83, 31.05, "en"),
    City("Dar es Salaam", "TZ", -6.79, 39.21, "en"),
    City("Addis Ababa", "ET", 9.03, 38.74, "en"),
    City("Kathmandu", "NP", 27.72, 85.32, "en"),
    City("Colombo", "LK", 6.93, 79.86, "en"),
    City("Yangon", "MM", 16.84, 96.17, "en"),
    City("Chennai", "IN", 13.08, 80.27, "en"),
    City("Mumbai", "IN", 19.08, 72.88, "en"),
    City("Kolkata", "IN", 22.57, 88.36, "en"),
    City("Kingston", "JM", 17.97, -76.79, "en"),
    City("Suva", "FJ", -18.14, 178.44, "en"),
    City("Port Moresby", "PG", -9.44, 147.18, "en"),
    City("Lima", "PE", -12.05, -77.04, "es"),
    City("Arequipa", "PE", -16.41, -71.54, "es"),
    City("Trujillo", "PE", -8.11, -79.03, "es"),
    City("Quito", "EC", -0.18, -78.47, "es"),
    City("Guayaquil", "EC", -2.17, -79.92, "es"),
    City("Bogotá", "CO", 4.71, -74.07, "es"),
    City("Medellín", "CO", 6.24, -75.58, "es"),
    City("Cali", "CO", 3.45, -76.53, "es"),
    City("Barranquilla", "CO", 10.96, -74.80, "es"),
    City("Santiago", "CL", -33.45, -70.67, "es"),
    City("Valparaíso", "CL", -33.05, -71.62, "es"),
    City("Buenos Aires", "AR", -34.60, -58.38, "es"),
    City("Córdoba", "AR", -31.42, -64.18, "es"),
    City("Mendoza", "AR", -32.89, -68.83, "es"),
    City("La Paz", "BO", -16.49, -68.12, "es"),
    City("Cochabamba", "BO", -17.39, -66.16, "es"),
    City("Asunción", "PY", -25.26, -57.58, "es"),
    City("Montevideo", "UY", -34.90, -56.16, "es"),
    City("Caracas", "VE", 10.48, -66.90, "es"),
    City("Ciudad de Guatemala", "GT", 14.63, -90.51, "es"),
    City("San Salvador", "SV", 13.69, -89.22, "es"),
    City("Tegucigalpa", "HN", 14.07, -87.19, "es"),
    City("Managua", "NI", 12.11, -86.24, "es"),
    City("San José", "CR", 9.93, -84.08, "es"),
    City("Ciudad de Panamá", "PA", 8.98, -79.52, "es"),
    City("Santo Domingo", "DO", 18.49, -69.93, "es"),
    City("Ciudad de México", "MX", 19.43, -99.13, "es"),
    City("Guadalajara", "MX", 20.66, -103.35, "es"),
    City("Oaxaca", "MX", 17.07, -96.73, "es"),
    City("Acapulco", "MX", 16.85, -99.82, "es"),
    City("Sevilla", "ES", 37.39, -5.98, "es"),
    City("Valencia", "ES", 39.47, -0.38, "es"),
    City("Dakar", "SN", 14.72, -17.47, "fr"),
    City("Saint-Louis", "SN", 16.02, -16.49, "fr"),
    City("Abidjan", "CI", 5.36, -4.01, "fr"),
    City("Bamako", "ML", 12.64, -8.00, "fr"),
    City("Ouagadougou", "BF", 12.37, -1.52, "fr"),
    City("Niamey", "NE", 13.51, 2.13, "fr"),
    City("Conakry", "GN", 9.64, -13.58, "fr"),
    City("Cotonou", "BJ", 6.37, 2.39, "fr"),
    City("Lomé", "TG", 6.13, 1.22, "fr"),
    City("Douala", "CM", 4.05, 9.77, "fr"),
    City("Yaoundé", "CM", 3.85, 11.50, "fr"),
    City("Kinshasa", "CD", -4.44, 15.27, "fr"),
    City("Brazzaville", "CG", -4.26, 15.24, "fr"),
    City("Antananarivo", "MG", -18.88, 47.51, "fr"),
    City("Nouakchott", "MR", 18.07, -15.96, "fr"),
    City("Port-au-Prince", "HT", 18.59, -72.31, "fr"),
    City("Cap-Haïtien", "HT", 19.76, -72.20, "fr"),
    City("Marseille", "FR", 43.30, 5.37, "fr"),
    City("Nice", "FR", 43.70, 7.27, "fr"),
    City("Rabat", "MA", 34.02, -6.84, "fr"),
    City("Tunis", "TN", 36.81, 10.18, "fr"),
    City("Beyrouth", "LB", 33.89, 35.50, "fr"),
    City("Jakarta", "ID", -6.21, 106.85, "id"),
    City("Surabaya", "ID", -7.26, 112.75, "id"),
    City("Bandung", "ID", -6.92, 107.62, "id"),
    City("Semarang", "ID", -6.97, 110.42, "id"),
    City("Medan", "ID", 3.60, 98.67, "id"),
    City("Makassar", "ID", -5.15, 119.43, "id"),
    City("Padang", "ID", -0.95, 100.35, "id"),
    City("Palu", "ID", -0.90, 119.87, "id"),
    City("Banda Aceh", "ID", 5.55, 95.32, "id"),
    City("Yogyakarta", "ID", -7.80, 110.36, "id"),
    City("Denpasar", "ID", -8.65, 115.22, "id"),
    City("Manado", "ID", 1.47, 124.84, "id"),
    City("Pontianak", "ID", -0.03, 109.33, "id"),
    City("Ambon", "ID", -3.66, 128.19, "id"),
]

RED_CRESCENT = {"BD", "PK", "MR", "NE", "TN", "MA"}
NATIONAL_SOCIETY = {
    "en": "{country} Red Cross Society",
    "es": "Cruz Roja {country}",
    "fr": "Croix-Rouge {country}",
    "id": "Palang Merah Indonesia",
}
COUNTRY_NAMES = {
    "PH": "Philippine", "BD": "Bangladesh", "PK": "Pakistan", "KE": "Kenya", "UG": "Uganda",
    "NG": "Nigerian", "GH": "Ghana", "SL": "Sierra Leone", "LR": "Liberia", "ZM": "Zambia",
    "ZW": "Zimbabwe", "TZ": "Tanzania", "ET": "Ethiopian", "NP": "Nepal", "LK": "Sri Lanka",
    "MM": "Myanmar", "IN": "Indian", "JM": "Jamaica", "FJ": "Fiji", "PG": "Papua New Guinea",
    "PE": "Peruana", "EC": "Ecuatoriana", "CO": "Colombiana", "CL": "Chilena",
    "AR": "Argentina", "BO": "Boliviana", "PY": "Paraguaya", "UY": "Uruguaya",
    "VE": "Venezolana", "GT": "Guatemalteca", "SV": "Salvadoreña", "HN": "Hondureña",
    "NI": "Nicaragüense", "CR": "Costarricense", "PA": "Panameña", "DO": "Dominicana",
    "MX": "Mexicana", "ES": "Española", "SN": "sénégalaise", "CI": "de Côte d'Ivoire",
    "ML": "malienne", "BF": "burkinabè", "NE": "nigérienne", "GN": "guinéenne",
    "BJ": "béninoise", "TG": "togolaise", "CM": "camerounaise", "CD": "de la RDC",
    "CG": "congolaise", "MG": "malagasy", "MR": "mauritanienne", "HT": "haïtienne",
    "FR": "française", "MA": "marocaine", "TN": "tunisienne", "LB": "libanaise",
    "ID": "Indonesia",
}  # fmt: skip


@dataclass(frozen=True)
class Vocabulary:
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    districts: tuple[str, ...]
    departments: tuple[str, ...]
    themes: tuple[str, ...]
    adjectives: tuple[str, ...]
    saints: tuple[str, ...]
    businesses: tuple[str, ...]
    roles: tuple[str, ...]
    templates: dict[str, tuple[str, ...]]  # organisation type → name templates


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


EN = Vocabulary(
    first_names=_words(
        "Grace, Joseph, Amina, Samuel, Fatima, David, Mary, Peter, Esther, John, Rosa, Daniel, "
        "Aisha, Michael, Ruth, Emmanuel, Priya, Ravi, Nadia, Kwame, Abena, Tendai, Mercy, Ibrahim, "
        "Joy, Patrick, Lakshmi, Arjun, Hannah, Moses"
    ),
    surnames=_words(
        "Mensah, Otieno, Okafor, Santos, Reyes, Rahman, Khan, Banda, Mwangi, Perera, Mutasa, "
        "Boateng, Kamau, Adeyemi, Cruz, Dela Cruz, Hossain, Chowdhury, Phiri, Tembo, Achieng, "
        "Nair, Iyer, Campbell, Brown, Thapa, Shrestha, Wanjiru, Koroma, Ndlovu"
    ),
    districts=_words(
        "Riverside, Harbour View, Old Market, Hillcrest, East Bank, Lowlands, Station Road, "
        "Fishermen's Quay, Green Valley, Mission Hill, New Town, Canal Side, Airport Road, "
        "Sunrise, Bayside, Central Ward, Tannery Lane, Mango Grove, North Point, Salt Flats"
    ),
    departments=_words(
        "Public Health, Water and Sewerage, Social Welfare, Urban Planning, Public Works, "
        "Education, Environment, Housing, Transport, Disaster Management"
    ),
    themes=_words(
        "Water, Health, Youth, Women, Flood, Food, Housing, Climate, Disability, Education, "
        "Shelter, Livelihoods, Children, Sanitation, Migrants, Elderly Care, Mangrove, Heat"
    ),
    adjectives=_words(
        "Bright, Shared, Hopeful, Resilient, Open, Common, United, Brave, Safe, Living, Rising"
    ),
    saints=_words("Mary, Joseph, Peter, Anne, Francis, Paul, Thomas, Jude, Luke, Agnes"),
    businesses=_words(
        "Logistics Ltd, Construction Co., Pharmacy, Telecom, Supermarkets, Engineering Group, "
        "Insurance, Bus Company, Hardware, Builders, Energy, Foods, Printing Works, Boatyard"
    ),
    roles=_words(
        "Programme Manager, Director, Field Coordinator, Volunteer Lead, Chairperson, Secretary, "
        "Head of Operations, Communications Officer, Community Mobiliser, Engineer, Nurse"
    ),
    templates={
        "government": (
            "{city} Department of {dept}",
            "{city} Disaster Management Office",
            "{city} Fire and Rescue Service",
            "{district} Ward Office",
            "Municipal {dept} Unit, {district}",
            "{city} City Council, {dept} Committee",
        ),
        "private": (
            "{surname} {business}",
            "{surname} & {surname2} {business}",
            "{city} {business}",
            "{adj} {business}",
        ),
        "academia": (
            "University of {city}",
            "{city} Institute of Technology",
            "St. {saint}'s College, {city}",
            "{district} Secondary School",
            "{city} School of Public Health",
            "Centre for {theme} Research, {city}",
        ),
        "ngo": (
            "{theme} Action {city}",
            "{adj} Futures Foundation",
            "{city} {theme} Alliance",
            "Friends of {district}",
            "{adj} {theme} Trust",
            "{theme} for All, {city}",
        ),
        "community": (
            "{district} Residents' Association",
            "{district} Youth Club",
            "{district} Women's Savings Group",
            "{district} {theme} Committee",
            "{district} Market Traders' Cooperative",
        ),
        "faith": (
            "St. {saint}'s Parish, {district}",
            "{district} Mosque Committee",
            "{city} Interfaith Council",
            "{district} Methodist Church",
            "{district} Temple Trust",
        ),
        "media": (
            "Radio {district} {freq} FM",
            "{city} Daily News",
            "{city} Community Television",
            "The {city} Observer",
        ),
        "other": (
            "{city} Chamber of Commerce",
            "{district} Taxi Drivers' Union",
            "{city} Scouts",
            "{city} Rotary Club",
        ),
    },
)

ES = Vocabulary(
    first_names=_words(
        "María, José, Lucía, Juan, Carmen, Luis, Ana, Carlos, Rosa, Jorge, Elena, Miguel, Sofía, "
        "Andrés, Gabriela, Pedro, Valentina, Diego, Isabel, Fernando, Paola, Ricardo, Daniela"
    ),
    surnames=_words(
        "García, Rodríguez, Quispe, Mamani, Flores, Torres, Ramírez, Vargas, Castillo, Rojas, "
        "Herrera, Morales, Huamán, Chávez, Mendoza, Gutiérrez, Salazar, Paredes, Cárdenas, Ortiz"
    ),
    districts=_words(
        "San Juan de Lurigancho, Villa El Salvador, Barrio Norte, La Ribera, El Carmen, "
        "Los Olivos, Santa Rosa, San Martín, El Porvenir, La Esperanza, Puerto Nuevo, Las Flores, "
        "Cerro Alegre, Villa María, San Isidro, El Mirador, Pueblo Libre, La Victoria"
    ),
    departments=_words(
        "Salud Pública, Agua y Saneamiento, Desarrollo Social, Obras Públicas, Educación, "
        "Medio Ambiente, Vivienda, Gestión del Riesgo, Movilidad"
    ),
    themes=_words(
        "Agua, Salud, Juventud, Mujeres, Vivienda, Clima, Alimentación, Niñez, Inclusión, "
        "Educación, Saneamiento, Migrantes, Adultos Mayores"
    ),
    adjectives=_words("Nuevo, Solidario, Unido, Vivo, Esperanza, Futuro, Sembrar, Horizonte"),
    saints=_words("Martín, Francisco, Rosa, Pedro, José, Judas Tadeo, Clara, Isidro, Antonio"),
    businesses=_words(
        "Logística S.A., Constructora, Farmacias, Transportes, Supermercados, Ingeniería, "
        "Seguros, Ferretería, Alimentos, Comunicaciones"
    ),
    roles=_words(
        "Coordinadora de Programa, Director, Presidenta, Secretario, Jefa de Operaciones, "
        "Promotor Comunitario, Voluntaria, Ingeniero, Enfermera, Responsable de Comunicación"
    ),
    templates={
        "government": (
            "Municipalidad de {city}, Gerencia de {dept}",
            "Dirección de {dept} de {city}",
            "Centro de Operaciones de Emergencia de {city}",
            "Cuerpo de Bomberos de {city}",
            "Junta Vecinal de {district}",
        ),
        "private": (
            "{surname} {business}",
            "{surname} y {surname2} {business}",
            "{business} {city}",
        ),
        "academia": (
            "Universidad de {city}",
            "Universidad Católica de {city}",
            "Instituto Tecnológico de {city}",
            "Colegio San {saint}, {district}",
            "Centro de Investigación en {theme}, {city}",
        ),
        "ngo": (
            "Fundación {adj}",
            "Asociación {theme} y Vida",
            "Red de {theme} de {city}",
            "Colectivo {adj} {district}",
            "Fundación {surname} para {theme}",
        ),
        "community": (
            "Asociación de Vecinos de {district}",
            "Comedor Popular {district}",
            "Club de Jóvenes {district}",
            "Comité de {theme} de {district}",
            "Olla Común {district}",
        ),
        "faith": (
            "Parroquia San {saint}, {district}",
            "Cáritas {city}",
            "Iglesia Evangélica de {district}",
            "Pastoral Social de {city}",
        ),
        "media": (
            "Radio {district} {freq} FM",
            "Diario de {city}",
            "Televisión Comunitaria de {city}",
        ),
        "other": (
            "Cámara de Comercio de {city}",
            "Sindicato de Mototaxistas de {district}",
            "Scouts de {city}",
        ),
    },
)

FR = Vocabulary(
    first_names=_words(
        "Aminata, Moussa, Fatou, Ibrahima, Awa, Mamadou, Mariama, Jean, Marie, Pierre, Claire, "
        "Ousmane, Aïssatou, Jacques, Nathalie, Yves, Kadiatou, Samuel, Rose, Boubacar, Ange"
    ),
    surnames=_words(
        "Diop, Ndiaye, Traoré, Diallo, Koné, Camara, Sow, Ouédraogo, Kouassi, Mbemba, "
        "Rakotomalala, Joseph, Pierre-Louis, Dupont, Martin, Bamba, Touré, Sylla, Fofana, Keïta"
    ),
    districts=_words(
        "Médina, Grand Yoff, Pikine, Plateau, Treichville, Yopougon, Cité Soleil, Carrefour, "
        "Bel Air, Hann, Guédiawaye, Akwa, Bonabéri, Matonge, Kalamu, Belleville, Ngor, Yoff"
    ),
    departments=_words(
        "Santé publique, Eau et Assainissement, Action sociale, Urbanisme, Travaux publics, "
        "Éducation, Environnement, Habitat, Gestion des risques"
    ),
    themes=_words(
        "Eau, Santé, Jeunesse, Femmes, Climat, Habitat, Alimentation, Enfance, Inclusion, "
        "Éducation, Assainissement, Migrants, Solidarité"
    ),
    adjectives=_words("Espoir, Avenir, Horizon, Entraide, Lumière, Partage, Renouveau, Racines"),
    saints=_words("Joseph, Pierre, Anne, Michel, Paul, Thérèse, Antoine, Augustin, Marie"),
    businesses=_words(
        "Logistique SARL, BTP, Pharmacie, Transports, Supermarchés, Ingénierie, Assurances, "
        "Quincaillerie, Télécom, Boulangerie industrielle"
    ),
    roles=_words(
        "Chargée de programme, Directeur, Présidente, Secrétaire général, Coordinatrice terrain, "
        "Animateur communautaire, Bénévole, Ingénieur, Infirmière, Responsable communication"
    ),
    templates={
        "government": (
            "Mairie de {city}, Direction de {dept}",
            "Direction régionale de {dept}, {city}",
            "Protection civile de {city}",
            "Sapeurs-pompiers de {city}",
            "Mairie d'arrondissement de {district}",
        ),
        "private": (
            "{surname} {business}",
            "{surname} et Frères {business}",
            "{business} de {city}",
        ),
        "academia": (
            "Université de {city}",
            "École nationale d'ingénieurs de {city}",
            "Lycée Saint-{saint}, {district}",
            "Institut de recherche sur {theme}, {city}",
        ),
        "ngo": (
            "Association {adj}",
            "ONG {adj} {city}",
            "Réseau {theme} de {city}",
            "Collectif {theme} {district}",
            "Fondation {surname} pour {theme}",
        ),
        "community": (
            "Association des habitants de {district}",
            "Groupement de femmes de {district}",
            "Comité de quartier de {district}",
            "Tontine des commerçantes de {district}",
            "Association sportive et culturelle de {district}",
        ),
        "faith": (
            "Paroisse Saint-{saint}, {district}",
            "Caritas {city}",
            "Association islamique de {district}",
            "Église protestante de {district}",
        ),
        "media": (
            "Radio {district} {freq} FM",
            "Le Quotidien de {city}",
            "Télé communautaire de {city}",
        ),
        "other": (
            "Chambre de commerce de {city}",
            "Syndicat des transporteurs de {district}",
            "Scouts de {city}",
        ),
    },
)

ID = Vocabulary(
    first_names=_words(
        "Siti, Budi, Dewi, Agus, Rina, Hendra, Putri, Rizky, Ayu, Dimas, Fitri, Eko, Wulan, "
        "Andi, Nurul, Yusuf, Indah, Bayu, Lestari, Fajar, Ratna, Arif"
    ),
    surnames=_words(
        "Santoso, Wijaya, Saputra, Hidayat, Kusuma, Pratama, Nugroho, Siregar, Lubis, Harahap, "
        "Setiawan, Rahmawati, Gunawan, Wibowo, Susanto, Nasution, Simanjuntak, Purnomo"
    ),
    districts=_words(
        "Kampung Melayu, Tanah Abang, Penjaringan, Cilincing, Kalibata, Menteng, Tambora, "
        "Pluit, Kemayoran, Bukit Duri, Cempaka Putih, Rawa Buaya, Sunter, Manggarai, Koja"
    ),
    departments=_words(
        "Kesehatan, Sumber Daya Air, Sosial, Pekerjaan Umum, Pendidikan, Lingkungan Hidup, "
        "Perumahan, Perhubungan"
    ),
    themes=_words(
        "Air Bersih, Kesehatan, Pemuda, Perempuan, Banjir, Pangan, Iklim, Anak, Difabel, "
        "Pendidikan, Sanitasi, Lansia"
    ),
    adjectives=_words("Harapan, Peduli, Bersama, Mandiri, Sejahtera, Lestari, Bangkit, Cahaya"),
    saints=_words("Yosef, Petrus, Maria, Fransiskus, Paulus, Theresia"),
    businesses=_words(
        "Logistik, Konstruksi, Apotek, Telekomunikasi, Swalayan, Teknik, Asuransi, Transportasi"
    ),
    roles=_words(
        "Koordinator Program, Direktur, Ketua, Sekretaris, Relawan, Bendahara, Staf Lapangan, "
        "Kepala Operasional, Fasilitator Komunitas"
    ),
    templates={
        "government": (
            "Dinas {dept} Kota {city}",
            "Badan Penanggulangan Bencana Daerah {city}",
            "Kelurahan {district}",
            "Kecamatan {district}",
            "Pemadam Kebakaran {city}",
        ),
        "private": ("PT {surname} {business}", "CV {adj} {business}", "{business} {city}"),
        "academia": (
            "Universitas {city}",
            "Institut Teknologi {city}",
            "SMA Negeri {n} {city}",
            "Pusat Studi {theme}, {city}",
        ),
        "ngo": (
            "Yayasan {adj}",
            "Yayasan {theme} {city}",
            "Lembaga {theme} {adj}",
            "Jaringan {theme} {city}",
        ),
        "community": (
            "Karang Taruna {district}",
            "PKK {district}",
            "Forum Warga {district}",
            "Kelompok Siaga Bencana {district}",
            "Koperasi Nelayan {district}",
        ),
        "faith": (
            "Masjid Al-{adj} {district}",
            "Gereja Santo {saint}, {district}",
            "Majelis Taklim {district}",
            "Pura {district}",
        ),
        "media": ("Radio {district} {freq} FM", "Harian {city}", "Televisi Komunitas {city}"),
        "other": ("Kamar Dagang {city}", "Paguyuban Ojek {district}", "Pramuka {city}"),
    },
)

VOCABULARIES: dict[str, Vocabulary] = {"en": EN, "es": ES, "fr": FR, "id": ID}

UN_TEMPLATES = (
    "UNICEF {city} Field Office",
    "UNDP {country} Country Office",
    "WFP {city} Sub-Office",
    "UN-Habitat {city} Programme",
    "IOM {city} Office",
    "UNHCR {city} Field Unit",
    "OCHA {country} Humanitarian Hub",
    "WHO {country} Country Office",
)

# Words a search box would see typed; the seeder picks those that match a few hundred names.
SEARCH_CANDIDATES = (
    "water", "health", "youth", "women", "flood", "university", "radio", "parish",
    "residents", "salud", "agua", "vecinos", "universidad", "fondation", "association",
    "eau", "yayasan", "kelurahan", "logistics", "market", "council", "cooperative",
)  # fmt: skip


def red_cross_name(city: City) -> str:
    vocab = city.lang
    template = NATIONAL_SOCIETY[vocab]
    country = COUNTRY_NAMES.get(city.country, city.country)
    name = template.format(country=country)
    if city.country in RED_CRESCENT:
        name = name.replace("Red Cross", "Red Crescent").replace("Croix-Rouge", "Croissant-Rouge")
    branch = {"en": "{city} Branch", "es": "Filial {city}", "fr": "Comité de {city}"}
    suffix = branch.get(vocab, "Kota {city}").format(city=city.name)
    return f"{name} – {suffix}" if vocab != "id" else f"PMI {suffix}"


def organisation_name(rng: random.Random, org_type: str, city: City) -> str:
    vocab = VOCABULARIES[city.lang]
    if org_type == "red_cross":
        name = red_cross_name(city)
        return f"{name}, {rng.choice(vocab.districts)} Unit" if rng.random() < 0.8 else name
    templates = UN_TEMPLATES if org_type == "un" else vocab.templates[org_type]
    surname, surname2 = rng.sample(vocab.surnames, 2)
    return rng.choice(templates).format(
        city=city.name,
        country=COUNTRY_NAMES.get(city.country, city.country),
        district=rng.choice(vocab.districts),
        dept=rng.choice(vocab.departments),
        theme=rng.choice(vocab.themes),
        adj=rng.choice(vocab.adjectives),
        saint=rng.choice(vocab.saints),
        business=rng.choice(vocab.businesses),
        surname=surname,
        surname2=surname2,
        freq=f"{rng.randint(88, 107)}.{rng.randint(0, 9)}",
        n=rng.randint(1, 120),
    )


_SMALL_WORDS = {"of", "and", "the", "for", "de", "del", "la", "las", "los", "y", "et", "des", "du"}


def acronym_for(name: str) -> str:
    """Initials of the significant words, e.g. 'Water Action Lima' → 'WAL'."""
    words = [w for w in name.replace(",", " ").replace("–", " ").split() if w]
    letters = [w[0] for w in words if w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    return "".join(letters).upper()[:8]


def person_name(rng: random.Random, lang: str) -> str:
    vocab = VOCABULARIES[lang]
    if lang == "id" and rng.random() < 0.3:
        return rng.choice(vocab.first_names)  # many Indonesians use a single name
    return f"{rng.choice(vocab.first_names)} {rng.choice(vocab.surnames)}"


def role_title(rng: random.Random, lang: str) -> str:
    return rng.choice(VOCABULARIES[lang].roles)
