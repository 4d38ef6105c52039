"""Demo data of the standard app: evidence for the evidence indicators (most verified), scorecards of every demo
project for the last four complete quarters and the year to date under jinan-2025, the rectification tasks that
follow from the last complete quarter, a few of them answered, and last year's project-manager evaluation.

Evidence rows are written with ``bulk_create`` and share one small PDF: the services audit each upload, which is
right for real use and too slow for a year of invented records. Skipped without error when jinan-2025 is missing
or invalid. The random generator is seeded from the data set, so the same seed and day give the same records.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from haofuwu.core import private_files
from haofuwu.demo.records import Dataset
from haofuwu.estates import selectors as estates
from haofuwu.standard import services
from haofuwu.standard.catalogue import Catalogue, CatalogueNotFound, catalogue_by_key, catalogue_for
from haofuwu.standard.choices import EvidenceStatus, RectificationStatus
from haofuwu.standard.models import Evidence, ManagerAssessment, Rectification
from haofuwu.standard.periods import Period, last_complete_quarters, year_to_date

CODE = "jinan-2025"
EVIDENCE_NAME = "工作记录.pdf"


def demo_pdf(text: str = "Work record - haofuwu demo data") -> bytes:
    """A one-page A4 PDF with a line of text, written by hand (objects, then a cross-reference table)."""
    stream = f"BT /F1 18 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = demo_pdf()


def _evidence_file() -> str:
    """The demo's evidence PDF, checked like an upload and saved under a server-made name; all demo evidence rows
    share it (they are written once, on a fresh load)."""
    accepted = private_files.accept_upload(
        ContentFile(PDF, name=EVIDENCE_NAME), kinds=private_files.PHOTO_OR_PDF, field="file", max_mb=1
    )
    stored = accepted.as_file()
    return default_storage.save(f"standard/evidence/demo/{stored.name}", stored)


def _periods(now: dt.datetime) -> list[tuple[Period, Catalogue]]:
    found = []
    for period in [*last_complete_quarters(now, 4), year_to_date(now)]:
        try:
            found.append((period, catalogue_for(CODE, period.first_day)))
        except CatalogueNotFound:
            continue
    return found


def _evidence(
    project_ids: list[int], periods: list[tuple[Period, Catalogue]], now: dt.datetime, rng: random.Random
) -> None:
    """Evidence for each evidence indicator and measurement window: diligent projects upload more."""
    name = _evidence_file()
    rows = []
    seen: set[tuple[int, str, dt.datetime]] = set()
    for project_id in project_ids:
        diligence = rng.uniform(0.55, 0.95)
        for period, catalogue in periods:
            for indicator in catalogue.indicators:
                if not indicator.reads_evidence or indicator.is_veto:
                    continue
                start, _end = period.window(indicator.period)
                key = (project_id, indicator.id, start)
                if key in seen:
                    continue
                seen.add(key)
                uploaded_at = min(start + dt.timedelta(days=rng.randint(3, 40)), now - dt.timedelta(days=1))
                if uploaded_at < start or rng.random() > diligence:
                    continue
                draw = rng.random()
                status = (
                    EvidenceStatus.VERIFIED
                    if draw < 0.85
                    else EvidenceStatus.PENDING
                    if draw < 0.95
                    else EvidenceStatus.REJECTED
                )
                rows.append(
                    Evidence(
                        project_id=project_id,
                        catalogue_code=catalogue.code,
                        indicator_id=indicator.id,
                        file=name,
                        original_name=EVIDENCE_NAME,
                        content_type="application/pdf",
                        size=len(PDF),
                        note="台账扫描件",
                        uploaded_at=uploaded_at,
                        status=status,
                        reviewed_at=None if status == EvidenceStatus.PENDING else uploaded_at + dt.timedelta(days=3),
                        reason="材料不完整" if status == EvidenceStatus.REJECTED else "",
                    )
                )
    Evidence.objects.bulk_create(rows, batch_size=1000)


def load(dataset: Dataset, *, now: dt.datetime) -> None:
    """Write this app's demo records for the freshly loaded registry and work orders."""
    if catalogue_by_key(CODE) is None:
        return
    periods = _periods(now)
    if not periods:
        return
    rng = random.Random(dataset.seed * 11 + 4)
    project_ids = sorted(estates.project_facts(None))
    _evidence(project_ids, periods, now, rng)
    last_complete = max((p for p, _c in periods if p.end <= now), default=None, key=lambda p: p.end)
    for period, catalogue in periods:
        services.scorecards_evaluate(
            project_ids=project_ids,
            period=period,
            catalogue=catalogue,
            now=now,
            open_rectifications=period == last_complete,
        )
    # Some tasks already answered by the company, one accepted by the regulator, so the loop has every state.
    tasks = list(
        Rectification.objects.filter(status=RectificationStatus.OPEN).order_by("project_id", "indicator_id")[:200]
    )
    for index, task in enumerate(rng.sample(tasks, min(len(tasks), 12))):
        task.status = RectificationStatus.CLOSED if index < 3 else RectificationStatus.RESPONDED
        task.response_note = "已补充台账并组织整改，附整改记录。"
        task.responded_at = now - dt.timedelta(days=2)
        if index < 3:
            task.review_reason = "整改到位"
            task.reviewed_at = task.closed_at = now - dt.timedelta(days=1)
        task.save()
    year = now.year - 1
    tenures = estates.manager_tenures(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    ManagerAssessment.objects.bulk_create(
        [
            ManagerAssessment(
                staff_id=staff_id, year=year, score=round(rng.uniform(70, 96), 1), note="年度考核", entered_at=now
            )
            for staff_id in sorted({t.staff_id for t in tenures})
        ],
        ignore_conflicts=True,
    )
    services.manager_evaluation_run(year=year, now=now)
