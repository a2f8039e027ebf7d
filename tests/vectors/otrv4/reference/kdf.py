"""KDF, HWC, HCMAC and HashToScalar of OTRv4 and of the prekey server.

otrv4.md, "Key Derivation Function, Hash Function and MAC Function" and
Appendix "HashToScalar"; otr-v4-prekey-server.md, "Key Derivation Functions".
"""
import hashlib

import ed448

OTRV4_PREFIX = b"OTRv4"
PREKEY_SERVER_PREFIX = b"OTR-Prekey-Server"

# otrv4.md, "Key Derivation Function, Hash Function and MAC Function": the
# usageID variables, with the spec's names.
USAGE_IDS = {
    "usage_fingerprint": 0x00,
    "usage_third_brace_key": 0x01,
    "usage_brace_key": 0x02,
    "usage_shared_secret": 0x03,
    "usage_SSID": 0x04,
    "usage_auth_r_bob_client_profile": 0x05,
    "usage_auth_r_alice_client_profile": 0x06,
    "usage_auth_r_phi": 0x07,
    "usage_auth_i_bob_client_profile": 0x08,
    "usage_auth_i_alice_client_profile": 0x09,
    "usage_auth_i_phi": 0x0A,
    "usage_first_root_key": 0x0B,
    "usage_tmp_key": 0x0C,
    "usage_auth_MAC_key": 0x0D,
    "usage_non_int_auth_bob_client_profile": 0x0E,
    "usage_non_int_auth_alice_client_profile": 0x0F,
    "usage_non_int_auth_phi": 0x10,
    "usage_auth_MAC": 0x11,
    "usage_root_key": 0x12,
    "usage_chain_key": 0x13,
    "usage_next_chain_key": 0x14,
    "usage_message_key": 0x15,
    "usage_MAC_key": 0x16,
    "usage_extra_symm_key": 0x17,
    "usage_authenticator": 0x18,
    "usage_SMP_secret": 0x19,
    "usage_auth": 0x1A,
}

# otr-v4-prekey-server.md, "Key Derivation Functions".
PREKEY_SERVER_USAGE_IDS = {
    "usage_Fingerprint": 0x00,
    "usage_SK": 0x01,
    "usage_initiator_client_profile": 0x02,
    "usage_initiator_prekey_composite_identity": 0x03,
    "usage_initiator_prekey_composite_PHI": 0x04,
    "usage_receiver_client_profile": 0x05,
    "usage_receiver_prekey_composite_identity": 0x06,
    "usage_receiver_prekey_composite_PHI": 0x07,
    "usage_preMAC_key": 0x08,
    "usage_preMAC": 0x09,
    "usage_storage_info_MAC": 0x0A,
    "usage_status_MAC": 0x0B,
    "usage_success_MAC": 0x0C,
    "usage_failure_MAC": 0x0D,
    "usage_prekey_message": 0x0E,
    "usage_client_profile": 0x0F,
    "usage_prekey_profile": 0x10,
    "usage_auth": 0x11,
    "usage_proof_context": 0x12,
    "usage_proof_message_ecdh": 0x13,
    "usage_proof_message_dh": 0x14,
    "usage_proof_shared_ecdh": 0x15,
    "usage_mac_proofs": 0x16,
    "usage_proof_c_lambda": 0x17,
}

# The functions of each domain, by name (kdf.json's "function" field).
DOMAINS = {
    "otrv4": (OTRV4_PREFIX, USAGE_IDS, ("KDF", "HWC", "HCMAC")),
    "prekey-server": (PREKEY_SERVER_PREFIX, PREKEY_SERVER_USAGE_IDS, ("KDF",)),
}


def _shake(prefix, usage_id, values, size):
    if not 0 <= usage_id <= 0xFF:
        raise ValueError("usage ID is one byte")
    return hashlib.shake_256(prefix + bytes([usage_id]) + values).digest(size)


def KDF(usage_id, values, size):
    """KDF(usage_ID || values, size) = SHAKE-256("OTRv4" || usage_ID || values, size)."""
    return _shake(OTRV4_PREFIX, usage_id, values, size)


def HWC(usage_id, values, size):
    """Same construction as KDF; the name says it is used as a hash."""
    return _shake(OTRV4_PREFIX, usage_id, values, size)


def HCMAC(usage_id, values, size):
    """Same construction as KDF; the name says it is used as a MAC."""
    return _shake(OTRV4_PREFIX, usage_id, values, size)


def prekey_KDF(usage_id, values, size):
    """KDF(usage_ID, values, size) = SHAKE-256("OTR-Prekey-Server" || usageID || values, size)."""
    return _shake(PREKEY_SERVER_PREFIX, usage_id, values, size)


def derive(domain, usage_id, values, size):
    return _shake(DOMAINS[domain][0], usage_id, values, size)


def hash_to_scalar(usage_id, d, domain="otrv4"):
    """otrv4.md Appendix "HashToScalar": h = HWC(usageID || d, 57), read
    little-endian as a scalar (SCALAR decoding: mod q)."""
    h = derive(domain, usage_id, d, 57)
    return int.from_bytes(h, "little") % ed448.Q
