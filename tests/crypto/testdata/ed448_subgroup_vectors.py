#!/usr/bin/python3
"""Writes ed448_subgroup_vectors.txt: Ed448 encodings and the verdict that
Ed448Decode must give for each, for tests/crypto/ed448_subgroup_test.cc.

Independent of both backends: plain Python integers, RFC 8032 section 5.2
(affine formulas), and the subgroup check done the expensive way the spec
writes it (otrv4.md "Verifying that a point is on the curve": q*P = identity
by double-and-add), not by the Legendre-symbol test of
docs/decisions/0004-decaf-isogeny.md that the backends use.

Lines: "<kind> <scalar hex or -> <encoding hex> <expected>", where expected is
"ok" or an ErrorCode name. Kinds:
  torsion<i>  k*B + T_i for a random k and each of the four points of order
              dividing 4 (T_0 the identity, T_1 = (1, 0), T_2 = (0, -1),
              T_3 = (-1, 0)); the scalar is k (57 bytes little-endian)
  curve       a random y on the curve (either x), any of the four cosets
  wycheproof  every public key and every signature's R in
              tests/vectors/wycheproof/ed448_test.json
Run from the repository root:
  /usr/bin/python3 tests/crypto/testdata/ed448_subgroup_vectors.py
"""
import json
import random

p = 2**448 - 2**224 - 1
d = -39081 % p
q = 2**446 - 13818066809895115352007386748515426880336692474882178609894547503885
B = (224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710,
     298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660)
O = (0, 1)
TORSION = [O, (1, 0), (0, p - 1), (p - 1, 0)]


def add(P, Q):
    (x1, y1), (x2, y2) = P, Q
    t = d * x1 * x2 * y1 * y2 % p
    return ((x1 * y2 + y1 * x2) * pow(1 + t, -1, p) % p,
            (y1 * y2 - x1 * x2) * pow(1 - t, -1, p) % p)


def mul(k, P):
    R = O
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
    """RFC 8032 section 5.2.3 steps 2-4; None when decoding fails."""
    u, v = (y * y - 1) % p, (d * y * y - 1) % p
    x = u**3 * v * pow(u**5 * v**3, (p - 3) // 4, p) % p
    if v * x * x % p != u:
        return None
    if x == 0 and sign:
        return "noncanonical"
    return x if x & 1 == sign else p - x


def verdict(b):
    """What Ed448Decode must say, in the order of decision 0004's table."""
    if len(b) != 57:
        return "kInvalidEncoding"
    y = int.from_bytes(b, "little") & ((1 << 455) - 1)
    sign = b[56] >> 7
    if y >= p:
        return "kNonCanonical"
    if y in (1, p - 1) and sign:
        return "kNonCanonical"
    if y == 1:
        return "kIdentityPoint"
    if y == p - 1:
        return "kNotInSubgroup"
    x = recover_x(y, sign)
    if x is None:
        return "kNotOnCurve"
    if x == "noncanonical":
        return "kNonCanonical"
    return "ok" if mul(q, (x, y)) == O else "kNotInSubgroup"


def main():
    rng = random.Random(448)
    lines = []
    for _ in range(16):
        k = rng.randrange(1, q)
        P = mul(k, B)
        for i, T in enumerate(TORSION):
            e = enc(add(P, T))
            v = verdict(e)
            assert v == ("ok" if i == 0 else "kNotInSubgroup"), (k, i)
            lines.append("torsion%d %s %s %s" % (i, k.to_bytes(57, "little").hex(), e.hex(), v))
    counts = {}
    while len([l for l in lines if l.startswith("curve")]) < 48:
        y = rng.randrange(p)
        x = recover_x(y, rng.randrange(2))
        if x is None or x == "noncanonical" or y in (1, p - 1):
            continue
        e = enc((x, y))
        v = verdict(e)
        counts[v] = counts.get(v, 0) + 1
        lines.append("curve - %s %s" % (e.hex(), v))
    assert counts.get("ok", 0) > 0 and counts.get("kNotInSubgroup", 0) > 0
    seen = set()
    with open("tests/vectors/wycheproof/ed448_test.json") as f:
        vectors = json.load(f)
    for group in vectors["testGroups"]:
        candidates = [bytes.fromhex(group["publicKey"]["pk"])]
        for test in group["tests"]:
            sig = bytes.fromhex(test["sig"])
            if len(sig) == 114:
                candidates.append(sig[:57])
        for c in candidates:
            if c in seen:
                continue
            seen.add(c)
            lines.append("wycheproof - %s %s" % (c.hex(), verdict(c)))
    with open("tests/crypto/testdata/ed448_subgroup_vectors.txt", "w") as f:
        f.write("# Written by ed448_subgroup_vectors.py; do not edit.\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
