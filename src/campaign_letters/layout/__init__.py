"""layout: letters -> pages, and pages -> one PDF through ``pdf``.

In: ``compose.letters.Letter`` objects (or address lines, for labels). Out: ReportLab
page templates and flowables, drawn into a PDF by ``render`` (letters) or ``labels``
(address labels on label sheets).

- ``paragraphs``: styles, one line drawn in its faces, plain and shaped paragraphs, and
  the seed (the campaign text's characters numbered first);
- ``pages``: the first page's fixed parts (sender, window, return line, date, marks,
  copy heading), page numbers and headers, page templates;
- ``flow``: subject to signature, links with QR codes;
- ``tagging``: flowables that say their role in the PDF's structure (paragraph,
  heading, list);
- ``shaped``: shaped lines and paragraphs drawn glyph by glyph;
- ``render``: letters -> one PDF; ``labels``: address lines -> label sheets.
"""
