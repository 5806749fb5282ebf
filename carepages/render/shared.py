"""The site-wide values every page reads (menus, footer texts, the stylesheet's versioned URL), built once
per build as one explicit value. A page's job reads them from here, and its digest includes this value's."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..config import SiteConfig
from ..kinds import FILES, KINDS
from ..markdown import MarkdownEngine, RenderContext
from ..model.site import NavLink, Site
from ..routes import STATIC_PREFIX
from .digest import digest
from .headers import content_security_policy
from .views import LinkView, OrganisationView, SiteView


@dataclass(frozen=True)
class SharedView:
    title: str
    tagline: str
    language: str
    home_url: str
    nav: tuple[NavLink, ...]
    footer_links: tuple[NavLink, ...]
    organisation: OrganisationView
    intro_html: Markup
    emergency_html: Markup
    disclaimer_html: Markup
    stylesheet_url: str
    script_url: str
    favicon_url: str
    feed_url: str
    faq_url: str
    topics_url: str
    sources_url: str
    related_url: str
    content_security_policy: str
    emergency_number: str = ""  # dialled by the phone-size "when to get help" box
    glossary_url: str = ""  # '' when the site has no glossary

    def site_view(self, current_url: str) -> SiteView:
        """The `site` a template gets, with the link to the current page marked."""
        return SiteView(
            title=self.title, tagline=self.tagline, language=self.language, home_url=self.home_url,
            nav=tuple(LinkView(n.title, n.url, n.url == current_url) for n in self.nav),
            footer_links=tuple(LinkView(n.title, n.url, n.url == current_url) for n in self.footer_links),
            organisation=self.organisation, emergency_html=self.emergency_html,
            disclaimer_html=self.disclaimer_html, stylesheet_url=self.stylesheet_url, script_url=self.script_url,
            favicon_url=self.favicon_url, feed_url=self.feed_url, faq_url=self.faq_url, topics_url=self.topics_url,
            sources_url=self.sources_url, related_url=self.related_url, locale=self.language.replace("-", "_"),
            content_security_policy=self.content_security_policy,
            emergency_number=self.emergency_number, emergency_tel=tel_uri(self.emergency_number),
            glossary_url=self.glossary_url,
        )

    @property
    def digest(self) -> str:
        return digest(self)


def build_shared(site: Site, engine: MarkdownEngine) -> SharedView:
    config, router = site.config, site.router
    versions = {item.place.route: item.version for item in site.static}

    def text_html(name: str) -> Markup:
        text = site.texts.get(name)
        return Markup(engine.render(text.doc, RenderContext(links=text.links, router=router))) if text else Markup("")

    def static_url(rel: str, required: bool = True) -> str:
        route = STATIC_PREFIX + rel
        version = versions.get(route)
        if version is None and not required:
            return ""
        return router.url(route) + (f"?v={version}" if version else "")

    return SharedView(
        **_render_settings(config, text_html("contact")),
        home_url=router.url(KINDS["home"].route_for()), nav=site.nav, footer_links=site.footer_links,
        intro_html=text_html("intro"), emergency_html=text_html("emergency"),
        disclaimer_html=text_html("disclaimer"),
        stylesheet_url=static_url("css/site.css"), script_url=static_url("js/site.js"),
        favicon_url=static_url("favicon.svg", required=False),
        feed_url=router.url(FILES["feed"].route), faq_url=router.url(KINDS["faq"].route_for()),
        topics_url=router.url(KINDS["topics"].route_for()), sources_url=router.url(KINDS["sources"].route_for()),
        related_url=router.url(KINDS["related"].route_for()),
        content_security_policy=content_security_policy(meta=True),
        emergency_number=config.emergency_number,
        glossary_url=router.url(KINDS["glossary"].route_for()) if site.glossary else "",
    )


def with_settings(shared: SharedView, config: SiteConfig) -> SharedView:
    """`shared` with the settings only rendering reads (see `model_settings`) as `config` has them."""
    return dataclasses.replace(shared, **_render_settings(config, shared.organisation.contact_html))


def _render_settings(config: SiteConfig, contact_html: Markup) -> dict[str, Any]:
    org = config.organisation
    return {"title": config.title, "tagline": config.tagline, "language": config.language,
            "organisation": OrganisationView(org.name, org.url, org.phone, tel_uri(org.phone), org.email,
                                             org.address, contact_html)}


def tel_uri(phone: str) -> str:
    """A `tel:` link for a phone number as people write it: '+44 (0)20 7946 0000 ext. 12' -> 'tel:+442079460000'.
    The number is the digits before any word ('ext.', '(demonstration number)'); '' when there are none."""
    match = re.match(r"[\s\d+()./-]*", phone)
    written = match.group() if match else ""
    international = written.lstrip().startswith("+")
    if international:
        written = written.replace("(0)", "")  # the trunk prefix is not dialled after a country code
    digits = re.sub(r"\D", "", written)
    return ("tel:" + "+" * international + digits) if digits else ""
