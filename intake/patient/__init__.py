"""The patient's pages: link entry, date-of-birth check, one section per page, review, submit."""
