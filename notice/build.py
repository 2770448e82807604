"""Build the notice site: load, check, plan every file, render what changed, write, report.

Nothing is written until everything has been loaded, checked and rendered, PDFs included, so a
failing build leaves the previous site as it was. The build is incremental: each output file has a
key (a hash of everything it is made from: its part of the content, the templates, static files,
catalogs and the generator's code), recorded in a manifest kept with the build's cache, outside the
output folder (which holds the site and nothing else). A file whose key is unchanged is neither
rendered nor written, and a file made again to the same bytes is not rewritten;
files that an earlier build wrote and this one does not plan (a removed register, a changed slug)
are deleted, and only those: the manifest is the list.

Work per content file is cached beside the manifest (`notice.buildcache`): a register whose bytes
and site.yaml's are unchanged is neither parsed, validated nor checked again. Content files enter
page keys by the hash of their bytes, so planning a large site costs little.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from notice import banner, cache_pruning, export, forked, theme
from notice.buildcache import (
    LEGACY_CACHE_DIR,
    BuildCache,
    CacheError,
    CheckPlan,
    cache_dir_for,
    cache_home,
)
from notice.checking import (
    FORK_AT_ITEMS,
    in_item_order,
    is_error,
    load,
    no_cyclic_gc,
    only_thread,
    severity_of,
)
from notice.i18n import TRANSLATIONS_DIR, translations
from notice.loader import Content
from notice.page_share import CheckShare, PageShare
from notice.paths import ROOT, STATIC_DIR, TEMPLATES_DIR
from notice.pdf import PdfJob, render_pdfs
from notice.render import (
    N_,
    NOT_FOUND_PATH,
    Renderer,
    absolute,
    alternates_of,
    asks_consent,
    cookie_settings_path,
    cookies_path,
    file_of,
    history_path,
    index_path,
    json_path,
    jsonld_path,
    not_found_path,
    pdf_path,
    register_path,
    site_root_path,
)
from notice.staging import Staging, write_file

MANIFEST = "manifest.json"
"""Name of the manifest in the build's cache folder: every file the build wrote and its key."""

LEGACY_MANIFEST = ".seloste-manifest.json"
"""Where earlier versions kept the manifest: inside the output folder; a build moves it."""

RENDERING_MODULES = (
    "banner",
    "build",
    "durations",
    "export",
    "fonts",
    "i18n",
    "loader",
    "markdown",
    "model",
    "pdf",
    "render",
    "theme",
)
"""Modules whose code shapes the output; a change to any of them rebuilds everything."""

PathOf = Callable[[str], str]
"""Gives the URL path of one page in a language."""


class BuildError(Exception):
    """The build was refused; nothing was written."""


class ChecksFailed(BuildError):
    """The checks found errors and `allow_errors` was not given."""

    def __init__(self, findings: list[Any]) -> None:
        self.findings = findings
        from notice.checks.report import counted

        super().__init__(f"{counted(len(findings), 'error')} found by the checks")


@dataclass(frozen=True)
class Output:
    """A file of the site: its path in the output folder, what it is made of, how to make it."""

    path: str
    inputs: Any
    produce: Callable[[], bytes]


@dataclass
class BuildReport:
    """What a build did."""

    out: Path
    written: list[str] = field(default_factory=list)
    """Files written: made again (see `rendered`) and their bytes differ from the old file's."""
    rendered: list[str] = field(default_factory=list)
    """Files made again because their key changed, whether or not their bytes did."""
    unchanged: int = 0
    """Files left as they were: their key was current, or they were made again to the same bytes."""
    removed: list[str] = field(default_factory=list)
    pdfs_rendered: int = 0
    pdfs_cached: int = 0
    seconds: float = 0.0
    findings: list[Any] = field(default_factory=list)
    """What the checks found (errors among them only when the build was told to allow them)."""
    registers: int = 0

    def line(self, lang: str = "en") -> str:
        """Summarise the build in one line, in `lang` (en, fi or sv)."""
        counts = (
            len(self.written),
            self.unchanged,
            self.pdfs_rendered,
            self.pdfs_cached,
            len(self.removed),
        )
        return f"{self.out}: " + _LINE.get(lang, _LINE["en"]).format(*counts, self.seconds)

    def findings_line(self, lang: str = "en") -> str:
        """Say what the checks found, by severity ("the checks found 1 error, 2 warnings and 1
        info; `notice check` lists them"), or "" when they found nothing; in `lang`."""
        from notice.checks.findings import listed
        from notice.checks.report import counted

        lang = lang if lang in _FOUND else "en"
        by_severity = Counter(severity_of(finding) for finding in self.findings)
        found = [
            counted(by_severity[s], s, lang) for s in ("error", "warning", "info") if by_severity[s]
        ]
        if not found:
            return ""
        return _FOUND[lang].format(listed(found, lang))


_LINE = {
    "en": "{} files written, {} unchanged, {} PDFs rendered, {} PDFs cached, "
    "{} stale files removed in {:.2f} s",
    "fi": "{} tiedostoa kirjoitettu, {} ennallaan, {} PDF-tiedostoa tehty, {} PDF-tiedostoa "
    "välimuistista, {} vanhentunutta tiedostoa poistettu; aikaa kului {:.2f} s",
    "sv": "{} filer skrivna, {} oförändrade, {} PDF-filer gjorda, {} PDF-filer ur cachen, "
    "{} inaktuella filer borttagna på {:.2f} s",
}
"""The build's summary line by language (`BuildReport.line`); the counts stand in figures."""

_FOUND = {
    "en": "the checks found {}; `notice check` lists them",
    "fi": "tarkistusten tulos: {}; `notice check --lang fi` luettelee ne",
    "sv": "kontrollerna hittade {}; `notice check --lang sv` listar dem",
}

REFUSED = {
    "en": "{} found by the checks; nothing was written. Fix them, or publish anyway with "
    "--allow-errors.",
    "fi": "Tarkistusten tulos: {}; mitään ei kirjoitettu. Korjaa virheet tai julkaise silti "
    "valitsimella --allow-errors.",
    "sv": "Kontrollerna hittade {}; ingenting har skrivits. Rätta felen, eller publicera ändå "
    "med --allow-errors.",
}
"""What `notice build` says after the errors that stopped it, by language."""


def build_site(
    content_dir: Path | str,
    out_dir: Path | str,
    *,
    pdf: bool = True,
    jobs: int | None = None,
    allow_errors: bool = False,
    cache_dir: Path | str | None = None,
) -> BuildReport:
    """Build `content_dir` into `out_dir` and return what was done.

    The build's cache and manifest go to `cache_dir` (default: `notice.buildcache.cache_dir_for`),
    never into `out_dir`. Raises ContentError for invalid content, ChecksFailed when the checks
    report errors (unless `allow_errors`), and BuildError for an unsafe output or cache folder.
    """
    with no_cyclic_gc():
        return _build_site(
            content_dir, out_dir, pdf=pdf, jobs=jobs, allow_errors=allow_errors, cache_dir=cache_dir
        )


def _build_site(
    content_dir: Path | str,
    out_dir: Path | str,
    *,
    pdf: bool,
    jobs: int | None,
    allow_errors: bool,
    cache_dir: Path | str | None,
) -> BuildReport:
    started = time.perf_counter()
    content_dir, out_dir = Path(content_dir), Path(out_dir)
    refuse_unsafe_output(content_dir, out_dir)
    cache_root = Path(cache_dir) if cache_dir is not None else cache_dir_for(out_dir)
    if cache_root.resolve().is_relative_to(out_dir.resolve()):
        raise BuildError(f"cache folder {cache_root} lies inside the output {out_dir}")

    try:
        cache = BuildCache(out_dir, cache_root)
    except CacheError as exc:
        raise BuildError(f"{exc} (or --cache-dir)") from None
    except OSError as exc:
        raise BuildError(
            f"cannot use {cache_root} for the build's cache ({exc.strerror or exc}); "
            "choose another folder with --cache-dir or SELOSTE_CACHE_DIR"
        ) from None
    content = load(content_dir, cache)
    try:
        renderer = Renderer(content.site, pdf=pdf, root=content.root)
        fingerprint = code_fingerprint()
        fingerprint_part = fingerprint.encode() + b"\0"
        outputs = plan_site(content, renderer)
        manifest = read_manifest(cache_root) or read_manifest(out_dir, LEGACY_MANIFEST)
        entries: dict[str, dict[str, str]] = {}
        stale: list[Output] = []
        unchanged = 0
        for output in outputs:
            key = _hash_bytes(fingerprint_part, output.path, _canonical(output.inputs))
            entries[output.path] = {"key": key}
            if _is_current(out_dir, manifest, output.path, key):
                unchanged += 1
            else:
                stale.append(output)
    except Exception:
        # The checks' errors come first, as when the checks ran before the planning.
        with start_checks(content, cache, jobs=1) as checking:
            _refuse_errors(checking.findings(), allow_errors)
        raise
    # The checks run beside the rendering (in a forked process when there is a core to spare),
    # which then renders pages from the back of the list while this process renders from the
    # front. Each process writes the pages it renders under a temporary name (`notice.staging`);
    # they are put in place once the findings are in, and errors still stop the build with
    # nothing written.
    staging = Staging(out_dir, [output.path for output in stale])
    try:
        staged, findings = _render_and_check(content, cache, staging, stale, jobs, allow_errors)
        report = BuildReport(out=out_dir, findings=findings, registers=len(content.registers))
        report.unchanged = unchanged
        pending: dict[str, bytes] = {}
        if pdf:
            jobs_by_path = plan_pdfs(content, renderer)
            to_render: dict[str, PdfJob] = {}
            for path, job in jobs_by_path.items():
                # Cached by content hash: the print HTML is everything the PDF is made of.
                key = _hash(fingerprint, path, job.html)
                entries[path] = {"key": key}
                if _is_current(out_dir, manifest, path, key):
                    report.pdfs_cached += 1
                else:
                    to_render[path] = job
            rendered = render_pdfs(list(to_render.values()), jobs or os.cpu_count() or 1)
            pending.update(zip(to_render, rendered, strict=True))
            report.pdfs_rendered = len(rendered)
    except BaseException:
        staging.discard()
        raise

    for path in sorted(staged.keys() | pending.keys()):
        report.rendered.append(path)
        # The PDFs, made once the findings allowed the build, are staged here on their way.
        written = staged[path] if path in staged else staging.stage(path, pending[path])
        if written:
            staging.commit(path)
            report.written.append(path)
        else:
            report.unchanged += 1
    report.removed = remove_stale(out_dir, manifest, entries)
    write_manifest(cache_root, entries)
    cache.flush()
    cache_pruning.prune(cache_home())
    remove_legacy_files(out_dir)
    report.seconds = time.perf_counter() - started
    return report


def _render_and_check(
    content: Content,
    cache: BuildCache,
    staging: Staging,
    stale: list[Output],
    jobs: int | None,
    allow_errors: bool,
) -> tuple[dict[str, bool], list[Any]]:
    """Stage the `stale` pages while the checks run (beside, when they can); return whether each
    page was staged (False: its file holds those bytes already) and the findings. Raises
    ChecksFailed for errors the build may not allow, before anything else that went wrong."""
    share = PageShare(stale, keep=staging.stage)
    with start_checks(content, cache, jobs=jobs, share=share) as checking:
        if not checking.forked:  # checked already: errors stop the build before any rendering
            _refuse_errors(checking.findings(), allow_errors)
        try:
            staged = share.render(from_front=True)
            checking.help()  # no page left: check what the checks' process has not yet taken
            staged.update(checking.pages())
        except Exception:
            # The checks' errors come first, as when the checks ran before the rendering.
            _refuse_errors(checking.findings(), allow_errors)
            raise
        finally:
            share.close()
        findings = checking.findings()
        if checking.forked:  # the checks' process wrote the new models (`start_checks`)
            cache.models.written_elsewhere()
    _refuse_errors(findings, allow_errors)
    return staged, findings


# --- refusals ------------------------------------------------------------------------------------


def refuse_unsafe_output(content_dir: Path, out_dir: Path) -> None:
    """Refuse an output folder that is, contains or lies in the sources or the repository."""
    out, content = out_dir.resolve(), content_dir.resolve()
    if out.exists() and not out.is_dir():
        raise BuildError(f"output {out_dir} exists and is not a folder")
    if content.is_relative_to(out) or out.is_relative_to(content):
        raise BuildError(
            f"output {out_dir} overlaps the content folder {content_dir}; choose another --out"
        )
    if ROOT.is_relative_to(out):
        raise BuildError(f"output {out_dir} contains the repository; choose another --out")
    for source in (TEMPLATES_DIR, STATIC_DIR, TRANSLATIONS_DIR, Path(__file__).parent):
        if out.is_relative_to(source.resolve()):
            raise BuildError(f"output {out_dir} lies inside the sources ({source})")


# --- the checks -------------------------------------------------------------------------------


def _refuse_errors(findings: list[Any], allow_errors: bool) -> None:
    errors = [finding for finding in findings if is_error(finding)]
    if errors and not allow_errors:
        raise ChecksFailed(errors)


class Checking:
    """The checks of loaded content, started by `start_checks`; `findings()` waits for them."""

    forked = False

    def __init__(self, plan: CheckPlan, found: list[list[Any]] | None = None) -> None:
        self._plan = plan
        self._found = found
        self._findings: list[Any] | None = None

    def findings(self) -> list[Any]:
        """Return every finding, in `run_checks`' order (waiting for the checks if they run)."""
        if self._findings is None:
            self._findings = self._plan.finish(self._collect())
        return self._findings

    def _collect(self) -> list[list[Any]]:
        if self._found is None:
            self._found = self._plan.run()
        return self._found

    def help(self) -> None:
        """Check what is left to check, once this process is done rendering (all was, here)."""

    def pages(self) -> dict[str, Any]:
        """Return the pages the checks' process rendered after its checks (none here)."""
        return {}

    def close(self) -> None:
        """Stop the checks if they still run (the build failed or was interrupted)."""

    def __enter__(self) -> Checking:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ForkedChecking(Checking):
    """Checks run by a forked child process while this one renders; findings come by a pipe."""

    forked = True

    def __init__(
        self,
        plan: CheckPlan,
        share: PageShare | None = None,
        first: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(plan)
        self._pages: dict[str, Any] = {}
        self._render_error: BaseException | None = None
        self._failure: BaseException | None = None
        self._mine: dict[int, Any] = {}
        # Items the build's process may help to check once its pages are rendered (`help`).
        self._share = None if plan.whole else CheckShare(plan.items, plan.run, plan.session)
        check = plan.run if self._share is None else self._share.check
        try:
            self._child = forked.Forked(partial(_outcome, check, share, first))
        except BaseException:
            self.close()
            raise

    def help(self) -> None:
        """Check here the items the child has not taken yet (this process is done rendering)."""
        if self._share is not None:
            self._mine = self._share.check()

    def _collect(self) -> list[list[Any]]:
        if self._found is not None:
            return self._found
        if self._failure is not None:  # asked again after the child failed (pages, findings)
            raise self._failure
        result = self._child.result()
        if result is None:  # nothing (or half) came: the child died
            code = self._child.exit_code or 0
            how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
            self._failure = BuildError(
                f"the checks' process {how} before sending its findings; nothing was written"
            )
            raise self._failure
        outcome, value, self._pages, self._render_error = result
        if outcome != "found":
            self._failure = value
            raise value
        if self._share is not None:  # the child's findings by item, and any checked here
            value = in_item_order(self._plan, {**value, **self._mine})
        self._found = value
        return value

    def pages(self) -> dict[str, Any]:
        """Return the pages the checks' process rendered after its checks (waiting for it);
        raise what stopped its rendering, as if it were this process's own."""
        self._collect()
        if self._render_error is not None:
            raise self._render_error
        return self._pages

    def close(self) -> None:
        """Kill and reap the child if its findings were not collected."""
        if hasattr(self, "_child"):
            self._child.close()
        if self._share is not None:
            self._share.close()
            self._share = None


def _outcome(
    check: Callable[[], Any],
    share: PageShare | None = None,
    first: Callable[[], None] | None = None,
) -> tuple[str, Any, dict[str, Any], BaseException | None]:
    """Do `first` (write the build cache's new models), check, then render pages from the back
    of `share` (in the child); return the findings (as `check` returns them) or the checks'
    error, the pages and the rendering's error."""
    if first is not None:
        try:
            first()
        except Exception:  # noqa: BLE001, S110 - a cache entry not written is made again next time
            pass
    try:
        found: tuple[str, Any] = ("found", check())
    except BaseException as exc:  # noqa: BLE001 - the parent raises it as if it were its own
        found = ("raised", _picklable(exc, "the checks failed"))
    pages: dict[str, Any] = {}
    render_error = None
    if share is not None and found[0] == "found":
        try:
            pages = share.render(from_front=False)
        except Exception as exc:  # noqa: BLE001 - raised in the parent, after the checks' errors
            render_error = _picklable(exc, "rendering a page failed")
    return (*found, pages, render_error)


def _picklable(exc: BaseException, what: str) -> BaseException:
    """Return `exc` if it survives pickling, else a RuntimeError carrying its traceback."""
    try:
        pickle.loads(pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - an exception that does not pickle: its traceback
        return RuntimeError(f"{what}:\n" + traceback.format_exc())
    return exc


def start_checks(
    content: Content,
    cache: BuildCache | None,
    *,
    jobs: int | None = None,
    today: dt.date | None = None,
    share: PageShare | None = None,
) -> Checking:
    """Start checking `content`: in a forked process when `jobs` (default: the cores) allows
    more than one, there is much to check (`FORK_AT_ITEMS`) and this process runs no other thread
    (a fork copies only the calling thread, and a lock another thread held would never be
    released in the child: `notice serve` rebuilds beside its server's threads); else here and now.

    Findings the build cache holds are not checked again (`buildcache.cached_checks`); without a
    cache everything is checked. With `share`, a forked process renders pages from its back
    once no item is left to check, and this one checks items (`Checking.help`) once no page is
    left to render (`notice.page_share`), and it writes the build cache's new models first
    (`ModelStore.write_pending`: the building process forgets them, `_render_and_check`). Use as
    a context manager, so that a build that fails before asking for the findings stops the child.
    """
    plan = CheckPlan(content, cache.findings if cache else None, today=today)
    workers = jobs or os.cpu_count() or 1
    much = plan.whole or len(plan.items) >= FORK_AT_ITEMS
    if workers > 1 and much and only_thread() and hasattr(os, "fork"):
        try:
            first = cache.models.write_pending if cache else None
            return ForkedChecking(plan, share, first)
        except OSError:  # no process to spare (EAGAIN, ENOMEM): check here instead
            pass
    return Checking(plan, plan.run())


# --- the site map --------------------------------------------------------------------------------


def plan_site(content: Content, renderer: Renderer) -> list[Output]:
    """List every file of the site except PDFs, each with its inputs and a way to render it."""
    site, registers, languages = content.site, content.registers, renderer.languages
    # A page's key names its sources by the hash of their files' bytes (the model is made from
    # them, by code the fingerprint covers), so planning needs no model_dump of every register.
    site_data = _source_key(content, "site", site)
    summaries = [export.register_summary(register) for register in registers]
    listing = {"site": site_data, "registers": summaries, "pdf": renderer.pdf}

    def page(template: str, lang: str, path_of: PathOf, inputs: Any, **context: Any) -> Output:
        """Plan the page at `path_of(lang)`; its other languages are at `path_of(other)`."""
        alternates = alternates_of(languages, path_of)
        return _page(renderer, template, lang, path_of(lang), alternates, inputs, **context)

    # Pages that list every register share one key of the listing: hashed once, not per page.
    listing_key = {"listing": "sha256:" + _hash(_canonical(listing))}

    chooser_alternates = {**alternates_of(languages, index_path), "x-default": ""}
    chooser = _chooser(languages)
    root = _page(renderer, "notice/root.html", languages[0], "", chooser_alternates, listing_key,
                 chooser=chooser)  # fmt: skip
    # What a web server answers an unknown address with: in the default language, every
    # language's home linked from the site's root path (it is served at any depth).
    not_found = _page(renderer, "notice/404.html", languages[0], NOT_FOUND_PATH,
                      {lang: index_path(lang) for lang in languages}, {"site": site_data},
                      chooser=chooser,
                      root_path=site_root_path(site.base_url))  # fmt: skip
    outputs = [root, not_found]
    # And one per language, which the server answers an unknown address under /<lang>/ with.
    outputs += [
        _page(
            renderer,
            "notice/404.html",
            lang,
            not_found_path(lang),
            {other: index_path(other) for other in languages},
            {"site": site_data},
            chooser=chooser,
            root_path=site_root_path(site.base_url),
        )
        for lang in languages
    ]
    for lang in languages:
        index = page("notice/index.html", lang, index_path, listing_key, registers=registers)
        outputs.append(index)
        outputs.append(page("notice/cookies.html", lang, cookies_path, {"site": site_data}))
        if asks_consent(site):  # else no banner, and no page of its settings that none links
            settings = partial(banner.page_context, site)  # the cookie banner at work
            outputs.append(page("notice/cookie-settings.html", lang, cookie_settings_path,
                                {"site": site_data}, context_of=settings))  # fmt: skip
    for register in registers:
        inputs = {"site": site_data, "register": _source_key(content, register.id, register)}
        notice_of: PathOf = partial(register_path, register)
        history_of: PathOf = partial(history_path, register)
        for lang in languages:
            notice_inputs = {**inputs, "pdf": renderer.pdf}
            # The context is made when the page is rendered: most builds render few pages.
            context_of = partial(renderer.register_context, register, lang)
            outputs.append(
                page("notice/register.html", lang, notice_of, notice_inputs, context_of=context_of)
            )
            outputs.append(page("notice/history.html", lang, history_of, inputs, register=register))
        # The site's analytics transfers are in it too (`website_transfers`): site.yaml is an input.
        export_json = partial(_encode, export.register_json, site, register)
        outputs.append(Output(json_path(register), inputs, export_json))
        export_jsonld = partial(_encode, export.register_jsonld, site, register)
        outputs.append(Output(jsonld_path(register), inputs, export_jsonld))
    index_json = partial(_encode, export.registers_index_json, site, registers, pdf=renderer.pdf)
    outputs += [
        Output("registers.json", listing_key, index_json),
        Output("sitemap.xml", listing_key, partial(_encode, _sitemap, content, renderer)),
        Output("consent.json", site_data, partial(_encode, export.consent_config_json, site)),
    ]
    banner_static = () if asks_consent(site) else banner.STATIC_FILES
    outputs.extend(output for output in _static_files() if output.path not in banner_static)
    outputs.extend(_icon_files())
    for path, data in theme.site_files(content.root, site).items():  # theme.css and the logo
        outputs.append(Output(path, hashlib.sha256(data).hexdigest(), partial(bytes, data)))
    try:  # the cookie banner: the vendored library and its configuration (notice.banner)
        banner_files = banner.site_files(site)
    except banner.LibraryMissing as exc:
        raise BuildError(str(exc)) from None
    for path, data in banner_files.items():
        outputs.append(Output(path, hashlib.sha256(data).hexdigest(), partial(bytes, data)))
    return outputs


def _source_key(content: Content, owner: str, model: Any) -> str:
    """Return what identifies a model's source: its file's hash, else a hash of the model."""
    digest = content.digests.get(owner)
    if digest:
        return f"sha256:{digest}"
    return "model:" + _hash(_canonical(model.model_dump(mode="json")))


def plan_pdfs(content: Content, renderer: Renderer) -> dict[str, PdfJob]:
    """Return the PDF of every register in every language, keyed by output path."""
    # Stylesheets and fonts resolve against the repository, so a PDF never depends on the output.
    base_url = ROOT.as_uri() + "/"
    jobs = {}
    for register in content.registers:
        for lang in renderer.languages:
            html = renderer.render(
                "notice/register.html",
                lang,
                register_path(register, lang),
                alternates_of(renderer.languages, partial(register_path, register)),
                variant="pdf",
                **renderer.register_context(register, lang),
            )
            owner = theme.register_owner_name(content.site, register, lang)
            title = f"{register.name[lang]} – {owner}"
            jobs[pdf_path(register, lang)] = PdfJob(html, base_url, title, lang)
    return jobs


def _page(
    renderer: Renderer,
    template: str,
    lang: str,
    url_path: str,
    alternates: dict[str, str],
    inputs: Any,
    context_of: Callable[[], dict[str, Any]] | None = None,
    **context: Any,
) -> Output:
    def produce() -> bytes:
        extra = context_of() if context_of is not None else {}
        return renderer.render(template, lang, url_path, alternates, **extra, **context).encode()

    return Output(file_of(url_path), {"template": template, "lang": lang, **inputs}, produce)


def _encode(make: Callable[..., str], *args: Any, **kwargs: Any) -> bytes:
    return make(*args, **kwargs).encode()


def _chooser(languages: list[str]) -> list[dict[str, str]]:
    return [
        {"lang": lang, "label": translations(lang).gettext(N_("Privacy notices"))}
        for lang in languages
    ]


def _sitemap(content: Content, renderer: Renderer) -> str:
    site, languages = content.site, renderer.languages

    def entries_for(path_of: Callable[[str], str], lastmod: Any = None) -> Iterator[dict]:
        alternates = {
            code: absolute(site.base_url, path)
            for code, path in alternates_of(languages, path_of).items()
        }
        for lang in languages:
            yield {"loc": alternates[lang], "lastmod": lastmod, "alternates": alternates}

    entries = [{"loc": absolute(site.base_url, ""), "lastmod": None, "alternates": {}}]
    entries.extend(entries_for(index_path))
    entries.extend(entries_for(cookies_path))
    for register in content.registers:
        changed = register.updated or register.prepared
        entries.extend(entries_for(partial(register_path, register), changed))
        entries.extend(entries_for(partial(history_path, register), changed))
    return renderer.env.get_template("notice/sitemap.xml").render(entries=entries)


def _static_files() -> list[Output]:
    outputs = []
    for source in sorted(STATIC_DIR.rglob("*")):
        if source.is_file():
            data = source.read_bytes()
            relative = source.relative_to(STATIC_DIR).as_posix()
            outputs.append(
                Output(f"static/{relative}", hashlib.sha256(data).hexdigest(), lambda d=data: d)
            )
    return outputs


ICON_FILES = ("favicon.ico", "favicon.svg")
"""The site's icon at its root, where browsers ask for `/favicon.ico` whatever a page links."""


def _icon_files() -> list[Output]:
    outputs = []
    for name in ICON_FILES:
        data = (STATIC_DIR / name).read_bytes()
        outputs.append(Output(name, hashlib.sha256(data).hexdigest(), partial(bytes, data)))
    return outputs


# --- keys, manifest, writing ---------------------------------------------------------------------


def code_fingerprint() -> str:
    """Hash what every output depends on besides content: code, templates, static, catalogs."""
    digest = hashlib.sha256(importlib.metadata.version("seloste").encode())
    package = Path(__file__).parent
    # Only what shapes the notice's pages and PDFs: other parts of the repository (the portal's
    # styles, the checker) may change without forcing a rebuild. Static copies have their own keys.
    sources = [
        *(package / f"{name}.py" for name in RENDERING_MODULES),
        *sorted(TEMPLATES_DIR.glob("notice/**/*")),
        *sorted(STATIC_DIR.glob("css/notice.css")),
        *sorted(STATIC_DIR.glob("css/print.css")),
        *sorted(STATIC_DIR.glob("css/list-markers.css")),
        *sorted(STATIC_DIR.glob("fonts/*")),
        *sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po")),
    ]
    for path in sources:
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


_PLAIN = (str, bool, int)


def _canonical(value: Any) -> str:
    """Return one string for `value`: the same for equal inputs, different for different ones."""
    # Most inputs are flat mappings of text (hashes, names): their sorted repr is canonical and
    # cheaper than JSON. The tags keep the three spellings apart.
    if isinstance(value, str):
        return "s:" + value
    if isinstance(value, dict) and all(
        isinstance(key, str) and type(item) in _PLAIN for key, item in value.items()
    ):
        return "d:" + repr(sorted(value.items()))
    return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _hash_bytes(prefix: bytes, *parts: str) -> str:
    digest = hashlib.sha256(prefix)
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _is_current(out_dir: Path, manifest: dict[str, Any], path: str, key: str) -> bool:
    entry = manifest.get(path)
    return (
        isinstance(entry, dict)
        and entry.get("key") == key
        and os.path.isfile(os.path.join(out_dir, path))
    )


def read_manifest(folder: Path, name: str = MANIFEST) -> dict[str, Any]:
    """Return the files an earlier build recorded (path → entry), or nothing."""
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def write_manifest(folder: Path, entries: dict[str, dict[str, str]]) -> None:
    """Record the files this build is responsible for (untouched when nothing changed)."""
    # Compact (C-encoded) JSON: a large site's manifest lists thousands of files on every build.
    payload = {"format": 1, "files": entries}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    data = data.encode()
    path = folder / MANIFEST
    if not path.is_file() or path.read_bytes() != data:
        _write(path, data)


def remove_legacy_files(out_dir: Path) -> None:
    """Delete the manifest and cache that earlier versions left in the (published) output."""
    (out_dir / LEGACY_MANIFEST).unlink(missing_ok=True)
    legacy_cache = out_dir / LEGACY_CACHE_DIR
    if legacy_cache.is_dir() and not legacy_cache.is_symlink():
        shutil.rmtree(legacy_cache)


def remove_stale(out_dir: Path, manifest: dict[str, Any], entries: dict[str, Any]) -> list[str]:
    """Delete files the last build wrote that this one does not; return their paths."""
    removed = []
    root = out_dir.resolve()
    for path in sorted(set(manifest) - set(entries)):
        target = (out_dir / path).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            continue  # a manifest edited by hand must not make us delete outside the site
        target.unlink()
        removed.append(path)
        parent = target.parent
        while parent != root and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(os.fspath(path), data)


def _replace(name: str, data: bytes) -> None:
    """Write `data` beside `name` and rename it over `name`: a reader sees the old or the new."""
    tmp = name + ".tmp"
    write_file(tmp, data)
    os.replace(tmp, name)
