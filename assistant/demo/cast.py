"""The people of the demo world: who they are, where they live, how they sign in.

Every classifier that guesses a member's country, type or weight needs members
whose truth is known, so the cast is written down once with that truth
(country, time zone, role) beside the profile text a forum would show. A person
can hold accounts in several communities, which is what member linking has to
discover from matching handles and websites.

Everything here is invented. Websites use country-code domains so geography has
something to read; they are never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass

FORUM = "kestrel-forum"
REDDIT = "r-kestreldesk"
ES = "kestrel-es"
DE = "kestrel-de"
COMMUNITIES = (FORUM, REDDIT, ES, DE)

# Role → the user type an analyst would give the person (the corpus' truth).
ROLE_USER_TYPE = {
    "founder": "founder",
    "staff": "vendor_staff",
    "expert": "expert",
    "competitor": "competitor",
    "consultant": "competitor",
    "partner": "channel_partner",
    "msp": "channel_partner",
    "complementor": "complementor",
    "customer": "customer",
}


@dataclass(frozen=True, slots=True)
class Person:
    key: str
    name: str
    country: str
    zone: str
    handles: dict[str, str]
    location: str | None = None
    website: str | None = None
    about: str | None = None
    role: str = "customer"
    # Languages the person writes besides the community's own ("pt", "fr").
    writes: tuple[str, ...] = ()
    city: str | None = None

    @property
    def user_type(self) -> str:
        return ROLE_USER_TYPE[self.role]

    def city_name(self) -> str:
        if self.city:
            return self.city
        if self.location:
            return self.location.split(",")[0].strip()
        return CAPITALS[self.country]


CAPITALS = {
    "US": "Chicago", "CA": "Toronto", "GB": "London", "IE": "Dublin", "PT": "Lisboa",
    "BR": "São Paulo", "FR": "Paris", "PL": "Warszawa", "IN": "Bengaluru", "NZ": "Auckland",
    "SG": "Singapore", "ZA": "Johannesburg", "DK": "København", "BE": "Brussels",
    "AU": "Sydney", "ES": "Madrid", "JP": "Tokyo", "AE": "Dubai", "FI": "Helsinki",
    "NO": "Oslo", "NL": "Amsterdam", "GH": "Accra", "SE": "Stockholm", "CH": "Zürich",
    "CZ": "Praha", "TR": "Istanbul", "PH": "Manila", "DE": "Berlin", "PE": "Lima",
    "CL": "Santiago", "AR": "Buenos Aires", "MX": "Ciudad de México", "CO": "Bogotá",
    "UY": "Montevideo", "EC": "Quito", "AT": "Wien",
}


def P(key: str, name: str, country: str, zone: str, handles: dict[str, str], **kw: object) -> Person:
    return Person(key, name, country, zone, handles, **kw)  # type: ignore[arg-type]


F, R, E, D = FORUM, REDDIT, ES, DE

PEOPLE: tuple[Person, ...] = (
    # --- the startup -------------------------------------------------------
    P("lucia", "Lucía Restrepo", "CO", "CO", {F: "lucia_r", R: "lucia-corvina", E: "lucia.restrepo"},
      location="Medellín, Colombia", website="https://corvinalabs.example",
      about="Co-founder of Corvina Labs. Email channels and SLA automation for Kestrel Desk.",
      role="founder"),
    P("mateo", "Mateo Gómez", "CO", "CO", {F: "mateo_g", R: "mgomez_dev", D: "mateo_g"},
      location="Medellín, Colombia", website="https://corvinalabs.example",
      about="Co-founder of Corvina Labs. Integrations and APIs. Studied in Stuttgart, so Deutsch is fine.",
      role="founder"),
    # --- vendor staff ------------------------------------------------------
    P("anna", "Anna Whitfield", "US", "US-P", {F: "kestrel_anna"},
      location="Portland, Oregon", website="https://kestreldesk.example",
      about="Community manager at Kestrel Software.", role="staff"),
    P("kst_support", "Kestrel Support", "US", "US-E", {F: "kestrel_support"},
      about="Official support account of Kestrel Software.", website="https://kestreldesk.example",
      role="staff"),
    P("ravi", "Ravi Menon", "IN", "IN", {F: "kestrel_ravi"},
      location="Bengaluru", about="Engineer on the Kestrel Desk email channels team.", role="staff"),
    P("kst_team", "Kestrel Desk Team", "US", "US-E", {R: "KestrelDesk_Team"},
      about="Official account of Kestrel Software. Moderators of r/KestrelDesk.", role="staff"),
    P("soporte", "Carmen Ibáñez", "ES", "EU1", {E: "kestrel_soporte"},
      location="Madrid", website="https://kestreldesk.example/es",
      about="Equipo de soporte de Kestrel Software para España y Latinoamérica.", role="staff"),
    P("jonas", "Jonas Albrecht", "DE", "EU1", {D: "kestrel_jonas"},
      location="Berlin", website="https://kestreldesk.example/de",
      about="Support-Team von Kestrel Software für DACH.", role="staff"),
    # --- recognised experts --------------------------------------------------
    P("pieter", "Pieter van den Berg", "NL", "EU1", {F: "pieter_vd", R: "pvdberg"},
      location="Utrecht, Netherlands", website="https://kwartel-logistiek.nl",
      about="Service desk manager at a logistics company. Kestrel admin since version 5.",
      role="expert"),
    P("jarrah", "Jarrah Wilson", "AU", "AU-S", {F: "jarrah_w", R: "jarrah_syd"},
      location="Sydney", website="https://jarrah.id.au",
      about="Runs the IT service desk at a university in Sydney.", role="expert"),
    P("ximena", "Ximena Rodríguez", "MX", "MX", {E: "ximena.rdz", F: "ximena_r"},
      location="CDMX, México", website="https://ximenardz.com.mx",
      about="Administradora de Kestrel Desk en una cadena de farmacias.", role="expert"),
    P("winkler", "Holger Winkler", "DE", "EU1", {D: "hwinkler", F: "h.winkler"},
      location="Hamburg", website="https://winkler-servicedesk.de",
      about="Leiter Servicedesk bei einem Versandhändler, Kestrel seit Version 6.", role="expert"),
    # --- competitor, partner, complementor, consultant ----------------------
    P("dan", "Dan Hargreaves", "GB", "EU0", {F: "helphive_dan", R: "helphive_dan"},
      location="Leeds, UK", website="https://helphive.example",
      about="Kestrel Desk specialist at HelpHive Consulting. We migrate, integrate and fix help desks.",
      role="competitor"),
    P("marta_hh", "Marta Olmedo", "ES", "EU1", {E: "marta_hh"},
      location="Madrid", website="https://helphive.example/es",
      about="Consultora en HelpHive Consulting. Implantaciones y migraciones de Kestrel Desk.",
      role="competitor"),
    P("erik", "Erik Sandberg", "SE", "EU1", {F: "erik_nordicdesk"},
      location="Stockholm", website="https://nordicdesk.example",
      about="Partner manager at Nordic Desk Partners — we resell and support Kestrel in the Nordics.",
      role="partner"),
    P("liv", "Liv Haugen", "NO", "EU1", {R: "liv_nordicdesk"},
      website="https://nordicdesk.example",
      about="Nordic Desk Partners, Oslo. Our clients run Kestrel, we keep it running.",
      role="partner"),
    P("tom", "Tom Brennan", "IE", "EU0", {F: "chatbridge_tom", R: "chatbridge_tom"},
      location="Dublin, Ireland", website="https://chatbridge.example",
      about="Integrations engineer at ChatBridge (live chat that lands in your help desk).",
      role="complementor"),
    P("ines", "Ines Wagner", "AT", "EU1", {F: "ines_w", D: "ines_w"},
      location="Wien", website="https://servicedesk-wagner.at",
      about="I'm a consultant — Kestrel rollouts and training for Austrian SMEs.", role="consultant"),
    # --- forum customers ----------------------------------------------------
    P("sarah", "Sarah Mitchell", "US", "US-E", {F: "sarah_mitchell", R: "smitch_ops"},
      location="Columbus, Ohio", about="Support operations lead at a regional credit union."),
    P("dkowalski", "Dariusz Kowalski", "PL", "EU1", {F: "dkowalski"}, location="Kraków, Poland"),
    P("marta_s", "Marta Silva", "PT", "EU0", {F: "marta_silva"}, location="Porto, Portugal",
      website="https://martasilva-apoio.pt", writes=("pt",)),
    P("joao", "João Pereira", "BR", "BR", {F: "joao_pereira"}, location="São Paulo, Brasil",
      writes=("pt",)),
    P("amelie", "Amélie Durand", "FR", "EU1", {F: "amelie_d"}, location="Lyon", writes=("fr",),
      about="Responsable support client, e-commerce."),
    P("nick", "Nick Holloway", "GB", "EU0", {F: "nick_h"}),
    P("priya", "Priya Nair", "IN", "IN", {F: "priya_n"}, location="Pune, India",
      about="Customer support manager at a SaaS company."),
    P("tomw", "Tom Walker", "NZ", "NZ", {F: "tom_w"}, location="Wellington",
      website="https://kiwitickets.co.nz"),
    P("chen", "Chen Wei", "SG", "SG", {F: "chen_wei"}, location="Singapore"),
    P("lwazi", "Lwazi Mthembu", "ZA", "ZA", {F: "lwazi_m"}, location="Cape Town, South Africa"),
    P("ryan", "Ryan O'Connor", "IE", "EU0", {F: "ryan_oc"}),
    P("greg", "Greg Thompson", "CA", "US-E", {F: "greg_t"}, location="Toronto, ON"),
    P("hannah", "Hannah Brooks", "US", "US-C", {F: "hannah_b"}),
    P("mike", "Mike Palmer", "US", "US-P", {F: "mike_p"}, location="Seattle"),
    P("anders", "Anders Lund", "DK", "EU1", {F: "anders_l"}, website="https://lund-cykler.dk"),
    P("sofie", "Sofie Janssens", "BE", "EU1", {F: "sofie_j"}, location="Gent, België",
      website="https://sofiej.be"),
    P("mkerr", "Michael Kerr", "AU", "AU-Q", {F: "mkerr"}, location="Brisbane"),
    P("kasia", "Katarzyna Wójcik", "PL", "EU1", {F: "kasia_w"}),
    P("rafael", "Rafael García", "ES", "EU1", {F: "rafael_g", E: "rafa.garcia"},
      location="Valencia, Spain", website="https://rafagarcia.es"),
    P("kenji", "Kenji Sato", "JP", "JP", {F: "kenji_s"}, location="Osaka"),
    P("fatima", "Fatima Al Mansouri", "AE", "AE", {F: "fatima_a"}, location="Dubai"),
    P("jlindqvist", "Johanna Lindqvist", "FI", "EU2", {F: "jlindqvist"}, location="Helsinki"),
    P("oyvind", "Øyvind Berg", "NO", "EU1", {F: "oyvind_b"}),
    P("bas", "Bas Dekker", "NL", "EU1", {F: "bas_dekker"}, location="Rotterdam",
      website="https://dekker-transport.nl"),
    P("emma", "Emma Robinson", "GB", "EU0", {F: "emma_r"}, location="Manchester, UK",
      about="Head of customer service at an online furniture shop."),
    P("dave", "Dave Kowalczyk", "US", "US-E", {F: "dave_msp", R: "bluegate_dave"},
      location="Richmond, VA", website="https://bluegate-it.com",
      about="I run a small MSP — about 30 client help desks on Kestrel.", role="msp"),
    P("liam", "Liam Foster", "AU", "AU-P", {F: "liam_f"}, location="Perth, WA"),
    P("noah", "Noah Green", "US", "US-E", {F: "noah_g"}),
    P("zoe", "Zoe Kim", "CA", "US-P", {F: "zoe_k"}, location="Vancouver, BC"),
    P("arjun", "Arjun Rao", "IN", "IN", {F: "arjun_r"}),
    P("siobhan", "Siobhán Kelly", "IE", "EU0", {F: "siobhan_k"}, location="Cork"),
    P("gabriel", "Gabriel Martin", "FR", "EU1", {F: "gabriel_m"}),
    P("thiago", "Thiago Rocha", "BR", "BR", {F: "thiago_r"}, location="Curitiba", writes=("pt",)),
    P("kwame", "Kwame Atta", "GH", "GH", {F: "kwame_a"}, location="Accra, Ghana",
      website="https://kwameatta.com.gh"),
    P("isabel", "Isabel Costa", "PT", "EU0", {F: "isabel_ct"}, location="Lisboa"),
    P("matt", "Matt Saunders", "GB", "EU0", {F: "matt_s"}),
    P("jessica", "Jessica Lee", "US", "US-C", {F: "jessica_l"}, location="Austin, TX"),
    P("sven", "Sven Olsson", "SE", "EU1", {F: "sven_o"}, location="Göteborg"),
    P("nina", "Nina Pfister", "CH", "EU1", {F: "nina_p", D: "nina.p"}, location="Zürich, Switzerland",
      website="https://pfister-support.ch"),
    P("ben", "Ben Archer", "AU", "AU-S", {F: "ben_a"}, location="Melbourne",
      website="https://harbourroasters.com.au", about="Support lead at an online coffee roaster."),
    P("rachel", "Rachel Gordon", "US", "US-E", {F: "rachel_g"}),
    P("helena", "Helena Veselá", "CZ", "EU1", {F: "helena_v"}, location="Brno, Czechia",
      website="https://vesela-servis.cz"),
    P("yusuf", "Yusuf Kaya", "TR", "TR", {F: "yusuf_k"}, location="Istanbul"),
    P("olivia", "Olivia Carter", "GB", "EU0", {F: "olivia_c"}, location="Bristol"),
    P("lucas", "Lucas Visser", "NL", "EU1", {F: "lucas_v"}),
    P("peter", "Peter Hahn", "DE", "EU1", {F: "peter_h"}),
    # --- reddit regulars (reddit shows no location; some say where in their bio)
    P("goblin", "", "US", "US-P", {R: "ticket_goblin"}),
    P("kat", "", "CA", "US-E", {R: "sysadmin_kat"}, about="Sysadmin, Ottawa. Opinions my own."),
    P("throwaway", "", "US", "US-C", {R: "throwaway_hd_2026"}),
    P("mrqueue", "", "GB", "EU0", {R: "mr_queue"}),
    P("hero_ph", "", "PH", "PH", {R: "helpdesk_hero_ph"}, about="Service desk in Manila."),
    P("ozzie", "", "AU", "AU-S", {R: "ozzie_support"}),
    P("jockey", "", "GB", "EU0", {R: "desk_jockey_uk"}, about="IT at a school in Leeds."),
    P("newbie", "", "US", "US-C", {R: "kestrel_newbie"}),
    P("chaos_nl", "", "NL", "EU1", {R: "agent_of_chaos_nl"}),
    P("dana", "Dana Fraser", "CA", "US-P", {R: "devops_dana"},
      about="DevOps at a Calgary e-commerce shop."),
    P("tanvir", "", "IN", "IN", {R: "tier2_tanvir"}),
    P("zulu", "", "ZA", "ZA", {R: "zuludesk"}),
    P("kiwi", "", "NZ", "NZ", {R: "kiwi_ops"}),
    P("brasil", "", "BR", "BR", {R: "brasil_suporte"}, writes=("pt",)),
    P("bytes", "", "DE", "EU1", {R: "berlin_bytes"}),
    P("paddy", "", "IE", "EU0", {R: "paddy_it"}),
    P("samsf", "", "US", "US-P", {R: "sam_in_sf"}),
    P("lonestar", "", "US", "US-C", {R: "lonestar_tickets"}),
    P("macro", "", "US", "US-E", {R: "macro_maven"}),
    P("csv", "", "AU", "AU-Q", {R: "csv_wrangler"}),
    P("mumbai", "", "IN", "IN", {R: "itguy_mumbai"}),
    P("quiet", "", "SE", "EU1", {R: "quiet_queue"}),
    P("nord", "", "DK", "EU1", {R: "nord_ticket"}),
    P("otter", "", "US", "US-E", {R: "ops_otter"}),
    P("sghd", "", "SG", "SG", {R: "sg_helpdesk"}),
    # --- kestrel-es ---------------------------------------------------------
    P("jorge", "Jorge Paredes", "PE", "PE", {E: "jorge.paredes"}, location="Lima, Perú"),
    P("camila", "Camila Vargas", "CL", "CL", {E: "camila_v"}, location="Santiago de Chile"),
    P("martin", "Martín González", "AR", "AR", {E: "martin.gz"}, location="Buenos Aires"),
    P("andres", "Andrés Ruiz", "ES", "EU1", {E: "andres_ruiz"}, location="Madrid"),
    P("paula", "Paula Moreno", "ES", "EU1", {E: "paula.m"}),
    P("diego", "Diego Fernández", "MX", "MX", {E: "diego_fz"}, location="Monterrey, N.L.",
      about="Jefe de atención al cliente en una distribuidora."),
    P("valentina", "Valentina Ospina", "CO", "CO", {E: "valentina.o"}, location="Bogotá"),
    P("sebas", "Sebastián Romero", "AR", "AR", {E: "sebas_rm"}),
    P("nuria", "Núria Puig", "ES", "EU1", {E: "nuria_p"}, location="Barcelona",
      website="https://nuriapuig.cat"),
    P("fer", "Fernanda Castillo", "MX", "MX", {E: "fer.castillo"}, location="Guadalajara"),
    P("rodrigo", "Rodrigo Benítez", "UY", "UY", {E: "rodrigo_b"}, location="Montevideo"),
    P("carolina", "Carolina Torres", "CL", "CL", {E: "carolina.t"}),
    P("javier", "Javier Martín", "ES", "EU1", {E: "javier_mt"}, location="Sevilla"),
    P("daniela", "Daniela Quintero", "CO", "CO", {E: "daniela.q"}, location="Cali, Colombia"),
    P("luis", "Luis Alvarado", "PE", "PE", {E: "luis_a"}),
    P("mjose", "María José Vera", "EC", "EC", {E: "mjose_v"}, location="Quito"),
    P("pablo", "Pablo Reyes", "MX", "MX", {E: "pablo_r"}, location="CDMX, México"),
    P("alba", "Alba Gil", "ES", "EU1", {E: "alba_g"}),
    P("tomas", "Tomás Herrera", "AR", "AR", {E: "tomas_h"}, location="Córdoba, Argentina"),
    P("gabriela", "Gabriela Sánchez", "MX", "MX", {E: "gabriela_s"}),
    P("ignacio", "Ignacio Valdés", "CL", "CL", {E: "ignacio.v"}, location="Valparaíso"),
    P("integral", "Soporte Integral", "CL", "CL", {E: "soporte_integral"}, location="Santiago",
      website="https://soporteintegral.cl",
      about="Damos soporte de Kestrel Desk a nuestros clientes en Chile y Perú.", role="msp"),
    # --- kestrel-de ---------------------------------------------------------
    P("brunner", "Katharina Brunner", "AT", "EU1", {D: "k.brunner"}, location="Graz"),
    P("stefan", "Stefan Maier", "DE", "EU1", {D: "stefan_m"}, location="München"),
    P("ursula", "Ursula Zbinden", "CH", "EU1", {D: "ursula_z"}, location="Bern"),
    P("tobias", "Tobias Richter", "DE", "EU1", {D: "tobias.r"}),
    P("huber", "Andreas Huber", "AT", "EU1", {D: "a.huber"}, location="Wien",
      about="IT-Leiter bei einem Wiener Hotelbetrieb."),
    P("markus", "Markus Schneider", "DE", "EU1", {D: "markus_sch"}, location="Stuttgart"),
    P("petra", "Petra Lange", "DE", "EU1", {D: "petra_l"}),
    P("reto", "Reto Brunold", "CH", "EU1", {D: "reto_b"}, location="Basel",
      website="https://brunold-it.ch"),
    P("jana", "Jana Wolf", "DE", "EU1", {D: "jana_w"}, location="Berlin"),
    P("florian", "Florian Gruber", "AT", "EU1", {D: "florian_g"}, location="Linz"),
    P("sabine", "Sabine Krause", "DE", "EU1", {D: "sabine.k"}),
    P("nils", "Nils Hansen", "DE", "EU1", {D: "nils_h"}, location="Bremen"),
    P("claudia", "Claudia Meier", "CH", "EU1", {D: "claudia_m"}),
    P("dirk", "Dirk Peters", "DE", "EU1", {D: "dirk_p"}, location="Dortmund"),
    P("mo", "Mehmet Yılmaz", "DE", "EU1", {D: "mo_yilmaz"}),
    P("moritz", "Moritz Fischer", "CH", "EU1", {D: "moritz.f"}, location="Luzern"),
    P("eva", "Eva Steiner", "AT", "EU1", {D: "eva_s"}),
)

BY_KEY: dict[str, Person] = {p.key: p for p in PEOPLE}


def members_of(community: str) -> list[Person]:
    return [p for p in PEOPLE if community in p.handles]


def handle(key: str, community: str) -> str:
    return BY_KEY[key].handles[community]
