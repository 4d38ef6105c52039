"""``haofuwu standard``: validate a catalogue, evaluate projects for a period, explain one indicator's score.

    haofuwu standard validate FILE
    haofuwu standard evaluate --project ID | --all --period 2026Q3 [--catalogue CODE]
    haofuwu standard explain --project ID --indicator P-12 --period 2026Q3 [--catalogue CODE]
    haofuwu standard managers --year 2025 [--weights '{"scorecard": 0.6, "assessment": 0.4}']

Bad input: exit code 2 and one line on stderr per problem.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from haofuwu.core.errors import ValidationFailed
from haofuwu.estates import selectors as estates
from haofuwu.standard import services
from haofuwu.standard.catalogue import CatalogueError, CatalogueNotFound, catalogue_for, load_catalogue
from haofuwu.standard.periods import PeriodError, parse_period
from haofuwu.standard.scoring import Status

BAD_ARGUMENTS = 2


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_ARGUMENTS)


class Command(BaseCommand):
    help = "The Good Service standard: validate a catalogue, evaluate projects, explain a score."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{validate,evaluate,explain,managers}")
        validate = actions.add_parser("validate", help="Check a catalogue file; one line per problem.")
        validate.add_argument("file")
        evaluate = actions.add_parser("evaluate", help="Evaluate projects for a period and store scorecards.")
        which = evaluate.add_mutually_exclusive_group(required=True)
        which.add_argument("--project", type=int, help="One project id.")
        which.add_argument("--all", action="store_true", help="Every project.")
        evaluate.add_argument("--period", required=True, help="2026, 2026Q3 or 2026-09.")
        evaluate.add_argument("--catalogue", default="", help="Catalogue code (default: the one in force).")
        explain = actions.add_parser("explain", help="Print one indicator's value, rule, share and records.")
        explain.add_argument("--project", type=int, required=True)
        explain.add_argument("--indicator", required=True)
        explain.add_argument("--period", required=True)
        explain.add_argument("--catalogue", default="")
        managers = actions.add_parser("managers", help="Run the annual project-manager evaluation of a year.")
        managers.add_argument("--year", type=int, required=True)
        managers.add_argument("--weights", default="", help="JSON object of weights (see docs/standard.md).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "validate":
            self._validate(options["file"])
            return
        if action == "managers":
            self._managers(options["year"], options["weights"])
            return
        try:
            period = parse_period(options["period"])
        except PeriodError as error:
            raise _fail(f"--period: {error}") from None
        try:
            catalogue = catalogue_for(options["catalogue"] or None, period.first_day)
        except CatalogueNotFound as error:
            raise _fail(f"--catalogue: {error}") from None
        project_id = options.get("project")
        if project_id is not None and estates.project_by_id(project_id) is None:
            raise _fail(f"--project: no project has id {project_id}")
        if action == "evaluate":
            self._evaluate(project_id, period, catalogue)
        else:
            self._explain(project_id, options["indicator"], period, catalogue)

    def _validate(self, file: str) -> None:
        try:
            catalogue = load_catalogue(file)
        except CatalogueError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            sys.exit(BAD_ARGUMENTS)
        self.stdout.write(
            f"{file}: {catalogue.key} is valid: {len(catalogue.indicators)} indicators, "
            f"in force from {catalogue.effective_from}"
            + (f" to {catalogue.effective_to}" if catalogue.effective_to else "")
        )

    def _managers(self, year: int, weights_text: str) -> None:
        if not 2000 <= year <= 2100:
            raise _fail(f"--year: {year} is outside 2000–2100")
        try:
            weights = json.loads(weights_text) if weights_text else None
        except ValueError:
            raise _fail("--weights: not a JSON object") from None
        if weights is not None and not isinstance(weights, dict):
            raise _fail("--weights: not a JSON object")
        try:
            run = services.manager_evaluation_run(year=year, weights=weights)
        except ValidationFailed as error:
            raise _fail(f"--weights: {error.message}") from None
        evaluations = sorted(run.evaluations.all(), key=lambda e: (e.company_id, e.rank_in_company or 10**6))
        for evaluation in evaluations:
            total = "—" if evaluation.total is None else f"{evaluation.total:.1f}"
            self.stdout.write(
                f"{evaluation.staff_name} (company {evaluation.company_id}): {total}, "
                f"rank {evaluation.rank_in_company or '—'} in the company, {evaluation.rank_in_district or '—'} in the district"
            )
        self.stdout.write(f"{len(evaluations)} manager(s) evaluated for {year} with weights {run.weights}")

    def _evaluate(self, project_id: int | None, period: Any, catalogue: Any) -> None:
        started = time.perf_counter()
        scorecards = services.scorecards_evaluate(
            project_ids=None if project_id is None else [project_id], period=period, catalogue=catalogue
        )
        seconds = time.perf_counter() - started
        for scorecard in scorecards[:20]:
            score = "—" if scorecard.score is None else f"{scorecard.score:.1f}"
            self.stdout.write(
                f"project {scorecard.project_id} {period.code} {catalogue.key}: score {score}, "
                f"{scorecard.stars} stars{', VETO' if scorecard.vetoed else ''}, "
                f"{scorecard.indicators_with_data}/{scorecard.indicators_applicable} indicators with data"
            )
        if len(scorecards) > 20:
            self.stdout.write(f"… and {len(scorecards) - 20} more")
        self.stdout.write(f"{len(scorecards)} scorecard(s) stored in {seconds:.2f} s")

    def _explain(self, project_id: int, indicator_id: str, period: Any, catalogue: Any) -> None:
        indicator = catalogue.indicator(indicator_id)
        if indicator is None:
            raise _fail(f"--indicator: {catalogue.key} has no indicator {indicator_id!r}")
        _facts, evaluations = services.compute(
            project_ids=[project_id], period=period, catalogue=catalogue, now=timezone.now()
        )
        row = next(row for row in evaluations[0].rows if row.indicator.id == indicator_id)
        write = self.stdout.write
        write(f"{indicator.id} {indicator.title.zh} / {indicator.title.en} ({catalogue.key}, {period.code})")
        write(f"  requirement: {indicator.requirement.zh}")
        write(f"  source: {indicator.source} [certainty {indicator.certainty}]")
        write(f"  kind: {indicator.kind}; metric: {indicator.metric or '—'} (provided by {indicator.provided_by})")
        write(f"  rule: {indicator.rule.describe()}; measured over a {indicator.period}")
        if row.value is not None or row.denominator:
            write(f"  value: {row.value} = {row.numerator} / {row.denominator}")
        else:
            write("  value: no data")
        share = "—" if row.outcome.share is None else f"{row.outcome.share:.2%}"
        write(f"  share: {share}; points {row.earned:g} of {row.possible:g} ({indicator.points:g} in the catalogue)")
        write(f"  status: {row.outcome.status}{' (grade capped)' if row.vetoed else ''}: {row.outcome.explanation}")
        for note in row.notes:
            write(f"  note: {note}")
        ids = ", ".join(str(pk) for pk in row.record_ids[:50]) or "none"
        more = f" … ({len(row.record_ids)} in all)" if len(row.record_ids) > 50 else ""
        write(f"  records ({row.record_type or '—'}): {ids}{more}")
        if row.outcome.status == Status.NOT_APPLICABLE:
            write(f"  applies to: {indicator.applies_to.as_dict()}")
        stored = services.current_scorecard(project_id=project_id, period=period.code, catalogue_code=catalogue.code)
        if stored is not None:
            same = "the same inputs" if stored.inputs_hash == evaluations[0].inputs_hash else "different inputs"
            write(f"  stored scorecard #{stored.pk} ({stored.computed_at:%Y-%m-%d %H:%M}): {same} as now")
