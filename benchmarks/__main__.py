"""``python -m benchmarks``: run B7 and print the table."""

import sys

from benchmarks.run import main

sys.exit(main())
