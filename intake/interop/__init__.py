"""Export answers to other systems: FHIR R4 and long-format CSV."""
