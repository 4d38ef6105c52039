"""The application's URLs plus the in-run baselines ``/bench/hello`` and ``/bench/plain-list``."""

from django.urls import path

from benchmarks import baseline
from haofuwu.urls import urlpatterns as application_urlpatterns

urlpatterns = [
    path("bench/hello", baseline.hello),
    path("bench/plain-list", baseline.plain_list),
    *application_urlpatterns,
]
