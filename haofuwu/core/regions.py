"""Administrative divisions of Jinan (济南市), used by projects and regulators' district scopes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    """The districts and county-level units of Jinan, coded by their administrative division code (GB/T 2260)."""

    LIXIA = "370102", _("Lixia District")
    SHIZHONG = "370103", _("Shizhong District")
    HUAIYIN = "370104", _("Huaiyin District")
    TIANQIAO = "370105", _("Tianqiao District")
    LICHENG = "370112", _("Licheng District")
    CHANGQING = "370113", _("Changqing District")
    ZHANGQIU = "370114", _("Zhangqiu District")
    JIYANG = "370115", _("Jiyang District")
    LAIWU = "370116", _("Laiwu District")
    GANGCHENG = "370117", _("Gangcheng District")
    PINGYIN = "370124", _("Pingyin County")
    SHANGHE = "370126", _("Shanghe County")
    HIGH_TECH = "370171", _("High-tech Zone")
