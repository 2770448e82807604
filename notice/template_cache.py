"""Compiled templates kept on disk between processes, as Python keeps its `__pycache__`.

Every `notice build` is a new process, and compiling the notice's templates for three languages
took about half a second of each build, whatever it had to render (98 compilations at 500
registers as at one). Jinja can keep what it compiles in a bytecode cache; this one lives in the
cache home (`notice.buildcache.cache_home()`, folder `templates`) and is used only there:

- A template's code depends on more than its source. The `trans` blocks are translated when the
  template is compiled (`notice.render._I18n`), so the key of each compiled template names its
  language, that language's catalog, the rendering code and the Jinja version; Jinja itself checks
  the template's source against what was compiled from it, and its bytecode format.
- Code read back is run, so the folder must be this user's and writable by nobody else (as the
  build cache's folder, `notice.buildcache`); otherwise, or when it cannot be made, templates are
  compiled in memory as before.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

from notice import i18n
from notice.cache_pruning import mark_used

_RENDERING_CODE = Path(__file__).with_name("render.py")


class TemplateCodeCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache, its keys salted with what compiled code depends on."""

    def __init__(self, directory: Path, salt: str) -> None:
        super().__init__(str(directory), "%s.code")
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """Return the file name of `name`'s compiled code for this salt (language, catalog...)."""
        return hashlib.sha256(f"{self.salt}\0{name}".encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        """Read compiled code back, and mark its file used (`notice.cache_pruning`)."""
        super().load_bytecode(bucket)
        if bucket.code is not None:
            mark_used(Path(self._get_cache_filename(bucket)))


def template_code_cache(lang: str) -> BytecodeCache | None:
    """Return the cache for the templates of `lang`, or None when no safe folder is at hand."""
    from notice.buildcache import cache_home, trust_problem

    folder = cache_home() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
        salt = _salt(lang)
    except OSError:
        return None
    if trust_problem(folder, info) is not None or not os.access(folder, os.W_OK):
        return None
    return TemplateCodeCache(folder, salt)


def _salt(lang: str) -> str:
    digest = hashlib.sha256(f"{jinja2.__version__}\0{lang}\0".encode())
    digest.update(hashlib.sha256(i18n.po_path(lang).read_bytes()).digest())
    digest.update(hashlib.sha256(_RENDERING_CODE.read_bytes()).digest())
    return digest.hexdigest()
