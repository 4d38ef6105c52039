from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "haofuwu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every app's metrics.py registers its metrics; the standard engine finds them by name.
        from haofuwu.core import metrics

        metrics.autodiscover()
