"""harness: schema-constrained extraction of diplomatic contacts from news, and its scorer."""

__version__ = "0.1.0"
