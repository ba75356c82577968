"""One sync engine for the app's definitions (workflows/, print_formats/, fixtures/).

- ``definitions``: read and validate the files, turn them into site records;
- ``checks``: cross-checks between files and against the DocTypes in the repo;
- ``planner``: compare the records with a site and say create / update / unchanged / skip;
- transports that read and write a site: ``local`` (in-process Frappe API, used by the
  install and migrate hooks) and ``rest`` (HTTP, used by the ``qingqian`` command).

Nothing here but ``local`` imports Frappe.
"""
