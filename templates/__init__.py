"""cofactr-codegen's templates and the runtime modules it copies into generated packages.

Package data of the installed generator (`generator._templates`, mapped onto this folder by
pyproject.toml), read through importlib.resources. Nothing here is imported as code.
"""
