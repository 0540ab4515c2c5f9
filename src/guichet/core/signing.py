"""PAdES signatures with the vendor's seal (pyHanko): sign a PDF, and check one.

Where the key comes from, in this order:

1. PKCS#11 (an HSM or a smart card): ``SIGNING_PKCS11_MODULE`` (path of the
   module, e.g. ``/usr/lib/softhsm/libsofthsm2.so``), ``SIGNING_PKCS11_TOKEN``
   (token label), ``SIGNING_PKCS11_KEY_LABEL`` (label of the key and of its
   certificate), ``SIGNING_PKCS11_PIN``; ``SIGNING_CHAIN_FILE`` adds the issuing
   certificates. Needs the ``python-pkcs11`` package.
2. Files: ``SIGNING_KEY_FILE`` + ``SIGNING_CERT_FILE`` (PEM or DER),
   ``SIGNING_CHAIN_FILE`` (PEM bundle of the issuers), ``SIGNING_KEY_PASSPHRASE``.
3. Neither: a development seal, generated once under ``VAR_DIR/signing/`` (a
   self-signed "Guichet development seal" CA and a signing certificate issued by
   it, private keys 0600). Fine for a workstation; never for customers.

Signatures are PAdES B-B (``ETSI.CAdES.detached``, SHA-256); with
``SIGNING_TSA_URL`` set they are B-T: each carries an RFC 3161 timestamp from
that time-stamping authority, so the signing time no longer rests on the
portal's clock. A TSA that does not answer makes signing fail (``SigningError``)
rather than quietly produce a weaker signature. Each one adds a
visible block at the bottom of the last page; the n-th signature of a document
takes the n-th slot, so a countersignature (an incremental update, which keeps
the earlier signature valid) sits next to the first one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.core.errors import DomainError

from .errors import Code

logger = logging.getLogger(__name__)

DEV_DIR_NAME = "signing"
DEV_CA_NAME = "Guichet development seal"
DEV_SIGNER_NAME = "Guichet development seal (signing)"
DEV_ORGANISATION = "Guichet (development)"
DEV_KEY_BITS = 3072
DEV_CA_VALIDITY = dt.timedelta(days=3650)
DEV_SIGNER_VALIDITY = dt.timedelta(days=1825)
DIGEST = "sha256"
# Long enough for a distant TSA, short enough that a customer waiting on the sign page gets an answer.
TSA_TIMEOUT_SECONDS = 10

# Signature blocks: A4 points, bottom of the last page, above the page footer.
# Documents that get signed leave BLOCK_BOTTOM + BLOCK_HEIGHT + 10 points free at the bottom of their last page.
BLOCK_WIDTH = 245
BLOCK_HEIGHT = 66
BLOCK_BOTTOM = 62
BLOCK_LEFT = 48
BLOCK_GAP = 10
BLOCKS_PER_ROW = 2
A4_WIDTH = 595.0


class SigningError(Exception):
    """The seal could not be loaded or used (configuration, token, file, time-stamping authority).

    Its message is for the operator (it names modules, labels, URLs); people get `SealUnavailable`.
    """


class SealUnavailable(DomainError):
    """What a person is told when their document could not be sealed: nothing was signed, nothing changed."""

    code = Code.SEAL_UNAVAILABLE
    status = 503  # the portal's seal or its TSA is down, not the request: the same request works later


def _off_the_event_loop[T](function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one of pyHanko's sync wrappers, which use `asyncio.run`: in a thread when this one runs a loop.

    (An ASGI server, or a test driving a browser, has a loop running in the calling thread.)
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


# --- key material --------------------------------------------------------------------------


def dev_dir() -> Path:
    return Path(settings.VAR_DIR) / DEV_DIR_NAME


def ensure_dev_seal(directory: Path | None = None) -> Path:
    """The development CA and signing key/certificate, generated on first use.

    Generated into a temporary directory that is then renamed into place, so two
    processes starting together never leave a half-written or mismatched set.
    """
    directory = directory or dev_dir()
    if (directory / "seal-cert.pem").exists():
        return directory
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".signing-", dir=directory.parent))
    try:
        _write_dev_seal(staging)
        os.chmod(staging, 0o700)
        try:
            os.rename(staging, directory)
        except OSError:  # another process won the race: keep theirs
            if not (directory / "seal-cert.pem").exists():
                raise
    finally:
        if staging.exists():
            for child in staging.iterdir():
                child.unlink()
            staging.rmdir()
    logger.warning("Generated a development signing seal under %s (not for production).", directory)
    return directory


def _write_dev_seal(directory: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=DEV_KEY_BITS)
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_CA_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEV_ORGANISATION),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + DEV_CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=DEV_KEY_BITS)
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, DEV_SIGNER_NAME),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEV_ORGANISATION),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + DEV_SIGNER_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    _write_private(directory / "ca-key.pem", _private_pem(ca_key))
    _write_private(directory / "seal-key.pem", _private_pem(key))
    _write_private(directory / "ca-cert.pem", ca_cert.public_bytes(pem))
    _write_private(directory / "seal-cert.pem", cert.public_bytes(pem))


def _private_pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


@dataclass(frozen=True)
class SealConfig:
    key_file: str
    cert_file: str
    chain_file: str
    passphrase: str
    pkcs11_module: str
    pkcs11_token: str
    pkcs11_key_label: str
    pkcs11_pin: str

    @classmethod
    def from_settings(cls) -> SealConfig:
        def get(name: str) -> str:
            return str(getattr(settings, name, "") or "")

        return cls(
            key_file=get("SIGNING_KEY_FILE"),
            cert_file=get("SIGNING_CERT_FILE"),
            chain_file=get("SIGNING_CHAIN_FILE"),
            passphrase=get("SIGNING_KEY_PASSPHRASE"),
            pkcs11_module=get("SIGNING_PKCS11_MODULE"),
            pkcs11_token=get("SIGNING_PKCS11_TOKEN"),
            pkcs11_key_label=get("SIGNING_PKCS11_KEY_LABEL"),
            pkcs11_pin=get("SIGNING_PKCS11_PIN"),
        )

    @property
    def source(self) -> str:
        if self.pkcs11_module:
            return "pkcs11"
        if self.key_file or self.cert_file:
            return "file"
        return "development"


def _load_certs(path: str) -> list[Any]:
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([path])) if path else []


@dataclass(frozen=True)
class Seal:
    signer: Any  # pyhanko.sign.signers.Signer
    trust_roots: tuple[Any, ...]  # asn1crypto certificates trusted when verifying
    name: str  # common name of the signing certificate, shown in the signature block


@lru_cache(maxsize=4)
def _seal_for(config: SealConfig, dev_directory: str) -> Seal:
    from pyhanko.sign import signers

    if config.source == "pkcs11":
        signer = _pkcs11_signer(config)
        chain = _load_certs(config.chain_file)
    elif config.source == "file":
        if not (config.key_file and config.cert_file):
            raise SigningError("Set both SIGNING_KEY_FILE and SIGNING_CERT_FILE.")
        signer = signers.SimpleSigner.load(
            config.key_file,
            config.cert_file,
            ca_chain_files=[config.chain_file] if config.chain_file else None,
            key_passphrase=config.passphrase.encode() if config.passphrase else None,
        )
        chain = _load_certs(config.chain_file)
    else:
        directory = ensure_dev_seal(Path(dev_directory))
        signer = signers.SimpleSigner.load(
            str(directory / "seal-key.pem"),
            str(directory / "seal-cert.pem"),
            ca_chain_files=[str(directory / "ca-cert.pem")],
        )
        chain = _load_certs(str(directory / "ca-cert.pem"))
    if signer is None:
        raise SigningError("The signing key or certificate could not be read.")
    certificate = signer.signing_cert
    # Trust the chain's root(s); asn1crypto's `self_signed` is the string "no" or "maybe", never a bool.
    roots = tuple(c for c in chain if c.self_signed == "maybe") or tuple(chain) or (certificate,)
    return Seal(signer=signer, trust_roots=roots, name=certificate.subject.native.get("common_name", ""))


# PKCS#11 logs in the application, not a session: a second login to the same token is refused while a
# session of this process is logged in. Seals are loaded once per process; `forget_seals` logs them out.
_pkcs11_sessions: list[Any] = []


def _pkcs11_signer(config: SealConfig) -> Any:
    from pkcs11.exceptions import PKCS11Error as TokenError
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    if not config.pkcs11_key_label:
        raise SigningError("Set SIGNING_PKCS11_KEY_LABEL (the label of the key and of its certificate).")
    chain = _load_certs(config.chain_file)
    session = None
    try:
        session = pkcs11.open_pkcs11_session(
            config.pkcs11_module,
            token_criteria=TokenCriteria(label=config.pkcs11_token) if config.pkcs11_token else None,
            user_pin=config.pkcs11_pin or None,
        )
        # The certificate carries the same label as its key on the token (pyHanko's default too).
        signer = pkcs11.PKCS11Signer(
            session, key_label=config.pkcs11_key_label, cert_label=config.pkcs11_key_label, ca_chain=chain or None
        )
        signer.signing_cert  # noqa: B018 -- finds the key and certificate now, not halfway through a signature
    # A missing module is python-pkcs11's error too; its errors name the token's complaint (PinIncorrect,
    # TokenNotPresent...), pyHanko's the label it could not find.
    except (TokenError, PyHankoSigningError, OSError) as error:
        if session is not None:
            session.close()  # a logged-in session left open would keep the token's login for nothing
        reason = str(error) or type(error).__name__
        raise SigningError(
            f"The PKCS#11 seal could not be opened (module {config.pkcs11_module}, token "
            f"{config.pkcs11_token or 'first found'}, key {config.pkcs11_key_label}): {reason}"
        ) from error
    _pkcs11_sessions.append(session)
    return signer


def _timestamper() -> Any:
    """pyHanko's RFC 3161 client for `SIGNING_TSA_URL`, or None when no TSA is configured."""
    url = str(getattr(settings, "SIGNING_TSA_URL", "") or "")
    return _timestamper_for(url) if url else None


@lru_cache(maxsize=2)
def _timestamper_for(url: str) -> Any:
    """One client per URL: it remembers the size of the TSA's tokens, so later signatures need one request, not two."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS)


def forget_seals() -> None:
    """Drop the loaded seals (a changed configuration, tests), closing their token sessions."""
    from pkcs11.exceptions import PKCS11Error

    _seal_for.cache_clear()
    while _pkcs11_sessions:
        try:
            _pkcs11_sessions.pop().close()
        except PKCS11Error as error:  # already gone with its token: nothing left to close
            logger.info("Closing a PKCS#11 session: %s", error)


def seal() -> Seal:
    """The configured seal (loaded once per process and configuration)."""
    return _seal_for(SealConfig.from_settings(), str(dev_dir()))


# --- signing ---------------------------------------------------------------------------------


def _block_box(slot: int, page_width: float) -> tuple[int, int, int, int]:
    row, column = divmod(slot, BLOCKS_PER_ROW)
    x1 = BLOCK_LEFT + column * (BLOCK_WIDTH + BLOCK_GAP)
    if x1 + BLOCK_WIDTH > page_width:
        x1 = max(0, int(page_width) - BLOCK_WIDTH)
    y1 = BLOCK_BOTTOM + row * (BLOCK_HEIGHT + BLOCK_GAP)
    return (x1, y1, x1 + BLOCK_WIDTH, y1 + BLOCK_HEIGHT)


def _block_pdf(lines: list[str], seal_line: str) -> bytes:
    """The visible signature block as a one-page PDF the size of the box (any script, via WeasyPrint)."""
    from weasyprint import HTML

    first, *rest = lines or [""]
    html = (
        "<html><head><meta charset='utf-8'><style>"
        f"@page {{ size: {BLOCK_WIDTH}pt {BLOCK_HEIGHT}pt; margin: 0; }}"
        "body { margin: 0; font-family: 'DejaVu Sans', sans-serif; font-size: 7pt; line-height: 1.25; color: #111; }"
        f".block {{ box-sizing: border-box; height: {BLOCK_HEIGHT}pt; border: 1pt solid #1f4e79;"
        " padding: 3pt 5pt; background: #f4f8fc; overflow: hidden; }"
        ".first { font-weight: bold; font-size: 8pt; } .seal { color: #1f4e79; margin-top: 2pt; }"
        "</style></head><body><div class='block'>"
        f"<div class='first'>{escape(first)}</div>"
        + "".join(f"<div>{escape(line)}</div>" for line in rest)
        + f"<div class='seal'>{escape(seal_line)}</div></div></body></html>"
    )
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return pdf


def _block_style(lines: list[str], seal_line: str) -> Any:
    from pyhanko.pdf_utils import content
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    block = _block_pdf(lines, seal_line)

    class _BlockPage(content.ImportedPdfPage):
        def render(self) -> bytes:
            writer = self._ensure_writer
            xobject = writer.import_page_as_xobject(PdfFileReader(BytesIO(block)), page_ix=0)
            resource_name = b"/Block" + secrets.token_hex(8).encode()
            self.resources.xobject[resource_name.decode("ascii")] = xobject
            x1, y1, x2, y2 = xobject.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return resource_name + b" Do"

    return StaticStampStyle(background=_BlockPage("<memory>"), border_width=0, background_opacity=1.0)


def _page_width(writer: Any) -> float:
    try:
        media_box = writer.find_page_for_modification(-1)[0].get_object()["/MediaBox"]
        return float(media_box[2]) - float(media_box[0])
    except (KeyError, IndexError, TypeError, ValueError):  # no readable size (inherited oddly): assume A4
        return A4_WIDTH


def sign_pdf(
    data: bytes,
    *,
    signer_name: str,
    reason: str,
    location: str,
    field_name: str,
    stamp_lines: list[str] | None = None,
) -> bytes:
    """`data` with one more PAdES signature by the vendor's seal, on behalf of `signer_name`.

    The signature is an incremental update: every earlier signature in `data`
    stays valid. Its visible block (the `stamp_lines`, then the seal) goes at
    the bottom of the last page, in the next free slot.
    """
    from pkcs11.exceptions import PKCS11Error
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    current = seal()
    writer = IncrementalPdfFileWriter(BytesIO(data))
    slot = len(writer.prev.embedded_signatures)
    page_width = _page_width(writer)
    lines = stamp_lines or [signer_name, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")]
    seal_line = _("Sealed by %(seal)s") % {"seal": current.name}
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
    )
    timestamper = _timestamper()
    pdf_signer = signers.PdfSigner(
        meta,
        signer=current.signer,
        timestamper=timestamper,
        stamp_style=_block_style(lines, seal_line),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=-1, box=_block_box(slot, page_width)),
    )
    try:
        output = _off_the_event_loop(pdf_signer.sign_pdf, writer, in_place=False)
    # pyHanko's TimestampRequestError is an OSError; a token that went away mid-signature raises its own.
    except (OSError, TimeoutError, PKCS11Error) as error:
        if isinstance(error, PKCS11Error):
            where = "the seal's PKCS#11 token"
        elif timestamper is not None:
            where = f"the time-stamping authority {timestamper.url}"
        else:
            where = "the seal"
        cause = f" ({error.__cause__})" if error.__cause__ is not None else ""
        raise SigningError(f"Signing failed at {where}: {error or type(error).__name__}{cause}") from error
    return bytes(output.getvalue())


def sign_or_refuse(data: bytes, **signature: Any) -> bytes:
    """`sign_pdf` for a person's action: the details logged for the operator, a translated refusal for them."""
    try:
        return sign_pdf(data, **signature)
    except SigningError:
        logger.exception("Could not seal %s.", signature.get("field_name"))
        # Lazy: the signing runs in the document's language, the refusal is shown in the page's.
        raise SealUnavailable(
            gettext_lazy(
                "The document could not be sealed just now, so nothing was signed. Try again in a few minutes."
            )
        ) from None


# --- verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str  # common name of the certificate that signed
    signer_name: str  # /Name recorded in the signature (the person, for the seal)
    signed_at: dt.datetime | None
    timestamped_at: dt.datetime | None  # time in the RFC 3161 timestamp token (PAdES B-T), if any
    timestamp_trusted: bool | None  # that token is intact, valid and from a trusted TSA; None without one
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature checks out
    trusted: bool  # the certificate chains to a trusted root
    covers_whole_document: bool  # nothing was appended after it
    modification_level: str  # what later revisions did: none, form_filling (countersignatures), other
    docmdp_ok: bool | None
    ok: bool  # everything above acceptable (pyHanko's bottom line)
    summary: str


def verify_pdf(
    data: bytes, *, trust_roots: tuple[Any, ...] | None = None, tsa_trust_roots: tuple[Any, ...] | None = None
) -> list[SignatureReport]:
    """Every signature in `data`, first first, checked by pyHanko against the seal's trust roots.

    Timestamp tokens are checked against `tsa_trust_roots` (by default the same roots as the
    signer): a timestamp from an untrusted TSA makes the signature not `ok`, as pyHanko judges it.
    An unreadable or truncated file gives an empty list (nothing can be trusted in it).
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots if trust_roots is not None else seal().trust_roots
    tsa_roots = tsa_trust_roots if tsa_trust_roots is not None else roots
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError) as error:
        logger.info("Unreadable PDF given to verify_pdf: %s", error)
        return []
    reports = []
    for signature in embedded:
        context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
        tsa_context = ValidationContext(trust_roots=list(tsa_roots), allow_fetching=False)
        try:
            status = _off_the_event_loop(
                validate_pdf_signature, signature, signer_validation_context=context, ts_validation_context=tsa_context
            )
        except (PdfError, ValueError, KeyError) as error:  # malformed signature objects
            reports.append(_broken(signature, str(error)))
            continue
        level = status.modification_level
        timestamp = status.timestamp_validity
        reports.append(
            SignatureReport(
                field_name=signature.field_name,
                signer=status.signing_cert.subject.native.get("common_name", ""),
                signer_name=str(signature.sig_object.get("/Name", "")),
                signed_at=status.signer_reported_dt,
                timestamped_at=timestamp.timestamp if timestamp is not None else None,
                timestamp_trusted=(
                    bool(timestamp.intact and timestamp.valid and timestamp.trusted) if timestamp is not None else None
                ),
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                modification_level=level.name.lower() if level is not None else "unknown",
                docmdp_ok=status.docmdp_ok,
                ok=bool(status.bottom_line),
                summary=status.summary(),
            )
        )
    return reports


def _broken(signature: Any, reason: str) -> SignatureReport:
    return SignatureReport(
        field_name=signature.field_name,
        signer="",
        signer_name="",
        signed_at=None,
        timestamped_at=None,
        timestamp_trusted=None,
        intact=False,
        valid=False,
        trusted=False,
        covers_whole_document=False,
        modification_level="unknown",
        docmdp_ok=None,
        ok=False,
        summary=f"INVALID:{reason}",
    )
