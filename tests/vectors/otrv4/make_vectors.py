#!/usr/bin/python3
"""Writes the OTRv4 test vectors (tests/vectors/otrv4/*.json).

Deterministic: every random-looking input is SHAKE-256(SEED || "/" || label)
for a label naming its use, so the files are the same on every run and a new
vector does not change the others. Outputs come from reference/compute.py.

  make_vectors.py [--out DIR] [--reading name=value ...]

Without --out the files are written next to this script. --reading changes a
reading of the spec (reference/readings.py) for experiments; the published
files use the defaults.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "reference"))

import compute  # noqa: E402
import ed448  # noqa: E402
import kdf  # noqa: E402
import keys  # noqa: E402
import messages  # noqa: E402
import readings as readings_mod  # noqa: E402
import ring_sig  # noqa: E402
import wire  # noqa: E402

SEED = b"otrv4-reference-vectors/1"
GENERATOR = "tests/vectors/otrv4/make_vectors.py (seed 'otrv4-reference-vectors/1')"


def rnd(label, n):
    return hashlib.shake_256(SEED + b"/" + label.encode()).digest(n)


def hx(label, n):
    return rnd(label, n).hex()


class File:
    def __init__(self, name, description, sections, readings):
        self.name = name
        self.doc = {"file": name, "description": description, "spec_sections": sections,
                    "generator": GENERATOR, "readings": readings, "vectors": []}
        self.readings = readings

    def add(self, kind, name, inp):
        out = compute.compute(kind, inp, self.readings)
        self.doc["vectors"].append({"kind": kind, "name": name, "input": inp, "output": out})
        return out

    def write(self, out_dir):
        with open(os.path.join(out_dir, self.name), "w") as f:
            f.write(json.dumps(self.doc, indent=1) + "\n")


# ---- the files ------------------------------------------------------------------

def kdf_file(r):
    f = File("kdf.json", "KDF, HWC and HCMAC (SHAKE-256 with a prefix and a one-byte usage ID) for every "
             "usage ID of both specs, several inputs and sizes; the data message keys of a chain key.",
             ["otrv4.md: Key Derivation Function, Hash Function and MAC Function",
              "otrv4.md: Calculating Encryption and MAC Keys", "otrv4.md: When you send a Data Message",
              "otr-v4-prekey-server.md: Key Derivation Functions"], r)
    sizes = [(0, 32), (57, 64), (200, 57), (3, 8), (64, 56), (114, 114)]
    for domain, (prefix, ids, functions) in kdf.DOMAINS.items():
        for usage, uid in ids.items():
            for fn in functions:
                for n, (vlen, size) in enumerate(sizes[:2] if fn != "KDF" else sizes):
                    label = "kdf/%s/%s/%s/%d" % (domain, usage, fn, n)
                    f.add("kdf", "%s %s %s values=%dB size=%d" % (domain, fn, usage, vlen, size),
                          {"domain": domain, "function": fn, "usage": usage, "usage_id": uid,
                           "values": hx(label, vlen), "size": size})
    for n in range(3):
        ck = hx("data_message_keys/chain_key/%d" % n, 64)
        sections = hx("data_message_keys/sections/%d" % n, 80 + 40 * n)
        f.add("data_message_keys", "chain key %d" % n, {"chain_key": ck, "data_message_sections": sections})
    return f


def hash_to_scalar_file(r):
    f = File("hash_to_scalar.json", "HashToScalar(usageID || d): HWC(usageID || d, 57) read little-endian "
             "mod q. The SMP proofs use usage IDs 0x01..0x08, RSig usage_auth.",
             ["otrv4.md: Appendix HashToScalar", "otrv4.md: SMP Hash Function"], r)
    uses = [("otrv4", kdf.USAGE_IDS["usage_auth"])] + [("otrv4", i) for i in range(1, 9)] + \
        [("prekey-server", kdf.PREKEY_SERVER_USAGE_IDS["usage_auth"])]
    for n, (domain, uid) in enumerate(uses):
        for m, dlen in enumerate((0, 57, 500)):
            f.add("hash_to_scalar", "%s usage 0x%02x d=%dB" % (domain, uid, dlen),
                  {"domain": domain, "usage_id": uid, "d": hx("h2s/%d/%d" % (n, m), dlen)})
    return f


def keygen_file(r):
    f = File("keygen.json", "generateECDH and generateDH from given random bytes; long-term, forging and "
             "shared-prekey keys from sym_key; ECDH shared secrets.",
             ["otrv4.md: Generating ECDH and DH keys",
              "otrv4.md: Public keys, Shared Prekeys, Forging keys and Fingerprints",
              "otrv4.md: Considerations while working with elliptic curve parameters",
              "otrv4.md: Generating Shared Secrets"], r)
    pubs = []
    for n in range(4):
        out = f.add("ecdh", "generateECDH %d" % n, {"r": hx("keygen/ecdh/%d" % n, 57)})
        pubs.append(out["public"])
    for n in range(3):
        f.add("dh", "generateDH %d" % n, {"r": hx("keygen/dh/%d" % n, 80)})
    for key, label in (("ED448-PUBKEY", "sym_h"), ("ED448-FORGING-KEY", "sym_f"), ("ED448-SHARED-PREKEY", "sym_d")):
        for n in range(2):
            f.add("long_term", "%s %d" % (key, n), {"key": key, "sym_key": hx("keygen/%s/%d" % (label, n), 57)})
    for n in range(2):
        f.add("ecdh_shared_secret", "ECDH(a%d, B%d)" % (n, n + 1),
              {"r": hx("keygen/ecdh/%d" % n, 57), "their_public": pubs[n + 1]})
        f.add("ecdh_shared_secret", "ECDH(a%d, B%d)" % (n + 1, n),
              {"r": hx("keygen/ecdh/%d" % (n + 1), 57), "their_public": pubs[n]})
    return f


def fingerprint_file(r):
    f = File("fingerprint.json", "v4 fingerprints HWC(usage_fingerprint || byte(H) || byte(F), 56) and the "
             "prekey server's KDF_1(usage_fingerprint, byte(H), 56). 'human' groups upper-case hex by 8 "
             "(a display convention, not a spec rule).",
             ["otrv4.md: Public keys, Shared Prekeys, Forging keys and Fingerprints",
              "otr-v4-prekey-server.md: Public keys and Fingerprints"], r)
    for n in range(3):
        H = wire.POINT(keys.long_term_key(rnd("fp/sym_h/%d" % n, 57))[1]).hex()
        F = wire.POINT(keys.long_term_key(rnd("fp/sym_f/%d" % n, 57))[1]).hex()
        f.add("fingerprint", "fingerprint %d" % n, {"H": H, "F": F})
    H = wire.POINT(keys.long_term_key(rnd("fp/server", 57))[1]).hex()
    f.add("prekey_server_fingerprint", "prekey server", {"H": H})
    return f


def dh3072_file(r):
    f = File("dh3072.json", "The 3072-bit group's constants and membership: 2 <= x <= dh_p - 2 and "
             "x ^ dh_q mod dh_p = 1. Values are big-endian hex (the MPI value).",
             ["otrv4.md: 3072-bit Diffie-Hellman Parameters",
              "otrv4.md: Verifying that an integer is in the DH group"], r)
    f.add("dh_constants", "constants", {})
    p, q = keys.DH_P, keys.DH_Q
    cases = [("g3", 2), ("4", 4), ("dh_p - 2 (= -2, not a square)", p - 2),
             ("dh_p - 4 (= -4, not in the subgroup)", p - 4),
             ("0", 0), ("1", 1), ("dh_p - 1", p - 1), ("dh_p", p), ("dh_p + 2", p + 2), ("2^3072", 2**3072),
             ("3", 3)]
    for n in range(3):
        _, pub = keys.generate_dh(rnd("keygen/dh/%d" % n, 80), r)
        cases.append(("generateDH public %d" % n, pub))
        cases.append(("dh_p - generateDH public %d" % n, p - pub))
    cases.append(("g3^q (= 1)", pow(2, q, p)))
    for name, v in cases:
        f.add("dh_membership", name, {"value": "%x" % v if v else ""})
    return f


def _enc_y(y, sign):
    n = y | (sign << 455)
    return n.to_bytes(57, "little").hex()


def points_file(r):
    f = File("points.json", "POINT decoding and validation (valid, or the reason: non-canonical, "
             "not-on-curve, identity, torsion), G * k, point addition and multiplication.",
             ["otrv4.md: Encoding and Decoding (Point, Scalar)",
              "otrv4.md: Verifying that a point is on the curve", "otrv4.md: Elliptic Curve Operations"], r)
    P = ed448.P
    valid = [("G", ed448.G)] + [("G * k%d" % n, ed448.G * int.from_bytes(rnd("points/k/%d" % n, 57), "little"))
                                for n in range(4)]
    for name, pt in valid:
        f.add("point_decode", "valid " + name, {"encoding": wire.POINT(pt).hex()})
        f.add("point_decode", "valid -(%s)" % name, {"encoding": wire.POINT(-pt).hex()})
    f.add("point_decode", "identity (0, 1)", {"encoding": _enc_y(1, 0)})
    f.add("point_decode", "non-canonical: identity with the sign bit", {"encoding": _enc_y(1, 1)})
    f.add("point_decode", "non-canonical: (0, -1) with the sign bit", {"encoding": _enc_y(P - 1, 1)})
    f.add("point_decode", "non-canonical: y = p", {"encoding": _enc_y(P, 0)})
    f.add("point_decode", "non-canonical: y = p + 1 (identity + p)", {"encoding": _enc_y(P + 1, 0)})
    f.add("point_decode", "non-canonical: y = 2^448 - 1", {"encoding": _enc_y(2**448 - 1, 0)})
    gy = ed448.G.affine()[1]
    f.add("point_decode", "non-canonical: y(G) + p", {"encoding": _enc_y(gy + P, ed448.G.affine()[0] & 1)})
    f.add("point_decode", "non-canonical: y(G) with a bit of the last byte set",
          {"encoding": _enc_y(gy | (1 << 448), ed448.G.affine()[0] & 1)})
    found = 0
    y = 2
    while found < 3:
        enc = _enc_y(y, 0)
        if ed448.point_reject_reason(bytes.fromhex(enc)) == ed448.NOT_ON_CURVE:
            f.add("point_decode", "not on curve: y = %d" % y, {"encoding": enc})
            found += 1
        y += 1
    f.add("point_decode", "torsion: (0, -1), order 2", {"encoding": _enc_y(P - 1, 0)})
    f.add("point_decode", "torsion: (1, 0), order 4", {"encoding": _enc_y(0, 1)})
    f.add("point_decode", "torsion: (-1, 0), order 4", {"encoding": _enc_y(0, 0)})
    t2 = ed448.decode_point(bytes.fromhex(_enc_y(P - 1, 0)))
    t4 = ed448.decode_point(bytes.fromhex(_enc_y(0, 1)))
    f.add("point_decode", "torsion: G + (0, -1)", {"encoding": wire.POINT(ed448.G + t2).hex()})
    f.add("point_decode", "torsion: G * k0 + (1, 0)", {"encoding": wire.POINT(valid[1][1] + t4).hex()})
    ks = [1, 2, 3, ed448.Q - 1, ed448.Q, ed448.Q + 1, 2**447]
    ks += [int.from_bytes(rnd("points/base_mul/%d" % n, 57), "little") for n in range(3)]
    ks += [keys.hash_and_prune(rnd("points/pruned/%d" % n, 57)) for n in range(2)]
    for k in ks:
        f.add("point_base_mul", "G * %s" % ("%d" % k if k < 2**16 else "0x%x" % k),
              {"k": k.to_bytes(57, "little").hex()})
    pts = [wire.POINT(p).hex() for _, p in valid]
    for n in range(len(pts) - 1):
        f.add("point_add", "P%d + P%d" % (n, n + 1), {"a": pts[n], "b": pts[n + 1]})
    f.add("point_add", "P1 + P1 (doubling)", {"a": pts[1], "b": pts[1]})
    f.add("point_add", "P1 + (-P1) (identity)", {"a": pts[1], "b": wire.POINT(-valid[1][1]).hex()})
    for n in range(3):
        f.add("point_mul", "P%d * k" % (n + 1),
              {"point": pts[n + 1], "k": rnd("points/mul/%d" % n, 57).hex()})
    return f


def eddsa_file(r):
    f = File("eddsa.json", "RFC 8032 Ed448 (f = 0, context as given; OTRv4 uses the empty context) sign and "
             "verify, as the profiles use it. Includes RFC 8032 section 7.4.",
             ["otrv4.md: Create a Client Profile Signature", "otrv4.md: Verify a Client Profile Signature",
              "RFC 8032 section 5.2"], r)
    rfc = json.load(open(os.path.join(HERE, "reference", "rfc8032_ed448.json")))["vectors"]
    for v in rfc:
        f.add("eddsa_sign", "RFC 8032 7.4 " + v["name"],
              {"secret": v["secret"], "message": v["message"], "context": v["context"]})
    for n, mlen in enumerate((0, 1, 57, 300)):
        out = f.add("eddsa_sign", "generated %d (%d-byte message)" % (n, mlen),
                    {"secret": hx("eddsa/sk/%d" % n, 57), "message": hx("eddsa/m/%d" % n, mlen), "context": ""})
        pub, sig, msg = out["public"], out["signature"], hx("eddsa/m/%d" % n, mlen)
        f.add("eddsa_verify", "generated %d" % n, {"public": pub, "message": msg, "signature": sig})
        bad = bytearray.fromhex(sig)
        bad[10] ^= 0x40
        f.add("eddsa_verify", "generated %d, R altered" % n, {"public": pub, "message": msg, "signature": bad.hex()})
        bad = bytearray.fromhex(sig)
        bad[60] ^= 0x01
        f.add("eddsa_verify", "generated %d, S altered" % n, {"public": pub, "message": msg, "signature": bad.hex()})
        S = int.from_bytes(bytes.fromhex(sig)[57:], "little") + ed448.Q
        f.add("eddsa_verify", "generated %d, S + q (out of range)" % n,
              {"public": pub, "message": msg, "signature": sig[:114] + S.to_bytes(57, "little").hex()})
        f.add("eddsa_verify", "generated %d, other message" % n,
              {"public": pub, "message": msg + "00", "signature": sig})
    return f


def _ring_members(n):
    syms = [rnd("ring/%d/sym/%d" % (n, i), 57) for i in range(3)]
    return syms, [wire.POINT(keys.long_term_key(s)[1]).hex() for s in syms]


def ring_signature_file(r):
    f = File("ring_signature.json", "RSig with explicit random values (57 bytes each, named as the spec "
             "names them for the prover's index: t_i, c_j, c_k, r_j, r_k, j < k; each is hashed and pruned, "
             "see the readings) and RVrf. The secret is the long-term key of sym_key; A_index = G * secret. "
             "Domain otrv4 uses \"OTRv4\" and usage_auth 0x1A; prekey-server uses \"OTR-Prekey-Server\" and 0x11.",
             ["otrv4.md: Appendix Ring Signature Authentication", "otrv4.md: Appendix HashToScalar",
              "otrv4.md: Serializing the Ring Signature Proof of Authentication",
              "otr-v4-prekey-server.md: DAKE-2 Message"], r)
    n = 0
    for domain in ("otrv4", "prekey-server"):
        for index in (1, 2, 3):
            syms, A = _ring_members(n)
            m = hx("ring/%d/m" % n, 100 + 50 * index)
            nonces = {name: hx("ring/%d/nonce/%s" % (n, name), 57) for name in ring_sig.nonce_names(index)}
            out = f.add("rsig", "%s prover %d" % (domain, index),
                        {"domain": domain, "A": A, "index": index, "sym_key": syms[index - 1].hex(),
                         "m": m, "nonces": nonces})
            sigma = out["sigma"]
            f.add("rvrf", "%s prover %d: valid" % (domain, index),
                  {"domain": domain, "A": A, "sigma": sigma, "m": m})
            bad = bytearray.fromhex(sigma)
            bad[0] ^= 1
            f.add("rvrf", "%s prover %d: c1 altered" % (domain, index),
                  {"domain": domain, "A": A, "sigma": bad.hex(), "m": m})
            bad = bytearray.fromhex(sigma)
            bad[57 * 5 + 3] ^= 0x10
            f.add("rvrf", "%s prover %d: r3 altered" % (domain, index),
                  {"domain": domain, "A": A, "sigma": bad.hex(), "m": m})
            f.add("rvrf", "%s prover %d: other message" % (domain, index),
                  {"domain": domain, "A": A, "sigma": sigma, "m": m + "01"})
            f.add("rvrf", "%s prover %d: ring in another order" % (domain, index),
                  {"domain": domain, "A": [A[1], A[0], A[2]], "sigma": sigma, "m": m})
            other = "prekey-server" if domain == "otrv4" else "otrv4"
            f.add("rvrf", "%s prover %d: verified in the other domain" % (domain, index),
                  {"domain": other, "A": A, "sigma": sigma, "m": m})
            n += 1
    # r1 + q: the same proof with a non-canonical scalar (reading
    # ring_sig_scalar_decoding: refused by default, accepted under "mod-q").
    syms, A = _ring_members(0)
    sigma = bytearray.fromhex(f.doc["vectors"][0]["output"]["sigma"])
    r1 = int.from_bytes(sigma[57:114], "little") + ed448.Q
    sigma[57:114] = r1.to_bytes(57, "little")
    f.add("rvrf", "otrv4 prover 1: r1 + q (a SCALAR >= q: refused, reading ring_sig_scalar_decoding)",
          {"domain": "otrv4", "A": A, "sigma": sigma.hex(), "m": f.doc["vectors"][0]["input"]["m"]})
    f.add("rvrf", "otrv4 prover 1: A3 the identity",
          {"domain": "otrv4", "A": [A[0], A[1], _enc_y(1, 0)], "sigma": f.doc["vectors"][0]["output"]["sigma"],
           "m": f.doc["vectors"][0]["input"]["m"]})
    return f


DSA_KEY = None


def _dsa_key():
    """Numbers of DSA sizes (p 1024 bits, q 160 bits); NOT a real DSA key:
    the reference only encodes it (the transitional signature is an input)."""
    p = int.from_bytes(rnd("dsa/p", 128), "big") | (1 << 1023) | 1
    q = int.from_bytes(rnd("dsa/q", 20), "big") | (1 << 159) | 1
    g = int.from_bytes(rnd("dsa/g", 128), "big") % p
    y = int.from_bytes(rnd("dsa/y", 128), "big") % p
    return {"p": "%x" % p, "q": "%x" % q, "g": "%x" % g, "y": "%x" % y}


def client_profile_file(r):
    f = File("client_profile.json", "Client profiles from field values: the typed fields, the bytes the "
             "Client Profile Signature signs, the signature (Ed448, sym_h, f = 0, empty context) and the "
             "CLIENT-PROF encoding. The DSA key is of the right sizes but not a real key, and the "
             "transitional signature is given (40 bytes), not computed.",
             ["otrv4.md: Client Profile Data Type", "otrv4.md: Creating a Client Profile",
              "otrv4.md: Create a Client Profile Signature"], r)
    base = {"instance_tag": 0x00000100 + 0x1234, "sym_h": hx("cp/sym_h/0", 57), "sym_f": hx("cp/sym_f/0", 57),
            "versions": "4", "expiration": 1700000000}
    profiles = []
    profiles.append(f.add("client_profile", "v4 only", dict(base))["encoding"])
    profiles.append(f.add("client_profile", "v3 and v4, DSA key and transitional signature",
                          dict(base, instance_tag=0xDEADBEEF, sym_h=hx("cp/sym_h/1", 57), sym_f=hx("cp/sym_f/1", 57),
                               versions="34", expiration=1800000000, dsa_pubkey=_dsa_key(),
                               transitional_signature=hx("cp/transitional/1", 40)))["encoding"])
    profiles.append(f.add("client_profile", "transitional signature without the DSA key",
                          dict(base, instance_tag=0x100, versions="43", expiration=2**40,
                               transitional_signature=hx("cp/transitional/2", 40)))["encoding"])
    f.add("client_profile", "fields in another order (expiration first)",
          dict(base, field_order=[5, 1, 2, 3, 4]))
    f.add("client_profile", "negative expiration (8 bytes signed)", dict(base, expiration=-1))
    v = f.doc["vectors"][0]
    f.add("profile_signature_verify", "v4 only: valid",
          {"H": v["output"]["H"], "signed_bytes": v["output"]["signed_bytes"], "signature": v["output"]["signature"]})
    f.add("profile_signature_verify", "v4 only: expiration altered",
          {"H": v["output"]["H"], "signed_bytes": v["output"]["signed_bytes"][:-2] + "01",
           "signature": v["output"]["signature"]})
    f.add("profile_signature_verify", "v4 only: checked with the forging key",
          {"H": v["output"]["F"], "signed_bytes": v["output"]["signed_bytes"], "signature": v["output"]["signature"]})
    return f


def prekey_profile_file(r):
    f = File("prekey_profile.json", "Prekey profiles: the shared prekey D from sym_d, the signed bytes "
             "(instance tag || expiration || ED448-SHARED-PREKEY), the signature with sym_h, the PREKEY-PROF "
             "encoding.",
             ["otrv4.md: Prekey Profile Data Type", "otrv4.md: Create a Prekey Profile Signature"], r)
    for n, (tag, exp) in enumerate(((0x1334, 1700000000), (0xDEADBEEF, 1800000000), (0x100, -2))):
        out = f.add("prekey_profile", "prekey profile %d" % n,
                    {"instance_tag": tag, "expiration": exp, "sym_d": hx("pp/sym_d/%d" % n, 57),
                     "sym_h": hx("cp/sym_h/%d" % min(n, 1), 57)})
        if n == 0:
            f.add("profile_signature_verify", "prekey profile 0: valid",
                  {"H": out["H"], "signed_bytes": out["signed_bytes"], "signature": out["signature"]})
            f.add("profile_signature_verify", "prekey profile 0: checked with D",
                  {"H": out["D"], "signed_bytes": out["signed_bytes"], "signature": out["signature"]})
    return f


def _ecdh_pub(label):
    return wire.POINT(keys.generate_ecdh(rnd(label, 57))[1]).hex()


def _dh_pub(label, r):
    return wire.MPI(keys.generate_dh(rnd(label, 80), r)[1])[4:].hex()


def _proofs_in_shape(label, with_messages, with_profile):
    """Random values in the shape of a Prekey Publication's proofs
    (otr-v4-prekey-server.md "Proofs", "Prekey Publication Message"): the
    Prekey Message ECDH proof and DH proof when there are prekey messages,
    the Prekey Profile ECDH proof when there is a prekey profile, in that
    order. PROOF-ECDH is C (64 bytes) || V (SCALAR), PROOF-DH is C (64
    bytes) || V (MPI, reduced mod dh_q). They are not valid proofs (the
    prekey_server.json vectors have real ones), but a decoder that reads the
    proofs' structure reads them."""
    def ecdh(part):
        v = int.from_bytes(rnd("%s/%s/V" % (label, part), 57), "little") % ed448.Q
        return rnd("%s/%s/C" % (label, part), 64) + wire.SCALAR(v)

    def dh(part):
        v = int.from_bytes(rnd("%s/%s/V" % (label, part), 384), "big") % keys.DH_Q
        return rnd("%s/%s/C" % (label, part), 64) + wire.MPI(v)

    proofs = b""
    if with_messages:
        proofs += ecdh("message_ecdh") + dh("message_dh")
    if with_profile:
        proofs += ecdh("shared_ecdh")
    return proofs.hex()


def messages_file(r, cp, pp, rs):
    """cp/pp: client/prekey profile files (their encodings are reused); rs: ring signatures."""
    f = File("messages.json", "Every OTRv4 message, TLV, SMP body and prekey-server message from field "
             "values. Field types are in reference/messages.py; bytes are hex, MPIs the hex of the "
             "minimal big-endian value, DATA the bytes inside (the length is added). The values are "
             "real keys and profiles but the messages are not a consistent conversation: sigma, MACs "
             "and ciphertexts are taken from elsewhere or random.",
             ["otrv4.md: Identity Message", "otrv4.md: Auth-R Message", "otrv4.md: Auth-I Message",
              "otrv4.md: Prekey Message", "otrv4.md: Non-Interactive-Auth Message",
              "otrv4.md: Data Message Format", "otrv4.md: TLV Record Types", "otrv4.md: SMP Message 1..4",
              "otr-v4-prekey-server.md: DAKE-1/2/3, Prekey Publication, Storage Information Request, "
              "Storage Status, Success, Failure, Prekey Ensemble Query Retrieval, Prekey Ensemble "
              "Retrieval, No Prekey Ensembles in Storage"], r)
    bob_cp = cp.doc["vectors"][0]["output"]["encoding"]
    alice_cp = cp.doc["vectors"][1]["output"]["encoding"]
    sigma = rs.doc["vectors"][0]["output"]["sigma"]
    sigma2 = rs.doc["vectors"][7]["output"]["sigma"]
    f.add("message", "Identity", {"message": "identity", "fields": {
        "sender_instance_tag": 0x1334, "receiver_instance_tag": 0, "client_profile": bob_cp,
        "Y": _ecdh_pub("msg/Y"), "B": _dh_pub("msg/B", r),
        "our_ecdh_first_public": _ecdh_pub("msg/bob_ecdh_first"), "our_dh_first_public": _dh_pub("msg/bob_dh_first", r)}})
    f.add("message", "Auth-R", {"message": "auth_r", "fields": {
        "sender_instance_tag": 0xDEADBEEF, "receiver_instance_tag": 0x1334, "client_profile": alice_cp,
        "X": _ecdh_pub("msg/X"), "A": _dh_pub("msg/A", r), "sigma": sigma,
        "our_ecdh_first_public": _ecdh_pub("msg/alice_ecdh_first"), "our_dh_first_public": _dh_pub("msg/alice_dh_first", r)}})
    f.add("message", "Auth-I", {"message": "auth_i", "fields": {
        "sender_instance_tag": 0x1334, "receiver_instance_tag": 0xDEADBEEF, "sigma": sigma2}})
    prekey_msgs = []
    for n in range(3):
        out = f.add("message", "Prekey Message %d" % n, {"message": "prekey_message", "fields": {
            "prekey_message_identifier": int.from_bytes(rnd("msg/prekey_id/%d" % n, 4), "big"),
            "prekey_owner_instance_tag": 0x1334,
            "Y": _ecdh_pub("prekey/ecdh/%d" % n), "B": _dh_pub("prekey/dh/%d" % n, r)}})
        prekey_msgs.append(out["encoding"])
    f.add("message", "Non-Interactive-Auth", {"message": "non_interactive_auth", "fields": {
        "sender_instance_tag": 0xDEADBEEF, "receiver_instance_tag": 0x1334, "client_profile": alice_cp,
        "X": _ecdh_pub("msg/nia_X"), "A": _dh_pub("msg/nia_A", r), "sigma": sigma,
        "prekey_message_identifier": int.from_bytes(rnd("msg/prekey_id/0", 4), "big"),
        "auth_mac": hx("msg/nia_mac", 64),
        "our_ecdh_first_public": _ecdh_pub("msg/nia_ecdh_first"), "our_dh_first_public": _dh_pub("msg/nia_dh_first", r)}})
    for n, (dh, old, flags) in enumerate(((True, 0, 0), (False, 0, 1), (False, 3, 0))):
        f.add("message", "Data Message %d (%s DH key, %d old MAC keys, flags %d)" % (n, "with" if dh else "no", old, flags),
              {"message": "data_message", "fields": {
                  "sender_instance_tag": 0xDEADBEEF, "receiver_instance_tag": 0x1334, "flags": flags,
                  "previous_chain_message_number": n * 2, "ratchet_id": 3 * n, "message_id": n + 1,
                  "public_ecdh_key": _ecdh_pub("msg/data_ecdh/%d" % n),
                  "public_dh_key": _dh_pub("msg/data_dh/%d" % n, r) if dh else "",
                  "encrypted_message": hx("msg/data_ct/%d" % n, 17 + 40 * n),
                  "authenticator": hx("msg/data_mac/%d" % n, 64),
                  "old_mac_keys": hx("msg/data_old/%d" % n, 64 * old)}})
    # TLVs (otrv4.md "TLV Record Types").
    f.add("tlv", "padding", {"tlv": "padding", "value": bytes(13).hex()})
    f.add("tlv", "disconnected", {"tlv": "disconnected", "value": ""})
    f.add("tlv", "disconnected with old MAC keys", {"tlv": "disconnected", "value": hx("tlv/old_macs", 128)})
    f.add("tlv", "SMP abort", {"tlv": "smp_abort", "value": ""})
    f.add("tlv", "extra symmetric key", {"tlv": "extra_symmetric_key",
                                         "extra_symmetric_key": {"context": "00000042", "data": b"file.txt".hex()}})

    def pt(label):
        return _ecdh_pub("smp/" + label)

    def sc(label):
        return wire.SCALAR(int.from_bytes(rnd("smp/" + label, 57), "little") % ed448.Q).hex()

    body_values = {"POINT": pt, "SCALAR": sc}
    for name, layout in messages.SMP_BODIES.items():
        for variant in ((0, 1) if name == "smp_message_1" else (0,)):
            fields = {}
            for field, kind in layout:
                if kind == "DATA":
                    fields[field] = "" if variant else "What is the name of our first cat?".encode().hex()
                else:
                    fields[field] = body_values[kind]("%s/%s" % (name, field))
            f.add("tlv", name + (" (no question)" if variant else ""),
                  {"tlv": name, "smp_body": name, "fields": fields})
    plaintext = messages.data_message_plaintext(b"hi", [messages.tlv(0, bytes(4)), messages.tlv(1, b"")])
    f.doc["data_message_plaintext_example"] = {"text": "hi", "tlvs": ["padding (4 zero bytes)", "disconnected"],
                                               "plaintext": plaintext.hex()}
    # Prekey-server messages.
    server_H = wire.POINT(keys.long_term_key(rnd("fp/server", 57))[1]).hex()
    comp = {"identity": b"prekey.example.org".hex(), "H": server_H}
    f.add("message", "DAKE-1", {"message": "dake_1", "fields": {
        "sender_instance_tag": 0x1334, "client_profile": bob_cp, "I": _ecdh_pub("ps/I")}})
    f.add("message", "DAKE-2", {"message": "dake_2", "fields": {
        "receiver_instance_tag": 0x1334, "prekey_server_composite_identity": comp,
        "S": _ecdh_pub("ps/S"), "sigma": rs.doc["vectors"][28]["output"]["sigma"]}})
    bob_pp = pp.doc["vectors"][0]["output"]["encoding"]
    pubs = [
        ("all three", prekey_msgs[:2], bob_cp, bob_pp),
        ("prekey messages only", prekey_msgs, None, None),
        ("profiles only", [], bob_cp, bob_pp),
        ("client profile and prekey messages", prekey_msgs[2:], bob_cp, None),
    ]
    publication = None
    for n, (name, msgs, c, p) in enumerate(pubs):
        proofs = _proofs_in_shape("ps/proofs/%d" % n, bool(msgs), bool(p))
        out = f.add("message", "Prekey Publication: " + name, {"message": "prekey_publication", "fields": {
            "N": len(msgs), "prekey_messages": msgs, "K": 1 if c else 0, "client_profile": c,
            "J": 1 if p else 0, "prekey_profile": p, "proofs": proofs, "prekey_mac": hx("ps/mac/%d" % n, 64)}})
        publication = publication or out["encoding"]
    f.add("message", "DAKE-3 with a Prekey Publication", {"message": "dake_3", "fields": {
        "sender_instance_tag": 0x1334, "sigma": rs.doc["vectors"][21]["output"]["sigma"], "message": publication}})
    out = f.add("message", "Storage Information Request", {"message": "storage_information_request",
                                                            "fields": {"storage_information_mac": hx("ps/sir", 64)}})
    f.add("message", "DAKE-3 with a Storage Information Request", {"message": "dake_3", "fields": {
        "sender_instance_tag": 0x1334, "sigma": rs.doc["vectors"][21]["output"]["sigma"], "message": out["encoding"]}})
    f.add("message", "Storage Status", {"message": "storage_status", "fields": {
        "receiver_instance_tag": 0x1334, "stored_prekey_messages_number": 7, "status_mac": hx("ps/status", 64)}})
    f.add("message", "Success", {"message": "success", "fields": {
        "receiver_instance_tag": 0x1334, "success_mac": hx("ps/success", 64)}})
    f.add("message", "Failure", {"message": "failure", "fields": {
        "receiver_instance_tag": 0x1334, "failure_mac": hx("ps/failure", 64)}})
    f.add("message", "Prekey Ensemble Query Retrieval", {"message": "prekey_ensemble_query_retrieval", "fields": {
        "sender_instance_tag": 0xDEADBEEF, "participant_identity": b"bob@xmpp.example".hex(),
        "versions": b"4".hex()}})
    ens = [{"client_profile": bob_cp, "prekey_profile": bob_pp, "prekey_message": prekey_msgs[i]} for i in range(2)]
    f.add("message", "Prekey Ensemble Retrieval (2 ensembles)", {"message": "prekey_ensemble_retrieval", "fields": {
        "receiver_instance_tag": 0xDEADBEEF, "participant_identity": b"bob@xmpp.example".hex(), "L": 2,
        "ensembles": ens}})
    f.add("message", "No Prekey Ensembles in Storage", {"message": "no_prekey_ensembles_in_storage", "fields": {
        "receiver_instance_tag": 0xDEADBEEF, "participant_identity": b"bob@xmpp.example".hex(),
        "no_prekey_messages_message": b"No Prekey Messages available for this identity".hex()}})
    return f


def prekey_server_file(r, cp, pp):
    f = File("prekey_server.json", "The prekey server's MACs from the DAKE's shared secret SK, and the "
             "publication proofs (PROOF-ECDH for the prekey messages' Y and the profile's D, PROOF-DH for the "
             "prekey messages' B) from given random values; the Prekey MAC over the proofs; the DAKEZ "
             "with the server (composite identity, phi, DAKE-2's and DAKE-3's t, SK).",
             ["otr-v4-prekey-server.md: Key Exchange", "otr-v4-prekey-server.md: Prekey Publication Message",
              "otr-v4-prekey-server.md: Storage Status / Success / Failure Message",
              "otr-v4-prekey-server.md: Proofs"], r)
    bob_cp = cp.doc["vectors"][0]["output"]["encoding"]
    bob_pp = pp.doc["vectors"][0]["output"]["encoding"]
    for n, (nmsg, with_profile) in enumerate(((2, True), (3, False), (0, True))):
        SK = hx("ps/SK/%d" % n, 64)
        inp = {"SK": SK, "ecdh_r": [hx("prekey/ecdh_r/%d/%d" % (n, i), 57) for i in range(nmsg)],
               "dh_r": [hx("prekey/dh_r/%d/%d" % (n, i), 80) for i in range(nmsg)],
               "sym_d": hx("pp/sym_d/0", 57) if with_profile else "",
               "proof_r": {"message_ecdh": hx("ps/proof_r/ecdh/%d" % n, 56),
                           "message_dh": hx("ps/proof_r/dh/%d" % n, 80),
                           "shared_ecdh": hx("ps/proof_r/shared/%d" % n, 56)}}
        proofs = f.add("prekey_proofs", "proofs %d: %d prekey messages%s" % (n, nmsg, ", prekey profile" if with_profile else ""), inp)
        msgs = [messages.encode("prekey_message", {
            "prekey_message_identifier": 0x1000 + i, "prekey_owner_instance_tag": 0x1334,
            "Y": proofs["Y"][i], "B": proofs["B"][i]}, r).hex() for i in range(nmsg)]
        f.add("prekey_server_macs", "MACs %d" % n, {
            "SK": SK, "receiver_instance_tag": 0x1334, "stored_prekey_messages_number": 5 + n,
            "publication": {"prekey_messages": msgs, "client_profile": bob_cp if with_profile else "",
                            "prekey_profile": bob_pp if with_profile else "", "proofs": proofs["proofs"]}})
    for n, (publisher, server) in enumerate(((b"bob@xmpp.example", b"prekey.example.org"),
                                             (b"alice@jabber.net", b"prekey.xmpp.org"))):
        f.add("prekey_server_dake", "DAKE %d" % n, {
            "client_profile": bob_cp, "publisher_identity": publisher.hex(),
            "server_identity": server.hex(), "server_sym_h": hx("ps/dake/server_sym_h/%d" % n, 57),
            "i_r": hx("ps/dake/i_r/%d" % n, 57), "s_r": hx("ps/dake/s_r/%d" % n, 57)})
    return f


def xzdh_file(r):
    f = File("xzdh.json", "The non-interactive DAKE (XZDH): Bob's Client Profile, Prekey Profile and Prekey "
             "Message from his keys; Alice's Non-Interactive-Auth message from them with every intermediate "
             "value (phi, t, brace_key, tmp_k, auth_mac_k, Auth MAC, sigma, K, SSID, the first root and "
             "sending chain keys). Random inputs are given: generateECDH/generateDH bytes, and the nine RSig "
             "values t1, t2, t3, c1, c2, c3, r1, r2, r3 (Alice is A2 of {F_b, H_a, Y}, so t2, c1, c3, r1, r3 "
             "are used). Readings beyond 'readings' (reference/xzdh.py): phi = INT(lower tag) || INT(higher "
             "tag) || POINT(Alice's our_ecdh_first) || MPI(Alice's our_dh_first) || phi'; t has no leading "
             "byte; k_dh in minimal big-endian bytes.",
             ["otrv4.md: Non-Interactive DAKE Overview", "otrv4.md: Prekey Message",
              "otrv4.md: Non-Interactive-Auth Message", "otrv4.md: Shared Session State"], r)
    names = ["t1", "t2", "t3", "c1", "c2", "c3", "r1", "r2", "r3"]
    cases = [("v4 only, empty phi'", 0x1234, 0x5678, "", "4", "4"),
             ("higher tag sends, XMPP phi'", 0xFFFFFF00, 0x100,
              "0000001161" + "6c696365406578616d706c652e6e6574" + "0000000f626f62406578616d706c652e6e6574",
              "34", "43")]
    for n, (name, alice_tag, bob_tag, phi_prime, av, bv) in enumerate(cases):
        label = "xzdh/%d/" % n
        f.add("xzdh", name, {
            "now": 1700000000, "phi_prime": phi_prime,
            "alice": {"instance_tag": alice_tag, "sym_h": hx(label + "alice/sym_h", 57),
                      "sym_f": hx(label + "alice/sym_f", 57), "versions": av, "expiration": 1700600000,
                      "x_r": hx(label + "alice/x", 57), "a_r": hx(label + "alice/a", 80),
                      "ecdh_first_r": hx(label + "alice/ecdh_first", 57),
                      "dh_first_r": hx(label + "alice/dh_first", 80),
                      "nonces": {k: hx(label + "alice/nonce/" + k, 57) for k in names}},
            "bob": {"instance_tag": bob_tag, "sym_h": hx(label + "bob/sym_h", 57),
                    "sym_f": hx(label + "bob/sym_f", 57), "sym_d": hx(label + "bob/sym_d", 57),
                    "versions": bv, "expiration": 1700500000, "prekey_profile_expiration": 1700400000,
                    "prekey_message_identifier": int.from_bytes(rnd(label + "bob/id", 4), "big") | 1,
                    "y_r": hx(label + "bob/y", 57), "b_r": hx(label + "bob/b", 80)}})
    return f


def build(readings):
    cp = client_profile_file(readings)
    pp = prekey_profile_file(readings)
    rs = ring_signature_file(readings)
    return [kdf_file(readings), hash_to_scalar_file(readings), keygen_file(readings),
            fingerprint_file(readings), dh3072_file(readings), points_file(readings),
            eddsa_file(readings), rs, cp, pp, messages_file(readings, cp, pp, rs),
            prekey_server_file(readings, cp, pp), xzdh_file(readings)]


def main(argv):
    out_dir = HERE
    chosen = {}
    i = 0
    while i < len(argv):
        if argv[i] == "--out":
            out_dir = argv[i + 1]
            i += 2
        elif argv[i] == "--reading":
            k, v = argv[i + 1].split("=", 1)
            default = readings_mod.READINGS[k][0]
            chosen[k] = (v == "True") if isinstance(default, bool) else v
            i += 2
        else:
            raise SystemExit(__doc__)
    r = readings_mod.check(chosen)
    os.makedirs(out_dir, exist_ok=True)
    for f in build(r):
        f.write(out_dir)
        print("%s: %d vectors" % (f.name, len(f.doc["vectors"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
