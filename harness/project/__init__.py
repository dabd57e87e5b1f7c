"""The user's project: where its settings are (the nearest ``pyproject.toml`` above the working folder) and
what its ``[tool.harness]`` table says. Every stage reads its settings from here, none from a file of its own."""
