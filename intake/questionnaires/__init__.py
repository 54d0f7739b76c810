"""The questionnaire definition engine: format, loading, conditions and answer cleaning.

Plain Python with no request objects and no ORM, so the web pages, the API, the PDF and the
FHIR export all share it and it is tested without a database.
"""
