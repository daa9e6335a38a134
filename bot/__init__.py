"""The answer engine, its settings and the command line of the OpenAI hardware bot."""
