"""pack: a roster -> a pack folder: a PDF per volunteer, one print pack, address labels,
a manifest, and what mail needs to write to each volunteer.

In: a campaign file, a roster (``volunteer.roster``) and the pack's options. Out: the
folder whose format ``folder`` owns; ``build`` makes it, resumably (a re-run redoes only
what changed), in worker processes, streaming the print pack and labels to disk.
"""
