"""Settings of the benchmark server: the application's own, plus the two baseline routes and no debug."""

from haofuwu.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
