"""Platform exports: Instagram and Facebook "Download your information" (JSON), the X archive.

`read_export(path)` recognises the export (a .zip or its unpacked folder) and returns what
others did as interactions, with each record's raw JSON; `import_export(store, path)` takes
them through the same flow as everything else (raw kept in `deliveries`, upsert on ids).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sociable.connectors.base import Received


class ExportError(Exception):
    """Not an export we know, or a file in it that cannot be read."""


@dataclass
class ExportContents:
    platform: str
    owner: str
    items: list[Received] = field(default_factory=list)
    # What was read but is not an interaction from someone else (your own posts, your likes).
    skipped: dict[str, int] = field(default_factory=dict)


class Archive:
    """Read files from a zip or a folder by their path inside the export."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.is_dir():
            self.names = sorted(str(p.relative_to(path)).replace("\\", "/")
                                for p in path.rglob("*") if p.is_file())
            self._zip = None
        else:
            try:
                self._zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile:
                raise ExportError(f"{path}: not a zip file") from None
            self.names = sorted(n for n in self._zip.namelist() if not n.endswith("/"))

    def read(self, name: str) -> bytes:
        if self._zip is not None:
            return self._zip.read(name)
        return (self.path / name).read_bytes()

    def matching(self, *fragments: str) -> list[str]:
        return [n for n in self.names if all(f in n for f in fragments)]


def read_export(path: Path) -> ExportContents:
    from sociable.connectors.exports import facebook, instagram, x

    archive = Archive(path)
    for module in (x, instagram, facebook):
        if module.recognises(archive):
            return module.read(archive)
    raise ExportError(f"{path}: not an Instagram or Facebook 'Download your information' JSON "
                      "export, nor an X archive (looked for data/tweets.js, "
                      "your_instagram_activity/, your_facebook_activity/)")


@dataclass
class ExportReport:
    platform: str
    owner: str
    read: int
    imported: int
    duplicates: int
    items_created: int
    moments: int
    skipped: dict[str, int]


def import_export(store, path: Path, *, detect=None) -> ExportReport:
    from sociable.connectors.sync import deliver

    contents = read_export(path)
    imported = duplicates = created = moments = 0
    for start in range(0, len(contents.items), 2000):
        report = deliver(store, contents.platform, None, contents.items[start:start + 2000],
                         source="export", detect=detect)
        imported += report.imported
        duplicates += report.duplicates
        created += report.items_created
        moments += report.moments
    return ExportReport(contents.platform, contents.owner, len(contents.items), imported,
                        duplicates, created, moments, contents.skipped)
