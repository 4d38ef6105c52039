"""Pagination: the count is right whether or not the page told it, with one query fewer for a short page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haofuwu.core.api_types import PageIn, paginate


@pytest.fixture
def groups(db):
    Group.objects.bulk_create([Group(name=f"g{index:02d}") for index in range(23)])
    return Group.objects.order_by("name")


@pytest.mark.parametrize(
    ("page", "page_size", "items", "queries"),
    [
        (1, 50, 23, 1),  # one short page: the page is the count
        (1, 10, 10, 2),  # a full page: there may be more, so COUNT
        (2, 10, 10, 2),
        (3, 10, 3, 1),  # the short last page: offset + items
        (4, 10, 0, 2),  # past the end: COUNT says how many there are
        (1, 23, 23, 2),  # exactly full: COUNT
    ],
)
def test_the_count_is_exact_and_a_short_page_saves_the_count_query(groups, page, page_size, items, queries):
    with CaptureQueriesContext(connection) as captured:
        result = paginate(groups, PageIn(page=page, page_size=page_size))
    assert (len(result["items"]), result["count"]) == (items, 23)
    assert len(captured) == queries


def test_an_empty_list_counts_zero_in_one_query(db):
    with CaptureQueriesContext(connection) as captured:
        result = paginate(Group.objects.order_by("name"), PageIn(page=1, page_size=50))
    assert (result["items"], result["count"], len(captured)) == ([], 0, 1)
