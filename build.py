#!/usr/bin/env python3
"""Build, preview or extend the site: `python build.py [build|serve|new] ...` (see README.md)."""

import sys

from carepages.cli import main

if __name__ == "__main__":
    sys.exit(main())
