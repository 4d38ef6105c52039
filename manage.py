#!/usr/bin/env python
"""Django's command-line utility; ``haofuwu`` (the console script) does the same."""

from haofuwu.cli import main

if __name__ == "__main__":
    main()
