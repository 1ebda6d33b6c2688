"""Build-time pipeline: vendored OpenAPI specs -> prepared specs -> verified generated clients.

Stages (each a module): ``loading`` (YAML -> dict), ``provenance`` (sha256 checks), ``passes``
(generic spec repairs), ``overlay`` (OpenAPI Overlay 1.0 per vendor), ``prepare`` (the stages in order),
``generate`` (openapi-python-client, in process), ``verify`` (coverage, imports, mypy --strict) and
``swap`` (atomic replacement of ``generated/``). Around them: ``update`` (vendoring a new spec with
its provenance), ``surface`` and ``api_diff`` (what a regeneration changed for callers), ``deep_stack``
(room for the generator's recursion) and ``templates/`` (our overrides of the generator's templates:
tolerant enums, lazy ``models``). ``__main__`` is the command line that nox calls.

Nothing here is imported by ``facade`` or by the generated packages.
"""
