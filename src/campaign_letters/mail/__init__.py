"""mail: letters -> e-mail.

In: one volunteer's letters (``draft``: an ``.eml`` draft to review and send), or a pack
folder and an SMTP server (``send``: each volunteer e-mailed their own letters, in the
language and naming the recipients as ``pack`` recorded, never twice). Out: RFC 5322
messages; a journal and a ``mail_status`` column in the pack folder.
"""
