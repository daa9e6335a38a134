"""What the bot knows: the curated knowledge file, its schema, the SQLite store and retrieval."""
