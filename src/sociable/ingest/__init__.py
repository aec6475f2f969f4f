"""Getting data in: the relationship book and social interactions, from files or platforms."""
