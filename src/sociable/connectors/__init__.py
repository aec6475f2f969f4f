"""Live connectors: platform accounts in, replies out.

`base` holds the interface and the registry; `mastodon`, `bluesky` and `meta` are the built-in
connectors; `exports` reads "Download your information" and X archives; `sync`, `send` and
`worker` run them. Secrets are encrypted at rest (`secrets`).
"""
