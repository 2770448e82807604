"""Strong identification of a person through an OpenID Connect provider (issue 20).

`keys` holds the relying party's own signing and encryption keys (published as a JWKS), `client`
runs the authorization code flow (discovery, PKCE, state, nonce, signed request object,
`private_key_jwt`, encrypted ID tokens), `subject` keeps only what the check needed (a keyed hash of
the identity number, never the number), and `policy` reads what a register asks for.
"""
