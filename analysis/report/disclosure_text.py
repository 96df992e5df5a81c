"""The article's methods paragraphs on disclosure control, with the numbers that follow from the rules.

``methods`` returns the Swedish text of the "Röjandeskydd" paragraphs in ``reports/index.qmd``: the
threshold gives "mellan 1 och 4" and "färre än fem", and the plan gives how many municipality figures the
client surveys show. Pure function.
"""

from __future__ import annotations

from analysis.presentation.formatting import sv_number

WORDS = {5: "fem"}


def shown_figures(plan) -> tuple[int, int]:
    """How many municipality × indicator figures of the client surveys the plan shows, of how many asked."""
    shown = sum(len(m) for survey in plan.indicators.values() for m in survey.values())
    asked = sum(1 for key, reason in plan.reasons.items() if key.split("|")[0].startswith("client")
                and key.split("|")[1] in {v for s in plan.indicators.values() for v in s} and reason != "absent")
    return shown, shown + asked


def methods(threshold: int, plan) -> str:
    """The paragraphs, for ``threshold`` (the smallest publishable count) and the build's ``plan``."""
    small, written = threshold - 1, WORDS.get(threshold, sv_number(threshold))
    shown, asked = shown_figures(plan)
    text = """**Röjandeskydd.** Hotmodellen (`docs/disclosure/threat-model.md`): den som granskar har allt projektet
publicerar – rapporten, anteckningsböckerna, varje kommuns rapport, affisch och bildspel, README och
dokumentationen – och alla offentliga källor det bygger på, framför allt Koladas värden och antal svarande
per kommun. Skyddat är varje antal mellan 1 och {small} i en kommun eller rollgrupp i en svarskategori, att alla i
en grupp svarat lika, och antal svarande som Kolada håller inne (färre än {threshold}). Det Kolada själv publicerar
är offentligt och räknas inte som projektets röjande, men projektet får inte lägga till något som gör en
skyddad uppgift säkrare än Kolada gör.

Byggsteget *bevisar* skyddet i stället för att lita på en regel: allt som publiceras (antal, andelar med
n, intervall som kan räknas baklänges, regionens siffror, kommunernas siffror) och allt offentligt blir
villkor över heltal, och för varje skyddad uppgift jämförs vad som går att härleda ur det offentliga ensamt
och ur det offentliga tillsammans med projektets publikationer (exakt: genom uppräkning av
heltalslösningarna där de är få, annars med heltalsprogrammering i HiGHS). Där
publikationerna skulle bevisa något nytt – ett antal mellan 1 och {small}, likadana svar, ett innehållet antal
svarande snävare än Kolada anger – döljs kommunens siffra, och byggsteget väljer de färsta ytterligare
siffror som måste döljas. Kommuner som Kolada inte redovisar ingår inte i regionens siffror, och ingen
sammanslagen rad publiceras, eftersom en summa minus Koladas värden för de andra ger den dolda kommunen.
Regionens siffror för brukarenkäterna gäller därför de kommuner vars egen siffra redovisas. Dolda siffror
står som "–" med sitt skäl. En sammanfattning för den som granskar utdata i en säker miljö (varje
publicerad tabell och cell med status och skäl) skrivs av bygget."""
    text = text.replace("{small}", str(small)).replace("{threshold}", written)
    return text + (f"\n\nI brukarenkäterna visas på så vis {shown} av {asked} kommunsiffror (kommun × indikator × år) "
                   "för de kommuner som deltog; resten står som \"–\" med skälet.")
