"""Stage 3a: pydantic v2 models for every component schema, via datamodel-code-generator.

We hand it only `components.schemas`, prepared so that its output is a pure function of the
schemas' content (`prepare`), with our `class_name` as its naming function, so client and
stub templates spell every type the same. Its output gets typed defaults (`defaults`) and is
read back with `ast` to learn each class's fields (`describe`), which the client uses for
keyword-argument bodies.
"""

from .describe import ModelField, ModelsModule, describe_models
from .formats import unknown_formats
from .generate import generate_models, models_key

__all__ = [
    "ModelField",
    "ModelsModule",
    "describe_models",
    "generate_models",
    "models_key",
    "unknown_formats",
]
