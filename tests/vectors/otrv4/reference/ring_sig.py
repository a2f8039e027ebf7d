"""Ring signatures, otrv4.md Appendix "Ring Signature Authentication".

RSig takes its random values as inputs ("nonces"), named as the spec names
them for the index the prover knows: for a prover holding a_i the spec picks
t_i, then c_j, c_k, r_j, r_k for the two other indices j < k (for i = 1:
t1, c2, c3, r2, r3, the order of the appendix).

The prekey server reuses RSig with its own KDF prefix and usage_auth
(otr-v4-prekey-server.md "DAKE-2 Message"): the `domain` argument.
"""
import ed448
import kdf
import keys
import wire

DOMAIN_USAGE_AUTH = {
    "otrv4": kdf.USAGE_IDS["usage_auth"],
    "prekey-server": kdf.PREKEY_SERVER_USAGE_IDS["usage_auth"],
}


def nonce_names(index):
    """Names of RSig's random values for a prover knowing A_index (1..3)."""
    j, k = [n for n in (1, 2, 3) if n != index]
    return ["t%d" % index, "c%d" % j, "c%d" % k, "r%d" % j, "r%d" % k]


def nonce_scalar(value, readings):
    how = readings["ring_sig_nonce_derivation"]
    if how == "modq":
        return int.from_bytes(value, "little") % ed448.Q
    s = keys.hash_and_prune(value)
    return s % ed448.Q if how == "shake-prune-modq" else s


def _q_bytes(readings):
    if readings["ring_sig_q_encoding"] == "zero":
        return bytes(57)
    return ed448.Q.to_bytes(57, "little")


def challenge(A, T, m, readings, domain="otrv4"):
    """c = HashToScalar(usage_auth || G || q || A1 || A2 || A3 || T1 || T2 || T3 || m)."""
    data = wire.POINT(ed448.G) + _q_bytes(readings)
    data += b"".join(wire.POINT(a) for a in A) + b"".join(wire.POINT(t) for t in T) + m
    return kdf.hash_to_scalar(DOMAIN_USAGE_AUTH[domain], data, domain)


def rsig(secret, index, A, m, nonces, readings, domain="otrv4"):
    """sigma = RSig(A_index, secret, {A1, A2, A3}, m).

    A: three points (already validated); index: 1..3, A[index-1] = G * secret;
    nonces: dict name -> 57 random bytes, names from nonce_names(index).
    Returns (sigma as six ints (c1, r1, c2, r2, c3, r3), trace dict).
    """
    if ed448.G * secret != A[index - 1]:
        raise ValueError("A%d is not G * secret" % index)
    names = nonce_names(index)
    if sorted(nonces) != sorted(names):
        raise ValueError("RSig for index %d takes nonces %s" % (index, names))
    n = {name: nonce_scalar(nonces[name], readings) for name in names}
    c = {}
    r = {}
    T = [None, None, None]
    for i in (1, 2, 3):
        if i == index:
            T[i - 1] = ed448.G * n["t%d" % i]
        else:
            c[i], r[i] = n["c%d" % i], n["r%d" % i]
            T[i - 1] = ed448.G * r[i] + A[i - 1] * c[i]
    ch = challenge(A, T, m, readings, domain)
    others = [i for i in (1, 2, 3) if i != index]
    c[index] = (ch - c[others[0]] - c[others[1]]) % ed448.Q
    r[index] = (n["t%d" % index] - c[index] * secret) % ed448.Q
    sigma = (c[1], r[1], c[2], r[2], c[3], r[3])
    trace = {"nonce_scalars": {k: wire.SCALAR(v % 2**456) for k, v in n.items()},
             "T": [wire.POINT(t) for t in T], "c": wire.SCALAR(ch)}
    return sigma, trace


def parse_sigma(b):
    if len(b) != 342:
        raise ValueError("RING-SIG is 342 bytes")
    return tuple(ed448.decode_scalar(b[i * 57:(i + 1) * 57]) for i in range(6))


def rvrf(A, sigma_bytes, m, readings, domain="otrv4"):
    """RVrf({A1, A2, A3}, sigma, m): True or False.

    A is three POINT encodings; each must be a valid point (the appendix says
    they "should be checked"): an invalid one makes the verification fail.
    """
    try:
        pts = [ed448.decode_valid_point(a) for a in A]
    except ed448.DecodeError:
        return False
    if readings["ring_sig_scalar_decoding"] == "canonical":
        raw = [int.from_bytes(sigma_bytes[i * 57:(i + 1) * 57], "little") for i in range(6)]
        if any(v >= ed448.Q for v in raw):
            return False
    c1, r1, c2, r2, c3, r3 = parse_sigma(sigma_bytes)
    T = [ed448.G * r1 + pts[0] * c1, ed448.G * r2 + pts[1] * c2, ed448.G * r3 + pts[2] * c3]
    c = challenge(pts, T, m, readings, domain)
    return c == (c1 + c2 + c3) % ed448.Q
