"""Records of processing activities (GDPR Art 30(1)) from the same YAML as the notices.

One row per processing activity (register × purpose). `activities` (rows.py) reads the model into
language-neutral activities; `COLUMNS` (columns.py) is the one table of what a record says, which
drives every writer (CSV, XLSX, HTML, PDF, JSON-LD) and `docs/records.md`; `write_records`
(output.py) writes one file outside the published site.
"""

from notice.records.columns import COLUMNS, Column
from notice.records.output import FORMATS, RecordsError, default_out, record_gaps, write_records
from notice.records.rows import Activity, activities

__all__ = [
    "COLUMNS",
    "FORMATS",
    "Activity",
    "Column",
    "RecordsError",
    "activities",
    "default_out",
    "record_gaps",
    "write_records",
]
