#!/usr/bin/env python3
"""Build, preview or extend the site: `python build.py [build|serve|new] ...` (see README.md)."""

import sys

try:
    from carepages.cli import main
except ModuleNotFoundError as exc:  # run with a Python that lacks the packages (no venv): one line, no traceback
    if exc.name not in {"yaml", "jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "nh3"}:
        raise
    print("carepages's packages are not installed here: run `make build` once, "
          "or use `.venv/bin/python build.py ...`", file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
