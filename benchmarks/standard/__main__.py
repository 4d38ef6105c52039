"""``python -m benchmarks.standard``: run B8 on SQLite and PostgreSQL and print the table."""

import sys

from benchmarks.standard.run import main

sys.exit(main())
