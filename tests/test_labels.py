"""Badge labels for every printer format: Chromium prints each label page to PDF with the
page's own CSS page size; the PDF page must be exactly the format, and the QR code, rendered
at 203 dpi (a thermal label printer), must decode to the badge's token."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp

from badges.labels import FORMATS, qr_svg
from badges.render import qr_matrix
from badges.service import token_for
from event_ops.core.settings import get_settings
from event_ops.employers.service import add_employer
from event_ops.links import PURPOSE_BADGE, make_link_token
from event_ops.people.registration import RegistrationInput, register
from tests.browser import ARTIFACTS, chromium
from tests.helpers import open_event

THERMAL_DPI = 203
CARE_SKILLS = ["car-companionship", "car-domestic-help", "car-hygiene"]
MM_PER_PT = 25.4 / 72


def test_qr_modules_are_whole_printer_dots():
    token = "EO1." + "A" * 100
    for fmt in FORMATS.values():
        svg = qr_svg(token, fmt.qr_module_mm)
        modules = len(qr_matrix(token)) + 8
        size_mm = float(svg.split('width="')[1].split("mm")[0])
        dots = size_mm / 25.4 * THERMAL_DPI / modules
        assert abs(dots - round(dots)) < 1e-3 and round(dots) >= 3, fmt.code


@pytest.mark.browser
async def test_every_label_format_prints_at_its_size_and_its_qr_decodes(live_server, db):
    event = await open_event()
    await add_employer(event, name="Zorggroep Noorderlicht", stand_label="A1", sector="care")
    await add_employer(event, name="Thuiszorg Stad", stand_label="A2", sector="care")
    outcome = await register(event, RegistrationInput(
        name="Maria-Magdalena van den Heuvel-Oosterhuis", email="m@example.nl",
        consent_terms=True, consent_share_profile=True, sectors=["care"],
        competencies=CARE_SKILLS))
    settings = get_settings()
    token = await token_for(event.id, outcome.registration_id, 1, settings)
    link = make_link_token(settings.secret_key, PURPOSE_BADGE, outcome.registration_id, 1)
    ARTIFACTS.mkdir(exist_ok=True)
    async with chromium() as browser:
        page = await browser.new_page(base_url=live_server)
        for fmt in FORMATS.values():
            r = await page.goto(f"/badges/{link}/label/{fmt.code}")
            assert r is not None and r.status == 200, fmt.code
            assert await page.locator(".label-name").inner_text() == "Maria-Magdalena"
            # Competency highlights and recommended stands, as many as the format has room for.
            assert await page.locator(".label-list li").count() == (
                min(fmt.competencies, 3) + min(fmt.stands, 2)), fmt.code
            pdf = await page.pdf(prefer_css_page_size=True, print_background=True)
            (ARTIFACTS / f"label-{fmt.code}.pdf").write_bytes(pdf)
            doc = pdfium.PdfDocument(pdf)
            try:
                assert len(doc) == 1, f"{fmt.code}: the label must fit on one page"
                width_pt, height_pt = doc[0].get_size()
                assert abs(width_pt * MM_PER_PT - fmt.width_mm) < 0.5, fmt.code
                assert abs(height_pt * MM_PER_PT - fmt.height_mm) < 0.5, fmt.code
                image = doc[0].render(scale=THERMAL_DPI / 72).to_pil().convert("L")
            finally:
                doc.close()
            # A thermal printer prints black or nothing: threshold, as the printer would.
            image = image.point(lambda v: 255 if v > 128 else 0)
            image.save(ARTIFACTS / f"label-{fmt.code}-203dpi.png")
            found = [b.text for b in zxingcpp.read_barcodes(
                image, formats=zxingcpp.BarcodeFormat.QRCode)]
            assert found == [token], fmt.code
        r = await page.goto(f"/badges/{link}/label/letter")
        assert r is not None and r.status == 404
