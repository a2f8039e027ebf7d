#!/usr/bin/python3
"""An independent OTRv4 reference, written from the specs only.

The modules beside this one, each for one part of otrv4.md and
otr-v4-prekey-server.md:
  ed448.py          field and point arithmetic, POINT/SCALAR encoding, point
                    validation, RFC 8032 Ed448 sign and verify
  kdf.py            KDF / HWC / HCMAC with every usage ID, HashToScalar, the
                    prekey server's KDF
  keys.py           the 3072-bit group and its check, generateECDH/generateDH,
                    long-term, forging and shared-prekey keys, fingerprints
  ring_sig.py       RSig (explicit random values) and RVrf
  wire.py           the data types
  profiles.py       client and prekey profiles: encoding and signatures
  messages.py       every v4 message, TLV, SMP body and prekey-server message
  prekey_server.py  the prekey server's MACs and publication proofs
  xzdh.py           the non-interactive DAKE (XZDH): phi, t, tmp_k, Auth MAC, K
  readings.py       where the spec reads two ways, the choice (a parameter)
  compute.py        vector kind -> outputs from inputs (generator and checker)

Standard library only (hashlib.shake_256 and integers). No code from any
OTR implementation.

Run directly, it checks itself against RFC 8032 section 7.4 and the
Wycheproof Ed448 file: otrv4_ref.py [--wycheproof PATH]
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ed448  # noqa: E402
import keys  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def check_rfc8032(path=os.path.join(HERE, "rfc8032_ed448.json")):
    """RFC 8032 section 7.4: public keys, signatures and their verification."""
    failures = []
    vectors = json.load(open(path))["vectors"]
    for v in vectors:
        sk, msg, ctx = (bytes.fromhex(v[k]) for k in ("secret", "message", "context"))
        if ed448.public_key(sk).hex() != v["public"]:
            failures.append("%s: public key" % v["name"])
        if ed448.eddsa_sign(sk, msg, ctx).hex() != v["signature"]:
            failures.append("%s: signature" % v["name"])
        if not ed448.eddsa_verify(bytes.fromhex(v["public"]), msg, bytes.fromhex(v["signature"]), ctx)[0]:
            failures.append("%s: verify" % v["name"])
        bad = bytearray.fromhex(v["signature"])
        bad[0] ^= 1
        if ed448.eddsa_verify(bytes.fromhex(v["public"]), msg, bytes(bad), ctx)[0]:
            failures.append("%s: tampered signature verifies" % v["name"])
    return len(vectors), failures


def check_wycheproof(path):
    """Every EdDSA Ed448 verification case of a Wycheproof file."""
    failures = []
    doc = json.load(open(path))
    if doc.get("algorithm") != "EDDSA":
        raise ValueError("%s is not a Wycheproof EdDSA file" % path)
    n = 0
    for group in doc["testGroups"]:
        if group["publicKey"].get("curve", "edwards448") != "edwards448":
            continue
        pk = bytes.fromhex(group["publicKey"]["pk"])
        for t in group["tests"]:
            n += 1
            ok, why = ed448.eddsa_verify(pk, bytes.fromhex(t["msg"]), bytes.fromhex(t["sig"]))
            want = t["result"]
            if (want == "valid" and not ok) or (want == "invalid" and ok):
                failures.append("tcId %d (%s): got %s (%s), want %s" % (t["tcId"], t["comment"], ok, why, want))
    return n, failures


def check_curve_constants():
    failures = []
    if not ed448.on_curve_affine(ed448.GX, ed448.GY):
        failures.append("G is not on the curve")
    if not (ed448.G * ed448.Q).is_identity():
        failures.append("q * G is not the identity")
    # q is prime (Miller-Rabin with fixed bases: a check, not a proof) and the
    # group order is 4q: a point of order 4 exists, (1, 0).
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        dd, s = ed448.Q - 1, 0
        while dd % 2 == 0:
            dd //= 2
            s += 1
        x = pow(a, dd, ed448.Q)
        if x in (1, ed448.Q - 1):
            continue
        for _ in range(s - 1):
            x = x * x % ed448.Q
            if x == ed448.Q - 1:
                break
        else:
            failures.append("q is not prime (base %d)" % a)
    keys.check_group_constants()
    return failures


def main(argv):
    wycheproof = None
    if "--wycheproof" in argv:
        wycheproof = argv[argv.index("--wycheproof") + 1]
    failures = check_curve_constants()
    n, f = check_rfc8032()
    print("RFC 8032 section 7.4: %d vectors, %d failures" % (n, len(f)))
    failures += f
    if wycheproof:
        n, f = check_wycheproof(wycheproof)
        print("Wycheproof %s: %d cases, %d failures" % (os.path.basename(wycheproof), n, len(f)))
        failures += f
    for line in failures:
        print("FAIL", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
