"""campaign: a campaign file -> a checked ``model.Campaign``, or every problem with it.

In: a bundled campaign id or the path of a YAML file. Out: the frozen model (``load``),
or all of the file's problems at once, each with its file:line and field (``checks``),
warnings (an official no source has confirmed since the last election) apart from
errors.

- ``yamlfile``: the safe parse, with the line of every key;
- ``schema``: the JSON Schema, its errors rewritten for people;
- ``checks``: the facts (postcodes, addresses, links, printable characters) and the
  officials (who holds each office as of when);
- ``build``: checked data -> the model;
- ``load``: the entry points (``load_campaign``, ``check_campaign``, ``check_paths``).
"""
