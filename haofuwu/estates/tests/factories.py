"""factory-boy factories for the estates registry and accounts."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from haofuwu.accounts.models import User
from haofuwu.core.regions import District
from haofuwu.estates.models import Building, Company, Project, Resident, Staff, Unit
from haofuwu.estates.services import resident_fill_indexes

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(n: int) -> str:
    """A valid unified social credit code (GB 32100), its check character included."""
    from stdnum.cn import uscc

    body = "91370100" + "".join(_USCC_CHARS[(n * 7 + i * 3) % len(_USCC_CHARS)] for i in range(9))
    return body + uscc.calc_check_digit(body + "0")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password("correct horse battery")


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"测试物业服务有限公司{n}")
    credit_code = factory.Sequence(credit_code)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"测试小区{n}")
    district = District.LIXIA
    address = factory.Sequence(lambda n: f"济南市历下区测试路{n}号")
    household_count = 100


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"{n + 1}号楼")
    floors_above = 6


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    entrance = "1"
    floor = 1
    room = factory.Sequence(lambda n: f"{100 + n}")
    area = 89


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"居民{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    id_number = factory.Sequence(lambda n: f"37010219800101{n:04d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        resident = model_class(*args, **kwargs)
        resident_fill_indexes(resident)
        resident.save()
        return resident


class StaffFactory(DjangoModelFactory):
    class Meta:
        model = Staff

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"员工{n}")
    employee_no = factory.Sequence(lambda n: f"E{n:04d}")
    trade = "engineering"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
