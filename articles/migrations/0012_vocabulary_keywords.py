"""Seed the suggestion keywords of the Center's vocabulary (the demo's topics and regions).

A frozen copy: later edits are made by editors in the admin. Only tags that exist and have
no keywords yet are touched; `load_demo` seeds the same words on a fresh database.
"""

from django.db import migrations

KEYWORDS = {
    "topic": {
        "arms-trade": "arms trade\n"
        "arms sales\n"
        "arms deal\n"
        "arms exports\n"
        "arms supplier\n"
        "defence exports\n"
        "defense exports\n"
        "weapons\n"
        "weapons deliveries\n"
        "arms embargo\n"
        "defence industry\n"
        "Elbit\n"
        "Israel Aerospace Industries\n"
        "Rafael",
        "energy-security": "energy\n"
        "oil\n"
        "gas\n"
        "pipeline\n"
        "crude\n"
        "barrels\n"
        "LNG\n"
        "BTC\n"
        "TANAP\n"
        "TAP\n"
        "Southern Gas Corridor\n"
        "Caspian oil",
        "diplomacy": "diplomacy\n"
        "diplomatic\n"
        "diplomats\n"
        "negotiations\n"
        "talks\n"
        "peace treaty\n"
        "peace agreement\n"
        "foreign minister\n"
        "summit\n"
        "embassy\n"
        "ambassador\n"
        "normalisation\n"
        "normalization\n"
        "mediation",
        "drones": "drone\n"
        "UAV\n"
        "unmanned\n"
        "loitering munition\n"
        "Bayraktar\n"
        "TB2\n"
        "Shahed\n"
        "Harop\n"
        "kamikaze drone",
        "peacekeeping": "peacekeeping\npeacekeeper\npeacekeeping mission\npeacekeeping contingent",
        "border-security": "border\n"
        "frontier\n"
        "border guards\n"
        "checkpoint\n"
        "delimitation\n"
        "demarcation\n"
        "border post",
        "transport-corridors": "corridor\n"
        "transit\n"
        "railway\n"
        "rail link\n"
        "road link\n"
        "route\n"
        "Zangezur\n"
        "Lachin corridor\n"
        "Middle Corridor\n"
        "North-South\n"
        "TRIPP",
        "military-balance": "military\n"
        "armed forces\n"
        "army\n"
        "troops\n"
        "artillery\n"
        "offensive\n"
        "military drills\n"
        "exercises\n"
        "deterrence\n"
        "defence spending\n"
        "air defence\n"
        "missiles",
        "sanctions": "sanctions\nsanctioned\nembargo\nexport controls\nasset freeze",
        "humanitarian-affairs": "humanitarian\n"
        "refugees\n"
        "displaced\n"
        "civilians\n"
        "Red Cross\n"
        "ICRC\n"
        "blockade\n"
        "shortages\n"
        "evacuation\n"
        "aid",
        "regional-organizations": "Organization of Turkic States\n"
        "Turkic Council\n"
        "CSTO\n"
        "OSCE\n"
        "Minsk Group\n"
        "Eurasian Economic Union\n"
        "EAEU\n"
        "Shanghai Cooperation Organisation\n"
        "SCO\n"
        "Commonwealth of Independent States\n"
        "BSEC",
        "scenario-analysis": "scenario\n"
        "simulation\n"
        "war game\n"
        "wargame\n"
        "outlook\n"
        "forecast\n"
        "contingency",
    },
    "region": {
        "azerbaijan": "Azerbaijani\nAzerbaijanis\nAzeri\nAzeris\nBaku\nAliyev\nGanja",
        "armenia": "Armenian\nArmenians\nYerevan\nPashinyan\nSyunik\nGyumri",
        "iran": "Iranian\n"
        "Iranians\n"
        "Tehran\n"
        "Islamic Republic\n"
        "IRGC\n"
        "Khamenei\n"
        "Raisi\n"
        "Pezeshkian\n"
        "Tabriz",
        "israel": "Israeli\nIsraelis\nJerusalem\nTel Aviv\nIDF\nNetanyahu",
        "russia": "Russian\nRussians\nMoscow\nKremlin\nPutin\nLavrov",
        "turkey": "Turkish\nTürkiye\nTurkiye\nAnkara\nErdoğan\nErdogan\nIstanbul",
        "georgia": "Georgian\nGeorgians\nTbilisi\nGeorgian Dream\nBatumi",
        "nagorno-karabakh": "Karabakh\nArtsakh\nStepanakert\nKhankendi\nShusha\nShushi\nLachin",
        "south-caucasus": "South Caucasus\nTranscaucasia\nTranscaucasus\nthe Caucasus",
        "european-union": "EU\n"
        "European Union\n"
        "Brussels\n"
        "EUMA\n"
        "European Commission\n"
        "European Council\n"
        "European Parliament",
        "central-asia": "Central Asia\n"
        "Central Asian\n"
        "Kazakhstan\n"
        "Uzbekistan\n"
        "Turkmenistan\n"
        "Kyrgyzstan\n"
        "Tajikistan\n"
        "Astana\n"
        "Tashkent\n"
        "Ashgabat",
        "nakhchivan": "Nakhchivan\nNakhichevan\nNaxçıvan",
    },
}


def seed(apps, schema_editor):
    for vocabulary, model_name in (("topic", "Topic"), ("region", "Region")):
        model = apps.get_model("articles", model_name)
        for slug, keywords in KEYWORDS[vocabulary].items():
            model.objects.filter(slug=slug, keywords="").update(keywords=keywords)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_archive_import")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
