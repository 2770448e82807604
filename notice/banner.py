"""The cookie banner: vanilla-cookieconsent v3, configured from the notice's own cookie list.

The build writes, under `consent/` in the site:

    cookieconsent.umd.js, cookieconsent.css, LICENSE.txt   the library, vendored from node_modules
    cookieconsent-config.js   `CookieConsent.run({...})` with options made from site.yaml
    gtag-config.js            the Google tag's `config` call (GA4 with a measurement id only)
    snippet.txt               what the site owner pastes into every page

The banner asks about exactly the categories the notice lists, shows the same cookie table,
clears the same cookies when consent is refused or withdrawn, and asks again when the cookie
notice changes (`revision`). Google Consent Mode v2 (basic) starts from `denied`
(`static/js/consent-mode.js`) and is updated from the banner's callbacks. Every file is a file:
pages that use the banner need no inline script, so a strict CSP holds. A site that asks no
consent (`notice.render.asks_consent`: every cookie strictly necessary, no analytics) gets the
snippet alone, saying so, and neither these files nor a cookie settings page.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup, escape

from notice.durations import DAY, SESSION, declared_seconds
from notice.i18n import translations
from notice.markdown import render_inline, render_markdown
from notice.model import Cookie, CookieCategory, Site
from notice.paths import ROOT
from notice.render import (
    COOKIE_CATEGORIES,
    N_,
    absolute,
    asks_consent,
    cookie_label,
    cookies_path,
    ga_cookie_name,
    uses_google_analytics,
)

LIBRARY = "vanilla-cookieconsent"
LIBRARY_DIR = ROOT / "node_modules" / LIBRARY
LIBRARY_FILES: dict[str, str] = {
    "consent/cookieconsent.umd.js": "dist/cookieconsent.umd.js",
    "consent/cookieconsent.css": "dist/cookieconsent.css",
    "consent/LICENSE.txt": "LICENSE",
}
"""Site path of each vendored file → its path inside the npm package."""

CONFIG_PATH = "consent/cookieconsent-config.js"
GTAG_CONFIG_PATH = "consent/gtag-config.js"
SNIPPET_PATH = "consent/snippet.txt"
CONSENT_MODE_PATH = "static/js/consent-mode.js"
THEME_PATH = "static/css/consent.css"
STATIC_FILES = frozenset(
    {
        CONSENT_MODE_PATH,
        THEME_PATH,
        "static/js/cookie-settings.js",
        "static/js/consent-example.js",
    }
)
"""The banner's files among `static/`: the settings page's and the snippet's, no other page's."""
NOTICES_DIR = "consent/notices"
"""Every revision's exact banner texts and cookie tables, one file per content hash."""
GPC_PATH = ".well-known/gpc.json"
GPC_SINCE = "2026-12-04"
"""`lastUpdate` of gpc.json: when the generated banner's handling of the signal last changed
(the file is a fact about this code, not about the content, so builds stay reproducible)."""
RECORD_ENDPOINT = "consent"
"""The portal's consent-record endpoint, relative to `portal_url`."""

DEFAULT_CONSENT_COOKIE = "cc_cookie"
"""The library's own cookie name, used when the notice declares no consent cookie."""
DEFAULT_CONSENT_DAYS = 182
"""The library's default lifetime of its cookie, used when the declared one cannot be read."""

GOOGLE_ANALYTICS = ("google-analytics", "Google Analytics")
"""Service key and label of Google Analytics; gated Google tags carry `data-service` = the key."""

CATEGORY_DESCRIPTIONS: dict[CookieCategory, str] = {
    CookieCategory.necessary: N_(
        "The website cannot work without these cookies, so they are always on."
    ),
    CookieCategory.preferences: N_("These cookies remember choices you make, such as language."),
    CookieCategory.analytics: N_(
        "These cookies help us count visits and see how the website is used."
    ),
    CookieCategory.marketing: N_("These cookies are used to show and measure advertising."),
}


class LibraryMissing(Exception):
    """The npm package the banner is served from is not installed."""


@dataclass(frozen=True)
class Pattern:
    """A cookie name that varies (`_ga_<container-id>`), matched by a JavaScript regex."""

    source: str


_PLACEHOLDER = re.compile(r"<[^<>]*>|\*")


def cookie_name(site: Site, cookie: Cookie) -> str:
    """Return the name people see: `_ga_<container-id>` made real from the measurement id."""
    measurement_id = site.analytics.measurement_id if site.analytics else None
    if measurement_id and _PLACEHOLDER.search(cookie.name) and cookie.name.startswith("_ga_"):
        return ga_cookie_name(measurement_id)
    return cookie.name


def name_matcher(name: str) -> str | Pattern:
    """Return the exact name, or a regex where the declared name has `<placeholder>` or `*`."""
    parts = _PLACEHOLDER.split(name)
    if len(parts) == 1:
        return name
    return Pattern("^" + ".+".join(re.escape(part) for part in parts) + "$")


def matches(declared: str, name: str) -> bool:
    """Whether a cookie or storage key called `name` is the declared cookie `declared`."""
    matcher = name_matcher(declared)
    if isinstance(matcher, Pattern):
        return re.fullmatch(matcher.source, name) is not None
    return matcher == name


def consent_cookie(site: Site) -> Cookie | None:
    """Return the declared necessary cookie that stores the consent, if the notice has one."""
    for cookie in site.cookies:
        if cookie.category == CookieCategory.necessary and (
            "consent" in cookie.name.casefold() or cookie.name == DEFAULT_CONSENT_COOKIE
        ):
            return cookie
    return None


def consent_cookie_name(site: Site) -> str:
    """Return the name of the cookie the banner keeps the visitor's choice in."""
    declared = consent_cookie(site)
    return declared.name if declared else DEFAULT_CONSENT_COOKIE


def revision(site: Site) -> int:
    """Return the banner's revision: it changes whenever the cookie notice does, so people are
    asked again (a hash of the declared cookies and the analytics service, never 0)."""
    declared = {
        "cookies": [_unchanged_by_21(cookie.model_dump(mode="json")) for cookie in site.cookies],
        "analytics": _unchanged_by_21(site.analytics.model_dump(mode="json"))
        if site.analytics
        else None,
    }
    digest = hashlib.sha256(json.dumps(declared, sort_keys=True).encode()).hexdigest()
    return int(digest[:7], 16) + 1


_ADDED_IN_21 = frozenset({"storage", "scc_module", "impact_assessment"})
"""Keys format 2.1 added to cookies and transfers: left out of the revision while not given, so
that upgrading the generator does not ask every visitor again."""


def _unchanged_by_21(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            key: _unchanged_by_21(value)
            for key, value in data.items()
            if not (key in _ADDED_IN_21 and value is None)
        }
    if isinstance(data, list):
        return [_unchanged_by_21(item) for item in data]
    return data


def categories_in_use(site: Site) -> list[CookieCategory]:
    """Return `necessary` and every category the notice lists a cookie in (analytics too where
    Google Analytics is declared), in the model's order."""
    used = {cookie.category for cookie in site.cookies} | {CookieCategory.necessary}
    if uses_google_analytics(site):
        used.add(CookieCategory.analytics)
    return [category for category in CookieCategory if category in used]


def _service(site: Site, cookie: Cookie) -> tuple[str, str]:
    """Return (key, label) of the service a cookie belongs to: its provider, or Google Analytics."""
    if uses_google_analytics(site) and cookie.name.startswith("_ga"):
        return GOOGLE_ANALYTICS
    key = re.sub(r"[^a-z0-9]+", "-", cookie.provider.casefold()).strip("-") or "service"
    return key, cookie.provider


def _clear(cookies: Iterable[Cookie]) -> list[dict[str, Any]]:
    return [{"name": name_matcher(cookie.name)} for cookie in cookies]


def google_analytics_names(site: Site) -> list[str | Pattern]:
    """Return the cookies GA4 sets, named by the notice's analytics section (`_ga`, `_ga_<id>`)."""
    if not uses_google_analytics(site):
        return []
    return ["_ga", name_matcher("_ga_<container-id>")]


def _with_google(site: Site, clear: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add GA4's cookies to a list of cookies to clear, unless they are declared already."""
    names = [item["name"] for item in clear]
    return clear + [{"name": name} for name in google_analytics_names(site) if name not in names]


def options(site: Site) -> dict[str, Any]:
    """Return the `CookieConsent.run` options (callbacks are added by the generated file)."""
    languages = [lang.value for lang in site.languages]
    categories: dict[str, Any] = {}
    for category in categories_in_use(site):
        cookies = [c for c in site.cookies if c.category == category]
        if category == CookieCategory.necessary:
            categories[category.value] = {"enabled": True, "readOnly": True}
            continue
        services: dict[str, Any] = {}
        for cookie in cookies:
            key, label = _service(site, cookie)
            service = services.setdefault(key, {"label": str(escape(label)), "cookies": []})
            service["cookies"].extend(_clear([cookie]))
        clear = _clear(cookies)
        if category == CookieCategory.analytics:
            clear = _with_google(site, clear)
            if GOOGLE_ANALYTICS[0] in services:
                google = services[GOOGLE_ANALYTICS[0]]
                google["cookies"] = _with_google(site, google["cookies"])
        categories[category.value] = {
            "enabled": False,
            "autoClear": {"cookies": clear},
            "services": services,
        }
    declared = consent_cookie(site)
    seconds = declared_seconds(declared.duration) if declared else None
    days = max(1, seconds // DAY) if seconds and seconds != SESSION else DEFAULT_CONSENT_DAYS
    return {
        "mode": "opt-in",
        "revision": revision(site),
        "autoClearCookies": True,
        "manageScriptTags": True,
        # Audits (`notice scan`, tests) drive automated browsers; they must see what people see.
        "hideFromBots": False,
        "cookie": {
            "name": consent_cookie_name(site),
            "expiresAfterDays": days,
            "sameSite": "Lax",
        },
        "guiOptions": {
            "consentModal": {
                "layout": "box",
                "position": "bottom right",
                "equalWeightButtons": True,
            },
            "preferencesModal": {"layout": "box", "equalWeightButtons": True},
        },
        "categories": categories,
        "language": {
            "default": languages[0],
            "autoDetect": "document",
            "translations": {lang: translation(site, lang) for lang in languages},
        },
    }


def translation(site: Site, lang: str) -> dict[str, Any]:
    """Return the banner's texts in `lang`: fixed ones from the catalog, the rest from site.yaml."""
    _ = translations(lang).gettext
    notice_url = absolute(site.base_url, cookies_path(lang))
    more = Markup('<a href="{}">{}</a>').format(notice_url, _("Read the cookie notice"))
    sections: list[dict[str, Any]] = []
    if site.cookie_intro:
        sections.append(
            {
                "title": _("Cookies on our website"),
                "description": _md(site.cookie_intro[lang], lang),
            }
        )
    for category in categories_in_use(site):
        cookies = [c for c in site.cookies if c.category == category]
        section: dict[str, Any] = {
            "title": _(COOKIE_CATEGORIES[category]),
            "description": _(CATEGORY_DESCRIPTIONS[category]),
            "linkedCategory": category.value,
        }
        if cookies:
            section["cookieTable"] = {
                "caption": _(COOKIE_CATEGORIES[category]),
                "headers": {
                    "name": _("Name"),
                    "provider": _("Provider"),
                    "purpose": _("Purpose"),
                    "duration": _("Duration"),
                },
                "body": [
                    {
                        "name": str(cookie_label(cookie_name(site, cookie), None, _)),
                        "provider": str(escape(cookie.provider)),
                        "purpose": str(render_inline(cookie.purpose[lang], lang)),
                        "duration": str(render_inline(cookie.duration[lang], lang)),
                    }
                    for cookie in cookies
                ],
            }
        sections.append(section)
    sections.append(
        {
            "title": _("More information"),
            "description": str(
                Markup("{} {}").format(
                    _("The privacy notice says who we are, what the cookies do and your rights."),
                    more,
                )
            ),
        }
    )
    return {
        "consentModal": {
            "title": _("Cookies on this website"),
            "description": _(
                "Necessary cookies keep the website working. Other cookies are set only if you "
                "accept them, and you can change your choice at any time in the cookie settings."
            )
            + " {{revisionMessage}}",
            "revisionMessage": _("Our cookie notice has changed since you last chose."),
            "acceptAllBtn": _("Accept all"),
            "acceptNecessaryBtn": _("Reject all"),
            "showPreferencesBtn": _("Choose cookies"),
            "footer": str(more),
        },
        "preferencesModal": {
            "title": _("Cookie settings"),
            "acceptAllBtn": _("Accept all"),
            "acceptNecessaryBtn": _("Reject all"),
            "savePreferencesBtn": _("Save my choices"),
            "closeIconLabel": _("Close"),
            "serviceCounterLabel": _("service|services"),  # singular|plural, split by the library
            "sections": sections,
        },
    }


def page_context(site: Site) -> dict[str, Any]:
    """Return what the cookie settings page shows besides the site: categories, Google or not."""
    endpoint = record_endpoint(site)
    return {
        "consent_categories": categories_in_use(site),
        "consent_google": uses_google_analytics(site),
        "consent_cookie": consent_cookie_name(site),
        "consent_connect": _origin(endpoint) if endpoint else None,
        "consent_receipt_base": endpoint + "/receipt/" if endpoint else None,
    }


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def record_endpoint(site: Site) -> str | None:
    """Return where the banner posts consent records: the portal's endpoint, or None."""
    if not site.portal_url:
        return None
    return site.portal_url.rstrip("/") + "/" + RECORD_ENDPOINT


def gpc_enabled(site: Site) -> bool:
    """Whether Global Privacy Control counts as a refusal (site.yaml `consent.gpc`, default on)."""
    return site.consent.gpc if site.consent else True


def refusal_days(site: Site) -> int:
    """Return how long a refusal is kept, so the visitor is not asked again (default 182 days)."""
    return site.consent.refusal_days if site.consent else 182


def notice_texts(site: Site) -> dict[str, Any]:
    """Return what the banner shows, exactly: its revision, categories, and every language's
    texts and cookie tables. Its hash names the revision's archive and goes into every record."""
    return {
        "kind": "seloste.consent.notice/1",
        "revision": revision(site),
        "controller": site.controller.name,
        "categories": [category.value for category in categories_in_use(site)],
        "services": {
            name: sorted(category.get("services", {}))
            for name, category in options_without_texts(site).items()
        },
        "translations": {lang.value: translation(site, lang.value) for lang in site.languages},
        "gpc": gpc_texts(site) if gpc_enabled(site) else None,
    }


def options_without_texts(site: Site) -> dict[str, Any]:
    """Return the banner's categories (with their services) as `CookieConsent.run` gets them."""
    categories: dict[str, Any] = options(site)["categories"]
    return categories


def canonical(value: Any) -> bytes:
    """Return the canonical JSON of `value` (sorted keys, no spaces, UTF-8): what is hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def notice_hash(site: Site) -> str:
    """Return the SHA-256 of the canonical JSON of `notice_texts`: the revision's content hash."""
    return hashlib.sha256(canonical(notice_texts(site))).hexdigest()


def gpc_texts(site: Site) -> dict[str, dict[str, str]]:
    """Return the note the settings show when the browser sends Global Privacy Control."""
    out = {}
    for lang in site.languages:
        _ = translations(lang.value).gettext
        out[lang.value] = {
            "title": _("Your browser asked us not to track you"),
            "description": _(
                "Your browser sends the Global Privacy Control signal, so we have refused "
                "analytics and marketing cookies for you. You can still choose otherwise here."
            ),
        }
    return out


def record_settings(site: Site) -> dict[str, Any]:
    """Return what the generated file needs to post consent records (see `_RUN`)."""
    digest = notice_hash(site)
    return {
        "endpoint": record_endpoint(site),
        "token": digest,
        "notice": digest,
        "revision": revision(site),
        "languages": [lang.value for lang in site.languages],
        "gpc": gpc_enabled(site),
        "gpcTexts": gpc_texts(site),
        "refusalDays": refusal_days(site),
    }


def gpc_json(today: str) -> str:
    """Return `/.well-known/gpc.json`: the site declares that it honours GPC."""
    return json.dumps({"gpc": True, "lastUpdate": today}) + "\n"


def _md(text: str, lang: str) -> str:
    return str(render_markdown(text, lang))


# --- the generated files -------------------------------------------------------------------------

_RUN = """\
  // Google Consent Mode v2 (basic): the default is `denied` (static/js/consent-mode.js, loaded
  // before any Google tag); the visitor's choice updates it on every page and every change.
  function updateGoogleConsent() {
    if (typeof window.gtag !== "function") { return; }
    function state(category) {
      return window.CookieConsent.acceptedCategory(category) ? "granted" : "denied";
    }
    window.gtag("consent", "update", {
      analytics_storage: state("analytics"),
      ad_storage: state("marketing"),
      ad_user_data: state("marketing"),
      ad_personalization: state("marketing"),
      functionality_storage: state("preferences"),
      personalization_storage: state("preferences")
    });
  }
  // Consent records: the first choice and every change go to the portal (notice revision,
  // content hash, categories, services, language, source). A refusal carries no identifier.
  var source = "banner";
  var gpc = record.gpc ? (window.navigator || {}).globalPrivacyControl === true : false;
  function language() {
    var lang = (document.documentElement.lang || "").slice(0, 2);
    return record.languages.indexOf(lang) !== -1 ? lang : record.languages[0];
  }
  function randomId() {  // a UUID v4; crypto.randomUUID needs a secure context
    if (typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    var hex = "";
    for (var i = 0; i !== 16; i++) { hex += (bytes[i] + 256).toString(16).slice(1); }
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-4" + hex.slice(13, 16) + "-" +
      "89ab".charAt(bytes[8] % 4) + hex.slice(17, 20) + "-" + hex.slice(20);
  }
  function postRecord(kind) {
    var cc = window.CookieConsent;
    var prefs = cc.getUserPreferences();
    var optional = prefs.acceptedCategories.filter(function (c) { return c !== "necessary"; });
    var data = cc.getCookie("data") || {};
    var identified = optional.length !== 0 || data.recorded === true;
    var body = {
      event_id: randomId(),
      consent_id: identified ? cc.getCookie("consentId") : null,
      kind: kind,
      source: source,
      revision: record.revision,
      notice: record.notice,
      token: record.token,
      lang: language(),
      accepted: prefs.acceptedCategories,
      refused: prefs.rejectedCategories,
      accepted_services: prefs.acceptedServices,
      refused_services: prefs.rejectedServices
    };
    source = "banner";
    if (identified ? data.recorded !== true : false) {
      cc.setCookieData({value: {recorded: true}, mode: "update"});
    }
    if (!record.endpoint || typeof window.fetch !== "function") { return; }
    window.fetch(record.endpoint, {
      method: "POST", mode: "cors", credentials: "omit", keepalive: true,
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)
    }).then(function (response) {
      window.dispatchEvent(new CustomEvent("seloste:consent-recorded", {detail: response.status}));
    }, function () {
      window.dispatchEvent(new CustomEvent("seloste:consent-recorded", {detail: 0}));
    });
  }
  var consentDays = options.cookie.expiresAfterDays;
  // A refusal is kept (and not asked again) for refusalDays; a consent for the cookie's life.
  options.cookie.expiresAfterDays = function (acceptType) {
    return acceptType === "necessary" ? record.refusalDays : consentDays;
  };
  options.onModalShow = function (event) {
    if (event.modalName === "preferencesModal") { source = "settings"; }
  };
  options.onModalHide = function (event) {
    if (event.modalName === "preferencesModal") { source = "banner"; }
  };
  if (gpc) {  // shown in the settings: why analytics and marketing are off
    Object.keys(options.language.translations).forEach(function (lang) {
      var note = record.gpcTexts[lang];
      if (note) { options.language.translations[lang].preferencesModal.sections.unshift(note); }
    });
  }
  options.onConsent = updateGoogleConsent;
  // The library calls onConsent too on a first choice: Google hears of it once.
  options.onFirstConsent = function () { postRecord("first"); };
  options.onChange = function () { updateGoogleConsent(); postRecord("change"); };
  var started = window.CookieConsent.run(options);
  if (gpc) {
    // Global Privacy Control: a refusal of every optional category, made once without asking.
    Promise.resolve(started).then(function () {
      if (!window.CookieConsent.validConsent()) {
        source = "gpc";
        window.CookieConsent.acceptCategory([]);
        window.CookieConsent.hide();
      }
    });
  }
"""


_JS_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
"""Characters written as escapes in generated JavaScript: `<`, `>` and `&` so no text can close a
`<script>` or open a comment where the file is inlined, U+2028/2029 so no older engine reads a line
break inside a string."""

_REGEX_SAFE = re.compile(r"[A-Za-z0-9_\-.^$*+?()\[\]|!#%',:;=@~`\"{} ]")
"""Characters a generated regex literal keeps as they are; any other is written `\\uXXXX`."""


def js_value(value: Any) -> str:
    """Write a JSON value as a JavaScript literal that is safe in any page (see `_JS_ESCAPES`)."""
    return json.dumps(value, ensure_ascii=False).translate(_JS_ESCAPES)


def js_regex(source: str) -> str:
    """Write a regex source as a JavaScript regex literal: `/`, line breaks and every character
    outside a plain set are escaped, so no name can end the literal or the script."""
    out = []
    for match in re.finditer(r"\\?.", source, flags=re.DOTALL):
        token = match.group(0)
        char = token[-1]
        if _REGEX_SAFE.fullmatch(char):
            out.append(token)
        else:  # an escaped or a literal unsafe character: its code units, as a literal match
            out.append("".join(f"\\u{unit:04x}" for unit in _utf16_units(char)))
    return "/" + "".join(out) + "/"


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def to_js(value: Any, indent: int = 2, level: int = 1) -> str:
    """Write `value` as a JavaScript literal: JSON, with `Pattern`s as regex literals."""
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(value, Pattern):
        return js_regex(value.source)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{js_value(str(k))}: {to_js(v, indent, level + 1)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{to_js(v, indent, level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return js_value(value)


def config_js(site: Site) -> str:
    """Return `cookieconsent-config.js`: `CookieConsent.run` with the options from site.yaml."""
    version = library_version()
    return (
        f"/* Cookie banner of {_comment(site.controller.name)}: {LIBRARY} {version} options "
        "generated by Seloste from site.yaml.\n"
        "   Load it after cookieconsent.umd.js; to change it, change site.yaml and rebuild. */\n"
        "(function () {\n"
        '  "use strict";\n'
        f"  var options = {to_js(options(site))};\n"
        f"  var record = {to_js(record_settings(site))};\n" + _RUN + "}());\n"
    )


def gtag_config_js(measurement_id: str) -> str:
    """Return the Google tag's start, run only after consent (gated by `data-category`)."""
    return (
        "/* Google tag set-up; the page loads this only after consent to analytics. */\n"
        "window.dataLayer = window.dataLayer || [];\n"
        "window.gtag = window.gtag || function () { window.dataLayer.push(arguments); };\n"
        'window.gtag("js", new Date());\n'
        f'window.gtag("config", {js_value(measurement_id)});\n'
    )


def snippet(site: Site) -> str:
    """Return the HTML a site owner pastes into every page to get the banner (no inline script).

    Every address and text is escaped for the attribute or element it is written into. A site
    whose every cookie is strictly necessary gets no banner to paste: it would ask a consent the
    site never needs, and store its own undeclared cookie to remember the answer."""
    if not asks_consent(site):
        return (
            "<!-- Seloste: every cookie in site.yaml is strictly necessary and there is no\n"
            "     analytics, so the website needs no cookie banner and nothing here is to be\n"
            "     pasted. Declare a cookie of another category (or analytics) and rebuild to\n"
            "     get the banner. -->\n"
        )
    base = site.base_url.rstrip("/") + "/"
    stylesheet = Markup('<link rel="stylesheet" href="{}">')
    script = Markup('<script src="{}"></script>')
    deferred = Markup('<script defer src="{}"></script>')
    lines = [
        f"<!-- Cookie banner generated by Seloste from site.yaml (revision {revision(site)}).",
        "     1. In <head> of every page, before any other script: -->",
        stylesheet.format(base + "consent/cookieconsent.css"),
        stylesheet.format(base + THEME_PATH),
    ]
    analytics = site.analytics
    if uses_google_analytics(site):
        lines.append(script.format(base + CONSENT_MODE_PATH))
        if analytics and analytics.measurement_id:
            tag = "https://www.googletagmanager.com/gtag/js?" + urlencode(
                {"id": analytics.measurement_id}
            )
            gated = Markup(
                '<script type="text/plain" data-category="analytics" data-service="{}" '
                'data-src="{}"></script>'
            )
            lines += [
                "<!-- The Google tag runs only after consent to analytics: -->",
                gated.format(GOOGLE_ANALYTICS[0], tag),
                gated.format(GOOGLE_ANALYTICS[0], base + GTAG_CONFIG_PATH),
            ]
        else:
            lines.append(
                "<!-- Set analytics.measurement_id in site.yaml to get the Google tag lines. -->"
            )
    lines += [
        "<!-- Gate any other script that sets cookies the same way, with its category:",
        '     <script type="text/plain" data-category="analytics" data-src="..."></script> -->',
        deferred.format(base + "consent/cookieconsent.umd.js"),
        deferred.format(base + CONFIG_PATH),
        "<!-- 2. In the footer of every page, the link the notice promises: -->",
    ]
    button = Markup('<button type="button" data-cc="show-preferencesModal" lang="{}">{}</button>')
    for lang in site.languages:
        label = translations(lang.value).gettext("Cookie settings")
        lines.append(button.format(lang.value, label))
    return "\n".join(lines) + "\n"


def library_version() -> str:
    """Return the vendored library's version, or raise LibraryMissing with what to run."""
    try:
        package = json.loads((LIBRARY_DIR / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise LibraryMissing(_missing()) from None
    return str(package.get("version", "?"))


def library_files() -> dict[str, bytes]:
    """Return the vendored library's files by site path, or raise LibraryMissing."""
    files = {}
    for target, source in LIBRARY_FILES.items():
        try:
            files[target] = (LIBRARY_DIR / source).read_bytes()
        except OSError:
            raise LibraryMissing(_missing()) from None
    return files


def site_files(site: Site) -> dict[str, bytes]:
    """Return every file of the banner by site path (the library, its configuration, snippet).

    A site that asks no consent (`asks_consent`) gets the snippet alone, which tells its owner that
    there is nothing to paste: no banner, no settings page that runs one, nothing that links them.
    """
    if not asks_consent(site):
        return {SNIPPET_PATH: snippet(site).encode()}
    files = library_files()
    files[CONFIG_PATH] = config_js(site).encode()
    files[SNIPPET_PATH] = snippet(site).encode()
    files[f"{NOTICES_DIR}/{notice_hash(site)}.json"] = canonical(notice_texts(site))
    if gpc_enabled(site):
        files[GPC_PATH] = gpc_json(GPC_SINCE).encode()
    if uses_google_analytics(site) and site.analytics and site.analytics.measurement_id:
        files[GTAG_CONFIG_PATH] = gtag_config_js(site.analytics.measurement_id).encode()
    return files


def _missing() -> str:
    return (
        f"the cookie banner library {LIBRARY} is not installed in {LIBRARY_DIR}; "
        "run `npm ci --omit=dev` (or `make setup-run`) in the repository"
    )


def _comment(text: str) -> str:
    """Write a text into a `/* */` comment: it can neither end the comment nor the script."""
    return text.replace("*/", "* /").translate(_JS_ESCAPES)
