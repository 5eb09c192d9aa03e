"""Names of the sectors (kinds of work) a visitor chooses on the sign-up form; moved here
from event_ops/taxonomy/service.py so they are translated with every other text."""

TEXTS: dict[str, tuple[str, str]] = {
    "field.sector.construction": ("Bouw en installatie", "Construction and installation"),
    "field.sector.care": ("Zorg en welzijn", "Care and welfare"),
    "field.sector.technology": ("Techniek en industrie", "Technology and industry"),
    "field.sector.hospitality": ("Horeca en toerisme", "Hospitality and tourism"),
    "field.sector.logistics": ("Logistiek en handel", "Logistics and trade"),
    "field.sector.ict": ("ICT", "ICT"),
    "field.sector.business": ("Zakelijke dienstverlening", "Business services"),
    "field.sector.general": ("Algemeen", "General"),
}
