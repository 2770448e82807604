"""The web layer of the portal: blueprints, forms, sign-in, language, headers, errors, limits."""
