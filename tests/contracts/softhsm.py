"""A private SoftHSM2 token holding a seal (key + certificate under one label), for the PKCS#11 signing tests.

SoftHSM missing is a skip on a workstation (with a notice) and a failure in CI, like Chromium for the
browser tests: a silently skipped HSM test would let the PKCS#11 path rot again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.tools import in_ci

from .pki import Issued

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
UTIL = "softhsm2-util"
TOKEN_LABEL = "guichet-test"
KEY_LABEL = "guichet-seal"
KEY_ID = "5ea1"
USER_PIN = "4321"
SO_PIN = "87654321"


def require_softhsm() -> None:
    if MODULE.exists() and shutil.which(UTIL):
        return
    if in_ci():
        pytest.fail(f"SoftHSM2 is required in CI but {MODULE} or {UTIL} is missing (apt-get install softhsm2).")
    print(f"NOTICE: SoftHSM2 not installed ({MODULE}): PKCS#11 signing tests skipped; set CI=true to fail instead")
    pytest.skip("SoftHSM2 not installed: PKCS#11 signing tests skipped")


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    key_label: str
    pin: str
    seal: Issued


def _util(*args: str) -> None:
    subprocess.run([UTIL, *args], check=True, capture_output=True, text=True, timeout=60)


def make_token(directory: Path, seal: Issued) -> Token:
    """Initialise a token in `directory` (its own config and token store) and put `seal` on it.

    SOFTHSM2_CONF must already point at `directory / "softhsm2.conf"` in this process (see `token_config`).
    The key goes in through softhsm2-util's PKCS#8 import; the certificate, which the tool cannot
    import, as a CKO_CERTIFICATE object created with python-pkcs11, with the key's label and ID.
    """
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    _util("--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", SO_PIN, "--pin", USER_PIN)
    key_file = directory / "seal-key.pem"
    key_file.write_bytes(seal.key_pkcs8_pem())
    _util("--import", str(key_file), "--token", TOKEN_LABEL, "--label", KEY_LABEL, "--id", KEY_ID, "--pin", USER_PIN)
    key_file.unlink()  # the key now lives on the token only

    library = pkcs11.lib(str(MODULE))
    library.reinitialize()  # SoftHSM reads its configuration and token list when initialised
    token = library.get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=USER_PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.PRIVATE: False,
                Attribute.LABEL: KEY_LABEL,
                Attribute.ID: bytes.fromhex(KEY_ID),
                Attribute.SUBJECT: seal.asn1_cert().subject.dump(),
                Attribute.VALUE: seal.cert_der(),
            }
        )
    return Token(module=str(MODULE), label=TOKEN_LABEL, key_label=KEY_LABEL, pin=USER_PIN, seal=seal)


def write_config(directory: Path) -> Path:
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    return config


def forget_token() -> None:
    """Back to the machine's SoftHSM configuration, for whatever runs next in this process."""
    import pkcs11

    os.environ.pop("SOFTHSM2_CONF", None)
    pkcs11.lib(str(MODULE)).reinitialize()
