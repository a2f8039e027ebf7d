#!/usr/bin/python3
"""Derives the known answers of openssl_backend_test.cc that no RFC lists.

Pure Python, independent of OpenSSL and libdecaf: RFC 8032 section 5.2
(Ed448 in affine coordinates, straight from the formulas) and Python's own
integers. Also re-derives the RFC 8032 section 7.4 vectors the test quotes,
as a check on both this script and the transcription.
Run: /usr/bin/python3 crypto/openssl/testdata/reference_values.py
"""
import hashlib

p = 2**448 - 2**224 - 1
d = -39081 % p
q = 2**446 - 13818066809895115352007386748515426880336692474882178609894547503885
Bx = 224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710
By = 298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660
B = (Bx, By)
IDENTITY = (0, 1)


def add(P, Q):
    (x1, y1), (x2, y2) = P, Q
    t = d * x1 * x2 * y1 * y2 % p
    return ((x1 * y2 + y1 * x2) * pow(1 + t, -1, p) % p,
            (y1 * y2 - x1 * x2) * pow(1 - t, -1, p) % p)


def mul(k, P):
    R = IDENTITY
    while k:
        if k & 1:
            R = add(R, P)
        P = add(P, P)
        k >>= 1
    return R


def enc(P):
    x, y = P
    b = bytearray(y.to_bytes(57, "little"))
    b[56] |= (x & 1) << 7
    return bytes(b)


def recover_x(y, sign):
    u, v = (y * y - 1) % p, (d * y * y - 1) % p
    x = u**3 * v * pow(u**5 * v**3, (p - 3) // 4, p) % p
    if v * x * x % p != u or (x == 0 and sign):
        return None
    return x if x & 1 == sign else p - x


def dec(b):
    y = int.from_bytes(b, "little") & ((1 << 455) - 1)
    x = recover_x(y, b[56] >> 7)
    return (x, y)


def shake(data, n):
    return hashlib.shake_256(data).digest(n)


def dom4():
    return b"SigEd448" + bytes([0, 0])


def secret_scalar(seed):
    h = bytearray(shake(seed, 114))
    h[0] &= 0xFC
    h[55] |= 0x80
    h[56] = 0
    return int.from_bytes(h[:57], "little"), bytes(h[57:])


def sign(seed, msg):
    s, prefix = secret_scalar(seed)
    A = enc(mul(s, B))
    r = int.from_bytes(shake(dom4() + prefix + msg, 114), "little") % q
    R = enc(mul(r, B))
    k = int.from_bytes(shake(dom4() + R + A + msg, 114), "little") % q
    return A, R + ((r + k * s) % q).to_bytes(57, "little")


def le(n, size=57):
    return n.to_bytes(size, "little").hex()


assert (Bx * Bx + By * By - 1 - d * Bx * Bx * By * By) % p == 0
assert mul(q, B) == IDENTITY

print("B      ", enc(B).hex())
print("2B     ", enc(mul(2, B)).hex())
print("-B     ", enc((p - Bx, By)).hex())
k = 0x1234567890ABCDEF
print("kB     ", enc(mul(k, B)).hex(), "k =", hex(k))
print("k(2B)  ", enc(mul(k, mul(2, B))).hex())
print("B+T4   ", enc(add(B, (1, 0))).hex(), "(T4 = (1, 0), order 4)")
print("B+T2   ", enc(add(B, (0, p - 1))).hex(), "(T2 = (0, -1), order 2)")
y = 2
while recover_x(y, 0) is not None:
    y += 1
print("off-curve y =", y)
print("q      ", le(q))
print("q-1    ", le(q - 1))
print("1/4    ", le(pow(4, -1, q)))
print("(2^912-1) mod q", le((2**912 - 1) % q))

for name, seed, msg in [
    ("blank", "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b", ""),
    ("1 octet", "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e", "03"),
]:
    A, sig = sign(bytes.fromhex(seed), bytes.fromhex(msg))
    print("RFC 8032 7.4", name, "public", A.hex())
    print("RFC 8032 7.4", name, "signature", sig.hex())

print("2^5 mod 23 =", pow(2, 5, 23))
