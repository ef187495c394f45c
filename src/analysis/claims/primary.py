"""Which pages are primary sources of a legal fact: the issuing bodies' own sites and the
recognised legal databases (:data:`PRIMARY_DOMAINS`), told by a URL's domain, never by what a row
says; and a source's title must name the site its URL is on (:func:`title_problem`)."""

from __future__ import annotations

#: The sites whose pages are primary sources: the issuing bodies' own sites (the United Nations:
#: un.org with its offices such as kz.one.un.org, its country team in Armenia un.am, its
#: publisher un-ilibrary.org and its regional commission unescwa.org; the UN agencies OHCHR, UNESCO,
#: UNICEF and ILO; the President, the Government, the Parliament and the ministries of Kazakhstan
#: and its electronic government portal egov.kz) and the recognised legal databases (adilet.zan.kz,
#: the Ministry of Justice's reference bank of legal acts; online.zakon.kz, the legal information
#: system «Юрист»). A page on any other site (a mirror, a news site, a document-sharing site, a
#: school or a non-governmental organisation) is secondary: it may corroborate, never verify.
PRIMARY_DOMAINS = ("un.org", "un.am", "un-ilibrary.org", "unescwa.org", "ohchr.org", "unesco.org", "unicef.org", "ilo.org",
                   "adilet.zan.kz", "gov.kz", "egov.kz", "akorda.kz", "primeminister.kz", "parlam.kz", "online.zakon.kz")


def domain(url: str) -> str:
    """The host of a URL, without ``www.``."""
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host.removeprefix("www.")


def source_kind(url: str) -> str:
    """``primary`` for a page of :data:`PRIMARY_DOMAINS` (a subdomain counts), else ``secondary``."""
    host = domain(url)
    return "primary" if any(host == d or host.endswith("." + d) for d in PRIMARY_DOMAINS) else "secondary"


def title_problem(title: str, url: str) -> str | None:
    """A title names its site in its last parentheses ('… (adilet.zan.kz)'): that site must be the
    URL's (a label saying 'UN Treaty Collection' on a GitHub page is refused)."""
    named = title.rsplit("(", 1)[-1].rstrip(")").split(",")[0].strip().lower() if title.endswith(")") else ""
    host = domain(url)
    if not named or "." not in named:
        return f"the title {title!r} does not name its site in parentheses at its end, e.g. '({host})'"
    named = named.removeprefix("www.")
    if not (host == named or host.endswith("." + named)):
        return f"the title names the site {named!r}, but the URL is on {host!r}"
    return None
