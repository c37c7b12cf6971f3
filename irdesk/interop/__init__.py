"""Import and export formats: JSON, Markdown, CSV timeline, STIX 2.1, vCard."""
