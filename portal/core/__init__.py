"""The portal's domain: requests, rights, due dates, seals, letters, mail, audit; no HTTP."""
