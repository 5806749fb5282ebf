"""carepages: a static site generator for patient-education health sites.

    import carepages
    result = carepages.build("path/to/site", out="path/to/_site")

Errors a user can cause are `carepages.SiteError`s carrying the file, line and column.
"""

__version__ = "0.1.0"

from typing import Any

from .errors import BuildFailed, ConfigError, ContentError, SiteError, TemplateError
from .result import BuildResult

__all__ = ["BuildFailed", "BuildResult", "ConfigError", "ContentError", "SiteError", "TemplateError", "__version__",
           "build", "load_site"]


def __getattr__(name: str) -> Any:
    # The build is imported when first used: the command line answers a build with nothing to do
    # (and --help) without loading the parser, the templates and the rest.
    if name in {"build", "load_site"}:
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module 'carepages' has no attribute '{name}'")
