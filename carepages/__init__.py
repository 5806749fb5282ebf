"""carepages: a static site generator for patient-education health sites.

    import carepages
    result = carepages.build("path/to/site", out="path/to/_site")

Errors a user can cause are `carepages.SiteError`s carrying the file, line and column.
"""

__version__ = "0.1.0"

from .errors import BuildFailed, ConfigError, ContentError, SiteError, TemplateError
from .pipeline import BuildResult, build, load_site

__all__ = ["BuildFailed", "BuildResult", "ConfigError", "ContentError", "SiteError", "TemplateError", "__version__",
           "build", "load_site"]
