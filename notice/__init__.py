"""Seloste notice generator: YAML register descriptions → validated, checked, rendered notices."""
