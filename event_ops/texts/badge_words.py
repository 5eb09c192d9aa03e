"""The few words a badge prints (badges/render.py): the short sector names on its coloured
bands and the headings of its list area. Moved out of the renderer so they are translated
with every other text (issue #19)."""

TEXTS: dict[str, tuple[str, str]] = {
    "label.badge.recommendations": ("Stands voor jou", "Stands for you"),
    "label.badge.schedule": ("Jouw gesprekken", "Your meetings"),
    "label.badge.placeholder": ("Deze lijst komt later", "This list comes later"),
    "label.badge.more": ("+{n} meer", "+{n} more"),
    "label.badge.sector.construction": ("Bouw", "Construction"),
    "label.badge.sector.care": ("Zorg", "Care"),
    "label.badge.sector.technology": ("Techniek", "Technology"),
    "label.badge.sector.hospitality": ("Horeca", "Hospitality"),
    "label.badge.sector.logistics": ("Logistiek", "Logistics"),
    "label.badge.sector.ict": ("ICT", "ICT"),
    "label.badge.sector.business": ("Zakelijk", "Business"),
}
