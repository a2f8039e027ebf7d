#!/usr/bin/python3
"""Known answers for tests/v4/crypto/kat_test.cc, computed from the spec
(otrv4.md) with hashlib.shake_256 and Ed448 in plain Python integers; no code
from any OTR implementation. Run with /usr/bin/python3; it prints the C++
constants that kat_test.cc holds (checked in, not run by the build)."""
import hashlib

P = 2**448 - 2**224 - 1
Q = 2**446 - 13818066809895115352007386748515426880336692474882178609894547503885
D = -39081
GX = 224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710
GY = 298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660


def shake(data, n):
    return hashlib.shake_256(data).digest(n)


def hwc(domain, usage, parts, n):
    return shake(domain + bytes([usage]) + b"".join(parts), n)


# Affine Edwards arithmetic: x^2 + y^2 = 1 + d x^2 y^2 (otrv4.md, "Elliptic
# Curve Parameters"; RFC 8032 section 5.2.4 formulas).
def add(p1, p2):
    (x1, y1), (x2, y2) = p1, p2
    t = D * x1 * x2 * y1 * y2 % P
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, P - 2, P) % P
    y3 = (y1 * y2 - x1 * x2) * pow(1 - t, P - 2, P) % P
    return (x3, y3)


def mul(k, pt):
    r = (0, 1)
    while k:
        if k & 1:
            r = add(r, pt)
        pt = add(pt, pt)
        k >>= 1
    return r


def encode(pt):
    x, y = pt
    b = bytearray(y.to_bytes(57, "little"))
    b[56] |= (x & 1) << 7
    return bytes(b)


G = (GX, GY)


def le(n, size=57):
    return n.to_bytes(size, "little")


def prune(h):
    h = bytearray(h)
    h[0] &= 0xFC
    h[56] = 0
    h[55] |= 0x80
    return bytes(h)


def hash_and_prune(v):
    return int.from_bytes(prune(shake(v, 57)), "little")


def hash_to_scalar(domain, usage, parts):
    return int.from_bytes(hwc(domain, usage, parts, 57), "little") % Q


def hexs(b):
    return b.hex()


def main():
    assert encode(mul(Q, G)) == encode((0, 1))
    # KDF for every usage ID over "OTRv4" and "OTR-Prekey-Server".
    value = b"usage test value"
    print("// OTRv4 usages 0x00..0x1a, 32 bytes of KDF(usage || \"usage test value\")")
    for u in range(0x1B):
        print('    "%s",' % hexs(hwc(b"OTRv4", u, [value], 32)))
    print("// prekey server usages 0x00..0x17")
    for u in range(0x18):
        print('    "%s",' % hexs(hwc(b"OTR-Prekey-Server", u, [value], 32)))
    # Several values and a long output.
    print("KDF(usage_shared_secret || 'K_ecdh' || 'brace', 64) =",
          hexs(hwc(b"OTRv4", 0x03, [b"K_ecdh", b"brace"], 64)))
    print("HWC(usage_SSID || 'K', 8) =", hexs(hwc(b"OTRv4", 0x04, [b"K"], 8)))
    # HashToScalar.
    h2s = hash_to_scalar(b"OTRv4", 0x19, [b"hash to scalar"])
    print("HashToScalar(usage_SMP_secret || 'hash to scalar') =", hexs(le(h2s)))
    # RFC 8032 section 7.4, "Blank" and "1 octet" keys.
    sym_h = bytes.fromhex(
        "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b")
    sym_f = bytes.fromhex(
        "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e")
    sk_h = hash_and_prune(sym_h)
    sk_f = hash_and_prune(sym_f)
    H = encode(mul(sk_h, G))
    F = encode(mul(sk_f, G))
    print("sk_h =", hexs(le(sk_h)))
    print("H =", hexs(H))
    print("F =", hexs(F))
    print("fingerprint(H, F) =", hexs(hwc(b"OTRv4", 0x00, [H, F], 56)))
    print("prekey server fingerprint(H) =", hexs(hwc(b"OTRv4", 0x00, [H], 56)))
    # generateDH with r = 00 01 .. 4f.
    dh_p = int(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
    r = int.from_bytes(bytes(range(80)), "big")
    print("g3^r =", "%x" % pow(2, r, dh_p))
    print("legendre(3) =", pow(3, (dh_p - 1) // 2, dh_p) == 1)
    # RSig with the signer at index 2 (a2 = sk_h) and fixed random values.
    a1 = mul(hash_and_prune(bytes([1]) * 57), G)
    a3 = mul(hash_and_prune(bytes([3]) * 57), G)
    ring = [encode(a1), H, encode(a3)]
    t2 = hash_and_prune(bytes([0x20]) * 57)
    c1 = hash_and_prune(bytes([0x11]) * 57)
    c3 = hash_and_prune(bytes([0x13]) * 57)
    r1 = hash_and_prune(bytes([0x21]) * 57)
    r3 = hash_and_prune(bytes([0x23]) * 57)
    T1 = encode(add(mul(r1, G), mul(c1, a1)))
    T2 = encode(mul(t2, G))
    T3 = encode(add(mul(r3, G), mul(c3, a3)))
    m = b"ring signature message"
    c = hash_to_scalar(b"OTRv4", 0x1A, [encode(G), le(Q)] + ring + [T1, T2, T3, m])
    c2 = (c - c1 - c3) % Q
    r2 = (t2 - c2 * sk_h) % Q
    print("ring A1 =", ring[0].hex())
    print("ring A3 =", ring[2].hex())
    for name, v in [("c1", c1 % Q), ("r1", r1 % Q), ("c2", c2), ("r2", r2), ("c3", c3 % Q),
                    ("r3", r3 % Q)]:
        print(name, "=", hexs(le(v)))


main()
