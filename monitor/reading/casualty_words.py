"""The words of casualty figures, English and French: who the victims are, what happened to
them, and what stands around a count that is no count of people.

``monitor.reading.figures`` reads counts with them: ``GROUP_WORDS`` (the victim nouns of each
group), ``KIND_WORDS`` (said after the victims: "were killed", "blessés"), ``LEFT_WORDS``
(said before the count: "killing", "la mort de"), ``FILLERS`` (auxiliaries and adverbs
between the victims and their kind), ``STOP_WORDS`` (what ends a victim's noun phrase),
``UNITS`` and ``NOT_COUNT_BEFORE_WORDS`` (what makes a number a distance, money, a date, a
thing), ``MONTHS``. Lower case; an accented letter also matches its bare form. The watch
list's ``victims`` and ``casualties`` (seeds/watchlist.yaml) are what the matcher finds to
tell an eventful sentence; these are the finer forms that count.
"""

from __future__ import annotations

KILLED = "killed"
WOUNDED = "wounded"
MISSING = "missing"
ABDUCTED = "abducted"
ARRESTED = "arrested"

MILITARY = "military"
CIVILIAN = "civilian"
ASSAILANTS = "assailants"
UNSPECIFIED = "unspecified"


GROUP_WORDS: dict[str, list[str]] = {
    MILITARY: [
        "soldier", "soldiers", "troop", "troops", "serviceman", "servicemen", "service members",
        "servicemembers", "military personnel", "army personnel", "security personnel",
        "personnel", "gendarme", "gendarmes", "policeman", "policemen", "police officer",
        "police officers", "policemen", "officer", "officers", "guard", "guards",
        "national guards", "guardsmen", "officier", "sous-officier", "peacekeeper", "peacekeepers", "blue helmets",
        "members of the security forces", "members of the armed forces", "security forces",
        "fama", "fama soldiers", "fds", "vdp", "mercenary", "mercenaries", "wagner fighters",
        "wagner mercenaries", "russian fighters", "instructors", "paramilitaries", "recruits",
        "conscripts", "commandos", "special forces",
        "soldat", "soldats", "militaire", "militaires", "policier", "policiers", "garde",
        "gardes", "gardes nationaux", "garde national", "douanier", "douaniers",
        "éléments des forces armées", "éléments des forces de défense et de sécurité",
        "éléments des fama", "éléments de l'armée", "éléments des fds",
        "membres des forces de défense et de sécurité", "membres des forces armées",
        "membres des fds", "members of the military", "members of the army", "members of the police",
        "members of the gendarmerie", "casques bleus", "mercenaire", "mercenaires", "instructeurs",
        "recrues", "hommes de troupe", "sous-officiers", "officiers", "volontaires pour la défense de la patrie",
        "police agents", "agents de police", "agent de police", "agents des eaux et forêts", "forest guards",
        "forest guard", "ranger", "rangers", "guardsman", "customs officer", "customs officers",
        "customs official", "customs officials", "police commissioner", "commissaire", "vdps",
        # militias and self-defence groups fight beside the state: counted as armed, not as attackers
        "militiaman", "militiamen", "militia member", "militia members", "militia", "militias",
        "volunteer", "volunteers", "volunteer fighter", "volunteer fighters", "self-defense volunteers",
        "self-defence volunteers", "koglweogo", "koglweogos", "kogl-weogo", "dozo", "dozos", "donso", "donsos",
        "milicien", "miliciens", "volontaire", "volontaires", "supplétif", "supplétifs", "chasseur traditionnel",
        "chasseurs traditionnels", "chasseurs dozos",
    ],
    CIVILIAN: [
        "civilian", "civilians", "villager", "villagers", "resident", "residents", "inhabitants",
        "woman", "women", "child", "children", "boy", "boys", "girl", "girls", "worshipper",
        "worshippers", "worshipers", "passenger", "passengers", "traveller", "travellers",
        "traveler", "travelers", "miner", "miners", "gold miners", "trader", "traders",
        "merchant", "merchants", "herder", "herders", "shepherd", "shepherds", "farmer",
        "farmers", "fisherman", "fishermen", "student", "students", "pupil", "pupils",
        "teacher", "teachers", "displaced people", "displaced persons", "refugee", "refugees",
        "aid worker", "aid workers", "humanitarian workers", "journalist", "journalists",
        "village chief", "village chiefs", "imam", "imams", "driver", "drivers",
        "wedding guests", "market-goers", "non-combatants",
        "civil", "civils", "civile", "civiles", "villageois", "habitant", "habitants", "femme",
        "femmes", "enfant", "enfants", "garçon", "garçons", "fille", "filles", "fidèle",
        "fidèles", "passager", "passagers", "voyageur", "voyageurs", "orpailleur",
        "orpailleurs", "commerçant", "commerçants", "éleveur", "éleveurs", "berger", "bergers",
        "cultivateur", "cultivateurs", "agriculteur", "agriculteurs", "paysan", "paysans",
        "pêcheur", "pêcheurs", "élève", "élèves", "étudiant", "étudiants", "enseignant",
        "enseignants", "déplacés", "personnes déplacées", "réfugié", "réfugiés", "humanitaires",
        "journaliste", "journalistes", "chef de village", "chefs de village", "chauffeur",
        "chauffeurs", "transporteurs", "vieillards", "personnes âgées", "populations civiles",
        "health workers", "health worker", "nurse", "nurses", "agents de santé", "agent de santé",
        "agents humanitaires", "infirmier", "infirmiers",
        # who a victim is: a trade, an office in the village, the faith, the family
        "herdsman", "herdsmen", "pastoralist", "pastoralists", "worker", "workers", "employee",
        "employees", "butcher", "butchers", "mechanic", "mechanics", "electrician", "electricians",
        "tracker", "trackers", "guide", "guides", "vendor", "vendors", "motorcyclist", "motorcyclists",
        "tourist", "tourists", "youth", "youths", "young man", "young men", "elderly man", "elderly men",
        "councillor", "councillors", "councilor", "councilors", "councilman", "councilmen", "mayor",
        "mayors", "notable", "notables", "elder", "elders", "educator", "educators",
        "marabout", "marabouts", "priest", "priests", "pastor", "pastors", "catechist", "catechists",
        "deacon", "deacons", "religious leader", "religious leaders", "church leader", "church leaders",
        "thief", "thieves", "voleur", "voleurs", "protester", "protesters", "demonstrator", "demonstrators", "activist", "activists", "idp", "idps",
        "son", "sons", "daughter", "daughters", "brother", "brothers", "sister", "sisters", "wife",
        "wives", "husband", "husbands", "father", "mother", "relative", "relatives", "family members",
        "conseiller", "conseillers", "conseiller municipal", "conseillers municipaux", "maire", "maires",
        "prêtre", "prêtres", "pasteur", "pasteurs", "catéchiste", "catéchistes",
        "jeune", "jeunes", "boucher", "bouchers", "manifestant", "manifestants", "ouvrier", "ouvriers",
        "employé", "employés", "fils", "frère", "frères", "sœur", "sœurs", "soeur", "soeurs", "épouse",
        "épouses", "mari", "père", "mère", "proches", "membres de sa famille", "membres de la famille",
    ],
    ASSAILANTS: [
        "assailant", "assailants", "attacker", "attackers", "terrorist", "terrorists",
        "jihadist", "jihadists", "islamist", "islamists", "militant", "militants", "insurgent",
        "insurgents", "gunman", "gunmen", "fighter", "fighters", "rebel", "rebels", "armed men",
        "armed man", "armed individuals", "bandit", "bandits", "armed bandits", "suspect",
        "suspects", "suicide bomber", "suicide bombers", "extremist", "extremists", "criminals",
        "enemy", "enemies", "combatant", "combatants",
        "assaillant", "assaillants", "terroriste", "terroristes", "djihadiste", "djihadistes",
        "jihadiste", "jihadistes", "islamiste", "islamistes", "combattant", "combattants",
        "rebelle", "rebelles", "hommes armés", "homme armé", "hommes armés non identifiés",
        "hani", "individus armés", "individu armé", "bandits armés", "kamikaze", "kamikazes",
        "extrémiste", "extrémistes", "malfaiteur", "malfaiteurs", "criminels", "ennemi",
        "ennemis", "hors-la-loi", "éléments terroristes",
    ],
    UNSPECIFIED: [
        "people", "persons", "person", "individual", "individuals", "victim", "victims", "body",
        "bodies", "man", "men", "personne", "personnes", "individu", "individus", "victime",
        "victimes", "corps", "cadavres", "homme", "hommes", "corpse", "corpses", "cadavre", "dépouille",
        "dépouilles",
        "agent", "agents",  # of the state, of a company, of a mission: who is not said
        "member", "members", "membre", "membres",
    ],
}  # fmt: skip

KIND_WORDS: dict[str, list[str]] = {
    KILLED: [
        "killed", "dead", "died", "lost their lives", "lost their life", "lost his life",
        "lost her life", "perished", "slain", "executed", "massacred", "shot dead", "murdered",
        "neutralized", "neutralised", "eliminated", "deaths", "fatalities", "killed in action",
        "burned to death", "beheaded", "assassinated", "slaughtered",
        "tué", "tués", "tuée", "tuées", "mort", "morts", "morte", "mortes", "décédé", "décédés",
        "décédée", "décédées", "perdu la vie", "trouvé la mort", "péri", "périt", "abattu",
        "abattus", "abattue", "abattues", "exécuté", "exécutés", "exécutée", "exécutées",
        "massacré", "massacrés", "massacrée", "massacrées", "assassiné", "assassinés", "assassinée",
        "assassinées", "neutralisé", "neutralisés", "neutralisée", "neutralisées", "tombés",
        "tombé", "tombée", "tombées", "tombé au combat", "tombés au combat", "tombée au combat",
        "tombées au combat", "succombé", "décès", "égorgé", "égorgés", "égorgée", "égorgées",
        "calciné", "calcinés", "calcinée", "calcinées",
        # killed by hand: a lynching, a beating or a stabbing "to death"
        "lynched", "lynched to death", "beaten to death", "beat to death", "stabbed to death",
        "hacked to death", "burnt to death", "tortured to death", "stoned to death", "clubbed to death",
        "burned alive", "burnt alive", "succumbed", "lynché à mort", "lynchés à mort", "lynchée à mort",
        "lynchées à mort", "battu à mort", "battus à mort", "battue à mort", "battues à mort",
        "poignardé à mort", "poignardés à mort", "poignardée à mort", "poignardées à mort", "lapidé",
        "lapidés", "lapidée", "lapidées", "brûlé vif", "brûlés vifs", "brûlée vive", "brûlées vives",
        "succombé", "succombés", "succombée", "succombées", "décapité", "décapités", "décapitée", "décapitées",
    ],
    WOUNDED: [
        "wounded", "injured", "hurt", "seriously injured", "seriously wounded",
        "blessé", "blessés", "blessée", "blessées", "grièvement blessé", "grièvement blessés",
        "grièvement blessée", "grièvement blessées", "légèrement blessé", "légèrement blessés",
        "légèrement blessée", "légèrement blessées",
    ],
    MISSING: [
        "missing", "unaccounted for", "disappeared", "went missing", "gone missing", "go missing", "disparu", "disparus", "disparue",
        "disparues", "porté disparu", "portés disparus", "portée disparue", "portées disparues",
    ],
    ABDUCTED: [
        "abducted", "kidnapped", "taken hostage", "held hostage", "hostage", "hostages",
        "enlevé", "enlevés", "enlevée", "enlevées", "kidnappé", "kidnappés", "kidnappée",
        "kidnappées", "pris en otage", "prise en otage", "prises en otage", "pris en otages",
        "prises en otages", "otage", "otages", "séquestré", "séquestrés", "séquestrée", "séquestrées",
    ],
    ARRESTED: [
        "arrested", "detained", "captured", "apprehended", "taken prisoner",
        "taken into custody", "arrests", "arrêté", "arrêtés", "arrêtée", "arrêtées",
        "interpellé", "interpellés", "interpellée", "interpellées", "capturé", "capturés",
        "capturée", "capturées", "appréhendé", "appréhendés", "appréhendée", "appréhendées",
        "faits prisonniers", "fait prisonnier", "faite prisonnière", "faites prisonnières",
        "interpellations", "arrestations", "mis aux arrêts", "mise aux arrêts", "mises aux arrêts",
        "placé en garde à vue", "placés en garde à vue", "placée en garde à vue", "placées en garde à vue",
    ],
}  # fmt: skip

# verbs and nouns that come before the count: "killing 30", "la mort de 30"
LEFT_WORDS: dict[str, list[str]] = {
    KILLED: [
        "kill", "kills", "killed", "killing", "neutralize", "neutralizes", "neutralized",
        "neutralizing", "neutralise", "neutralises", "neutralised", "neutralising", "execute",
        "executed", "executing", "massacre", "massacred", "massacring", "eliminate",
        "eliminated", "eliminating", "murder", "murdered", "murdering", "shot dead",
        "shooting dead", "claimed the lives of", "claiming the lives of", "cost the lives of",
        "costing the lives of", "took the lives of", "taking the lives of", "killing of",
        "killings of", "death of", "deaths of", "murder of", "massacre of", "execution of",
        "death toll of", "death toll at", "death toll to", "death toll rose to",
        "death toll climbed to", "death toll reached", "death toll stands at",
        "death toll stood at", "death toll is", "death toll was", "death toll has risen to",
        "toll of", "toll rose to", "toll to", "toll at",
        "tue", "tuent", "tué", "tuant", "tuer", "neutralise", "neutralisent", "neutralisé",
        "neutralisant", "neutraliser", "exécute", "exécutent", "exécuté", "exécutant", "exécuter",
        "massacrent", "massacré", "massacrant", "massacrer", "abat", "abattent", "abattu",
        "abattant", "abattre", "assassine", "assassinent", "assassiné", "assassinant", "assassiner", "coûté la vie à", "coûtant la vie à",
        "coûte la vie à", "la mort de", "la mort d'", "le décès de", "le décès d'",
        "l'assassinat de", "l'assassinat d'", "l'exécution de", "le massacre de",
        "bilan de", "bilan provisoire de", "bilan officiel de", "bilan est de",
        "bilan s'élève à", "bilan passe à", "bilan atteint",
        "assassinate", "assassinated", "assassinating", "assassination of", "slaughter", "slaughtered",
        "slaughtering", "lynch", "lynched", "lynching", "beat to death",
        "bodies of", "the bodies of", "the corpses of", "corpses of", "les corps de", "les corps sans vie de",
        "les cadavres de", "les dépouilles de", "les dépouilles mortelles de", "beaten to death", "beating to death",
        "hacked to death", "hacking to death", "stabbed to death", "stabbing to death", "burnt to death",
        "burned to death", "tortured to death", "stoned to death", "clubbed to death", "burned alive",
        "burnt alive", "shot and killed", "behead", "beheaded", "beheading", "slit the throats of",
        "slit the throat of", "slitting the throats of", "cut the throats of", "cut the throat of",
        "lynché à mort", "lynchent à mort", "battu à mort", "battent à mort", "lapidé", "lapidant",
        "égorgé", "égorgent", "égorgeant", "égorger", "décapité", "décapitent", "décapitant", "brûlé vifs",
    ],
    WOUNDED: [
        "wound", "wounds", "wounded", "wounding", "injure", "injures", "injured", "injuring",
        "blessé", "blessant", "blesse", "blessent", "blesser",
    ],
    MISSING: ["disappearance of", "la disparition de", "la disparition d'"],
    ABDUCTED: [
        "abduct", "abducts", "abducted", "abducting", "kidnap", "kidnaps", "kidnapped",
        "kidnapping", "abduction of", "kidnapping of", "enlève", "enlèvent", "enlevé", "enlevant",
        "enlever", "kidnappe", "kidnappent", "kidnappé", "kidnappant", "kidnapper", "l'enlèvement de", "l'enlèvement d'",
        "le rapt de", "le kidnapping de",
    ],
    ARRESTED: [
        "arrest", "arrests", "arrested", "arresting", "detain", "detains", "detained",
        "detaining", "capture", "captures", "captured", "capturing", "apprehend", "apprehends",
        "apprehended", "apprehending", "arrest of", "capture of", "arrête", "arrêtent", "arrêté",
        "arrêtant", "arrêter", "interpelle", "interpellent", "interpellé", "interpellant",
        "interpeller", "capturent", "capturé", "capturant", "capturer", "appréhende",
        "appréhendent", "appréhendé", "appréhendant", "appréhender", "l'arrestation de",
        "l'arrestation d'", "l'interpellation de", "l'interpellation d'", "la capture de",
    ],
}  # fmt: skip



FILLERS = [
    "were", "was", "are", "is", "have", "has", "had", "been", "being", "be", "reportedly",
    "allegedly", "reported", "also", "all", "later", "subsequently", "then", "confirmed",
    "estimated", "believed", "thought", "said", "feared", "to", "who", "that", "both", "each",
    "in total", "so far", "respectively", "presumably", "eventually", "instantly",
    "immediately", "ont", "a", "été", "sont", "est", "auraient", "aurait", "seraient",
    "serait", "également", "aussi", "ainsi", "tous", "toutes", "déjà", "y", "ensuite",
    "finalement", "qui", "probablement", "apparemment", "officiellement", "au total",
    "en tout", "jusqu'ici", "respectivement", "malheureusement", "hélas", "still", "now",
    "currently", "remain", "remained", "toujours", "encore", "actuellement",
    # how badly: "were lightly wounded", "ont été grièvement blessés"
    "lightly", "slightly", "seriously", "critically", "badly", "severely", "gravely", "fatally",
    "mortally", "légèrement", "grièvement", "gravement", "mortellement",
    # how: "were found dead", "were summarily executed", "ont été sommairement exécutés"
    "found", "later found", "retrouvés", "retrouvé", "summarily", "extrajudicially", "sommairement",
]  # fmt: skip
PASSIVE_MARKERS = {"were", "was", "are", "is", "been", "being", "été", "sont", "est", "seraient", "serait"}
STOP_WORDS = [
    "and", "or", "et", "ou", "in", "on", "at", "from", "to", "à", "au", "aux", "dans", "sur",
    "en", "near", "with", "avec", "par", "by", "for", "pour", "who", "qui", "que", "that",
    "which", "were", "was", "are", "is", "have", "has", "had", "ont", "a", "été", "sont",
    "est", "the", "les", "le", "la", "l", "des", "du", "de", "of", "an", "un", "une", "this",
    "ce", "cette", "these", "ces", "their", "leur", "leurs", "its", "his", "her", "as",
    "than", "while", "but", "mais", "not", "ne", "n", "during", "pendant", "after", "après",
    "before", "avant", "since", "depuis", "including", "dont", "parmi", "among",
]  # fmt: skip
UNITS = [
    "km", "kms", "kilometres", "kilomètres", "kilometers", "kilometre", "kilomètre",
    "kilometer", "miles", "mile", "m", "mètres", "metres", "meters", "h", "hours", "hour",
    "heures", "heure", "hrs", "minutes", "minute", "mn", "min", "secondes", "seconds", "days",
    "day", "jours", "jour", "nights", "nuits", "weeks", "week", "semaines", "semaine",
    "months", "month", "mois", "years", "year", "ans", "an", "années", "année", "decades",
    "year-old", "years-old", "year old", "years old", "fcfa", "francs cfa", "cfa", "francs",
    "franc", "dollars", "dollar", "usd", "euros", "euro", "eur", "million", "millions",
    "milliard", "milliards", "billion", "billions", "kg", "kilos", "tonnes", "tons", "litres",
    "liters", "motorcycles", "motorcycle", "motorbikes", "motorbike", "motos", "moto",
    "motocyclettes", "vehicles", "vehicle", "véhicules", "véhicule", "cars", "voitures",
    "trucks", "camions", "pick-up", "pick-ups", "pickups", "weapons", "armes", "guns",
    "fusils", "rifles", "rounds", "munitions", "cartridges", "cattle", "head of cattle",
    "têtes", "bœufs", "boeufs", "animals", "animaux", "chameaux", "camels", "moutons", "sheep",
    "goats", "chèvres", "houses", "maisons", "cases", "huts", "villages", "localités",
    "shops", "boutiques", "schools", "écoles", "attacks", "attaques", "incidents", "times",
    "fois", "points", "a.m", "p.m", "am", "pm", "gmt", "utc", "o'clock", "percent",
    "pour cent", "per cent", "degrees", "shells", "obus", "bombs", "bombes", "mines",
    "engins", "roquettes", "rockets", "drones", "aircraft", "avions", "helicopters",
    "hélicoptères", "tanks", "chars", "bases", "camps", "posts", "postes", "checkpoints",
]  # fmt: skip
NOT_COUNT_BEFORE_WORDS = [
    "aged", "âgé de", "âgée de", "âgés de", "âgées de", "agé de", "age of", "ages of",
    "n°", "nº", "no.", "no", "numéro", "number", "#", "page", "article", "résolution",
    "resolution", "route", "rn", "highway", "km", "pk", "kilomètre", "$", "€", "£", "fcfa",
    "cfa", "usd", "chapter", "decree", "décret", "loi", "law", "tel.", "tél.", "phone",
    "bataillon", "battalion", "régiment", "regiment", "unit", "unité", "secteur", "sector",
    "zone", "region", "région", "quartier", "level", "niveau", "lot", "aucun", "aucune",
    "mi-", "mid-",
]  # fmt: skip
MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre", "janv", "févr",
    "avr", "juil", "déc",
]  # fmt: skip

# the people a partitive count is taken from: "one of the wounded", "deux des otages"
PARTITIVE_KINDS = [
    "wounded", "injured", "abducted", "kidnapped", "hostages", "captives", "detainees", "arrested",
    "blessés", "blessées", "otages", "enlevés", "personnes enlevées", "détenus", "disparus",
]  # fmt: skip

# a possessive counts one victim as an article does ("a marabout and his son", "un marabout
# et son fils"), by language: English "son" is a noun, French "a" a verb
POSSESSIVES = {"his": "en", "her": "en", "its": "en", "their": "en", "son": "fr", "sa": "fr", "leur": "fr"}

# plurals without an "s": "his men", "their children" count no one victim
PLURALS_WITHOUT_S = ("men", "people", "children", "police", "personnel", "militia", "youth", "fds")

# heads that say only that people were counted: a noun before them says who ("Koglweogo
# fighters", "VDP members", "Fulani men")
GENERIC_HEADS = frozenset({
    "fighter", "fighters", "combatant", "combatants", "combattant", "combattants", "man", "men", "homme", "hommes", "member",
    "members", "membre", "membres", "people", "person", "persons", "personne", "personnes",
    "individual", "individuals", "individu", "individus", "agent", "agents", "personnel",
})  # fmt: skip

CIVILIAN_ADJECTIVES = frozenset({"civilian", "civil", "civile", "civils", "civiles"})
