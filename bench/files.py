"""Benchmark the encrypted file store: upload and download of a 20 MB package.

    .venv/bin/python -m bench.files [--megabytes 20] [--runs 7]

The package is a ZIP (deflated CSV and JSON of hex ids, about 2:1) of `--megabytes` MB, written
to a temporary folder, as Werkzeug spools an upload to disk. Timed, each `--runs` times after a
warm-up, through the functions the portal calls:

  copy        baseline: `shutil.copyfileobj` of the package to another file (plain file copy)
  copy+hash   baseline: the same copy while computing its SHA-256 (what any upload must do)
  unzip       baseline: `zipfile` reading every member of the package (what a zip-bomb check costs)
  upload      `files.store`: name and type checks, every ZIP member decompressed and counted,
              SHA-256, AES-256-GCM in 64 KiB chunks to the instance folder
  download    `files.read_chunks`: decrypt and verify chunk by chunk into a file

Peak memory is Python's (tracemalloc) during one extra run of each step. Targets: upload and
download peaks under 2 MB (the file is streamed, never held whole), download within 3x of a plain
copy, upload within 1.5x of copy+hash plus unzip (the work any checked upload must do).
Results go to bench/results/files.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._stats import (
    TIMING_HEADERS,
    Check,
    Timing,
    ratio,
    table,
    time_runs,
    timing_row,
    write_results,
)
from portal.core import files
from portal.core.models import Attachment, DataRequest

MB = 1024 * 1024


class _Session:
    """What `files.store` needs of a session (the bench measures files, not the database)."""

    def add(self, _item: object) -> None:
        return None

    def flush(self) -> None:
        return None


def make_package(path: Path, size: int) -> None:
    """Write a ZIP of about `size` bytes: CSV and JSON members of random hex ids."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        index = 0
        while archive.fp.tell() < size:  # type: ignore[union-attr]
            rows = [f"{os.urandom(16).hex()};{n};Åsa Äijälä" for n in range(20_000)]
            archive.writestr(f"tiedot-{index}.csv", "\n".join(rows))
            archive.writestr(f"tiedot-{index}.json", json.dumps(rows, ensure_ascii=False))
            index += 1


def peak_memory(step: Callable[[], object]) -> int:
    """Return the peak bytes Python allocated while `step` ran."""
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table and verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-files-") as folder:
        root = Path(folder)
        package = root / "paketti.zip"
        make_package(package, args.megabytes * MB)
        size = package.stat().st_size
        limits = files.Limits(
            max_bytes=size + MB, types=frozenset(files.MEDIA_TYPES), zip_max_bytes=size * 10
        )
        keys = files.load_keys(root / "instance")
        stored: list[Attachment] = []

        def copy() -> None:
            with package.open("rb") as source, (root / "copy").open("wb") as target:
                shutil.copyfileobj(source, target, files.CHUNK)

        def copy_hash() -> None:
            digest = hashlib.sha256()
            with package.open("rb") as source, (root / "copy").open("wb") as target:
                while block := source.read(files.CHUNK):
                    digest.update(block)
                    target.write(block)

        def unzip() -> None:
            with zipfile.ZipFile(package) as archive:
                for member in archive.infolist():
                    with archive.open(member) as stream:
                        while stream.read(files.CHUNK):
                            pass

        def upload() -> None:
            request = DataRequest(reference="BENCH")
            with package.open("rb") as source:
                attachment = files.store(
                    _Session(),  # type: ignore[arg-type]
                    request,
                    source,
                    package.name,
                    purpose="answer",
                    limits=limits,
                    instance_path=root / "instance",
                    keys=keys,
                )
            if stored:
                files.discard_file(root / "instance", stored.pop())
            stored.append(attachment)

        def download() -> None:
            with (root / "download").open("wb") as target:
                for chunk in files.read_chunks(root / "instance", keys, stored[-1]):
                    target.write(chunk)

        steps: dict[str, Callable[[], None]] = {
            "copy": copy,
            "copy+hash": copy_hash,
            "unzip": unzip,
            "upload": upload,
            "download": download,
        }
        for step in steps.values():
            step()  # warm-up (and the first stored file for `download`)
        timings: dict[str, Timing] = {
            name: time_runs(name, step, runs=args.runs) for name, step in steps.items()
        }
        peaks = {name: peak_memory(step) for name, step in steps.items()}
        downloaded = hashlib.sha256((root / "download").read_bytes()).hexdigest()
        assert downloaded == stored[-1].sha256 == hashlib.sha256(package.read_bytes()).hexdigest()

    rows = [
        timing_row(
            timings[name],
            f"{size / timings[name].median / MB:.0f} MB/s",
            f"{peaks[name] / MB:.2f} MB",
        )
        for name in steps
    ]
    print(f"package: {size / MB:.1f} MB ZIP; {args.runs} runs per step\n")
    print(table([*TIMING_HEADERS, "throughput", "peak memory"], rows))
    checks = [
        Check("upload peak memory (MB)", peaks["upload"] / MB, 2.0, "lower", unit=""),
        Check("download peak memory (MB)", peaks["download"] / MB, 2.0, "lower", unit=""),
        Check("download / plain copy", ratio(timings["download"], timings["copy"]), 3.0, "lower"),
        Check(
            "upload / (copy+hash + unzip)",
            ratio(timings["upload"], timings["copy+hash"].median + timings["unzip"].median),
            1.5,
            "lower",
        ),
    ]
    print()
    print(table(["target", "value", "target", "verdict"], [c.describe() for c in checks]))
    payload: dict[str, Any] = {
        "package_bytes": size,
        "timings": {name: timing.as_dict() for name, timing in timings.items()},
        "peak_memory_bytes": peaks,
        "checks": [check.as_dict() for check in checks],
    }
    print(f"\nresults: {write_results('files', payload)}")
    return 0 if all(check.met for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
