"""Prekey-server MACs and publication proofs.

otr-v4-prekey-server.md "Key Exchange" (the MACs), "Prekey Publication
Message", "Storage Information Request Message", "Storage Status Message",
"Success Message", "Failure Message", "Proofs".
"""
import ed448
import keys
import wire
from kdf import PREKEY_SERVER_USAGE_IDS as U, prekey_KDF as KDF

LAMBDA_BITS = 352  # "Proofs": lambda = 352 (bits)
LAMBDA_BYTES = LAMBDA_BITS // 8


def prekey_mac_key(SK):
    """prekey_mac_k = KDF(usage_preMAC_key, SK, 64)."""
    return KDF(U["usage_preMAC_key"], SK, 64)


def prekey_mac(prekey_mac_k, message_type, prekey_messages, client_profile, prekey_profile, proofs):
    """The Prekey MAC of a Prekey Publication message. The hashes of the
    Client Profile and Prekey Profile are present only with the profiles;
    the hash of the proofs is always last (the spec's "only Prekey Messages"
    case puts a parenthesis after J; read as the other three cases)."""
    N = len(prekey_messages)
    data = prekey_mac_k + wire.BYTE(message_type) + wire.BYTE(N)
    data += KDF(U["usage_prekey_message"], b"".join(prekey_messages), 64)
    data += wire.BYTE(1 if client_profile is not None else 0)
    if client_profile is not None:
        data += KDF(U["usage_client_profile"], client_profile, 64)
    data += wire.BYTE(1 if prekey_profile is not None else 0)
    if prekey_profile is not None:
        data += KDF(U["usage_prekey_profile"], prekey_profile, 64)
    data += KDF(U["usage_mac_proofs"], proofs, 64)
    return KDF(U["usage_preMAC"], data, 64)


def storage_information_mac(prekey_mac_k, message_type=0x09):
    return KDF(U["usage_storage_info_MAC"], prekey_mac_k + wire.BYTE(message_type), 64)


def storage_status_mac(prekey_mac_k, receiver_instance_tag, stored, message_type=0x0B):
    return KDF(U["usage_status_MAC"], prekey_mac_k + wire.BYTE(message_type)
               + wire.INT(receiver_instance_tag) + wire.INT(stored), 64)


def success_mac(prekey_mac_k, receiver_instance_tag, message_type=0x06):
    return KDF(U["usage_success_MAC"], prekey_mac_k + wire.BYTE(message_type)
               + wire.INT(receiver_instance_tag), 64)


def failure_mac(prekey_mac_k, receiver_instance_tag, message_type=0x05):
    return KDF(U["usage_failure_MAC"], prekey_mac_k + wire.BYTE(message_type)
               + wire.INT(receiver_instance_tag), 64)


def proof_context(SK):
    """m = KDF(usage_proof_context, SK, 64)."""
    return KDF(U["usage_proof_context"], SK, 64)


def _pieces(c, n, byteorder):
    """p = KDF(usage_proof_c_lambda, c, n * lambda) cut into n lambda-bit
    pieces t_1..t_n (lambda = 352 bits = 44 bytes; each piece read as an
    integer: little-endian for the ECDH proofs, like a SCALAR, big-endian for
    the DH proof, like an MPI)."""
    p = KDF(U["usage_proof_c_lambda"], c, n * LAMBDA_BYTES)
    return [int.from_bytes(p[i * LAMBDA_BYTES:(i + 1) * LAMBDA_BYTES], byteorder) for i in range(n)]


def ecdh_proof(r, secrets, publics, m, usage):
    """PROOF-ECDH over points publics[i] = G * secrets[i]; r: 56 random bytes
    read as a little-endian scalar. Returns C (64 bytes) || V (SCALAR)."""
    if len(r) != 56 or r == bytes(56):
        raise ValueError("r is 56 bytes, not all zero")
    rs = int.from_bytes(r, "little")
    A = ed448.G * rs
    c = KDF(U[usage], wire.POINT(A) + b"".join(wire.POINT(P) for P in publics) + m, 64)
    t = _pieces(c, len(publics), "little")
    v = (rs + sum(ti * si for ti, si in zip(t, secrets))) % ed448.Q
    return c + wire.SCALAR(v)


def verify_ecdh_proof(proof, publics, m, usage):
    c, v = proof[:64], ed448.decode_scalar(proof[64:121])
    t = _pieces(c, len(publics), "little")
    acc = ed448.IDENTITY_POINT
    for ti, P in zip(t, publics):
        acc = acc + P * ti
    A = ed448.G * v - acc
    return KDF(U[usage], wire.POINT(A) + b"".join(wire.POINT(P) for P in publics) + m, 64) == c


def dh_proof(r, secrets, publics, m):
    """PROOF-DH over publics[i] = g3 ^ secrets[i]; r: 80 random bytes read as
    a big-endian integer. A and the B_i enter the hash as MPIs. Returns
    C (64 bytes) || V (MPI)."""
    if len(r) != 80 or r == bytes(80):
        raise ValueError("r is 80 bytes, not all zero")
    rs = int.from_bytes(r, "big")
    A = pow(keys.DH_G3, rs, keys.DH_P)
    c = KDF(U["usage_proof_message_dh"], wire.MPI(A) + b"".join(wire.MPI(B) for B in publics) + m, 64)
    t = _pieces(c, len(publics), "big")
    v = (rs + sum(ti * si for ti, si in zip(t, secrets))) % keys.DH_Q
    return c + wire.MPI(v)


def verify_dh_proof(proof, publics, m):
    c = proof[:64]
    n = int.from_bytes(proof[64:68], "big")
    v = int.from_bytes(proof[68:68 + n], "big")
    t = _pieces(c, len(publics), "big")
    prod = 1
    for ti, B in zip(t, publics):
        prod = prod * pow(B, ti, keys.DH_P) % keys.DH_P
    A = pow(keys.DH_G3, v, keys.DH_P) * pow(prod, -1, keys.DH_P) % keys.DH_P
    return KDF(U["usage_proof_message_dh"], wire.MPI(A) + b"".join(wire.MPI(B) for B in publics) + m, 64) == c


# ---- The DAKEZ between a publisher and the server ("Key Exchange") ----

def dake_phi(publisher_identity, server_identity):
    """phi = DATA(publisher's identity) || DATA(server's identity), the
    publisher first as in the spec's XMPP example ("Shared Session State",
    "Publishing Prekey Values to the Server")."""
    return wire.DATA(publisher_identity) + wire.DATA(server_identity)


def dake_t(which, client_profile, composite_identity, I, S, phi):
    """t of DAKE-2 (which = 0) or DAKE-3 (which = 1): the first byte, the
    KDFs of the Client Profile, the Prekey Server Composite Identity and phi
    with the initiator's (DAKE-2) or receiver's (DAKE-3) usage IDs, and I, S
    as POINTs."""
    side = "initiator" if which == 0 else "receiver"
    return (bytes([which])
            + KDF(U["usage_%s_client_profile" % side], client_profile, 64)
            + KDF(U["usage_%s_prekey_composite_identity" % side], composite_identity, 64)
            + wire.POINT(I) + wire.POINT(S)
            + KDF(U["usage_%s_prekey_composite_PHI" % side], phi, 64))


def dake_shared_secret(secret, their_public):
    """"Generating Shared Secrets": B = B * cofactor, SK_ecdh = a * B (as a
    POINT, not all zero); SK = KDF(usage_SK, SK_ecdh, 64)."""
    sk_ecdh = keys.ecdh(secret, their_public * ed448.COFACTOR)
    return KDF(U["usage_SK"], sk_ecdh, 64)
