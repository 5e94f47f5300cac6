"""Everything that talks to a vendor: providers, normalisers, webhooks, landing, sandbox."""
