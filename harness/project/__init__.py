"""The user's project: where it is (the nearest folder above the working folder with a ``harness.toml`` or a
``pyproject.toml`` holding ``[tool.harness]``), what its settings are, the defaults harness ships, and ``harness
init``'s scaffold. Every stage reads its settings from here, none from a file of its own."""
