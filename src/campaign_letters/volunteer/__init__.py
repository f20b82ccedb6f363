"""volunteer: what a volunteer typed -> a checked request, or every problem with it.

In: the fields a volunteer fills in (the command line's options, the page's form, a
roster's row). Out: a ``Sender`` and what they asked for (``check.VolunteerInput``), or
every problem at once, each an ``InputError`` naming its field, worded through the
catalogs so the page can say it in the volunteer's language.

- ``check``: the one check every surface (command line, page, pack rows, mail) uses;
- ``sender``: each field alone, then the address for the country, all problems kept;
- ``postcodes``: leading zeros a spreadsheet dropped, put back where that is certain;
- ``roster``: volunteers from CSV, .xlsx, .xls or .ods files;
- ``headers``: the one table of the column headings rosters use, in the page's languages;
- ``spreadsheets``: a spreadsheet file's sheet as rows of text, python-calamine run in a
  process of its own (``calamine_child``) with limited memory and time;
- ``zipped``, ``xmlcheck``: a zipped workbook (.xlsx, .ods) looked through before calamine
  opens it: unpacked size, XML entities and nesting, declared and held rows and columns;
- ``limits``: the most a roster may hold, and the one-line refusal naming the limit.
"""
