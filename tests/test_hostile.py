"""A hostile but valid spec (quotes, template syntax, keywords, unicode, recursion, unions,
absurd names) generates code that type-checks, lints clean, imports and behaves."""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator import pipeline

from .conftest import FIXTURES, ROOT

PACKAGE = "hostile_api"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("hostile") / "generated"
    pipeline.generate(FIXTURES / "specs" / "hostile.yaml", out, package_name=PACKAGE)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0] in (PACKAGE, PACKAGE + "_stub")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def api(generated: Path) -> ModuleType:
    """The generated package, with its `resources` subpackage imported (the client loads it
    lazily, so `api.resources` is there only once something imported it)."""
    import importlib

    importlib.import_module(PACKAGE + ".resources")
    return importlib.import_module(PACKAGE)


@pytest.mark.slow
def test_mypy_strict_and_ruff_are_clean(generated: Path) -> None:
    bin_dir = Path(sys.executable).parent
    mypy = subprocess.run(
        [
            str(bin_dir / "mypy"),
            "--strict",
            "--python-version",
            "3.11",
            "--cache-dir",
            str(generated.parent / ".mypy_cache"),
            "-p",
            PACKAGE,
            "-p",
            PACKAGE + "_stub",
        ],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout
    ruff = subprocess.run(
        [
            str(bin_dir / "ruff"),
            "check",
            "--no-cache",
            "--config",
            str(ROOT / "pyproject.toml"),
            ".",
        ],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ruff.returncode == 0, ruff.stdout


def test_docstrings_keep_hostile_text_exactly(api: ModuleType) -> None:
    # The client imports its resources lazily: import the subpackage, as a user would.
    resources = importlib.import_module(f"{api.__name__}.resources")
    resource = resources.WeirdTagUnicodeSpacesResource
    doc = resource.import_.__doc__
    assert 'Get a thing """ with triple quotes and {% if %} tags' in doc
    assert "Line two with */ and \\n literal" in doc
    assert 'The id. It "quotes" and ends with a backslash \\' in doc
    model_doc = api.models.Class.__doc__
    assert '"""' in model_doc and "{{ not jinja }}" in model_doc and "{% nor this %}" in model_doc
    assert "שלום עולם" in api.__doc__ or "Hostile" in api.__doc__


def test_enum_values_survive_quotes_case_and_scripts(api: ModuleType) -> None:
    values = {member.value for member in api.models.ClassType}
    assert values == {"", "a b", "A B", "1st", "class", "None", "שלום", '"q"', "x\\y"}


def _client(api: ModuleType, handler: Any) -> Any:
    transport = httpx.MockTransport(handler)
    return api.HostileClient(api_key="k-123", http_client=httpx.Client(transport=transport))


def test_keyword_and_bracket_parameters_reach_the_wire(api: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"type": "A B", "id": 1, "9lives": True, "with-dash": 1.5})

    client = _client(api, handler)
    thing = client.weird_tag_unicode_spaces.import_(
        "a/b", from_="a'b", type_=3, x_request_id="r-1", page_size=5
    )
    request = seen[0]
    assert request.url.raw_path.split(b"?")[0] == b"/api/things/a%2Fb/"
    assert request.url.host == "eu.example.com"
    assert dict(request.url.params) == {"from": "a'b", "type": "3", "page[size]": "5"}
    assert request.headers["X-Request-ID"] == "r-1"
    assert request.headers["Authorization"] == "Bearer k-123"
    assert thing.type == "A B" and thing.field_9lives is True


def test_body_fields_named_like_keywords_are_sent_by_wire_name(api: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"pet_type": "dog", "barks": True})

    client = _client(api, handler)
    pet = client.class_.list_(
        self_="s",
        body_="b",
        def_=None,
        name="lower",
        name_="Upper",
        field_2nd=2,
        date=datetime.date(2026, 12, 2),  # a field named like its type (`date as date_aliased`)
    )
    sent = json.loads(seen[0].content)
    assert sent.keys() == {"self", "body", "def", "name", "Name", "2nd", "date"}
    assert (sent["self"], sent["body"], sent["def"], sent["2nd"]) == ("s", "b", None, 2)
    assert sent["date"] == "2026-12-02"
    assert {sent["name"], sent["Name"]} == {"lower", "Upper"}
    doc = api.resources.ClassResource.list_.__doc__
    assert "self_: body field `self`" in doc and "body_: body field `body`" in doc
    assert isinstance(pet.root, api.models.Dog)


def test_recursive_schema_parses(api: ModuleType) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={"value": "root", "children": [{"value": "leaf", "children": []}], "parent": None},
        )

    names = [n for n in dir(api.resources.NodesResource) if n.startswith("get_tree_node")]
    assert len(names) == 1 and len(names[0]) <= 60  # the 80-character operationId is capped
    node = getattr(_client(api, handler).nodes, names[0])()
    assert node.children[0].value == "leaf" and node.parent is None


def test_an_enum_discriminator_picks_its_variant(api: ModuleType) -> None:
    """Variants narrow the base's enum field to one member (`Literal[EventType.DENIED]`)."""
    event = api.models.AnyEvent.model_validate({"event_type": "denied"})
    assert isinstance(event.root, api.models.DeniedEvent)
    assert event.root.event_type == api.models.EventType.DENIED
    with pytest.raises(ValueError, match="event_type"):
        api.models.AnyEvent.model_validate({"event_type": "pending"})


def test_the_client_and_its_stub_agree_on_the_bearer_scheme(api: ModuleType) -> None:
    """The spec's security scheme is HTTP bearer: the client sends `Authorization: Bearer`,
    and the stub generated beside it accepts exactly that (and rejects Cofactr's Api-Key)."""
    import importlib

    from fastapi.testclient import TestClient

    stub = importlib.import_module(PACKAGE + "_stub")
    settings = importlib.import_module(PACKAGE + "_stub._runtime").StubSettings(api_keys=["k-1"])
    # The stub serves the spec's paths at its root (the server URL's /api is not mounted).
    stub_url = "http://stub.test"
    with TestClient(stub.create_app(settings), base_url=stub_url) as http:
        client = api.HostileClient(
            api_key="k-1", base_url=stub_url, http_client=http, max_retries=0
        )
        assert isinstance(client.class_.id_(), list)
        wrong = http.get("/things/", headers={"Authorization": "Api-Key k-1"})
        assert wrong.status_code == 401
        assert wrong.headers["WWW-Authenticate"] == "Bearer"
        client = api.HostileClient(
            api_key="k-2", base_url=stub_url, http_client=http, max_retries=0
        )
        with pytest.raises(api.AuthenticationError):
            client.class_.id_()


def test_a_tag_named_like_a_client_method_does_not_hide_it(api: ModuleType) -> None:
    """Tag "Request" is the attribute `request_`: `client.request` stays the runtime's method."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"error": {"code": 7}, "errors": [{"code": 8}]})

    client = _client(api, handler)
    result = client.request_.get_result()
    assert isinstance(result, api.models.ResultNullString)  # schema `Result_null.string_`
    assert isinstance(result.error, api.models.V1Error) and result.errors[0].code == 8
    assert callable(client.request) and seen[0].url.path == "/api/results/"


def test_the_client_attribute_names_cover_the_runtime(api: ModuleType) -> None:
    """The names tag attributes avoid, read from the runtime's source, hold every public name
    a generated client has (class and instance), so a runtime change cannot slip past them."""
    from generator.ir.runtime import client_attributes

    attributes = client_attributes()

    tags = {"accounts", "class_", "files", "nodes", "pets", "pets_2", "request_", "reserved"}
    tags |= {"choices", "things"}
    tags.add("weird_tag_unicode_spaces")
    for client in (
        _client(api, lambda r: httpx.Response(204)),
        api.AsyncHostileClient(api_key="k"),
    ):
        names = set(dir(type(client))) | set(vars(client))
        assert tags <= names
        assert {n for n in names if not n.startswith("_")} - tags <= attributes


def test_one_name_in_path_query_and_body_gives_three_arguments(api: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    _client(api, handler).things.put_thing("p", id__="q", id___="b")
    assert seen[0].url.path == "/api/things/p" and dict(seen[0].url.params) == {"id": "q"}
    assert json.loads(seen[0].content) == {"id": "b"}


def test_an_openapi_31_file_field_is_bytes_sent_as_a_file(api: ModuleType) -> None:
    """`{type: string, contentMediaType: ...}` is 3.1's `format: binary`: the argument is
    an upload (`FileTypes`: bytes among others) and goes as a file part; with
    `contentEncoding` it is text, as before."""
    import inspect

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    signature = inspect.signature(api.resources.FilesResource.upload_file)
    assert "FileTypes" in str(signature.parameters["file"].annotation)
    assert "FileTypes" not in str(signature.parameters["encoded"].annotation)
    _client(api, handler).files.upload_file(file=b"%PDF-1.7", note="n", encoded="aGk=")
    body = seen[0].content
    assert seen[0].headers["content-type"].startswith("multipart/form-data")
    assert b'name="file"; filename=' in body and b"%PDF-1.7" in body
    assert b'name="encoded"\r\n\r\naGk=' in body


def test_defaults_of_formatted_strings_have_their_field_type(api: ModuleType) -> None:
    """`format: uri, default: about:blank` is an AnyUrl by default, not the string (pydantic
    does not validate defaults, and mypy refused the assignment); likewise date, date-time,
    uuid and decimal, even for a field named `date` (its type is imported as `date_aliased`)."""
    import decimal
    import uuid

    problem = api.models.Problem()
    assert str(problem.type) == "about:blank" and not isinstance(problem.type, str)
    assert problem.date == datetime.date(2026, 12, 2)
    assert problem.valid_until == datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC)
    assert problem.request_id == uuid.UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert problem.price == decimal.Decimal("1.50")
    assert problem.title == "Plain text stays a string"
    assert problem.model_dump(mode="json", by_alias=True)["valid-until"] == "2026-12-02T10:00:00Z"


def test_schemas_named_like_imported_names_get_their_own_class(api: ModuleType) -> None:
    """`NotGiven` (imported by every resource module from the runtime) and `Decimal` (by the
    models, for a decimal field) as schema names: `NotGivenModel` and `DecimalModel` (the
    Decimal schema was refused, and NotGiven broke every call's defaults)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"digits": "3.14"})

    client = _client(api, handler)
    answer = client.reserved.post_reserved(body=api.models.NotGivenModel(given=True))
    assert isinstance(answer, api.models.DecimalModel) and answer.digits == "3.14"
    assert json.loads(seen[0].content) == {"given": True}


def test_a_tag_without_ascii_letters_is_named_from_its_path(api: ModuleType) -> None:
    """Tag 'Счета' on /accounts/{id}/: module `accounts`, `client.accounts`, class
    `AccountsResource`, whose docstring keeps the tag as written."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    _client(api, handler).accounts.get_account("a-1")
    assert seen[0].url.path == "/api/accounts/a-1/"
    assert api.resources.AccountsResource.__module__.endswith(".resources.accounts")
    assert api.HostileClient.accounts.__doc__ == "Счета operations."


def test_names_that_collide_in_python_are_numbered_not_refused(api: ModuleType) -> None:
    """Valid names the generated code would spell alike (issue 17; each was refused): schemas
    `PetOwner` and `pet_owner` are `PetOwner` and `PetOwner2`; operationIds `get_pet` and
    `getPet` in one tag are `get_pet` and `get_pet_2`; tags `pets` and `Pets` are the
    modules `pets` and `pets_2`; a schema `PetsResource` keeps its name and the tag's resource
    class steps aside; `IntEnum` is `IntEnumModel`; the operationId '一覧' is named from its
    method and path. Each name reaches the wire as the spec wrote it."""
    seen: list[httpx.Request] = []
    answers = {
        "/api/pets/p-1/": {"kind": "cat"},
        "/api/pets/": {"owner_id": 7, "same": {"name": "Ann"}},
        "/api/stores/": 2,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answers[request.url.path])

    client = _client(api, handler)
    pet = client.pets.get_pet("p-1")
    assert isinstance(pet, api.models.PetsResource) and pet.kind == "cat"
    owner = client.pets.get_pet_2()
    assert isinstance(owner, api.models.PetOwner2) and owner.owner_id == 7
    assert isinstance(owner.same, api.models.PetOwner) and owner.same.name == "Ann"
    assert client.pets_2.get_stores() == api.models.IntEnumModel(2)
    assert [r.url.path for r in seen] == list(answers)
    assert type(client.pets).__name__ == "Pets2Resource"
    assert type(client.pets_2).__name__ == "Pets3Resource"
