"""Key generation, the 3072-bit group, ECDH and fingerprints.

otrv4.md: "3072-bit Diffie-Hellman Parameters", "Verifying that an integer is
in the DH group", "Considerations while working with elliptic curve
parameters", "Public keys, Shared Prekeys, Forging keys and Fingerprints",
"Generating ECDH and DH keys", "Generating Shared Secrets".
"""
import ed448
import kdf
import wire

# otrv4.md, "3072-bit Diffie-Hellman Parameters" (RFC 3526 group 15).
DH_P = int(
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1"
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD"
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245"
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED"
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D"
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F"
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D"
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B"
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9"
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510"
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64"
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7"
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B"
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C"
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31"
    "43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF".replace(" ", ""), 16)
DH_G3 = 2
DH_Q = (DH_P - 1) // 2
# The hex dh_q the same section prints, checked against (dh_p - 1) / 2.
DH_Q_HEX = (
    "7FFFFFFF FFFFFFFF E487ED51 10B4611A 62633145 C06E0E68"
    "94812704 4533E63A 0105DF53 1D89CD91 28A5043C C71A026E"
    "F7CA8CD9 E69D218D 98158536 F92F8A1B A7F09AB6 B6A8E122"
    "F242DABB 312F3F63 7A262174 D31BF6B5 85FFAE5B 7A035BF6"
    "F71C35FD AD44CFD2 D74F9208 BE258FF3 24943328 F6722D9E"
    "E1003E5C 50B1DF82 CC6D241B 0E2AE9CD 348B1FD4 7E9267AF"
    "C1B2AE91 EE51D6CB 0E3179AB 1042A95D CF6A9483 B84B4B36"
    "B3861AA7 255E4C02 78BA3604 650C10BE 19482F23 171B671D"
    "F1CF3B96 0C074301 CD93C1D1 7603D147 DAE2AEF8 37A62964"
    "EF15E5FB 4AAC0B8C 1CCAA4BE 754AB572 8AE9130C 4C7D0288"
    "0AB9472D 45556216 D6998B86 82283D19 D42A90D5 EF8E5D32"
    "767DC282 2C6DF785 457538AB AE83063E D9CB87C2 D370F263"
    "D5FAD746 6D8499EB 8F464A70 2512B0CE E771E913 0D697735"
    "F897FD03 6CC50432 6C3B0139 9F643532 290F958C 0BBD9006"
    "5DF08BAB BD30AEB6 3B84C460 5D6CA371 047127D0 3A72D598"
    "A1EDADFE 707E8847 25C16890 549D6965 7FFFFFFF FFFFFFFF").replace(" ", "")
DH_SECRET_BYTES = 80


def _floor_pi_times_2_to(n):
    """floor(pi * 2^n) with integers only (Machin: pi = 16 atan(1/5) - 4 atan(1/239))."""
    guard = 64
    one = 1 << (n + guard)

    def atan_inv(x):
        total, term, k, sign = 0, one // x, 1, 1
        while term:
            total += sign * (term // k)
            term //= x * x
            k += 2
            sign = -sign
        return total

    return (16 * atan_inv(5) - 4 * atan_inv(239)) >> guard


def check_group_constants():
    """The hex prime equals the formula of the same section,
    2^3072 - 2^3008 - 1 + 2^64 * (floor(2^2942 * pi) + 1690314), the hex dh_q
    is (dh_p - 1) / 2, and g3 = 2 lies in the order-dh_q subgroup."""
    formula = 2**3072 - 2**3008 - 1 + 2**64 * (_floor_pi_times_2_to(2942) + 1690314)
    assert DH_P == formula, "dh_p differs from its formula"
    assert DH_Q == int(DH_Q_HEX, 16), "dh_q differs from (dh_p - 1) / 2"
    assert pow(DH_G3, DH_Q, DH_P) == 1


def dh_reject_reason(x):
    """otrv4.md, "Verifying that an integer is in the DH group".

    None if valid, else "out of range" or "not in subgroup".
    """
    if not (DH_G3 <= x <= DH_P - DH_G3):
        return "out-of-range"
    if pow(x, DH_Q, DH_P) != 1:
        return "not-in-subgroup"
    return None


def hash_and_prune(value):
    """otrv4.md "Considerations while working with elliptic curve
    parameters": h = SHAKE-256(value, 57), pruned, read little-endian."""
    return int.from_bytes(ed448.prune(ed448.shake256(value, 57)), "little")


def generate_ecdh(r):
    """otrv4.md generateECDH() from the 57 random bytes r: (secret s, public G*s)."""
    if len(r) != 57:
        raise ValueError("r is 57 bytes")
    h = ed448.shake256(r, 114)[:57]
    s = int.from_bytes(ed448.prune(h), "little")
    return s, ed448.G * s


def generate_dh(r, readings):
    """otrv4.md generateDH() from the 80 random bytes r: (secret, g3 ^ r)."""
    if len(r) != DH_SECRET_BYTES:
        raise ValueError("r is 80 bytes")
    secret = int.from_bytes(r, readings["dh_secret_byte_order"])
    return secret, pow(DH_G3, secret, DH_P)


def ecdh(secret, public_point):
    """otrv4.md "Generating Shared Secrets": K_ecdh = a * B as a POINT; an
    all-zero result is an error. (a * B is never the all-zero string for a
    point; the check is kept as the spec writes it.)"""
    k = wire.POINT(public_point * secret)
    if k == bytes(57):
        raise ValueError("ECDH result is all zero")
    return k


def long_term_key(sym_key):
    """ED448-PUBKEY / ED448-FORGING-KEY / ED448-SHARED-PREKEY generation from
    sym_key (sym_h, sym_f, sym_d): (sk, public point)."""
    if len(sym_key) != 57:
        raise ValueError("sym_key is 57 bytes")
    s, _ = ed448.secret_scalar(sym_key)
    return s, ed448.G * s


def fingerprint(H, F, readings):
    """otrv4.md: HWC(usage_fingerprint || byte(H) || byte(F), 56)."""
    if readings["fingerprint_input"] == "points":
        data = wire.POINT(H) + wire.POINT(F)
    else:
        data = wire.ED448_PUBKEY(H, readings) + wire.ED448_FORGING_KEY(F, readings)
    return kdf.HWC(kdf.USAGE_IDS["usage_fingerprint"], data, 56)


def human_fingerprint(fp):
    """Upper-case hex in groups of 8, like OTRv3's human form (a display
    convention, not a spec rule: the spec calls fingerprints 'hex strings')."""
    h = fp.hex().upper()
    return " ".join(h[i:i + 8] for i in range(0, len(h), 8))


def server_fingerprint(H):
    """otr-v4-prekey-server.md: KDF_1(usage_fingerprint, byte(H), 56) with the
    OTRv4 KDF."""
    return kdf.KDF(kdf.USAGE_IDS["usage_fingerprint"], wire.POINT(H), 56)
