"""Small test definitions, each for one feature of the engine (not shipped to clinics)."""

from pathlib import Path

HERE = Path(__file__).parent
NEW_KINDS = HERE / "new_kinds.yaml"


def store_new_kinds():
    """Store the choices-with-details and body-map test definition; return its version."""
    from intake import catalog

    loaded, errors = catalog.validate_files([NEW_KINDS])
    assert not errors, errors
    catalog.store_definitions(loaded)
    return catalog.current_versions(["new_kinds"])[0]
