"""Demo surveys: a closed round about six months ago and an open round now, on the default questionnaire plus a
contact-channel question and a comment. Satisfaction varies by project and service line; the demo residents'
households have not answered the open round, so they can try it."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from haofuwu.demo.feedback.context import BATCH_SIZE, Context, Site
from haofuwu.feedback.choices import ContactMethod, ContactOutcome, QuestionKind, ResponseChannel, SurveyStatus
from haofuwu.feedback.models import Answer, ContactAttempt, Question, Survey, SurveyResponse
from haofuwu.feedback.services import default_questions, ip_digest

# How each project is doing (added to every answer's score) and how each line compares (research §4.2 lines).
PROJECT_QUALITY = [0.35, 0.1, -0.35, 0.2, 0.45, -0.15]
LINE_OFFSET = {
    "customer_service": 0.1,
    "repairs": -0.15,
    "security": 0.2,
    "cleaning": 0.0,
    "greening": 0.3,
    "facilities": -0.2,
    "fee_transparency": -0.45,
}
CHANNEL_QUESTION = "您通常通过什么方式联系物业？"
CHANNEL_OPTIONS = ["电话", "微信小程序", "到服务中心", "很少联系"]
COMMENTS = [
    "保安很负责，晚上巡逻很认真。",
    "希望物业费的收支能定期公示。",
    "电梯经常停运，维修不够及时。",
    "绿化比以前好多了，点赞。",
    "垃圾分类点夏天有异味，希望多清理几次。",
    "报修响应快，师傅态度好。",
    "地下车库灯光太暗，注意安全。",
    "客服电话有时打不通。",
    "小区外来人员进出管理要加强。",
    "希望增加儿童游乐设施。",
]


def _level(rng: random.Random, site: Site, line: str, lift: float) -> int:
    score = 3.9 + PROJECT_QUALITY[site.index % len(PROJECT_QUALITY)] + LINE_OFFSET.get(line, 0) + lift
    return max(1, min(5, round(score + rng.gauss(0, 0.85))))


def _title(opens: dt.date) -> str:
    return f"{opens.year}年{'上' if opens.month <= 6 else '下'}半年业主满意度调查"


def load_surveys(context: Context, rng: random.Random) -> None:
    tz = timezone.get_current_timezone()
    first_opens = context.today - dt.timedelta(days=190)
    rounds = [
        # (opens, closes, share of households answering, share contacted without an answer, lift)
        (first_opens, first_opens + dt.timedelta(days=30), (0.55, 0.8), 0.15, 0.0),
        (context.today - dt.timedelta(days=7), context.today + dt.timedelta(days=21), (0.18, 0.3), 0.05, 0.1),
    ]
    surveys: list[tuple[Site, Survey, tuple]] = []
    for site in context.sites:
        for spec in rounds:
            opens, closes = spec[0], spec[1]
            survey = Survey(
                project_id=site.project_id,
                title=_title(opens),
                opens_on=opens,
                closes_on=closes,
                status=SurveyStatus.PUBLISHED,
                created_by_id=site.manager_user_id,
                published_at=dt.datetime.combine(opens, dt.time(8), tz),
            )
            surveys.append((site, survey, spec))
    Survey.objects.bulk_create([survey for _, survey, _ in surveys], batch_size=BATCH_SIZE)
    questions: dict[int, list[Question]] = {}
    rows = []
    for _, survey, _ in surveys:
        items = default_questions()
        mine = [
            Question(survey=survey, position=i, kind=q.kind, service_line=q.service_line, text=q.text)
            for i, q in enumerate(items[:-1], 1)
        ]
        mine.append(
            Question(
                survey=survey,
                position=len(mine) + 1,
                kind=QuestionKind.SINGLE_CHOICE,
                text=CHANNEL_QUESTION,
                options=CHANNEL_OPTIONS,
                is_required=False,
            )
        )
        mine.append(
            Question(
                survey=survey,
                position=len(mine) + 1,
                kind=QuestionKind.FREE_TEXT,
                text=items[-1].text,
                is_required=False,
            )
        )
        questions[id(survey)] = mine
        rows.extend(mine)
    Question.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    responses: list[SurveyResponse] = []
    levels: list[tuple[SurveyResponse, list[tuple[Question, int | None, str]]]] = []
    contacts: list[ContactAttempt] = []
    for site, survey, (opens, closes, share_range, contact_share, lift) in surveys:
        candidates = [unit for unit in site.unit_ids if unit not in site.account_unit_ids]
        rng.shuffle(candidates)
        answering = candidates[: round(len(candidates) * rng.uniform(*share_range))]
        contacted = candidates[len(answering) : len(answering) + round(len(candidates) * contact_share)]
        last = min(closes, context.today)
        span = max((last - opens).days, 1)
        clerk = site.staff_user_id or site.manager_user_id
        burst_at = dt.datetime.combine(opens + dt.timedelta(days=2), dt.time(20, 5), tz)
        for number, unit_id in enumerate(answering):
            is_paper = clerk is not None and rng.random() < 0.2
            moment = dt.datetime.combine(
                opens + dt.timedelta(days=rng.randrange(span)), dt.time(rng.randint(8, 21), rng.randint(0, 59)), tz
            )
            device = f"{rng.getrandbits(64):016x}"
            ip = f"223.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            if site.index == 0 and opens < context.today - dt.timedelta(days=60) and number < 6:
                # One phone answering for six households within minutes: the results page flags it.
                moment, device, ip, is_paper = burst_at + dt.timedelta(minutes=number), "f" * 16, "223.90.1.8", False
            if moment > context.now:
                moment = context.now - dt.timedelta(minutes=rng.randint(5, 600))
            response = SurveyResponse(
                survey=survey,
                unit_id=unit_id,
                channel=ResponseChannel.PAPER if is_paper else ResponseChannel.ONLINE,
                entered_by_id=clerk if is_paper else None,
                submitted_at=moment,
                ip_digest="" if is_paper else ip_digest(ip),
                device_id="" if is_paper else device,
            )
            responses.append(response)
            answers: list[tuple[Question, int | None, str]] = []
            for question in questions[id(survey)]:
                if question.kind == QuestionKind.SATISFACTION:
                    answers.append((question, _level(rng, site, question.service_line, lift), ""))
                elif question.kind == QuestionKind.SINGLE_CHOICE and rng.random() < 0.8:
                    answers.append((question, None, rng.choices(CHANNEL_OPTIONS, weights=[4, 5, 2, 1])[0]))
                elif question.kind == QuestionKind.FREE_TEXT and rng.random() < 0.08:
                    answers.append((question, None, rng.choice(COMMENTS)))
            levels.append((response, answers))
        for unit_id in contacted:
            contacts.append(
                ContactAttempt(
                    survey=survey,
                    unit_id=unit_id,
                    staff_id=clerk,
                    method=rng.choice([ContactMethod.PHONE, ContactMethod.HOME_VISIT]),
                    outcome=rng.choice(list(ContactOutcome)),
                    attempted_at=dt.datetime.combine(opens + dt.timedelta(days=rng.randrange(span)), dt.time(15), tz),
                )
            )
    SurveyResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE)
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question=question,
                level=level,
                choices=[text] if question.kind == QuestionKind.SINGLE_CHOICE else [],
                text=text if question.kind == QuestionKind.FREE_TEXT else "",
            )
            for response, answers in levels
            for question, level, text in answers
        ],
        batch_size=BATCH_SIZE * 2,
    )
    ContactAttempt.objects.bulk_create(contacts, batch_size=BATCH_SIZE)
