"""Stage 0, the site's settings: `site.toml` read into a typed `SiteConfig`, every problem located."""

from .settings import (
    CONFIG_FILE,
    TOP_LEVEL,
    Link,
    Organisation,
    PageRef,
    RelatedConfig,
    SiteConfig,
    TopicSpec,
    load_config,
    model_settings,
)

__all__ = ["CONFIG_FILE", "TOP_LEVEL", "Link", "Organisation", "PageRef", "RelatedConfig", "SiteConfig", "TopicSpec",
           "load_config", "model_settings"]
