"""Functions nothing in src/ calls by name, kept on purpose (`make lint` runs vulture with this file).

Add a line only for what a framework calls through a dotted path in settings or a string, or what
exists for tests and operators; anything else nobody calls is dead code to remove.
"""

from guichet.accounts import allauth_wording
from guichet.accounts import context_processors as accounts_context_processors
from guichet.accounts.adapter import AccountAdapter
from guichet.accounts.admin import ApiTokenAdmin
from guichet.accounts.forms import RegistrationForm
from guichet.accounts.models import User, UserManager
from guichet.config import broker
from guichet.contracts import rules as contract_rules
from guichet.core import context_processors as core_context_processors
from guichet.core import countries, form_renderer, migration_ops, rows, signing, uploads, views
from guichet.core.middleware import InvalidCursorMiddleware
from guichet.ops import gunicorn, outage
from guichet.ops.metrics import OutboxCollector
from guichet.support import rules as support_rules

# Named in settings (TEMPLATES context processors, ACCOUNT_ADAPTER, ACCOUNT_SIGNUP_FORM_CLASS, handler*).
accounts_context_processors.navigation
core_context_processors.support_centre
core_context_processors.interface_languages
AccountAdapter.get_login_redirect_url
AccountAdapter.send_mail  # every allauth e-mail, through the outbox
RegistrationForm.signup
views.bad_request
views.permission_denied
views.page_not_found
views.server_error
outage.too_many_requests  # handler429: allauth's rate limits look it up in ROOT_URLCONF
InvalidCursorMiddleware.process_exception  # Django's middleware hook (settings.MIDDLEWARE)
# Named in settings (FORM_RENDERER, the Jinja2 backend's environment of the row partials).
form_renderer.FormRenderer
rows.jinja_environment
# The first of FILE_UPLOAD_HANDLERS (settings); Django calls its hooks.
uploads.BoundedUploadHandler.handle_raw_input
uploads.BoundedUploadHandler.receive_data_chunk
uploads.BoundedUploadHandler.file_complete
# gunicorn's hooks (`-c python:guichet.ops.gunicorn`) and prometheus-client's collector protocol.
gunicorn.on_starting
gunicorn.child_exit
gunicorn.post_worker_init
OutboxCollector.collect
# Django's user model protocol (createsuperuser, the admin); the admin's bulk delete (token revocation).
ApiTokenAdmin.delete_queryset
UserManager.create_superuser
User.get_short_name
# Verification of signed files and the seal cache reset: used by tests and operators.
signing.verify_pdf
signing.forget_seals
# The renewal window as a rule, for the home page's "renewals due" (selectors use its named window).
contract_rules.renewal_due
# allauth sentences kept in our catalogue for "courriel": read by makemessages, never called.
allauth_wording.ALLAUTH_WORDING
# The per-process support-centre copies are dropped by tests between tests, as they clear the cache.
countries.forget_centres
# The SLA policy as counted business time: the stored marks (support/sla.py) are proven against it.
support_rules.sla_state
# The method Django's RedisCache calls to get a client (core/redis_cache.py).
redis_cache._KeptClients.get_client
# Called by migrations (core 0017, support 0010), which vulture does not read.
migration_ops.foreign_key_index_dropped
# The method kombu's Redis channel calls for each command it sends (config/broker.py).
broker.Channel.conn_or_acquire
