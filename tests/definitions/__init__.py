"""Small test definitions, each for one feature of the engine (not shipped to clinics)."""

from pathlib import Path

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
