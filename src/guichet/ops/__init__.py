"""Operations: health probes, Prometheus metrics, structured logs, and the answer during a database outage.

Not a context: it has no pages of its own under a language, no models, and no context imports it.
It stands on the kernel (the outbox it counts, the request id it binds) and is wired in by
settings (middleware, LOGGING) and the root URLconf.
"""
