"""Phrase book of the benchmark corpus: titles, questions, replies and
profiles in seven languages, about an imaginary bookkeeping product
("Ledgerly", the product of ``benchmarks.synthetic_problems``).

Every sentence here is written for the benchmark; no forum text is copied.
Places are real country and city names (the geography judgement reads them);
people, companies and domains are invented.
"""

from __future__ import annotations

LANGUAGES = ("en", "de", "fr", "es", "pt", "it", "nl")

# --- where members live --------------------------------------------------------
# country: (UTC offset in hours, cities)
COUNTRIES = {
    "US": (-6, ("Denver", "Austin", "Chicago", "Portland", "Atlanta")),
    "CA": (-5, ("Toronto", "Calgary", "Halifax", "Ottawa")),
    "GB": (0, ("Leeds", "Bristol", "Glasgow", "Norwich")),
    "IE": (0, ("Cork", "Galway", "Limerick")),
    "IN": (5.5, ("Pune", "Chennai", "Jaipur", "Kochi")),
    "AU": (10, ("Brisbane", "Adelaide", "Hobart", "Perth")),
    "NZ": (12, ("Dunedin", "Hamilton", "Nelson")),
    "NG": (1, ("Ibadan", "Enugu", "Abuja")),
    "ZA": (2, ("Durban", "Pretoria", "Stellenbosch")),
    "PH": (8, ("Cebu", "Davao", "Iloilo")),
    "SG": (8, ("Singapore",)),
    "DE": (1, ("Leipzig", "Bremen", "Freiburg", "Kassel", "Mainz")),
    "AT": (1, ("Graz", "Linz", "Salzburg")),
    "CH": (1, ("Basel", "Bern", "Luzern", "Lausanne")),
    "FR": (1, ("Nantes", "Lille", "Rennes", "Grenoble")),
    "BE": (1, ("Gent", "Namur", "Liège", "Leuven")),
    "MA": (1, ("Rabat", "Fès", "Agadir")),
    "SN": (0, ("Dakar", "Thiès")),
    "ES": (1, ("Zaragoza", "Valencia", "Bilbao", "Málaga")),
    "MX": (-6, ("Puebla", "Mérida", "Querétaro", "León")),
    "AR": (-3, ("Rosario", "Mendoza", "Córdoba")),
    "CO": (-5, ("Medellín", "Cali", "Manizales")),
    "CL": (-4, ("Valparaíso", "Temuco", "Antofagasta")),
    "PE": (-5, ("Arequipa", "Cusco", "Trujillo")),
    "BR": (-3, ("Curitiba", "Recife", "Campinas", "Fortaleza")),
    "PT": (0, ("Braga", "Coimbra", "Faro")),
    "AO": (1, ("Luanda", "Huambo")),
    "MZ": (2, ("Maputo", "Beira")),
    "IT": (1, ("Bologna", "Torino", "Bari", "Verona")),
    "NL": (1, ("Utrecht", "Groningen", "Eindhoven", "Haarlem")),
    "SE": (1, ("Uppsala", "Malmö")),
    "PL": (1, ("Kraków", "Gdańsk")),
    "JP": (9, ("Sendai", "Fukuoka")),
}

# community language → (country, weight) for its members
HOMES = {
    "en": (("US", 30), ("GB", 12), ("IN", 12), ("CA", 7), ("AU", 6), ("NG", 4), ("ZA", 3),
           ("PH", 4), ("IE", 2), ("NZ", 2), ("SG", 2), ("DE", 4), ("NL", 3), ("BR", 3), ("SE", 2),
           ("PL", 2), ("JP", 1), ("FR", 2)),
    "de": (("DE", 70), ("AT", 15), ("CH", 15)),
    "fr": (("FR", 60), ("BE", 12), ("CA", 10), ("CH", 6), ("MA", 7), ("SN", 5)),
    "es": (("ES", 30), ("MX", 25), ("AR", 14), ("CO", 14), ("CL", 9), ("PE", 8)),
    "pt": (("BR", 70), ("PT", 22), ("AO", 5), ("MZ", 3)),
    "it": (("IT", 92), ("CH", 8)),
    "nl": (("NL", 75), ("BE", 25)),
}

GIVEN_NAMES = {
    "en": ("sam", "jordan", "priya", "liam", "chloe", "ravi", "tunde", "grace", "mia", "owen"),
    "de": ("jonas", "lena", "felix", "marie", "lukas", "anja", "timo", "katrin"),
    "fr": ("lucas", "camille", "hugo", "ines", "amadou", "louise", "theo", "yasmine"),
    "es": ("diego", "lucia", "mateo", "valentina", "pablo", "camila", "andres", "sofia"),
    "pt": ("joao", "beatriz", "rafael", "mariana", "tiago", "larissa", "bruno", "ana"),
    "it": ("marco", "giulia", "luca", "chiara", "paolo", "elena", "davide", "sara"),
    "nl": ("daan", "sanne", "bram", "femke", "joris", "eva", "ruben", "lotte"),
}

ABOUTS = {
    "en": ("Bookkeeper for a few small shops.", "Office manager, I do the invoices.",
           "Freelance accountant.", "Running a bakery and doing my own books."),
    "de": ("Buchhalterin in einem kleinen Betrieb.", "Ich mache die Rechnungen für unseren Verein.",
           "Selbständiger Steuerberater."),
    "fr": ("Comptable indépendante.", "Je gère la facturation de notre atelier.",
           "Gérant d'une petite librairie."),
    "es": ("Contadora en una pyme.", "Llevo la facturación de una ferretería.",
           "Autónomo, hago mis propias cuentas."),
    "pt": ("Contador autônomo.", "Cuido das faturas da nossa padaria.", "Assistente financeira."),
    "it": ("Commercialista.", "Gestisco la contabilità di un piccolo negozio."),
    "nl": ("Boekhouder bij een klein bedrijf.", "Ik doe de facturen voor onze winkel."),
}

# Members the user-type judgement should recognise (names and domains match
# the benchmark playbook's [user_types]).
STAFF_ABOUT = "Ledgerly Software support team. Official answers from the vendor."
COMPETITOR_ABOUT = "Consultant at Abacus Partners, we migrate people off Ledgerly (abacus.example)."
PARTNER_ABOUT = "Ledgerly reseller, Northbound Books Partners. Setup and training for firms."
COMPLEMENTOR_ABOUT = "We build PayStitch, the card terminal bridge for Ledgerly."
HELPER_ABOUT = {
    "en": "Accountant, ten years with Ledgerly. Happy to help.",
    "de": "Steuerberater, seit zehn Jahren mit Ledgerly.",
    "fr": "Expert-comptable, dix ans de Ledgerly.",
    "es": "Contador, diez años usando Ledgerly.",
    "pt": "Contador, dez anos usando Ledgerly.",
    "it": "Commercialista, dieci anni di Ledgerly.",
    "nl": "Accountant, al tien jaar met Ledgerly.",
}

# --- opening posts -------------------------------------------------------------

PROBLEM_TITLES = {
    "en": ("{code} when {area}", "{area} broken since {version}", "Error {code} in Ledgerly",
           "Problem with {area}", "Help: {area} keeps failing"),
    "de": ("{code} beim {area}", "{area} geht seit {version} nicht mehr", "Fehler {code}",
           "Problem beim {area}"),
    "fr": ("{code} pendant la {area}", "La {area} plante depuis la {version}", "Erreur {code}",
           "Souci de {area}"),
    "es": ("{code} en la {area}", "La {area} falla desde la {version}", "Error {code}",
           "Problema con la {area}"),
    "pt": ("{code} na {area}", "A {area} falha desde a {version}", "Erro {code}",
           "Problema na {area}"),
    "it": ("{code} durante la {area}", "La {area} non va dalla {version}", "Errore {code}"),
    "nl": ("{code} bij het {area}", "Het {area} faalt sinds {version}", "Foutmelding {code}"),
}

LOG_LINES = (
    "{stamp} ERROR [{area}] {message}",
    "{stamp} WARN  [{area}] retrying after {message}",
    "[{stamp}] ledgerly.{area}: {code} {message}",
)

HOWTOS = {
    "en": ("How do I {task} in Ledgerly?", "Is there a way to {task}?", "What is the best way to {task}?"),
    "de": ("Wie kann ich in Ledgerly {task}?", "Gibt es eine Möglichkeit, {task}?"),
    "fr": ("Comment {task} dans Ledgerly ?", "Est-il possible de {task} ?"),
    "es": ("¿Cómo puedo {task} en Ledgerly?", "¿Hay alguna forma de {task}?"),
    "pt": ("Como faço para {task} no Ledgerly?", "Existe um jeito de {task}?"),
    "it": ("Come posso {task} in Ledgerly?", "Si può {task}?"),
    "nl": ("Hoe kan ik in Ledgerly {task}?", "Is er een manier om {task}?"),
}
TASKS = {
    "en": ("export invoices to CSV", "add a second company", "change the start of the fiscal year",
           "set up recurring invoices", "connect my bank account", "restore an older backup",
           "give my accountant read-only access", "merge two customer records"),
    "de": ("Rechnungen als CSV exportieren", "eine zweite Firma anlegen", "das Geschäftsjahr ändern",
           "wiederkehrende Rechnungen einrichten", "mein Bankkonto verbinden"),
    "fr": ("exporter les factures en CSV", "ajouter une deuxième société", "changer le début de l'exercice",
           "créer des factures récurrentes", "connecter mon compte bancaire"),
    "es": ("exportar facturas a CSV", "añadir una segunda empresa", "cambiar el inicio del año fiscal",
           "crear facturas recurrentes", "conectar mi cuenta bancaria"),
    "pt": ("exportar faturas para CSV", "adicionar uma segunda empresa", "mudar o início do ano fiscal",
           "criar faturas recorrentes", "conectar minha conta bancária"),
    "it": ("esportare le fatture in CSV", "aggiungere una seconda azienda", "cambiare l'anno fiscale",
           "creare fatture ricorrenti"),
    "nl": ("facturen naar CSV exporteren", "een tweede bedrijf toevoegen", "het boekjaar wijzigen",
           "terugkerende facturen maken"),
}
HOWTO_BODIES = {
    "en": ("I looked through the settings but could not find it. We are on {version}.",
           "Our accountant asked for this and I have no idea where to start.", ""),
    "de": ("In den Einstellungen finde ich nichts dazu. Wir nutzen {version}.", ""),
    "fr": ("Je n'ai rien trouvé dans les paramètres. Nous sommes en {version}.", ""),
    "es": ("No encuentro nada en la configuración. Usamos la {version}.", ""),
    "pt": ("Não achei nada nas configurações. Estamos na {version}.", ""),
    "it": ("Non trovo nulla nelle impostazioni. Usiamo la {version}.", ""),
    "nl": ("Ik kan het niet vinden in de instellingen. We gebruiken {version}.", ""),
}

FEATURES = {
    "en": ("Feature request: {feature}", "Please add {feature}", "Would love {feature}"),
    "de": ("Wunsch: {feature}", "Bitte {feature} einbauen"),
    "fr": ("Suggestion : {feature}", "Merci d'ajouter {feature}"),
    "es": ("Sugerencia: {feature}", "Por favor añadan {feature}"),
    "pt": ("Sugestão: {feature}", "Por favor adicionem {feature}"),
    "it": ("Richiesta: {feature}",),
    "nl": ("Verzoek: {feature}",),
}
FEATURE_NAMES = {
    "en": ("a dark mode", "bulk editing of invoices", "two-factor login", "a Linux desktop app",
           "custom fields on customers"),
    "de": ("einen Dunkelmodus", "Massenbearbeitung von Rechnungen", "Zwei-Faktor-Anmeldung"),
    "fr": ("un mode sombre", "la modification groupée des factures", "la double authentification"),
    "es": ("un modo oscuro", "edición masiva de facturas", "inicio de sesión en dos pasos"),
    "pt": ("um modo escuro", "edição em massa de faturas", "login em duas etapas"),
    "it": ("una modalità scura", "la modifica di massa delle fatture"),
    "nl": ("een donkere modus", "facturen in bulk bewerken"),
}
FEATURE_BODIES = {
    "en": "It would save us hours every month. Anyone else want this?",
    "de": "Das würde uns jeden Monat Stunden sparen.",
    "fr": "Cela nous ferait gagner des heures chaque mois.",
    "es": "Nos ahorraría horas cada mes.",
    "pt": "Isso economizaria horas todo mês.",
    "it": "Ci farebbe risparmiare ore ogni mese.",
    "nl": "Dat scheelt ons elke maand uren.",
}

CHATTER = {
    "en": (("Ledgerly {version} is out", "The release notes mention faster reports and a new invoice editor."),
           ("Show and tell: our month-end checklist", "Sharing the checklist we use at month end, maybe it helps someone."),
           ("Which bank feeds do you use?", "Just curious what everyone here connects to Ledgerly."),
           ("Meetup in {city}?", "Anyone around {city} up for a coffee and a chat about bookkeeping?")),
    "de": (("Ledgerly {version} ist da", "Laut Versionshinweisen sind die Berichte jetzt schneller."),
           ("Unsere Checkliste zum Monatsende", "Ich teile mal unsere Checkliste, vielleicht hilft sie jemandem."),
           ("Stammtisch in {city}?", "Hat jemand in {city} Lust auf einen Austausch?")),
    "fr": (("Ledgerly {version} est sortie", "Les notes de version parlent de rapports plus rapides."),
           ("Notre liste de clôture mensuelle", "Je partage notre liste, elle peut servir."),
           ("Rencontre à {city} ?", "Quelqu'un à {city} pour un café entre comptables ?")),
    "es": (("Salió Ledgerly {version}", "Las notas de la versión hablan de informes más rápidos."),
           ("Nuestra lista de cierre de mes", "Comparto la lista que usamos, por si a alguien le sirve."),
           ("¿Quedada en {city}?", "¿Alguien de {city} para tomar un café y hablar de contabilidad?")),
    "pt": (("Saiu o Ledgerly {version}", "As notas da versão falam de relatórios mais rápidos."),
           ("Nossa lista de fechamento do mês", "Compartilho a lista que usamos, talvez ajude alguém."),
           ("Encontro em {city}?", "Alguém de {city} para um café sobre contabilidade?")),
    "it": (("È uscito Ledgerly {version}", "Le note di rilascio parlano di report più veloci."),
           ("La nostra lista di fine mese", "Condivido la lista che usiamo, magari serve a qualcuno.")),
    "nl": (("Ledgerly {version} is uit", "De release notes noemen snellere rapporten."),
           ("Onze checklist voor de maandafsluiting", "Ik deel onze checklist, misschien heeft iemand er wat aan.")),
}

# --- replies -------------------------------------------------------------------

ME_TOO = {
    "en": ("Same here, {code} since this morning.", "Me too. Started after the update.",
           "+1, we are seeing exactly this.", "Same problem here, any news?"),
    "de": ("Bei mir auch, {code} seit heute früh.", "Ich auch, seit dem Update.",
           "Habe das gleiche Problem."),
    "fr": ("Moi aussi, {code} depuis ce matin.", "Pareil pour moi depuis la mise à jour.",
           "J'ai le même problème."),
    "es": ("A mí también, {code} desde esta mañana.", "Mismo problema aquí.", "Yo también, desde la actualización."),
    "pt": ("Eu também, {code} desde hoje cedo.", "Mesmo problema aqui.", "Comigo também, depois da atualização."),
    "it": ("Anche a me, {code} da stamattina.", "Stesso problema qui."),
    "nl": ("Ik ook, {code} sinds vanochtend.", "Hier hetzelfde probleem."),
}
ANSWERS = {
    "en": ("Set {config} back to its default and restart the sync service; that clears {code} for most people.",
           "This is a known bug in {version}. Rolling back or waiting for the patch works.",
           "Check {config} in the advanced settings, then run the repair tool from the Help menu.",
           "Clear the local cache folder and sign in again."),
    "de": ("Setze {config} auf den Standardwert zurück und starte den Dienst neu.",
           "Das ist ein bekannter Fehler in {version}, das Update kommt bald.",
           "Lösche den lokalen Cache und melde dich neu an."),
    "fr": ("Remets {config} à sa valeur par défaut puis redémarre le service.",
           "C'est un bug connu de la {version}, le correctif arrive.",
           "Vide le cache local et reconnecte-toi."),
    "es": ("Pon {config} en su valor por defecto y reinicia el servicio.",
           "Es un fallo conocido de la {version}, el parche ya viene.",
           "Borra la caché local y vuelve a iniciar sesión."),
    "pt": ("Volte {config} para o padrão e reinicie o serviço.",
           "É um bug conhecido da {version}, a correção já vem.",
           "Limpe o cache local e entre de novo."),
    "it": ("Riporta {config} al valore predefinito e riavvia il servizio.",
           "È un bug noto della {version}, la patch arriva a breve."),
    "nl": ("Zet {config} terug naar de standaardwaarde en herstart de dienst.",
           "Bekende fout in {version}, de patch komt eraan."),
}
HOWTO_ANSWERS = {
    "en": ("It is under Settings > Company > Advanced.", "Use the export wizard in Reports, it has a CSV option."),
    "de": ("Das findest du unter Einstellungen > Firma > Erweitert.",),
    "fr": ("C'est dans Paramètres > Société > Avancé.",),
    "es": ("Está en Configuración > Empresa > Avanzado.",),
    "pt": ("Fica em Configurações > Empresa > Avançado.",),
    "it": ("Si trova in Impostazioni > Azienda > Avanzate.",),
    "nl": ("Dat zit onder Instellingen > Bedrijf > Geavanceerd.",),
}
THANKS = {
    "en": ("Thanks, that fixed it!", "That worked, thank you so much.", "Works now, thanks."),
    "de": ("Danke, das hat geholfen!", "Es funktioniert jetzt wieder, danke."),
    "fr": ("Merci, ça marche !", "Problème résolu, merci beaucoup."),
    "es": ("¡Gracias, ya funciona!", "Solucionado, muchas gracias."),
    "pt": ("Valeu, funcionou!", "Problema resolvido, obrigado."),
    "it": ("Grazie, ora funziona!", "Risolto, grazie mille."),
    "nl": ("Bedankt, het werkt weer!", "Opgelost, dank je."),
}
STILL_BROKEN = {
    "en": ("Still failing after that, same error again.", "Didn't help, unfortunately."),
    "de": ("Hat leider nicht geholfen.",),
    "fr": ("Ça ne marche toujours pas.",),
    "es": ("Sigue fallando, no funcionó.",),
    "pt": ("Não funcionou, continua dando erro.",),
    "it": ("Purtroppo non ha funzionato.",),
    "nl": ("Helaas, werkt nog steeds niet.",),
}
CLARIFY = {
    "en": ("Which version are you on, and is it the desktop or the web app?",
           "Can you post the full log around that line?", "Did this start after the last update?"),
    "de": ("Welche Version nutzt du genau?", "Kannst du das ganze Protokoll posten?"),
    "fr": ("Tu es sur quelle version exactement ?", "Tu peux poster le journal complet ?"),
    "es": ("¿Qué versión usas exactamente?", "¿Puedes pegar el registro completo?"),
    "pt": ("Qual versão você usa?", "Pode colar o log completo?"),
    "it": ("Che versione usi?", "Puoi incollare il log completo?"),
    "nl": ("Welke versie gebruik je precies?", "Kun je het hele logboek plakken?"),
}
ASKER_DETAILS = {
    "en": ("Desktop app, {version}, on {os}.", "Yes, right after updating to {version}."),
    "de": ("Desktop-App, {version}, unter {os}.",),
    "fr": ("Application de bureau, {version}, sous {os}.",),
    "es": ("App de escritorio, {version}, en {os}.",),
    "pt": ("App desktop, {version}, no {os}.",),
    "it": ("App desktop, {version}, su {os}.",),
    "nl": ("Desktop-app, {version}, op {os}.",),
}
SMALL_TALK = {
    "en": ("Nice, thanks for sharing.", "Good to know!", "We do something similar at our office."),
    "de": ("Danke fürs Teilen.",),
    "fr": ("Merci du partage.",),
    "es": ("Gracias por compartir.",),
    "pt": ("Obrigado por compartilhar.",),
    "it": ("Grazie per la condivisione.",),
    "nl": ("Bedankt voor het delen.",),
}
FOUNDER_ANSWER = (
    "We hit {code} with a client last month: the cause is {config}. Reset it, then re-run the sync; "
    "the full steps are in our notes at https://tallyfin.example/notes. {disclosure}"
)
FOUNDER_PLAIN = "Reset {config} and re-run the sync; that is what cleared it for the clients we help."
