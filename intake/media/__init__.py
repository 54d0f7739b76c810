"""Patient media: phone videos and photos, processed by a task, kept privately."""
