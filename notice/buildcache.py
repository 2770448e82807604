"""The build's cache of per-file work: validated registers and checker findings, by content hash.

It lives outside the output folder, which is what people publish: under `$SELOSTE_CACHE_DIR`, else
`$XDG_CACHE_HOME/seloste`, else `~/.cache/seloste`, one folder per output folder (named by a hash
of its absolute path), or wherever `--cache-dir` says; `notice check` keeps one per content
folder (`check_cache_dir`), so that a check after an edit checks only what changed. The manifest
of the files a build wrote (`notice.build`) sits there too, so the output holds the site and
nothing else. Every entry is stored under a key that hashes everything it was made from: the
file's path and bytes, the site file's bytes (its languages shape validation; a changed
`site.yaml` therefore invalidates everything), and a fingerprint of the code that made it
(`notice/model.py`, `notice/loader.py`, this module, Python's and pydantic's versions for
registers; also `notice/checks/` and its word lists for findings, and the date the checks treat as
today). An entry is only ever read back under the very key it was written with, and the key is
stored inside it and compared again; an entry that cannot be read (truncated, corrupt, from
another version of Python) is ignored and made anew. New entries are written only when the build
succeeds (`flush`), and entries this build did not use are then deleted, so the cache holds one
build's worth.

Entries are pickles, and a pickle runs code when it is read; so each file carries an HMAC-SHA256
of its bytes under a random key made on first use (`key`, mode 0600, in the cache folder), and is
unpickled only when that tag verifies: a file planted or altered by anyone who cannot read the key
is never unpickled.

Beside the output folders' caches, the cache home holds `templates/`: the notice's compiled
templates, shared by every build of this user (`notice.template_cache`). What no build used for a
month is deleted (`notice.cache_pruning`).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pydantic

from notice.cache_pruning import mark_used
from notice.loader import Content, SourceFile
from notice.model import Register

LEGACY_CACHE_DIR = ".seloste-cache"
"""Where earlier versions kept the cache: inside the output folder; a build removes it."""

CACHE_ENV = "SELOSTE_CACHE_DIR"
"""Environment variable naming the folder that holds the caches of every output folder."""

KEY_FILE = "key"
_TAG_SIZE = hashlib.sha256().digest_size


def cache_home() -> Path:
    """Return the folder that holds every output folder's cache (see the module's docstring)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "seloste"


def cache_dir_for(out_dir: Path, home: Path | None = None) -> Path:
    """Return the cache folder of the output folder `out_dir`."""
    return _cache_folder(str(out_dir.resolve()), home)


def check_cache_dir(content_dir: Path, home: Path | None = None) -> Path:
    """Return the cache folder of `notice check` on the content folder `content_dir`."""
    return _cache_folder(f"check\0{content_dir.resolve()}", home)


def _cache_folder(owner: str, home: Path | None) -> Path:
    # 32 hexadecimal digits of a hash: the names `notice.cache_pruning` may delete.
    return (home or cache_home()) / hashlib.sha256(owner.encode()).hexdigest()[:32]


def trust_problem(path: Path, stat: os.stat_result) -> str | None:
    """Return why a cache folder or key file is not safe to trust, or None when it is."""
    if stat.st_uid != os.getuid():
        return f"{path} belongs to another user (uid {stat.st_uid})"
    if stat.st_mode & 0o022:
        return f"{path} can be written by others (mode {stat.st_mode & 0o777:o})"
    return None


class CacheError(RuntimeError):
    """The cache folder cannot be trusted; the message says why and what to do."""


def _load_key(folder: Path) -> bytes:
    """Return the cache's HMAC key, making a random one (readable by this user only) if none.

    A key is trusted only in a folder and a file of this user that nobody else can write: a key
    planted in a shared cache folder would let its planter sign entries that are then unpickled.
    A key file readable by others is replaced (entries signed with it become unreadable).
    """
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    problem = trust_problem(folder, folder.stat())
    if problem is not None:
        raise CacheError(
            f"build cache not used: {problem}; set SELOSTE_CACHE_DIR to a folder of yours"
        )
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        stat = path.lstat()
        problem = trust_problem(path, stat)
        if problem is not None:
            raise CacheError(f"build cache not used: {problem}") from None
        key = path.read_bytes()
        if len(key) >= 32 and not stat.st_mode & 0o077 and path.is_file() and not path.is_symlink():
            return key
        path.unlink()  # damaged or readable by others: entries signed with it are unreadable
        return _load_key(folder)
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _sign(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest() + data


def _verified(key: bytes, signed: bytes) -> bytes | None:
    """Return the data of a signed file, or None when its tag does not verify."""
    tag, data = signed[:_TAG_SIZE], signed[_TAG_SIZE:]
    if len(tag) == _TAG_SIZE and hmac.compare_digest(
        tag, hmac.new(key, data, hashlib.sha256).digest()
    ):
        return data
    return None


FORMAT = "2"
"""Bump to drop every cache written by earlier code whose keys would still match."""

_PACKAGE = Path(__file__).resolve().parent
_LOADING_SOURCES = ("model.py", "loader.py", "buildcache.py")
_CHECKING_SOURCES = ("checks/**/*.py", "checks/data/*", "presence.py")


def _hash(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def source_fingerprint(patterns: Iterable[str]) -> str:
    """Hash the package files matching `patterns` (paths and bytes), in a stable order."""
    # Pickles of models are only good for the Python and pydantic that made them.
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{pydantic.VERSION}".encode())
    files = sorted({path for pattern in patterns for path in _PACKAGE.glob(pattern)})
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class Store:
    """One namespace of the cache: pickled values in files named by their key."""

    def __init__(self, folder: Path, version: str, key: bytes) -> None:
        self.folder = folder
        self.version = version
        self.key = key
        self.used: set[str] = set()
        self.pending: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def _full_key(self, key: str) -> str:
        return _hash(self.version, key)

    def get(self, key: str) -> Any | None:
        """Return the value stored under `key`, or None (missing, unreadable or not this key)."""
        full = self._full_key(key)
        self.used.add(full)
        if full in self.pending:
            return self.pending[full]
        try:
            data = _verified(self.key, self._file(full).read_bytes())
            if data is None:
                raise ValueError("not signed with this cache's key")
            stored_key, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss, to be made anew
            self.misses += 1
            return None
        if stored_key != full:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep `value` under `key`, to be written by `flush`."""
        full = self._full_key(key)
        self.used.add(full)
        self.pending[full] = value

    def write_pending(self) -> None:
        """Write the new entries (`flush` without deleting the unused ones)."""
        if self.pending:
            self.folder.mkdir(parents=True, exist_ok=True)
        for full, value in self.pending.items():
            path = self._file(full)
            tmp = path.with_name(path.name + ".tmp")
            data = pickle.dumps((full, value), protocol=pickle.HIGHEST_PROTOCOL)
            tmp.write_bytes(_sign(self.key, data))
            os.replace(tmp, path)
        self.pending.clear()

    def flush(self) -> None:
        """Write the new entries and delete the ones this build did not use."""
        self.write_pending()
        if self.folder.is_dir():
            for entry in os.scandir(self.folder):
                name = entry.name
                if not (name.endswith(".pickle") and name[: -len(".pickle")] in self.used):
                    Path(entry.path).unlink(missing_ok=True)


class PackStore(Store):
    """A namespace of small values kept in one file: read once, rewritten when it changes.

    Findings are small (most registers have none), so one file of them all costs one read per
    build instead of one per register.
    """

    PACK = "pack.pickle"

    def __init__(self, folder: Path, version: str, key: bytes) -> None:
        super().__init__(folder, version, key)
        self._pack: dict[str, Any] | None = None

    def _entries(self) -> dict[str, Any]:
        if self._pack is None:
            try:
                data = _verified(self.key, (self.folder / self.PACK).read_bytes())
                stored = pickle.loads(data) if data is not None else None
            except Exception:  # noqa: BLE001 - an unreadable pack is an empty one
                stored = None
            valid = (
                isinstance(stored, tuple)
                and len(stored) == 2
                and stored[0] == self.version
                and isinstance(stored[1], dict)
            )
            self._pack = dict(stored[1]) if valid else {}  # type: ignore[index]
        return self._pack

    def get(self, key: str) -> Any | None:
        """Return the value stored under `key`, or None."""
        full = self._full_key(key)
        self.used.add(full)
        if full in self.pending:
            return self.pending[full]
        entries = self._entries()
        if full not in entries:
            self.misses += 1
            return None
        self.hits += 1
        return entries[full]

    def flush(self) -> None:
        """Write the pack if this build added entries or left some unused."""
        entries = self._entries()
        kept = {full: entries[full] for full in self.used if full in entries}
        kept.update(self.pending)
        self.pending.clear()
        if kept.keys() == entries.keys() and len(kept) == len(entries):
            if (self.folder / self.PACK).is_file() or not kept:
                return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / self.PACK
        tmp = path.with_name(path.name + ".tmp")
        data = pickle.dumps((self.version, kept), protocol=pickle.HIGHEST_PROTOCOL)
        tmp.write_bytes(_sign(self.key, data))
        os.replace(tmp, path)
        self._pack = kept


KEPT_MODELS = 4096
"""How many models a process keeps in memory between its builds (`ModelStore`)."""
_KEPT: collections.OrderedDict[str, tuple[Register, bytes]] = collections.OrderedDict()
_KEPT_LOCK = threading.Lock()


class ModelStore:
    """Validated registers (`notice.loader.ModelCache`): the model and its parsed file.

    Both sit in one entry, the parsed file (every key's line) pickled apart inside it: it is
    unpickled only when something in the register must be located, which most builds never do.

    A process that builds again (`notice serve` after an edit) keeps the last `KEPT_MODELS`
    entries it read or made in memory, so an unchanged register is not read and unpickled again.
    The key names the file's path and bytes, the site's bytes and the loading code (as the cache
    file's does), and models are frozen, so a kept one is what the cache file would give.
    """

    def __init__(self, folder: Path, version: str, key: bytes) -> None:
        self.models = Store(folder / "models", version, key)
        self._sources: dict[str, bytes] = {}

    def get(self, key: str) -> Register | None:
        """Return the model stored under `key`, or None (its parsed file stays pickled)."""
        full = self.models._full_key(key)
        with _KEPT_LOCK:
            kept = _KEPT.get(full)
            if kept is not None:
                _KEPT.move_to_end(full)
        if kept is not None:
            self.models.used.add(full)  # still in use: `flush` keeps its file
            self.models.hits += 1
            model, source = kept
        else:
            value = self.models.get(key)
            if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes)):
                return None
            model, source = value
            if not isinstance(model, Register):
                return None
            _keep(full, model, source)
        self._sources[key] = source
        return model

    def get_source(self, key: str) -> SourceFile | None:
        """Return the parsed file stored with the model under `key`, or None."""
        try:
            value = pickle.loads(self._sources[key])
        except Exception:  # noqa: BLE001 - unreadable: the loader parses the file again
            return None
        return value if isinstance(value, SourceFile) else None

    def put(self, key: str, source: SourceFile, register: Register) -> None:
        """Keep a parsed file and its model under `key`, to be written by `flush`."""
        packed = pickle.dumps(source, protocol=pickle.HIGHEST_PROTOCOL)
        self._sources[key] = packed
        self.models.put(key, (register, packed))
        _keep(self.models._full_key(key), register, packed)

    def write_pending(self) -> None:
        """Write the new entries now: a build's checks' process does, beside the rendering,
        what the building process would otherwise do at its end (`written_elsewhere`)."""
        self.models.write_pending()

    def written_elsewhere(self) -> None:
        """Forget the new entries: another process wrote them (`write_pending`). Should it have
        failed to, the next build finds them missing and makes them again."""
        self.models.pending.clear()

    def flush(self) -> None:
        """Write the new entries and delete the ones this build did not use."""
        self.models.flush()


def _keep(full: str, model: Register, source: bytes) -> None:
    with _KEPT_LOCK:
        _KEPT[full] = (model, source)
        _KEPT.move_to_end(full)
        while len(_KEPT) > KEPT_MODELS:
            _KEPT.popitem(last=False)


class BuildCache:
    """The cache of one output folder: registers, findings and the manifest, kept outside it."""

    def __init__(self, out_dir: Path, cache_dir: Path | None = None) -> None:
        self.root = cache_dir if cache_dir is not None else cache_dir_for(out_dir)
        key = _load_key(self.root)
        loading = source_fingerprint(_LOADING_SOURCES)
        self.models = ModelStore(self.root, loading, key)
        self.findings = PackStore(
            self.root / "findings", _hash(loading, source_fingerprint(_CHECKING_SOURCES)), key
        )

    def flush(self) -> None:
        """Write what this build made and drop what it did not use; mark the folder used."""
        self.models.flush()
        self.findings.flush()
        mark_used(self.root)


def _check_batch(
    batch: Sequence[Register | None],
    *,
    content: Content,
    website: list[Register],
    check: Callable[[Content], list[Any]],
) -> list[list[Any]]:
    """Check a batch in one run: each register's findings, and the site group's for None."""
    wanted = {item.id for item in batch if item is not None}
    with_group = None in batch
    registers = tuple(r for r in content.registers if r.id in wanted or (with_group and r.website))
    owners = {"site", *(register.id for register in registers)}
    part = Content(
        root=content.root,
        site=content.site,
        registers=registers,
        sources={owner: content.sources[owner] for owner in owners},
        digests={owner: content.digests[owner] for owner in owners},
        files={owner: content.files[owner] for owner in owners},
    )
    findings = check(part)
    shared = {"site", *(register.id for register in website)}
    results = []
    for item in batch:
        if item is None:
            results.append([finding for finding in findings if finding.owner in shared])
        else:
            results.append([finding for finding in findings if finding.owner == item.id])
    return results


def cached_checks(content: Content, store: Store, *, today: dt.date | None = None) -> list[Any]:
    """Return `notice.checks.run_checks(content)`, checking only what `store` does not hold.

    A register that is not a website register is checked alone with the site, and its findings
    are kept under its file's key. The site and the website registers are checked together (the
    site's cookie texts are theirs too) and kept under one key of all their files. Findings are
    then sorted exactly as one run over everything sorts them (`engine.in_order`: one run's
    findings of one owner and rule come in the same order whatever else the run checked).
    """
    plan = CheckPlan(content, store, today=today)
    return plan.finish(plan.run())


class CheckPlan:
    """`cached_checks` in three steps, so that the checking itself can run elsewhere.

    Making the plan looks the findings up in `store`; `run` checks what was not there (the
    expensive part, which touches neither the store nor the content and returns plain findings,
    so a forked process may do it); `finish`, back where the store lives, keeps the new findings
    and returns them all in `run_checks`' order.
    """

    def __init__(
        self,
        content: Content,
        store: Store | None,
        *,
        today: dt.date | None = None,
        known: Mapping[str, list[Any]] | None = None,
    ) -> None:
        """`known`: findings of registers (not website registers) already checked, by id, as
        `run` would find them (`notice.checking.CheckAsLoaded`); kept in `store` like new ones."""
        self.content, self.store, self.today = content, store, today
        owners = ["site", *(register.id for register in content.registers)]
        self.whole = any(
            owner not in content.digests or owner not in content.files for owner in owners
        )
        """Content without file digests (made in memory) is checked in one run, uncached."""
        self.group_key = ""
        self.group: Any = None
        self.alone: dict[str, list[Any]] = {}
        self.keys: dict[str, str] = {}
        self.items: list[Register | None] = []
        """What `run` checks: None stands for the site and its website registers, together."""
        self.website = [register for register in content.registers if register.website]
        self.known: dict[str, list[Any]] = {}
        if self.whole:
            return
        self.known = {
            register.id: list(known[register.id])
            for register in content.registers
            if known and not register.website and register.id in known
        }
        """What `known` held of these registers: `finish` keeps it as if `run` had found it."""
        if store is None:  # nothing to look up: every item is checked (in parts, if `run` is)
            alone = (r for r in content.registers if not r.website and r.id not in self.known)
            self.items = [None, *alone]
            return
        day = today or dt.date.today()

        def file_of(owner: str) -> tuple[str, str]:
            return str(content.files[owner]), content.digests[owner]

        base = (day.isoformat(), *file_of("site"))
        parts = (part for r in self.website for part in (r.id, *file_of(r.id)))
        self.group_key = _hash("group", *base, *parts)
        self.group = store.get(self.group_key)
        for register in content.registers:
            if register.website:
                continue
            self.keys[register.id] = _hash("register", *base, register.id, *file_of(register.id))
            found = self.known.get(register.id)
            if found is None:
                found = store.get(self.keys[register.id])
            if isinstance(found, list):
                self.alone[register.id] = found
        missing = [r for r in content.registers if not r.website and r.id not in self.alone]
        self.items = [None] if not isinstance(self.group, list) else []
        self.items += missing

    def run(self, items: Sequence[Register | None] | None = None) -> list[list[Any]]:
        """Check what the store did not hold (or `items`, part of `self.items`): the findings of
        each item, in their order (all findings as one item, for `whole`)."""
        import notice.checks
        from notice.checks.engine import ACROSS_RULE_IDS

        def check(part: Content) -> list[Any]:
            # Through the package's entry point, so that whoever wraps it sees every run.
            if self.today is None:
                return list(notice.checks.run_checks(part))
            return list(notice.checks.run_checks(part, today=self.today))

        if self.whole:
            return [check(self.content)]

        def check_part(part: Content) -> list[Any]:
            # A part holds some registers only: what compares registers is found by `finish`.
            return [found for found in check(part) if found.rule_id not in ACROSS_RULE_IDS]

        batch = self.items if items is None else items
        if not batch:
            return []
        return _check_batch(batch, content=self.content, website=self.website, check=check_part)

    def session(self) -> contextlib.AbstractContextManager[None]:
        """Return a context in which several `run`s of one process share the checker's memory of
        what it worked out per text (`notice.checks.memo`), as one run over them all would."""
        from notice.checks import memo

        return memo.fresh_run()

    def finish(self, found_all: list[list[Any]]) -> list[Any]:
        """Keep what `run` found in the store; return every finding in `run_checks`' order."""
        from notice.checks.engine import across_registers, in_order

        store = self.store
        if self.whole:
            return found_all[0]
        # After the parts, over every register: kept nowhere, it depends on them all.
        across = across_registers(self.content, today=self.today)
        if store is None:
            known = [finding for found in self.known.values() for finding in found]
            found = [finding for found in found_all for finding in found]
            return in_order(found + known + across)
        for register_id, known_findings in self.known.items():
            store.put(self.keys[register_id], known_findings)
        group = self.group
        for item, found in zip(self.items, found_all, strict=True):
            if item is None:
                group = found
                store.put(self.group_key, found)
            else:
                self.alone[item.id] = found
                store.put(self.keys[item.id], found)
        assert isinstance(group, list)
        merged = list(group)
        for findings in self.alone.values():
            merged.extend(findings)
        return in_order(merged + across)
