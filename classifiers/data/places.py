"""Place names people write in a profile's location field, compiled by hand
for this project: other names of countries (native spellings, short forms,
nations of the United Kingdom), the state/province codes written after a
city ("Austin, TX"), major cities and tech hubs, and strings that look like a
place but are not one. ISO names themselves come from ``pycountry``.

Every name is lower-case with accents removed (matching is done the same way).
A city that exists in several countries is listed under the one most forum
members mean; a country or state written next to it wins over this guess.
"""

from __future__ import annotations

_COUNTRY_ALIASES = """
US: usa; u.s.a; u.s; us of a; united states of america; america; the us; the usa; the states; estados unidos; etats-unis; vereinigte staaten; stati uniti; eua; eeuu; ee.uu
GB: uk; u.k; united kingdom; great britain; britain; england; scotland; wales; northern ireland; gb; royaume-uni; reino unido; vereinigtes konigreich; regno unito
DE: deutschland; germany; allemagne; alemania; germania; duitsland; niemcy; nemecko
FR: france; frankreich; francia; frankrijk; francja
ES: espana; spain; spanien; espagne; spagna; hiszpania
IT: italia; italy; italien; italie
NL: nederland; the netherlands; netherlands; holland; niederlande; pays-bas; paises bajos; paesi bassi
BE: belgique; belgie; belgien; belgium; belgica
CH: schweiz; suisse; svizzera; switzerland; suiza
AT: osterreich; austria; autriche
PL: polska; poland; polen; pologne; polonia
CZ: cesko; czechia; czech republic; ceska republika; tschechien
SK: slovensko; slovakia
HU: magyarorszag; hungary
RO: romania
BG: bulgaria; българия
GR: ellada; greece; ελλαδα; ελλάδα
TR: turkiye; turkey; turkei
RU: russia; россия; rossiya; russian federation; russland
UA: ukraine; україна; ukraina
BY: belarus; беларусь
SE: sverige; sweden; schweden
NO: norge; norway; norwegen
DK: danmark; denmark; danemark
FI: suomi; finland
IS: island; iceland
IE: ireland; eire; republic of ireland
PT: portugal
BR: brasil; brazil; brasilien
MX: mexico
AR: argentina
CL: chile
CO: colombia
PE: peru
VE: venezuela
UY: uruguay
EC: ecuador
BO: bolivia
PY: paraguay
LT: lietuva; lithuania
LV: latvija; latvia
EE: eesti; estonia
SI: slovenija; slovenia
HR: hrvatska; croatia
RS: srbija; serbia; србија
BA: bosnia; bosnia and herzegovina; bih
MK: macedonia; north macedonia
JP: japan; nihon; nippon; 日本
CN: china; prc; 中国; 中华人民共和国
TW: taiwan; 台灣; 台湾
HK: hong kong; hongkong; 香港
KR: south korea; korea; 대한민국; 한국; republic of korea
IN: india; bharat; भारत
PK: pakistan
BD: bangladesh
LK: sri lanka
NP: nepal
VN: vietnam; viet nam
TH: thailand
PH: philippines; pilipinas
ID: indonesia
MY: malaysia
SG: singapore; singapura
AU: australia; oz
NZ: new zealand; aotearoa; nz
ZA: south africa; rsa; suid-afrika
NG: nigeria; naija
KE: kenya
EG: egypt
MA: morocco; maroc
DZ: algeria; algerie
TN: tunisia; tunisie
IL: israel; ישראל
IR: iran; persia
AE: uae; united arab emirates; emirates
SA: saudi arabia; ksa; saudi
CA: canada
"""

# Two-letter codes people write after a city.
US_STATE_CODES = frozenset(
    ["al", "ak", "az", "ar", "ca", "co", "ct", "de", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy", "dc"]
)
CA_PROVINCE_CODES = frozenset(["on", "qc", "bc", "ab", "mb", "sk", "ns", "nb", "nl", "pe", "yt", "nt", "nu"])
AU_STATE_CODES = frozenset(["nsw", "vic", "qld", "tas", "act"])

# Regions that name no single country: the guess stays at the region.
REGION_WORDS = {
    "europe": "EU", "eu": "EU", "european union": "EU", "asia": "AS", "africa": "AF",
    "south america": "SA", "latin america": "SA", "north america": "NA", "oceania": "OC",
    "scandinavia": "EU", "middle east": "AS", "southeast asia": "AS", "balkans": "EU",
}

# Strings seen in location fields that are not places.
NOT_PLACES = frozenset(
    """earth; planet earth; world; the world; worldwide; everywhere; anywhere; nowhere; internet;
    the internet; online; cyberspace; localhost; 127.0.0.1; home; here; there; remote; the cloud; cloud;
    moon; the moon; mars; universe; the universe; milky way; somewhere; unknown; n/a; na; none;
    global; galaxy; matrix; the matrix""".replace("\n", " ").split(";")
)

_CITIES = """
US: new york; new york city; nyc; brooklyn; manhattan; queens; bronx; los angeles; san francisco; sf; bay area; san francisco bay area; silicon valley; san jose; oakland; berkeley; palo alto; mountain view; sunnyvale; santa clara; cupertino; redwood city; menlo park; seattle; redmond; bellevue; tacoma; spokane; portland; boston; cambridge ma; somerville; chicago; houston; dallas; austin; san antonio; fort worth; el paso; plano; frisco; phoenix; tucson; scottsdale; tempe; mesa; denver; boulder; colorado springs; salt lake city; provo; orem; lehi; las vegas; reno; albuquerque; santa fe; atlanta; miami; orlando; tampa; jacksonville; tallahassee; gainesville; fort lauderdale; charlotte; raleigh; durham; chapel hill; nashville; memphis; knoxville; louisville; indianapolis; columbus; cleveland; cincinnati; dayton; detroit; ann arbor; grand rapids; milwaukee; madison; minneapolis; saint paul; st. paul; st louis; saint louis; kansas city; omaha; des moines; wichita; oklahoma city; tulsa; little rock; new orleans; baton rouge; birmingham al; montgomery; jackson ms; philadelphia; pittsburgh; harrisburg; baltimore; washington dc; washington d.c; d.c; arlington; alexandria va; richmond; virginia beach; norfolk; newark; jersey city; hoboken; princeton; hartford; new haven; providence; buffalo; rochester; syracuse; albany; san diego; sacramento; fresno; irvine; santa monica; pasadena; long beach; anaheim; santa barbara; san luis obispo; santa rosa; honolulu; anchorage; boise; billings; fargo; sioux falls; burlington; manchester nh; portland me; charleston; columbia sc; greenville; savannah; athens ga; lexington; huntsville; chattanooga; flagstaff; corvallis; eugene; olympia; palm bay; fairport; johnson city
CA: toronto; montreal; montréal; vancouver; ottawa; calgary; edmonton; winnipeg; quebec city; halifax; victoria bc; waterloo; kitchener; hamilton on; london on; mississauga; markham; burnaby; surrey bc; regina; saskatoon; st. john's; moncton; fredericton; barrie; chilliwack; kelowna; gatineau; laval; sherbrooke; guelph
GB: london; manchester; birmingham; liverpool; leeds; sheffield; bristol; newcastle; newcastle upon tyne; nottingham; leicester; cambridge; oxford; brighton; reading; southampton; portsmouth; plymouth; exeter; bath; york; coventry; norwich; milton keynes; edinburgh; glasgow; aberdeen; dundee; cardiff; swansea; belfast; derby; stoke; hull; sunderland; bournemouth; chelmsford; guildford; hinckley; consett; bacup; lancaster; preston; bolton
IE: dublin; cork; galway; limerick
DE: berlin; munich; munchen; hamburg; frankfurt; frankfurt am main; cologne; koln; stuttgart; dusseldorf; dortmund; essen; bremen; leipzig; dresden; hannover; hanover; nuremberg; nurnberg; bochum; bonn; karlsruhe; mannheim; heidelberg; freiburg; augsburg; munster; aachen; kiel; rostock; potsdam; jena; erlangen; darmstadt; wiesbaden; mainz; regensburg; ulm; wurzburg; gottingen; braunschweig; magdeburg; halle; chemnitz; bielefeld; wuppertal; duisburg; gelsenkirchen
AT: vienna; wien; graz; linz; salzburg; innsbruck
CH: zurich; zürich; geneva; geneve; basel; bern; lausanne; lucerne; luzern; lugano; zug; winterthur; st. gallen
FR: paris; lyon; marseille; toulouse; nice; nantes; strasbourg; montpellier; bordeaux; lille; rennes; grenoble; reims; toulon; dijon; angers; nancy; clermont-ferrand; rouen; caen; brest; tours; orleans; metz; sophia antipolis; annecy; avignon
BE: brussels; bruxelles; brussel; antwerp; antwerpen; ghent; gent; bruges; leuven; liege; namur; charleroi
NL: amsterdam; rotterdam; the hague; den haag; utrecht; eindhoven; groningen; tilburg; almere; breda; nijmegen; delft; leiden; haarlem; enschede; arnhem; maastricht; zwolle; ermelo; amersfoort; apeldoorn
LU: luxembourg city
DK: copenhagen; kobenhavn; aarhus; odense; aalborg
SE: stockholm; gothenburg; goteborg; malmo; uppsala; linkoping; lund; umea; vasteras; orebro
NO: oslo; bergen; trondheim; stavanger; tromso
FI: helsinki; espoo; tampere; turku; oulu; vantaa
IS: reykjavik
ES: madrid; barcelona; valencia; seville; sevilla; zaragoza; malaga; murcia; palma; bilbao; alicante; valladolid; vigo; gijon; granada; a coruna; vitoria; san sebastian; donostia; pamplona; santander; salamanca; las palmas; tenerife; lanzarote; canary islands; islas canarias
PT: lisbon; lisboa; porto; braga; coimbra; faro; aveiro; funchal
IT: rome; roma; milan; milano; naples; napoli; turin; torino; palermo; genoa; genova; bologna; florence; firenze; bari; catania; venice; venezia; verona; padua; padova; trieste; brescia; parma; modena; pisa; cagliari; perugia; trento; bergamo
PL: warsaw; warszawa; krakow; kraków; lodz; wroclaw; poznan; gdansk; szczecin; bydgoszcz; lublin; katowice; bialystok; gdynia; czestochowa; rzeszow; torun; gliwice
CZ: prague; praha; brno; ostrava; plzen; olomouc; liberec
SK: bratislava; kosice
HU: budapest; debrecen; szeged; pecs; gyor
RO: bucharest; bucuresti; cluj; cluj-napoca; timisoara; iasi; constanta; brasov; craiova; oradea; sibiu
BG: sofia; plovdiv; varna; burgas; blagoevgrad
GR: athens; thessaloniki; patras; heraklion; larissa
CY: nicosia; limassol; larnaca
MT: valletta
SI: ljubljana; maribor
HR: zagreb; split; rijeka; osijek
RS: belgrade; beograd; novi sad; nis
BA: sarajevo; banja luka
MK: skopje
AL: tirana
ME: podgorica
LT: vilnius; kaunas; klaipeda
LV: riga
EE: tallinn; tartu
UA: kyiv; kiev; kharkiv; kharkov; odesa; odessa; dnipro; lviv; zaporizhzhia
BY: minsk; gomel; brest by
RU: moscow; moskva; saint petersburg; st. petersburg; st petersburg; novosibirsk; yekaterinburg; ekaterinburg; kazan; nizhny novgorod; chelyabinsk; samara; omsk; rostov-on-don; ufa; krasnoyarsk; voronezh; perm; volgograd; krasnodar; tomsk; vladivostok; irkutsk; tula
TR: istanbul; ankara; izmir; bursa; antalya; adana; konya; gaziantep; eskisehir
IL: tel aviv; jerusalem; haifa; herzliya; beer sheva; petah tikva; ramat gan
AE: dubai; abu dhabi; sharjah
SA: riyadh; jeddah; mecca; dammam
QA: doha
KW: kuwait city
EG: cairo; alexandria; giza
MA: casablanca; rabat; marrakech; fes; tangier
DZ: algiers; oran
TN: tunis; sfax
NG: lagos; abuja; ibadan; port harcourt; kano; benin city; enugu
GH: accra; kumasi
KE: nairobi; mombasa; kisumu
ET: addis ababa
TZ: dar es salaam; arusha
UG: kampala
RW: kigali
ZA: johannesburg; cape town; durban; pretoria; port elizabeth; bloemfontein; stellenbosch
ZW: harare
CM: douala; yaounde
SN: dakar
CI: abidjan
IN: mumbai; bombay; delhi; new delhi; bangalore; bengaluru; hyderabad; chennai; madras; kolkata; calcutta; pune; ahmedabad; jaipur; surat; lucknow; kanpur; nagpur; indore; bhopal; patna; vadodara; coimbatore; kochi; cochin; trivandrum; thiruvananthapuram; noida; gurgaon; gurugram; chandigarh; mysore; mysuru; visakhapatnam; vijayawada; bhubaneswar; guwahati; mangalore; nashik; rajkot; ludhiana; amritsar; dehradun; ranchi; raipur; madurai; goa
PK: karachi; lahore; islamabad; rawalpindi; faisalabad; peshawar; multan; quetta
BD: dhaka; chittagong; sylhet
LK: colombo; kandy
NP: kathmandu; pokhara
CN: beijing; shanghai; shenzhen; guangzhou; hangzhou; chengdu; wuhan; nanjing; xi'an; xian; tianjin; chongqing; suzhou; xiamen; qingdao; dalian; shenyang; harbin; changsha; kunming; hefei; jinan; zhengzhou; fuzhou
TW: taipei; kaohsiung; taichung; tainan; hsinchu
JP: tokyo; osaka; kyoto; yokohama; nagoya; sapporo; fukuoka; kobe; sendai; hiroshima; kawasaki; saitama; chiba; okinawa; nara
KR: seoul; busan; incheon; daegu; daejeon; gwangju; suwon; seongnam; pangyo
VN: hanoi; ha noi; ho chi minh city; ho chi minh; saigon; da nang; hai phong; can tho
TH: bangkok; chiang mai; phuket; pattaya
MY: kuala lumpur; penang; johor bahru; petaling jaya; cyberjaya; kota kinabalu; kuching
SG: singapore city
ID: jakarta; surabaya; bandung; medan; semarang; yogyakarta; bali; denpasar; makassar; malang
PH: manila; quezon city; makati; cebu; cebu city; davao; taguig; pasig
KH: phnom penh
MM: yangon
MN: ulaanbaatar
KZ: almaty; astana; nur-sultan
UZ: tashkent
GE: tbilisi
AM: yerevan
AZ: baku
IR: tehran; isfahan; mashhad; shiraz; tabriz
IQ: baghdad; erbil
JO: amman
LB: beirut
AU: sydney; melbourne; brisbane; perth; adelaide; canberra; hobart; darwin; gold coast; newcastle nsw; wollongong; geelong; cairns; townsville
NZ: auckland; wellington; christchurch; hamilton nz; dunedin; waitohi
MX: mexico city; ciudad de mexico; cdmx; guadalajara; monterrey; puebla; tijuana; leon; queretaro; merida; cancun; toluca; chihuahua; aguascalientes; oaxaca
BR: sao paulo; rio de janeiro; rio; brasilia; salvador; fortaleza; belo horizonte; manaus; curitiba; recife; porto alegre; belem; goiania; campinas; florianopolis; natal; vitoria; joao pessoa; santos; uberlandia; ribeirao preto; sao jose dos campos
AR: buenos aires; cordoba; rosario; mendoza; la plata; mar del plata; tucuman; salta
CL: santiago; valparaiso; concepcion; vina del mar
CO: bogota; medellin; cali; barranquilla; cartagena; bucaramanga
PE: lima; arequipa; cusco; trujillo
VE: caracas; maracaibo
EC: quito; guayaquil; cuenca
UY: montevideo
PY: asuncion
BO: la paz; santa cruz de la sierra; cochabamba
CR: san jose cr
PA: panama city
GT: guatemala city
DO: santo domingo
PR: san juan
CU: havana; la habana
JM: kingston
"""

# Names that are also a country elsewhere, or too vague alone: resolved only
# with a country or state next to them.
AMBIGUOUS = frozenset({"georgia", "jersey", "victoria", "punjab", "macedonia", "congo", "guinea"})


def _parse(table: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for line in table.strip().splitlines():
        code, items = line.split(":", 1)
        for name in items.split(";"):
            name = name.strip()
            if name:
                names.setdefault(name, code.strip())
    return names


COUNTRY_ALIASES: dict[str, str] = _parse(_COUNTRY_ALIASES)
CITIES: dict[str, str] = _parse(_CITIES)
