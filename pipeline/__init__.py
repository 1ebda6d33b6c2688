"""Build-time pipeline: vendored OpenAPI specs -> prepared specs -> verified generated clients.

Stages (each a module): ``loading`` (YAML -> dict), ``provenance`` (sha256 checks), ``passes``
(generic spec repairs), ``overlay`` (OpenAPI Overlay 1.0 per vendor), ``prepare`` (the stages in order),
``generate`` (openapi-python-client, in process), ``verify`` (coverage, imports, mypy --strict) and
``swap`` (atomic replacement of ``generated/``). ``__main__`` is the command line that nox calls.

Nothing here is imported by ``facade`` or by the generated packages.
"""
