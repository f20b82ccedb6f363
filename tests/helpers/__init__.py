"""What the tests share, so that no test module imports another:

- ``samples``: the fixed dates (TODAY, AFTER_ELECTIONS), the sample senders (METTE, CHRIS,
  ADDRESSES by country; as CLI options DK_ARGS, CA_ARGS, ``with_sender``; as the web
  form's fields ``form_fields``), the bundled campaigns' text, a long campaign, labels;
- ``commands``: the CLI in-process (``run_cli``) or in a process of its own
  (``cli_process``), and Python scripts (``python``), always with ``sys.executable``;
- ``letters``: letters made through the public API and read back (``letters_pdf``,
  ``letters_text``);
- ``pdf_text``: PDFs read back by poppler, pdfium and pypdf (text, pages, positions);
- ``two_readers``: one PDF read by two readers and qpdf, for the every-PDF check;
- ``every_pdf``: the PDFs the tests made, kept for that check (wired in conftest.py);
- ``packs``: rosters of sample volunteers, packs and their manifests;
- ``spreadsheets``: rosters as LibreOffice saves them, the command line under a memory
  limit, a roster reader process for the fuzz test;
- ``servers``: the real web server and nginx, on loopback ports;
- ``visual``: pages against reference images (tests/cases/);
- ``strategies``: what the property tests type, and their comparisons.

Only ``samples`` and ``commands`` are imported here; the others import what they read
PDFs or run servers with, and are imported by name (``from tests.helpers.pdf_text
import ...``).
"""

from tests.helpers.commands import cli_command, cli_process, python, run_cli
from tests.helpers.samples import (
    ADDRESSES,
    AFTER_ELECTIONS,
    CA_ARGS,
    CHRIS,
    DK_ARGS,
    METTE,
    ROOT,
    TESTS,
    TODAY,
    campaign_file,
    campaign_labels,
    campaign_text,
    check_text,
    cli_args,
    form_fields,
    long_campaign,
    many_labels,
    sender,
    with_sender,
)

__all__ = [
    "ADDRESSES",
    "AFTER_ELECTIONS",
    "CA_ARGS",
    "CHRIS",
    "DK_ARGS",
    "METTE",
    "ROOT",
    "TESTS",
    "TODAY",
    "campaign_file",
    "campaign_labels",
    "campaign_text",
    "check_text",
    "cli_args",
    "cli_command",
    "cli_process",
    "form_fields",
    "long_campaign",
    "many_labels",
    "python",
    "run_cli",
    "sender",
    "with_sender",
]
