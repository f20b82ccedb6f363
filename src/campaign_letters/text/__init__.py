"""text: strings -> faces and glyphs: how a string becomes something the PDF can draw.

In: any text a letter prints (a campaign's, a volunteer's). Out: runs of text each in a
bundled face that has all its characters (``faces``; a character none has is an error,
never an empty box), lines of right-to-left and complex scripts ordered and shaped
(``shaping``: UAX #9 and HarfBuzz), widths and paragraph markup (``strings``), and text
folded for comparison (``folding``).
A campaign text in its language's quotation marks, apostrophes and French spaces (``typography``).
"""
