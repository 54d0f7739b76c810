"""Small test definitions, each for one feature of the engine (not shipped to clinics)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent
NEW_KINDS = HERE / "new_kinds.yaml"
GLANCE_WHERE = HERE / "glance_where.yaml"


def store_definition(path: Path = NEW_KINDS):
    """Store one test definition; return its version."""
    from intake import catalog

    loaded, errors = catalog.validate_files([path])
    assert not errors, errors
    catalog.store_definitions(loaded)
    return catalog.current_versions([path.stem])[0]


def store_new_kinds():
    """Store the choices-with-details and body-map test definition; return its version."""
    return store_definition(NEW_KINDS)


VERSION_1 = HERE / "v1"


def store_version_1():
    """Store the four questionnaires as version 1 shipped them; return them in the clinic's order.

    Tests of the engine and the pages (steps, unasked answers, errors, repeating groups) use
    these frozen files, so that a clinic's content edits do not move their item ids or pages.
    """
    from intake import catalog

    loaded, errors = catalog.validate_files(catalog.definition_files(VERSION_1))
    assert not errors, errors
    catalog.store_definitions(loaded)
    return catalog.current_versions()


@pytest.fixture(name="questionnaires")
def version_1_questionnaires(db):
    """Replace the shipped questionnaires with version 1's in a test module that imports this."""
    return store_version_1()
