"""German phrasings for the demo corpus (kestrel-de: Germany, Austria, Switzerland).

Written the way a German-speaking user forum talks, not translated from the
English templates; error codes and setting names are the shared anchors.
Invented text.
"""

from __future__ import annotations

SLOTS = {
    "provider": ["Microsoft 365", "Google Workspace", "Exchange Online"],
    "when": ["seit Dienstag", "seit gestern früh", "nach dem Wochenende", "seit Montag", "seit zwei Tagen",
             "seit heute Morgen"],
    "crm": ["HubSpot", "Salesforce", "Odoo", "SAP Business One"],
    "phone": ["Samsung Galaxy S23", "Pixel 8", "Galaxy A54"],
}

GROUPS: dict[str, dict[str, list[str]]] = {
    "mail-401": {
        "titles": [
            "Eingehende E-Mails werden nicht mehr zu Tickets (KST-MAIL-401)",
            "KST-MAIL-401 nach Passwortänderung am Postfach",
            "Postfach-Abruf schlägt fehl seit Update auf {version}",
            "Mail-Kanal rot: Authentication rejected by mail server",
            "Keine Tickets mehr aus dem Support-Postfach",
        ],
        "openers": [
            "Wir nutzen Kestrel Desk {version} mit {mailboxes} Postfächern bei {provider}.",
            "Kleines Team ({agents} Agents), Kestrel Desk in der Cloud.",
            "{when_cap} erzeugt unser Support-Postfach keine Tickets mehr.",
            "Unsere IT hat letzte Woche das Passwort des Support-Postfachs geändert.",
        ],
        "symptoms": [
            "Unter Admin > Kanäle > E-Mail ist das Postfach rot, im Log steht KST-MAIL-401 \"Authentication rejected by mail server\".",
            "Jeder Abruf endet mit KST-MAIL-401, die Mails bleiben im Posteingang liegen.",
            "Versand klappt, nur der Abruf scheitert mit KST-MAIL-401.",
            "Fehler ist KST-MAIL-401 – mit denselben Zugangsdaten komme ich im Webmail problemlos rein.",
        ],
        "tried": [
            "Passwort neu eingetragen und den Mail-Worker neu gestartet, ohne Erfolg.",
            "Postfach gelöscht und neu angelegt, gleiches Ergebnis.",
            "'Verbindung testen' ist grün, der geplante Abruf schlägt trotzdem fehl.",
        ],
        "asks": [
            "Kennt das jemand? Kunden schreiben uns und es entsteht kein Ticket.",
            "Was übersehe ich?",
            "Ist das ein bekannter Fehler in {version}?",
            "Für jeden Hinweis dankbar, uns gehen gerade Tickets verloren.",
        ],
        "metoo": [
            "Bei uns genauso {when}, KST-MAIL-401 am Rechnungs-Postfach.",
            "+1, fing direkt nach dem Update auf {version} an.",
            "Gleiches Problem hier in {city}. Gibt es schon was Neues?",
            "Dito mit Google Workspace. Ich verfolge den Thread.",
            "Haben wir auch, zwei von drei Postfächern.",
        ],
        "diag": [
            "KST-MAIL-401 nach einer Passwortänderung ist fast nie das Passwort selbst: Kestrel hält das alte Token im Cache und versucht es immer wieder damit.",
            "'Verbindung testen' nimmt die eben eingetippten Daten, der geplante Abruf aber die gespeicherten, bis man sie löscht. Deshalb ist das eine grün und das andere KST-MAIL-401.",
            "Seit 8.4 gehen Postfächer bei Microsoft 365 und Google nur noch per OAuth, und eine Passwortänderung widerruft die Freigabe für Kestrel.",
        ],
        "steps": [
            "1. Admin > Kanäle > E-Mail, Postfach öffnen, Reiter Authentifizierung.\n2. auth_method von \"password\" auf \"oauth2\" umstellen.\n3. Auf Neu verbinden klicken und mit dem Postfach-Konto selbst anmelden, nicht mit dem Admin.\n4. Unter Admin > System > Worker den Mail-Worker neu starten, er lädt Zugangsdaten nur beim Start.",
            "1. Postfach deaktivieren und speichern.\n2. 'Zugangsdaten löschen' (ab 8.4.1) klicken oder den Support bitten.\n3. Wieder aktivieren und per OAuth autorisieren.\n4. Im Worker-Log sollte dann `fetch ok` statt KST-MAIL-401 stehen.",
            "1. Den Tenant-Admin bitten, der Kestrel-App erneut zuzustimmen.\n2. In Kestrel Admin > Kanäle > E-Mail > Neu verbinden.\n3. Mail-Worker neu starten.\n4. Testmail schicken und prüfen, ob ein Ticket entsteht.",
        ],
        "close": [
            "Der erste Abruf danach holt alles nach, was sich angestaut hat. Es geht nichts verloren.",
            "Bei jedem Postfach machen, dessen Passwort geändert wurde – der Cache ist pro Postfach.",
            "Falls danach immer noch KST-MAIL-401 kommt, poste mal das Worker-Log.",
        ],
        "short": ["Postfach per OAuth neu verbinden, Basic Auth geht da nicht mehr.",
                  "Mail-Worker nach Änderung der Zugangsdaten neu starten."],
    },
    "sla-weekend": {
        "titles": [
            "SLA-Zeit läuft am Wochenende weiter",
            "KST-SLA-220 im SLA-Protokoll – Geschäftszeiten werden ignoriert",
            "Tickets vom Samstag am Montag schon verletzt",
            "Geschäftszeiten-Kalender greift nicht",
        ],
        "openers": [
            "Wir arbeiten Mo–Fr von 8 bis 17 Uhr, {agents} Agents.",
            "Unsere SLA-Richtlinie sagt 8 Geschäftsstunden bis zur ersten Antwort.",
            "Wir haben letzten Monat Geschäftszeiten und Feiertage eingerichtet.",
        ],
        "symptoms": [
            "Tickets vom Freitagabend sind am Montag früh verletzt, und im SLA-Protokoll steht KST-SLA-220 \"calendar not applied, falling back to 24x7\".",
            "Neben jedem SLA-Start im Ticketverlauf steht ein Eintrag KST-SLA-220.",
            "Der Verletzungsbericht ist voller Wochenendstunden, jedes betroffene Ticket hat KST-SLA-220 im Protokoll.",
        ],
        "tried": ["Der Kalender selbst stimmt: Mo–Fr, 08:00–17:00, richtige Zeitzone.",
                  "Richtlinie komplett neu angelegt, gleiches Verhalten."],
        "asks": ["Was fehlt da?", "Gibt es eine Einstellung, die Kalender und Richtlinie verknüpft?"],
        "metoo": ["Bei uns genauso, alle Wochenend-Tickets verletzt. KST-SLA-220 überall.",
                  "+1, unsere Montagsberichte sind seit der Umstellung unbrauchbar."],
        "diag": ["KST-SLA-220 heißt: Die Richtlinie hat keinen Kalender zugeordnet, also nimmt Kestrel 24x7. Dass der Kalender existiert, reicht nicht.",
                 "Importierte oder kopierte Richtlinien behalten \"Default 24x7\" als Geschäftszeit, egal welche Kalender es gibt."],
        "steps": ["1. Admin > SLA > Richtlinien, Richtlinie öffnen.\n2. Unter Geschäftszeiten den Kalender ausdrücklich auswählen.\n3. pause_outside_business_hours anhaken.\n4. Speichern und unter Admin > SLA > Wartung die offenen Tickets neu berechnen lassen.",
                  "1. Jede Richtlinie öffnen (bei mehreren Marken eine pro Marke).\n2. Geschäftszeiten von Default 24x7 auf euren Kalender stellen.\n3. pause_outside_business_hours aktivieren.\n4. SLA für offene Tickets neu berechnen."],
        "close": ["Nach der Neuberechnung verschwinden die Wochenendstunden bei offenen Tickets.",
                  "Neue Tickets zeigen dann 'calendar applied' statt KST-SLA-220."],
        "short": ["Kalender an der Richtlinie selbst auswählen, sonst gilt 24x7."],
    },
    "csv-import": {
        "titles": ["CSV-Import bricht ab: KST-IMP-17 column 'requester_email' missing"],
        "openers": ["Wir ziehen gerade rund {tickets} Tickets aus unserem alten System um."],
        "symptoms": ["Der Import stoppt sofort mit KST-IMP-17 column 'requester_email' missing – die Spalte ist aber die erste in der Datei."],
        "tried": ["Aus Excel als CSV UTF-8 neu gespeichert, gleicher Fehler."],
        "asks": ["Welches Format will der Import denn?"],
        "metoo": ["Hatte gestern dasselbe mit KST-IMP-17."],
        "diag": ["Das ist das BOM: Excel schreibt bei \"CSV UTF-8\" ein unsichtbares Zeichen an den Dateianfang, der Import liest die erste Spalte als \"\\ufeffrequester_email\" und meldet KST-IMP-17."],
        "steps": ["1. Datei in einem Editor ohne BOM speichern (VS Code: Kodierung unten rechts > Mit Kodierung speichern > UTF-8).\n2. Kopfzeile exakt requester_email,subject,description in Kleinbuchstaben.\n3. Import mit 'Erste Zeile ist Kopfzeile' erneut starten."],
        "close": ["Leerzeichen nach den Kommas in der Kopfzeile auch entfernen."],
        "short": ["CSV ohne BOM speichern."],
    },
    "webhook-502": {
        "titles": ["Webhooks: KST-API-502 und doppelte Datensätze", "ticket.created kommt doppelt im {crm} an"],
        "openers": ["Wir synchronisieren neue Tickets per Webhook mit {crm}.", "Unser ERP bekommt die Kestrel-Webhooks bei ticket.created."],
        "symptoms": ["Im Zustellprotokoll steht KST-API-502 \"upstream did not answer in time\", dann ein neuer Versuch – und bei uns entsteht alles doppelt.",
                     "Etwa ein Drittel der Zustellungen endet mit KST-API-502, obwohl unser Server die Anfrage verarbeitet hat."],
        "tried": ["Timeout auf unserer Seite auf 60 s erhöht.", "Webhook deaktiviert und wieder aktiviert."],
        "asks": ["Wie löst ihr das?", "Kann man die Wiederholungen abschalten?"],
        "metoo": ["Gleiches Bild bei unserer {crm}-Anbindung, überall KST-API-502."],
        "diag": ["KST-API-502 bedeutet: Kestrel hat nach 10 Sekunden aufgegeben (nicht einstellbar) und einen neuen Versuch geplant; euer Server hat die Arbeit danach trotzdem erledigt – daher die Dubletten."],
        "steps": ["1. Sofort mit 200 antworten und die Arbeit in einem Hintergrundjob erledigen.\n2. Den Handler idempotent machen: Jede Zustellung hat den Header X-Kestrel-Delivery, Wiederholungen behalten den Wert.\n3. Den Wert mit Unique-Constraint speichern und Wiederholungen ignorieren."],
        "close": ["Danach sollten im Zustellprotokoll nur noch 200er beim ersten Versuch stehen."],
        "short": ["Mit dem Header X-Kestrel-Delivery deduplizieren."],
    },
    "smtp-535": {
        "titles": ["Antworten werden nicht versendet: KST-MAIL-535"],
        "openers": ["Wir versenden über SMTP von {provider}, seit {when} mit MFA."],
        "symptoms": ["Jede Antwort hängt im Postausgang mit KST-MAIL-535 \"535 5.7.8 authentication failed\"."],
        "tried": ["Das Passwort stimmt, aus Outlook geht der Versand."],
        "asks": ["Wie bekomme ich den Versand wieder hin?"],
        "metoo": ["Gleiches KST-MAIL-535 hier seit der MFA-Einführung."],
        "diag": ["Mit MFA lehnt der Anbieter SMTP-Anmeldungen mit Passwort ab – das ist KST-MAIL-535."],
        "steps": ["1. Admin > Kanäle > E-Mail > Ausgang: auth_method auf oauth2 stellen und neu verbinden.\n2. Bei Microsoft 365 zusätzlich SMTP AUTH für das Postfach erlauben.\n3. Postausgang erneut senden (Ausgang > Alle erneut versuchen)."],
        "close": ["Die wartenden Antworten gehen beim erneuten Versuch raus."],
        "short": ["Ausgang auf OAuth umstellen."],
    },
    "escalation-reopen": {
        "titles": ["Eskalation feuert doppelt bei wiedereröffneten Tickets"],
        "openers": ["Wir eskalieren unbeantwortete Tickets nach 4 Stunden an die Teamleitung."],
        "symptoms": ["Antwortet ein Kunde auf ein gelöstes Ticket, geht es wieder auf und die Eskalation feuert sofort erneut. In der Regel steht reopen_resets_escalation = false (Standard)."],
        "tried": ["Bedingung 'Status ist nicht gelöst' ergänzt, keine Änderung."],
        "asks": ["Ist das so gewollt?"],
        "metoo": ["Bei uns genauso, die Teamleiter ignorieren die Mails inzwischen."],
        "diag": ["Mit reopen_resets_escalation aus läuft die Eskalationsuhr ab der ursprünglichen Erstellung weiter, das wiedereröffnete Ticket ist also schon 'zu spät'."],
        "steps": ["1. Admin > Automationen > Eskalationen, Regel öffnen, Reiter Erweitert.\n2. reopen_resets_escalation einschalten.\n3. Speichern – neu wiedereröffnete Tickets verhalten sich dann richtig."],
        "close": [""],
        "short": ["reopen_resets_escalation einschalten."],
    },
    "mob-9": {
        "titles": ["Android-App stürzt beim Login ab (KST-MOB-9)"],
        "openers": ["Unsere Außendienst-Agents nutzen die Android-App."],
        "symptoms": ["Nach Tippen auf Anmelden erscheint kurz KST-MOB-9 und die App schließt sich. Unter iOS läuft alles."],
        "tried": ["App-Daten gelöscht und neu installiert."],
        "asks": ["Hat das noch jemand?"],
        "metoo": ["Gleiches auf einem {phone}, KST-MOB-9 direkt beim Login."],
        "staff": ["Danke für die Meldung. KST-MOB-9 ist ein Absturz der App-Version {app_version} auf einigen Android-Geräten; die korrigierte Version wird in den nächsten Tagen über Google Play verteilt. Bis dahin bitte die Web-Version im mobilen Browser nutzen."],
        "vendor_only": ["Das kann nur Kestrel in der App beheben. Die Web-Version geht solange."],
    },
    "seat-licence": {
        "titles": ["Nach Verlängerung falsche Lizenzanzahl (KST-LIC-3)"],
        "openers": ["Wir haben verlängert und von {seats_old} auf {seats_new} Plätze erhöht."],
        "symptoms": ["Die Abrechnung zeigt den neuen Tarif, aber beim Anlegen eines weiteren Agents kommt KST-LIC-3 \"seat limit reached\"."],
        "tried": ["Ab- und wieder angemeldet, einen Tag gewartet."],
        "asks": ["An wen wende ich mich?"],
        "metoo": ["Hatten wir im September auch."],
        "staff": ["Die Lizenzanzahl können nur wir korrigieren. Ich habe das Lizenzteam gebeten, euer Konto neu zu synchronisieren; bitte antwortet im Abrechnungs-Ticket mit der Konto-ID, nicht hier."],
        "vendor_only": ["Das ist Sache der Kestrel-Abrechnung, da hilft nur ein Ticket."],
    },
}

GREETINGS = ["Hallo zusammen,", "Moin,", "Hallo,", "Servus,", "", ""]
SIGNOFFS = ["Danke vorab!", "Grüße", "Viele Grüße", "", ""]

ACK = ["Das hat's gelöst, danke!", "Das war's! Tickets kommen wieder rein, vielen Dank.", "Funktioniert, danke dir!",
       "Bestätigt, Problem gelöst. Danke!", "Perfekt, alles wieder grün. Danke!"]
ACK_TRIED = ["Schritte befolgt, läuft jetzt. Danke!"]
THANKS = ["Danke, probiere ich aus.", "Danke für die schnelle Antwort.", "Schaue ich mir morgen an, danke."]
APPRECIATION = ["Danke!", "Danke, freut mich, dass es hilft.", "Danke euch!"]
STILL = ["Probiert, leider weiterhin derselbe Fehler."]
QUESTIONS = ["Welche Version habt ihr?", "Cloud oder selbst gehostet?", "Kannst du das Log posten?"]
QUESTION_REPLIES = ["Cloud, {version}.", "Selbst gehostet, {version}."]
METOO_GENERIC = ["Bei uns auch.", "Kann ich in {version} bestätigen.", "Gleiches hier."]
PLUS_ONE = ["+1, würden wir täglich nutzen.", "Ja, bitte!", "+1 von uns.", "Wäre super."]

FOUNDER_HOWTO_EXTRA = ("Zwei Stolperfallen: Die Einstellung gilt pro Postfach, also für jede Adresse wiederholen, "
                       "und sie wirkt ab der nächsten eingehenden Mail, nicht für bestehende Tickets.")
COMPETITOR_PITCH = ["Wir lösen das bei HelpHive regelmäßig für Kunden: https://helphive.example/de"]
PARTNER_PREFIX = ["Ich frage für einen Kunden.", "Wir betreuen Kestrel für mehrere Kunden, bei einem tritt Folgendes auf."]

HOWTOS: list[tuple[str, str, str, str]] = [
    ("email-channels", "Alias für ein bestehendes Postfach anlegen?",
     "vertrieb@ soll in derselben Queue landen wie support@.",
     "Kein zweites Postfach nötig: Postfach öffnen und die Adresse unter Aliase eintragen."),
    ("email-channels", "Absendername bei Antworten ändern",
     "Kunden sehen 'Kestrel Desk' als Absender.",
     "Admin > Kanäle > E-Mail > Ausgang > Absendername."),
    ("email-channels", "Abwesenheitsnotizen sollen keine Tickets erzeugen",
     "Out-of-Office-Antworten der Kunden erzeugen neue Tickets.",
     "Am Postfach 'Automatisch erzeugte Mails ignorieren' aktivieren."),
    ("sla-automation", "Eigenes SLA für VIP-Kunden",
     "Die VIP-Organisation soll 1 Stunde erste Antwortzeit bekommen.",
     "Zweite Richtlinie mit der Bedingung 'Organisations-Tag ist vip' anlegen und über die Standardrichtlinie ziehen."),
    ("sla-automation", "Tickets nach 7 Tagen ohne Kundenantwort schließen",
     "Wie schließe ich Tickets automatisch, bei denen der Kunde nicht mehr antwortet?",
     "Automation: Status 'wartet auf Kunde' und 'Stunden seit Aktualisierung > 168', Aktion 'schließen'."),
    ("migrations", "Alte Ticketnummern beim Import behalten",
     "Kunden beziehen sich auf die alten Nummern.",
     "Die alte Nummer ins Feld external_id übernehmen, das ist durchsuchbar."),
    ("integrations-api", "API-Limit pro Minute?",
     "Wie viele Aufrufe sind erlaubt?",
     "700 pro Minute im Business-Tarif, 200 im Team-Tarif. Die Response-Header zeigen den Rest."),
    ("integrations-api", "Webhook-Signatur prüfen",
     "Wie prüfe ich, ob ein Webhook wirklich von Kestrel kommt?",
     "Header X-Kestrel-Signature: HMAC-SHA256 des Bodys mit dem Secret des Webhooks."),
    ("", "Logo im Kundenportal ändern",
     "Wo lade ich unser Logo hoch?",
     "Admin > Portal > Branding. PNG oder SVG."),
    ("", "Zwei Kundenkonten zusammenführen",
     "Eine Person, zwei E-Mail-Adressen, zwei Benutzer.",
     "Den zu behaltenden Benutzer öffnen > ... > Benutzer zusammenführen."),
    ("", "Tastenkürzel-Übersicht",
     "Gibt es eine Liste der Shortcuts?",
     "Im Agenten-Bereich einfach ? drücken."),
    ("", "Portal nur für angemeldete Kunden",
     "Unser Hilfe-Center soll nicht öffentlich sein.",
     "Portal > Sicherheit > 'Anmeldung erforderlich'."),
    ("", "Zwei-Faktor für alle Agents erzwingen",
     "Wir möchten 2FA für alle Agents verpflichtend machen.",
     "Admin > Sicherheit > Agents > Zwei-Faktor-Authentifizierung erzwingen."),
]

SOLVED: list[tuple[str, str, str, str]] = [
    ("email-channels", "Antworten gehen von der falschen Adresse raus",
     "Wir antworten auf Tickets an rechnung@ und die Antwort kommt von support@.",
     "Am Postfach 'Von der Adresse antworten, an die der Kunde schrieb' anhaken, sonst nimmt Kestrel die Standardadresse der Marke."),
    ("sla-automation", "Trigger verschickt Bestätigung doppelt",
     "Jedes neue Ticket bekommt die Eingangsbestätigung zweimal.",
     "Ihr habt den Standard-Trigger und eure Kopie davon aktiv. Einen davon deaktivieren."),
    ("migrations", "Umlaute nach dem Import kaputt",
     "Aus Müller wird MÃ¼ller.",
     "Die Datei war Windows-1252, gelesen wurde UTF-8. In Schritt 1 die richtige Kodierung wählen."),
    ("integrations-api", "Paginierung liefert immer dieselbe Seite",
     "Beim Durchlaufen von /tickets kommt immer Seite 1.",
     "Der Endpunkt nutzt Cursor, keine Seitennummern: next_cursor aus der Antwort als cursor= mitschicken."),
    ("", "Portal zeigt noch das alte Logo",
     "Neues Logo hochgeladen, überall noch das alte.",
     "CDN-Cache, aktualisiert sich innerhalb von 24 h. Mit ?v=2 an der Logo-URL sofort erzwingen."),
]

BUGS: list[tuple[str, str, str]] = [
    ("Suche im Hilfe-Center findet keine Umlaute",
     "Die Suche nach 'Rückerstattung' findet nichts, 'Ruckerstattung' schon.",
     "Danke, nachgestellt und für das Such-Team erfasst. Bis dahin Stichwörter ohne Umlaut ergänzen."),
    ("Datumsauswahl im US-Format",
     "Unsere Agents haben Deutsch eingestellt, die Datumsauswahl zeigt trotzdem MM/TT.",
     "Danke, ist erfasst. Der Rest der Oberfläche nutzt das richtige Format."),
    ("PDF-Export schneidet Spalten ab",
     "Breite Berichte verlieren im PDF die letzten Spalten.",
     "Bekannt, Korrektur ist für einen der nächsten Patches eingeplant. Der CSV-Export enthält alle Spalten."),
]

FEATURES: list[tuple[str, str, str]] = [
    ("Wunsch: Antworten zeitgesteuert senden",
     "Antwort jetzt schreiben, um 8 Uhr Kundenzeit verschicken – das wäre toll.",
     "Danke! Bitte im Ideen-Board abstimmen, dann sieht es das Produktteam."),
    ("Audit-Log länger als 90 Tage aufbewahren",
     "Unsere Compliance braucht ein Jahr.",
     "Notiert. Längere Aufbewahrung ist für den Enterprise-Tarif geplant."),
]

SHOWS: list[tuple[str, str, list[str]]] = [
    ("Unser neues Hilfe-Center (vorher/nachher)",
     "Einen Monat am Portal-Theme gearbeitet: Suche oben, weniger Kategorien, Kontaktformular ganz unten.",
     ["Sieht sehr aufgeräumt aus!", "Das Kontaktformular ans Ende – gute Entscheidung."]),
    ("Wallboard mit der API gebaut",
     "Ein Raspberry Pi und ein Fernseher mit offenen Tickets pro Gruppe und dem ältesten Ticket.",
     ["Cool! Teilst du den Code?", "Haben wir ähnlich mit einem Tablet gemacht."]),
]

CHATS: list[tuple[str, str, list[str]]] = [
    ("Welches Helpdesk-Tool bevorzugt ihr und warum?",
     "Wir sind bei Kestrel, aber die Geschäftsleitung fragt nach Alternativen. Was nutzt ihr?",
     ["Kestrel seit vier Jahren, die API hält uns.", "Zwei andere probiert, wegen der Automationen zurück.",
      "Das Tool ist weniger wichtig als die Einrichtung."]),
    ("Wie viele Agents, wie viele Tickets pro Tag?",
     "Wir sind 5 Agents für etwa 150 Tickets am Tag.",
     ["3 Agents, 60 am Tag, aber komplexes B2B.", "12 Agents, 700 in der Hochsaison."]),
    ("Anwendertreffen in Wien?",
     "Hätte jemand Lust auf ein Treffen im Frühjahr?",
     ["Gerne, wenn es abends ist.", "Aus Zürich komme ich gern."]),
]

WEEKLY_TITLE = ["Stammtisch der Woche ({date})", "Wochen-Plausch – {date}"]
WEEKLY_BODY = ["Wie war eure Woche? Erfolge, Ärger und alles, was keinen eigenen Thread braucht."]
WEEKLY_OPEN = ["Diese Woche:", "Ruhige Woche, aber:", "Kleiner Erfolg:", "Endlich:", "Neu bei uns:"]
WEEKLY_WHAT = [
    "Makros aufgeräumt, von 110 auf 30", "neues Portal-Theme live", "Rückstand unter 30 Tickets",
    "zwei neue Agents eingearbeitet", "Hilfe-Center fertig übersetzt", "ein Kunde hat Lebkuchen geschickt",
    "Zufriedenheit bei 94 %", "40 ungenutzte Tags gelöscht", "Dashboard für die Geschäftsleitung gebaut",
]
WEEKLY_END = ["", " Läuft.", " Schönes Wochenende!", " Und bei euch?"]

ANNOUNCE_RELEASE_TITLE = ["Kestrel Desk {version} ist verfügbar", "Neu in Kestrel Desk {version}"]
ANNOUNCE_RELEASE_BODY = "Kestrel Desk {version} wird diese Woche auf alle Cloud-Konten ausgerollt. Die wichtigsten Punkte:\n\n{items}\n\nDie vollständigen Release Notes stehen in der Dokumentation."
RELEASE_ITEMS = [
    "Neu: relative Datumsfilter in Ansichten", "Behoben: Anhänge über 10 MB", "Verbessert: schnellere Suche",
    "Neu: Schaltfläche 'Zugangsdaten löschen' an Postfächern", "Behoben: Makro-Vorschau", "Verbessert: Meldungen im Import-Assistenten",
    "Neu: Filter im Webhook-Zustellprotokoll", "Behoben: Zufriedenheitsdiagramm",
]
ANNOUNCE_OTHER = [
    ("Hinweis: Postfach-Autorisierung nach 8.4", "Einige Kunden sehen nach Passwortänderungen bei Microsoft 365 oder Google KST-MAIL-401. Abhilfe: Postfach per OAuth neu verbinden und den Mail-Worker neu starten."),
]
ANNOUNCE_REPLIES = ["Danke für den Hinweis!", "Wann kommt die Version für Selbst-Hoster?", "Super, darauf haben wir gewartet."]
