from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import data_versions, search, signals  # noqa: F401  (signals: audit of logins and MFA changes)

        # Every connection reports its writes, so what is kept under a data version is never stale.
        connection_created.connect(data_versions.install, dispatch_uid="guichet.core.data_versions")
        # Global search keeps its answers under the versions of what its providers read (core/search.py).
        data_versions.watch(search.read_labels)
