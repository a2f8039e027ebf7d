"""The non-interactive DAKE (XZDH) of otrv4.md, "Non-Interactive DAKE
Overview", "Prekey Message" and "Non-Interactive-Auth Message", both sides,
written from the spec. (Written after the C++ protocol/v4/dake/xzdh.cc,
by the same author, from the spec's text: a second reading of that text,
not another team's.)

Readings beyond reference/readings.py (the spec's text leaves them open; the
C++ code reads them the same way, docs/decisions/0015-v4-xzdh.md):
  - phi ("Shared Session State") = INT(lower instance tag) || INT(higher) ||
    POINT(Alice's our_ecdh_first) || MPI(Alice's our_dh_first) || phi': only
    the Non-Interactive-Auth sender has first ratchet keys.
  - t has no leading byte (the spec's list starts with the first HWC), Y, X
    and their_shared_prekey as POINTs, B and A as MPIs.
  - k_dh (the "3072-bit DH shared secret ... serialized as a big-endian
    unsigned integer") in its minimal big-endian bytes.
"""
import ed448
import kdf
import keys
import ring_sig
import wire

U = kdf.USAGE_IDS


def _minimal(v):
    return v.to_bytes((v.bit_length() + 7) // 8, "big")


def phi(alice_tag, bob_tag, alice_ecdh_first, alice_dh_first, phi_prime):
    lo, hi = sorted((alice_tag, bob_tag))
    return (wire.INT(lo) + wire.INT(hi) + wire.POINT(alice_ecdh_first) + wire.MPI(alice_dh_first)
            + phi_prime)


def t_value(bob_cp, alice_cp, Y, X, B, A, D, phi_bytes):
    """t = HWC(usage_non_int_auth_bob_client_profile || Bob_Client_Profile, 64) ||
    HWC(usage_non_int_auth_alice_client_profile || Alice_Client_Profile, 64) ||
    Y || X || B || A || their_shared_prekey || HWC(usage_non_int_auth_phi || phi, 64)."""
    return (kdf.HWC(U["usage_non_int_auth_bob_client_profile"], bob_cp, 64)
            + kdf.HWC(U["usage_non_int_auth_alice_client_profile"], alice_cp, 64)
            + wire.POINT(Y) + wire.POINT(X) + wire.MPI(B) + wire.MPI(A) + wire.POINT(D)
            + kdf.HWC(U["usage_non_int_auth_phi"], phi_bytes, 64))


def brace_key(dh_secret, their_dh):
    if keys.dh_reject_reason(their_dh) is not None:
        raise ValueError("DH value not in the group")
    k_dh = pow(their_dh, dh_secret, keys.DH_P)
    return kdf.KDF(U["usage_third_brace_key"], _minimal(k_dh), 32)


def tmp_key(k_ecdh, ecdh_d, ecdh_h, brace):
    return kdf.KDF(U["usage_tmp_key"], k_ecdh + ecdh_d + ecdh_h + brace, 64)


def auth_mac(tmp_k, t):
    auth_mac_k = kdf.KDF(U["usage_auth_MAC_key"], tmp_k, 64)
    return auth_mac_k, kdf.HCMAC(U["usage_auth_MAC"], auth_mac_k + t, 64)


def alice(x, X, a, A, Y, B, D, H_b, brace_only=False):
    """Alice's tmp_k and brace_key: K_ecdh = ECDH(x, Y), ECDH(x, D_b), ECDH(x, H_b)."""
    brace = brace_key(a, B)
    return tmp_key(keys.ecdh(x, Y), keys.ecdh(x, D), keys.ecdh(x, H_b), brace), brace


def bob(y, b, sk_d, sk_hb, X, A):
    """Bob's: ECDH(y, X), ECDH(sk_d, X), ECDH(sk_hb, X), DH(b, A)."""
    brace = brace_key(b, A)
    return tmp_key(keys.ecdh(y, X), keys.ecdh(sk_d, X), keys.ecdh(sk_hb, X), brace), brace


def shared_secret(tmp_k):
    """K = KDF(usage_shared_secret || tmp_k, 64) and the SSID HWC(usage_SSID || K, 8)."""
    K = kdf.KDF(U["usage_shared_secret"], tmp_k, 64)
    return K, kdf.HWC(U["usage_SSID"], K, 8)


def first_ratchet(K):
    """curr_root_key = KDF(usage_root_key || K, 64), chain_key = KDF(usage_chain_key || K, 64)."""
    return kdf.KDF(U["usage_root_key"], K, 64), kdf.KDF(U["usage_chain_key"], K, 64)


def sign(sk_ha, F_b, H_a, Y, t, nonces, readings):
    """sigma = RSig(H_a, sk_ha, {F_b, H_a, Y}, t): Alice is A2."""
    sigma, _ = ring_sig.rsig(sk_ha, 2, [F_b, H_a, Y], t, nonces, readings)
    return wire.RING_SIG(sigma)


def verify(F_b, H_a, Y, sigma, t, readings):
    return ring_sig.rvrf([wire.POINT(F_b), wire.POINT(H_a), wire.POINT(Y)], sigma, t, readings)


__all__ = ["phi", "t_value", "brace_key", "tmp_key", "auth_mac", "alice", "bob", "shared_secret",
           "first_ratchet", "sign", "verify", "ed448"]
