"""Plain dataclasses, enums and metrics: the language of a case, with no storage or UI."""
