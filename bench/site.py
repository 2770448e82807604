"""Benchmark the notice site build against MkDocs and against plainly writing the same bytes.

    .venv/bin/python -m bench.site [--sizes 10,100,500] [--runs 5] [--pdf-registers 10]

For each size it generates a content tree of that many registers (fi + en, the seed register's
text, each register made distinct) in a temporary folder and times:

  cold          `notice` build with --no-pdf into a folder never used before, no build cache
  load + check  what `notice check` does: load, validate and check the same content
  incremental   the same build again after one register file was edited: in the process that
                built before, as `notice serve --watch` rebuilds (judged), and as a new
                `notice build` (reported)
  emptied       the cold build into a folder whose site was just deleted (reported, not judged)
  mkdocs        MkDocs (default theme, no plugins) building the same texts as Markdown pages,
                into a folder never used before
  floor         writing the bytes our cold build wrote, file by file, into an empty folder

Every step but the floor and the serve-style rebuild runs once per run in a new Python process
that imports the code before its clock starts (`time_isolated`): nothing an earlier run left in
memory helps a later one.

and, for `--pdf-registers` registers, the build with PDFs with --jobs 1 and --jobs 2. Targets are
printed with a verdict and everything lands in bench/results/site.json (see bench/README.md).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import gc
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench._stats import (
    ROOT,
    TIMING_HEADERS,
    Check,
    Timing,
    format_seconds,
    ratio,
    table,
    time_runs,
    timing_row,
    write_results,
)

SEED_SITE = ROOT / "content" / "site.yaml"
SEED_REGISTER = ROOT / "content" / "registers" / "asiakasrekisteri.yaml"

# Register kinds a Finnish small business or association typically keeps; names and slugs vary so
# that no two pages are alike and the index lists realistic names.
KINDS: list[tuple[str, str, str, str]] = [
    ("Asiakasrekisteri", "Customer register", "asiakasrekisteri", "customer-register"),
    ("Markkinointirekisteri", "Marketing register", "markkinointirekisteri", "marketing-register"),
    ("Rekrytointirekisteri", "Recruitment register", "rekrytointirekisteri", "recruitment"),
    ("Henkilöstörekisteri", "Personnel register", "henkilostorekisteri", "personnel-register"),
    ("Kameravalvontarekisteri", "CCTV register", "kameravalvonta", "cctv-register"),
    ("Uutiskirjeen tilaajat", "Newsletter subscribers", "uutiskirje", "newsletter"),
    ("Tapahtumien osallistujat", "Event participants", "tapahtumat", "events"),
    ("Toimittajarekisteri", "Supplier register", "toimittajat", "suppliers"),
    ("Jäsenrekisteri", "Membership register", "jasenrekisteri", "membership-register"),
    ("Palautteet ja reklamaatiot", "Feedback and complaints", "palaute", "feedback"),
]
# The default content is also in Swedish: (name, slug) of each kind in Swedish.
KINDS_SV: list[tuple[str, str]] = [
    ("Kundregister", "kundregister"),
    ("Marknadsföringsregister", "marknadsforingsregister"),
    ("Rekryteringsregister", "rekrytering"),
    ("Personalregister", "personalregister"),
    ("Kameraövervakningsregister", "kameraovervakning"),
    ("Nyhetsbrevets prenumeranter", "nyhetsbrev"),
    ("Evenemangens deltagare", "evenemang"),
    ("Leverantörsregister", "leverantorer"),
    ("Medlemsregister", "medlemsregister"),
    ("Respons och reklamationer", "respons"),
]

BuildFn = Callable[..., Any]


# --- content --------------------------------------------------------------------------------


def load_yaml(path: Path) -> Any:
    """Read a YAML file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump_yaml(data: Any, path: Path) -> None:
    """Write `data` as YAML (UTF-8, keys in their given order)."""
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )


def make_register(seed: dict[str, Any], index: int) -> dict[str, Any]:
    """Return register number `index`: the seed's text under its own id, name, slug and summary."""
    name_fi, name_en, slug_fi, slug_en = KINDS[index % len(KINDS)]
    number = index + 1
    register = copy.deepcopy(seed)
    register["id"] = f"{slug_fi}-{number:03d}"
    register["slug"] = {"fi": f"{slug_fi}-{number:03d}", "en": f"{slug_en}-{number:03d}"}
    register["name"] = {"fi": f"{name_fi} {number}", "en": f"{name_en} {number}"}
    name_sv, slug_sv = KINDS_SV[index % len(KINDS_SV)]
    swedish = "sv" in seed["name"]
    if swedish:
        register["slug"]["sv"] = f"{slug_sv}-{number:03d}"
        register["name"]["sv"] = f"{name_sv} {number}"
    # Only the first register carries the website's cookie section, as on a real site.
    register["website"] = bool(seed.get("website")) and index == 0
    summary = register.get("summary") or {"fi": "", "en": ""}
    register["summary"] = {
        "fi": f"Rekisteri {number} ({name_fi.lower()}). {summary['fi']}".strip(),
        "en": f"Register {number} ({name_en.lower()}). {summary['en']}".strip(),
    }
    if swedish:
        register["summary"]["sv"] = f"Register {number} ({name_sv.lower()}). {summary['sv']}"
    return register


def write_content(root: Path, registers: int, *, distinct: bool = False) -> list[dict[str, Any]]:
    """Write site.yaml and `registers` register files under `root`; return the registers.

    With `distinct`, every text of every register is its own (`own_texts`)."""
    (root / "registers").mkdir(parents=True)
    shutil.copyfile(SEED_SITE, root / "site.yaml")
    seed = load_yaml(SEED_REGISTER)
    made = [make_register(seed, index) for index in range(registers)]
    if distinct:
        made = [own_texts(register, index + 1) for index, register in enumerate(made)]
    for register in made:
        dump_yaml(register, root / "registers" / f"{register['id']}.yaml")
    return made


OWN_SENTENCE = {"fi": "Rekisterin {n} tieto.", "sv": "Register {n}.", "en": "Register {n}."}


def own_texts(value: Any, number: int, key: str | None = None) -> Any:
    """Return `value` with a sentence naming register `number` ending each of its texts.

    The generated registers share the seed's texts, and whatever the build or the checks
    remember per text (Markdown, sentences, a rule's verdict) is then worked out once for all
    500. Real registers share some texts (a municipality's security paragraph) but mostly say
    their own: this variant is the other end, every text its own."""
    if isinstance(value, dict):
        return {
            name: item if key is None and name in SKIPPED_FIELDS else own_texts(item, number, name)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [own_texts(item, number, key) for item in value]
    if isinstance(value, str) and key in OWN_SENTENCE and len(value) > 20:
        return f"{value.rstrip()} {OWN_SENTENCE[key].format(n=number)}"
    return value


def edit_one_register(root: Path, register_id: str, run: int) -> None:
    """Change one paragraph of one register, as an editor fixing a sentence would."""
    path = root / "registers" / f"{register_id}.yaml"
    register = load_yaml(path)
    register["retention"] = {
        "fi": f"Tietoja säilytetään asiakassuhteen ajan ja {run + 2} vuotta sen päättymisestä.",
        "en": f"Data is kept for the customer relationship and {run + 2} years after it ends.",
    }
    if "sv" in register["name"]:
        register["retention"]["sv"] = (
            f"Uppgifterna bevaras under kundrelationen och {run + 2} år efter att den upphört."
        )
    dump_yaml(register, path)


# --- the same texts as MkDocs pages ---------------------------------------------------------


def localized(value: Any, lang: str) -> str | None:
    """Return the `lang` text of a localized mapping, or None when `value` is not one."""
    if isinstance(value, dict) and isinstance(value.get(lang), str):
        return value[lang]
    return None


def markdown_lines(value: Any, lang: str, depth: int = 0) -> list[str]:
    """Render a register field's texts in `lang` as Markdown lines, nested lists as bullets."""
    text = localized(value, lang)
    if text is not None:
        return [text, ""]
    if isinstance(value, list):
        lines: list[str] = []
        for item in value:
            item_lines = [line for line in markdown_lines(item, lang, depth + 1) if line]
            if item_lines:
                lines.append("- " + " ".join(item_lines))
        return [*lines, ""]
    if isinstance(value, dict):
        lines = []
        for key, sub in value.items():
            sub_lines = [line for line in markdown_lines(sub, lang, depth + 1) if line]
            if sub_lines:
                lines.append(f"**{key}**: " + " ".join(sub_lines))
                lines.append("")
        return lines
    if isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
        return [str(value), ""]
    return []


SKIPPED_FIELDS = {"id", "slug", "name", "website"}


def register_markdown(register: dict[str, Any], lang: str) -> str:
    """Return one register's notice in `lang` as a Markdown page."""
    lines = [f"# {register['name'][lang]}", ""]
    for key, value in register.items():
        if key in SKIPPED_FIELDS:
            continue
        body = markdown_lines(value, lang)
        if body:
            lines += [f"## {key.replace('_', ' ').capitalize()}", "", *body]
    return "\n".join(lines)


def write_mkdocs_project(root: Path, registers: list[dict[str, Any]], languages: list[str]) -> Path:
    """Write mkdocs.yml and docs/ with an index and one page per register and language."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    links = [f"- [{lang}]({lang}/index.md)" for lang in languages]
    (docs / "index.md").write_text("# Tietosuoja / Privacy\n\n" + "\n".join(links) + "\n")
    for lang in languages:
        (docs / lang).mkdir()
        items = [
            f"- [{r['name'][lang]}]({r['slug'][lang]}.md)" for r in registers
        ]  # the register list, as our language index has
        (docs / lang / "index.md").write_text(f"# {lang}\n\n" + "\n".join(items) + "\n")
        for register in registers:
            page = docs / lang / f"{register['slug'][lang]}.md"
            page.write_text(register_markdown(register, lang), encoding="utf-8")
    config = {
        "site_name": "Tietosuoja",
        "docs_dir": str(docs),
        "site_dir": str(root / "site"),
        "theme": {"name": "mkdocs"},
        # No search index (a plugin that is on by default) and nothing that could reach a network.
        "plugins": [],
        "use_directory_urls": True,
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def mkdocs_build(config_file: Path, site_dir: Path | None = None) -> None:
    """Build the MkDocs project through its Python API, as `mkdocs build` does (`--site-dir`)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides = {"site_dir": str(site_dir)} if site_dir is not None else {}
    build(load_config(config_file=str(config_file), **overrides))


# --- the floor ------------------------------------------------------------------------------


def read_tree(root: Path) -> dict[Path, bytes]:
    """Return every file under `root` as relative path -> bytes."""
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write_tree(files: dict[Path, bytes], root: Path) -> None:
    """Write `files` under `root`, creating folders as needed."""
    made: set[Path] = set()
    for relative, data in files.items():
        folder = (root / relative).parent
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        (root / relative).write_bytes(data)


# --- our build ------------------------------------------------------------------------------


def our_build() -> BuildFn:
    """Return the notice build entry point: `build(content_dir, out_dir, pdf=..., jobs=...)`."""
    from notice.build import build_site

    def run(content: Path, out: Path, *, pdf: bool, jobs: int | None = None) -> Any:
        # As `notice build` runs by default: jobs None is the cores (checks beside rendering).
        return build_site(content, out, pdf=pdf, jobs=jobs)

    return run


def checks_only(content: Path) -> int:
    """Load and check `content` as `notice check --no-cache` does; return the number of findings.

    Through `notice.checking.load_and_check` without a cache (a cold check: the cache `notice
    check` keeps is timed by the whole-command rows): the same loading (`allow_html`) and the
    same paused cyclic collector as `notice check` and the build, not a variant of them.
    """
    from notice.checking import load_and_check

    return len(load_and_check(content)[1])


# --- each timed build in a process of its own ---------------------------------------------


def isolated_step(step: str, args: list[str]) -> Callable[[], object]:
    """Return the step `step` of `args` to be timed in a new process (`time_isolated`)."""
    if step == "ours":
        build = our_build()
        return lambda: build(Path(args[0]), Path(args[1]), pdf=False)
    if step == "check":
        import notice.checks  # noqa: F401 - imported before the clock starts, as for MkDocs

        return lambda: checks_only(Path(args[0]))
    if step == "mkdocs":
        import mkdocs.commands.build  # noqa: F401
        import mkdocs.config  # noqa: F401

        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        return lambda: mkdocs_build(Path(args[0]), Path(args[1]))
    raise ValueError(f"unknown step {step!r}")


def run_isolated_step(step: str, args: list[str]) -> int:
    """In the new process: import, then time one run of `step`; print wall and CPU as JSON."""
    import json

    run = isolated_step(step, args)
    gc.collect()
    times = os.times()
    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    # A forked child whose result was taken is reaped later (`notice.forked.reap_ended`): its
    # CPU counts among the children's once it is waited for, after the clock stopped.
    forked = sys.modules.get("notice.forked")
    if forked is not None:
        forked.reap_ended(wait=True)
    after = os.times()
    cpu = sum(after[:4]) - sum(times[:4])  # user, system and the waited-for children's
    print(json.dumps({"wall": wall, "cpu": cpu}))
    return 0


def time_isolated(
    label: str,
    step: str,
    args: Callable[[int], list[str]],
    *,
    runs: int,
    prepare: Callable[[int], object] | None = None,
) -> Timing:
    """Time `step` `runs` times, each run in a new Python process that imported the code first.

    A run in the benchmark's own process would find what earlier runs left in it: the models
    `notice.buildcache` keeps in memory (for `notice serve`), warm per-text caches, compiled
    templates. A cold build is a new `notice build`. The interpreter's start and the imports are
    not timed (`bench.cli_startup` measures those), for MkDocs alike. What stays on disk between
    processes stays, as it does for a user: Python's `__pycache__`, and from the second run on
    the notice's compiled templates (`notice.template_cache`; the first run's max shows them).
    """
    return time_alternating([Isolated(label, step, args, prepare)], runs=runs)[0]


@dataclass(frozen=True)
class Isolated:
    """A step `time_alternating` times in new processes: its label, `--isolated` step name,
    arguments of the run, and what to do untimed before each run."""

    label: str
    step: str
    args: Callable[[int], list[str]]
    prepare: Callable[[int], object] | None = None


def time_alternating(steps: list[Isolated], *, runs: int) -> list[Timing]:
    """Time each of `steps` `runs` times in new processes (as `time_isolated`), taking turns:
    the first step's run 1, the second's run 1, ..., the first's run 2 ...

    A target stated as a ratio of two steps (load + check ÷ cold) compares runs made under the
    same conditions this way. This machine's speed drifts by a third over minutes (the same
    check took 1.43 s and 2.03 s ten minutes apart, the CPU time alike), and five runs of one
    step followed by five of the other put the drift into the ratio.
    """
    import json

    timings = [Timing(step.label) for step in steps]
    for index in range(runs):
        for step, timing in zip(steps, timings, strict=True):
            if step.prepare is not None:
                step.prepare(index)
            command = [sys.executable, "-m", "bench.site", "--isolated", step.step]
            command += step.args(index)
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{step.label}: {' '.join(command)} failed:\n{done.stderr}")
            measured = json.loads(done.stdout.strip().splitlines()[-1])
            timing.seconds.append(measured["wall"])
            timing.cpu_seconds.append(measured["cpu"])
    return timings


def time_command(
    label: str,
    args: Callable[[int], list[str]],
    *,
    runs: int,
    cache_home: Callable[[int], Path],
    prepare: Callable[[int], object] | None = None,
    ok: tuple[int, ...] = (0,),
) -> Timing:
    """Time the `notice` console script as a person runs it: the interpreter's start, the
    imports, the work and the process's end (reported beside the steps timed in-process).

    `cache_home(run)` is the run's SELOSTE_CACHE_DIR: a new folder for a cold run, the same one
    for a run that may use what an earlier one kept."""
    import resource

    notice = Path(sys.executable).with_name("notice")
    timing = Timing(label)
    for index in range(runs):
        if prepare is not None:
            prepare(index)
        command = [str(notice), *args(index)]
        env = {**os.environ, "SELOSTE_CACHE_DIR": str(cache_home(index))}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        timing.seconds.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        timing.cpu_seconds.append(
            after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        )
        if done.returncode not in ok:
            raise RuntimeError(f"{label}: {' '.join(command)} failed:\n{done.stderr}")
    return timing


# --- the benchmark --------------------------------------------------------------------------


def fresh(path: Path) -> Path:
    """Remove `path` and its build cache if they exist; return it (for a cold run)."""
    from notice.buildcache import cache_dir_for

    for folder in (path, cache_dir_for(path)):
        if folder.exists():
            shutil.rmtree(folder)
    return path


class NewFolders:
    """A folder never used before for each cold run: `work/<stem>-<n>`, deleted only at the end.

    On this machine's ext4 file system, creating files within a few minutes of deleting
    thousands costs 0.3-0.9 ms of kernel time per file instead of about 0.05 ms (the inode
    allocator steps over recently deleted inodes one by one), and the cost grows with every
    delete. Emptying one output folder before each run therefore timed the previous run's
    deletion more than the build: 1-3 s of a 4 s build, and rising from run to run. A cold run
    here writes where nothing was ever deleted, as a first build does, for our build, MkDocs and
    the floor alike; nothing is deleted until the last run of the benchmark. The cost of building
    into a just-emptied folder is still measured, as its own step (`emptied`).
    """

    def __init__(self, work: Path, stem: str) -> None:
        self.work, self.stem, self.made = work, stem, 0

    def next(self) -> Path:
        """Return a new, unused folder path (and no build cache for it)."""
        self.made += 1
        return fresh(self.work / f"{self.stem}-{self.made}")

    @property
    def last(self) -> Path:
        return self.work / f"{self.stem}-{self.made}"


def bench_size(work: Path, size: int, runs: int, *, distinct: bool = False) -> dict[str, Any]:
    """Time cold, incremental, MkDocs and floor for `size` registers (`distinct`: own texts)."""
    tag = f"{size}-own" if distinct else str(size)
    size_label = f"{size} own-text" if distinct else str(size)
    content = work / f"content-{tag}"
    registers = write_content(content, size, distinct=distinct)
    languages = [str(lang) for lang in load_yaml(content / "site.yaml")["languages"]]
    outs = NewFolders(work, f"out-{tag}")

    # Loading and checking run on every build, cold or incremental: timed alone they show how
    # much of either is spent before rendering starts. Judged as a share of the cold build, the
    # two take turns (`time_alternating`).
    cold, check = time_alternating(
        [
            Isolated(
                f"cold html, {size_label} registers",
                "ours",
                lambda _: [str(content), str(outs.next())],
            ),
            Isolated(f"load + check only, {size_label}", "check", lambda _: [str(content)]),
        ],
        runs=runs,
    )
    out = outs.last
    pages = sorted(out.rglob("*.html"))
    files = read_tree(out)

    # Reported: the commands as a person at the terminal waits for them, start to end; cold,
    # each with a cache home never used before, and a check again after an edit of one register.
    homes = NewFolders(work, f"cache-home-{tag}")
    check_args = ["check", "--content", str(content), "--format", "json"]
    whole_check = time_command(
        f"notice check, the whole command, {size_label}",
        lambda _: check_args,
        runs=runs,
        cache_home=lambda _: homes.next(),
        ok=(0, 1),
    )
    whole_build = time_command(
        f"notice build --no-pdf, the whole command, {size_label}",
        lambda _: ["build", "--content", str(content), "--out", str(outs.next()), "--no-pdf"],
        runs=runs,
        cache_home=lambda _: homes.next(),
    )
    edited = registers[len(registers) // 2]["id"]
    check_home = homes.next()
    time_command(
        "a first check, untimed",
        lambda _: check_args,
        runs=1,
        cache_home=lambda _: check_home,
        ok=(0, 1),
    )
    whole_check_edit = time_command(
        f"notice check again, 1 of {size_label} edited, the whole command",
        lambda _: check_args,
        runs=runs,
        cache_home=lambda _: check_home,
        prepare=lambda run: edit_one_register(content, edited, 2 * runs + run),
        ok=(0, 1),
    )
    # The loop an editor waits on: `notice serve --watch` rebuilds in its one process after each
    # saved edit (judged). A new `notice build` after the edit also starts, imports and reads
    # every model back from the build cache (reported).
    serve_out = work / f"serve-{tag}"
    build = our_build()
    build(content, serve_out, pdf=False)  # the server's first build, untimed
    incremental = time_runs(
        f"incremental, 1 of {size_label} edited, as notice serve rebuilds",
        lambda: build(content, serve_out, pdf=False),
        runs=runs,
        prepare=lambda run: edit_one_register(content, edited, run),
        children=True,
    )
    incremental_cli = time_isolated(
        f"incremental, 1 of {size_label} edited, a new notice build",
        "ours",
        lambda _: [str(content), str(out)],
        runs=runs,
        prepare=lambda run: edit_one_register(content, edited, runs + run),
    )

    # Reported, not judged: the cold build into the folder the previous run was just deleted
    # from (see NewFolders), as `rm -rf site && notice build` does on this file system.
    emptied_out = work / f"emptied-{tag}"
    shutil.copytree(out, emptied_out)  # the first run, too, builds where a site was just deleted
    emptied = time_isolated(
        f"cold, into a just-emptied folder, {size_label}",
        "ours",
        lambda _: [str(content), str(fresh(emptied_out))],
        runs=runs,
    )

    mkdocs_root = work / f"mkdocs-{tag}"
    config_file = write_mkdocs_project(mkdocs_root, registers, languages)
    mkdocs_sites = NewFolders(mkdocs_root, "site")
    mkdocs = time_isolated(
        f"mkdocs, {size_label} registers",
        "mkdocs",
        lambda _: [str(config_file), str(mkdocs_sites.next())],
        runs=runs,
    )
    mkdocs_pages = len(list(mkdocs_sites.last.rglob("*.html")))

    floors = NewFolders(work, f"floor-{tag}")
    floor = time_runs(
        f"floor (write {len(files)} files)",
        lambda: write_tree(files, floors.last),
        runs=runs,
        prepare=lambda _: floors.next(),
    )
    return {
        "registers": size,
        "texts": "own" if distinct else "shared",
        "languages": languages,
        "html_pages": len(pages),
        "files_written": len(files),
        "bytes_written": sum(len(data) for data in files.values()),
        "mkdocs_html_pages": mkdocs_pages,
        "cold": cold,
        "load_check": check,
        "whole_check": whole_check,
        "whole_build": whole_build,
        "whole_check_edit": whole_check_edit,
        "incremental": incremental,
        "incremental_cli": incremental_cli,
        "emptied": emptied,
        "mkdocs": mkdocs,
        "floor": floor,
    }


def bench_pdf(build: BuildFn, work: Path, size: int, runs: int) -> dict[str, Any]:
    """Time a build with PDFs of `size` registers with one and with two worker processes."""
    content = work / f"content-pdf-{size}"
    write_content(content, size)
    out = work / f"out-pdf-{size}"
    timings = {}
    for jobs in (1, 2):
        timings[jobs] = time_runs(
            f"with pdf, {size} registers, --jobs {jobs}",
            lambda jobs=jobs: build(content, out, pdf=True, jobs=jobs),
            runs=runs,
            prepare=lambda _: fresh(out),
        )
    fresh(out)
    build(content, out, pdf=True, jobs=1)
    pdfs = len(list(out.rglob("*.pdf")))
    shutil.rmtree(out)
    shutil.rmtree(content)
    return {"registers": size, "pdfs": pdfs, "jobs1": timings[1], "jobs2": timings[2]}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables and write bench/results/site.json."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--isolated"]:  # one timed run, in a process of its own (time_isolated)
        return run_isolated_step(argv[1], argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,500", help="register counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per step")
    parser.add_argument(
        "--own-texts-sizes",
        default="500",
        help="register counts to measure again with every text its own (reported), or ''",
    )
    parser.add_argument(
        "--pdf-registers", type=int, default=10, help="registers for the PDF stage (0: skip)"
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    # MkDocs logs every build at INFO; the numbers are the output here.
    logging.getLogger("mkdocs").setLevel(logging.WARNING)

    build = our_build()
    with tempfile.TemporaryDirectory(prefix="seloste-bench-") as tmp:
        work = Path(tmp)
        # The builds' caches go with the rest of the benchmark's files, not into ~/.cache.
        os.environ["SELOSTE_CACHE_DIR"] = str(work / "cache")
        results = []
        for size in sizes:
            print(f"-- {size} registers ...", file=sys.stderr, flush=True)
            results.append(bench_size(work, size, args.runs))
        for size in [int(size) for size in args.own_texts_sizes.split(",") if size.strip()]:
            print(f"-- {size} registers, every text its own ...", file=sys.stderr, flush=True)
            results.append(bench_size(work, size, args.runs, distinct=True))
        pdf = None
        if args.pdf_registers:
            print(f"-- PDFs of {args.pdf_registers} registers ...", file=sys.stderr, flush=True)
            pdf = bench_pdf(build, work, args.pdf_registers, args.runs)

    report(results, pdf)
    checks = targets(results, pdf)
    print()
    print(table(["target", "measured", "wanted", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "site",
        {
            "runs": args.runs,
            "sizes": [_jsonable(result) for result in results],
            "pdf": _jsonable(pdf) if pdf else None,
            "targets": [check.as_dict() for check in checks],
        },
    )
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0


def report(results: list[dict[str, Any]], pdf: dict[str, Any] | None) -> None:
    """Print the timing table and the ratios of each size."""
    rows = []
    for result in results:
        cold = result["cold"]
        rows.append(timing_row(cold, "1.00", f"{result['html_pages']} pages"))
        rows.append(timing_row(result["load_check"], f"{ratio(result['load_check'], cold):.3f}"))
        whole_build = result["whole_build"]
        for whole in (result["whole_check"], whole_build):
            share = f"{ratio(whole, cold):.3f}"
            rows.append(timing_row(whole, share, "reported, not judged: start to end"))
        check_share = ratio(result["whole_check"], whole_build)
        rows.append(["  whole check ÷ whole build", "", "", "", "", f"{check_share:.3f}", ""])
        again = result["whole_check_edit"]
        rows.append(timing_row(again, f"{ratio(again, cold):.3f}", "reported: cache kept"))
        rows.append(timing_row(result["incremental"], f"{ratio(result['incremental'], cold):.3f}"))
        cli = result["incremental_cli"]
        rows.append(timing_row(cli, f"{ratio(cli, cold):.3f}", "reported, not judged"))
        emptied = result["emptied"]
        rows.append(timing_row(emptied, f"{ratio(emptied, cold):.3f}", "reported, not judged"))
        rows.append(timing_row(result["mkdocs"], f"{ratio(result['mkdocs'], cold):.2f}"))
        rows.append(timing_row(result["floor"], f"{ratio(result['floor'], cold):.3f}"))
    if pdf:
        rows.append(timing_row(pdf["jobs1"], "", f"{pdf['pdfs']} pdfs"))
        speedup = ratio(pdf["jobs1"], pdf["jobs2"])
        rows.append(timing_row(pdf["jobs2"], "", f"{speedup:.2f}x faster than --jobs 1"))
    print(table([*TIMING_HEADERS, "÷ cold", "note"], [_pad(row, 7) for row in rows]))
    print()
    print(
        "cpu (each run's process and its children, medians): "
        + "; ".join(
            f"{_size(result)}: cold {format_seconds(result['cold'].cpu_median)}, "
            f"load+check {format_seconds(result['load_check'].cpu_median)}, "
            f"incremental {format_seconds(result['incremental'].cpu_median)}, "
            f"mkdocs {format_seconds(result['mkdocs'].cpu_median)}"
            for result in results
        )
    )
    print()
    summary = [
        [
            _size(result),
            str(result["html_pages"]),
            format_seconds(result["cold"].median),
            f"{ratio(result['mkdocs'], result['cold']):.1f}x",
            f"{ratio(result['incremental'], result['cold']) * 100:.1f} %",
            f"{ratio(result['cold'], result['floor']):.1f}x",
            f"{result['mkdocs'].cpu_median / result['cold'].cpu_median:.1f}x",
        ]
        for result in results
    ]
    headers = ["registers", "pages", "cold", "mkdocs/ours", "incr/cold", "ours/floor", "cpu: m/o"]
    print(table(headers, summary))


def targets(results: list[dict[str, Any]], pdf: dict[str, Any] | None) -> list[Check]:
    """State the targets for the largest size measured and for the PDF stage."""
    shared = [result for result in results if result["texts"] == "shared"]
    largest = max(shared, key=lambda result: result["registers"])
    label = f"{largest['registers']}x{len(largest['languages'])}"
    checks = [
        Check(f"ours vs MkDocs, {label}", ratio(largest["mkdocs"], largest["cold"]), 8, "higher"),
        Check(
            f"load + check / cold, {label}",
            ratio(largest["load_check"], largest["cold"]),
            0.30,
            "lower",
            unit="%",
        ),
        Check(
            f"incremental / cold, {label}",
            ratio(largest["incremental"], largest["cold"]),
            0.05,
            "lower",
            unit="%",
        ),
    ]
    if pdf:
        checks.append(
            Check(
                f"pdf --jobs 2 vs --jobs 1, {pdf['registers']} registers",
                ratio(pdf["jobs1"], pdf["jobs2"]),
                1.7,
                "higher",
            )
        )
    return checks


def _size(result: dict[str, Any]) -> str:
    """Name a measured size: "500", or "500 (own texts)" for the variant with its own texts."""
    own = " (own texts)" if result.get("texts") == "own" else ""
    return f"{result['registers']}{own}"


def _pad(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Timing):
        return value.as_dict()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


if __name__ == "__main__":
    sys.exit(main())
