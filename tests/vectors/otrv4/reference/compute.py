"""One function per vector kind: the outputs of a vector from its inputs.

make_vectors.py writes {"kind", "name", "input", "output": compute(...)};
check_cpp_output.py recomputes every "output" from its "input" with the same
functions and lists the differences. Bytes are lower-case hex strings.
"""
import ed448
import kdf
import keys
import messages
import prekey_server
import profiles
import ring_sig
import wire
import xzdh


def h(b):
    return bytes(b).hex()


def b(s):
    return bytes.fromhex(s)


def _point(s):
    return ed448.decode_valid_point(b(s))


# ---- kdf.json -----------------------------------------------------------------

def kdf_vector(i, readings):
    prefix, ids, functions = kdf.DOMAINS[i["domain"]]
    if ids[i["usage"]] != i["usage_id"]:
        raise ValueError("usage %s is 0x%02x in the spec" % (i["usage"], ids[i["usage"]]))
    if i["function"] not in functions:
        raise ValueError("no function %s in domain %s" % (i["function"], i["domain"]))
    return {"digest": h(kdf.derive(i["domain"], i["usage_id"], b(i["values"]), i["size"]))}


# ---- hash_to_scalar.json ------------------------------------------------------

def hash_to_scalar_vector(i, readings):
    d = b(i["d"])
    digest = kdf.derive(i["domain"], i["usage_id"], d, 57)
    return {"digest": h(digest), "scalar": h(wire.SCALAR(kdf.hash_to_scalar(i["usage_id"], d, i["domain"])))}


# ---- keygen.json --------------------------------------------------------------

def keygen_ecdh(i, readings):
    s, pub = keys.generate_ecdh(b(i["r"]))
    return {"secret": h(wire.SCALAR(s)), "public": h(wire.POINT(pub))}


def keygen_dh(i, readings):
    s, pub = keys.generate_dh(b(i["r"]), readings)
    return {"secret": "%x" % s, "public": h(wire.MPI(pub)[4:])}


def keygen_long_term(i, readings):
    """sym_key -> sk and the typed public key (ED448-PUBKEY, -FORGING-KEY or
    -SHARED-PREKEY, by i["key"])."""
    sk, pub = keys.long_term_key(b(i["sym_key"]))
    typed = {"ED448-PUBKEY": wire.ED448_PUBKEY, "ED448-FORGING-KEY": wire.ED448_FORGING_KEY,
             "ED448-SHARED-PREKEY": wire.ED448_SHARED_PREKEY}[i["key"]]
    return {"secret": h(wire.SCALAR(sk)), "public": h(wire.POINT(pub)),
            "serialized": h(typed(pub, readings))}


def keygen_ecdh_shared(i, readings):
    """K_ecdh = ECDH(a, B) for a from generateECDH(r_a), B a POINT."""
    a, _ = keys.generate_ecdh(b(i["r"]))
    return {"K_ecdh": h(keys.ecdh(a, _point(i["their_public"])))}


# ---- fingerprint.json ---------------------------------------------------------

def fingerprint_vector(i, readings):
    fp = keys.fingerprint(_point(i["H"]), _point(i["F"]), readings)
    return {"fingerprint": h(fp), "human": keys.human_fingerprint(fp)}


def server_fingerprint_vector(i, readings):
    return {"fingerprint": h(keys.server_fingerprint(_point(i["H"])))}


# ---- dh3072.json --------------------------------------------------------------

def dh_membership(i, readings):
    reason = keys.dh_reject_reason(int(i["value"] or "0", 16))
    return {"valid": reason is None, "reason": reason}


def dh_constants(i, readings):
    keys.check_group_constants()
    return {"dh_p": "%X" % keys.DH_P, "dh_q": "%X" % keys.DH_Q, "g3": keys.DH_G3}


# ---- points.json --------------------------------------------------------------

def point_decode(i, readings):
    enc = b(i["encoding"])
    reason = ed448.point_reject_reason(enc)
    out = {"valid": reason is None, "reason": reason}
    if reason is None:
        out["reencoded"] = h(ed448.decode_point(enc).encode())
    return out


def point_base_mul(i, readings):
    """G * k for the scalar k (57 bytes little-endian, used unreduced)."""
    return {"encoding": h(wire.POINT(ed448.G * int.from_bytes(b(i["k"]), "little")))}


def point_add(i, readings):
    return {"encoding": h(wire.POINT(_point(i["a"]) + _point(i["b"])))}


def point_mul(i, readings):
    return {"encoding": h(wire.POINT(_point(i["point"]) * int.from_bytes(b(i["k"]), "little")))}


# ---- eddsa.json ---------------------------------------------------------------

def eddsa_sign(i, readings):
    sk = b(i["secret"])
    return {"public": h(ed448.public_key(sk)),
            "signature": h(ed448.eddsa_sign(sk, b(i["message"]), b(i.get("context", ""))))}


def eddsa_verify(i, readings):
    ok, _ = ed448.eddsa_verify(b(i["public"]), b(i["message"]), b(i["signature"]), b(i.get("context", "")))
    return {"valid": ok}


# ---- ring_signature.json ------------------------------------------------------

def _ring(i):
    return [_point(a) for a in i["A"]]


def rsig_vector(i, readings):
    A = _ring(i)
    secret, pub = keys.long_term_key(b(i["sym_key"]))
    sigma, trace = ring_sig.rsig(secret, i["index"], A, b(i["m"]),
                                 {k: b(v) for k, v in i["nonces"].items()}, readings, i["domain"])
    return {"secret": h(wire.SCALAR(secret)),
            "nonce_scalars": {k: h(v) for k, v in trace["nonce_scalars"].items()},
            "T": [h(t) for t in trace["T"]], "c": h(trace["c"]),
            "sigma": h(wire.RING_SIG(sigma))}


def rvrf_vector(i, readings):
    return {"valid": ring_sig.rvrf([b(a) for a in i["A"]], b(i["sigma"]), b(i["m"]), readings, i["domain"])}


# ---- client_profile.json / prekey_profile.json ---------------------------------

def client_profile_vector(i, readings):
    spec = {
        "instance_tag": i["instance_tag"],
        "H": profiles.long_term_public(b(i["sym_h"])),
        "F": profiles.long_term_public(b(i["sym_f"])),
        "versions": i["versions"].encode("ascii"),
        "expiration": i["expiration"],
        "dsa_pubkey": ({k: int(v, 16) for k, v in i["dsa_pubkey"].items()}
                       if i.get("dsa_pubkey") else None),
        "transitional_signature": b(i["transitional_signature"]) if i.get("transitional_signature") else None,
        "field_order": i.get("field_order"),
    }
    fields, m, sig, enc = profiles.make_client_profile(spec, b(i["sym_h"]), readings)
    assert profiles.verify(wire.POINT(spec["H"]), m, sig)
    return {"H": h(wire.POINT(spec["H"])), "F": h(wire.POINT(spec["F"])),
            "fields": [{"type": t, "value": h(v)} for t, v in fields],
            "signed_bytes": h(m), "signature": h(sig), "encoding": h(enc)}


def prekey_profile_vector(i, readings):
    D = profiles.long_term_public(b(i["sym_d"]))
    m, sig, enc = profiles.make_prekey_profile(i["instance_tag"], i["expiration"], D, b(i["sym_h"]), readings)
    H = wire.POINT(profiles.long_term_public(b(i["sym_h"])))
    assert profiles.verify(H, m, sig)
    return {"H": h(H), "D": h(wire.POINT(D)), "signed_bytes": h(m), "signature": h(sig), "encoding": h(enc)}


def profile_signature_verify(i, readings):
    return {"valid": profiles.verify(b(i["H"]), b(i["signed_bytes"]), b(i["signature"]))}


# ---- messages.json ------------------------------------------------------------

def message_vector(i, readings):
    return {"encoding": h(messages.encode(i["message"], i["fields"], readings))}


def tlv_vector(i, readings):
    if "smp_body" in i:
        value = messages.smp_body(i["smp_body"], i["fields"], readings)
    elif "extra_symmetric_key" in i:
        value = messages.extra_symmetric_key_value(b(i["extra_symmetric_key"]["context"]),
                                                   b(i["extra_symmetric_key"]["data"]))
    else:
        value = b(i["value"])
    return {"value": h(value), "encoding": h(messages.tlv(messages.TLV_TYPES[i["tlv"]], value))}


def data_message_keys(i, readings):
    """otrv4.md "Calculating Encryption and MAC Keys" and "When you send a
    Data Message": the keys of chain_key_s[j] and the Authenticator over the
    given message sections (protocol version .. encrypted message)."""
    ck = b(i["chain_key"])
    mk_enc = kdf.KDF(kdf.USAGE_IDS["usage_message_key"], ck, 64)
    mk_mac = kdf.KDF(kdf.USAGE_IDS["usage_MAC_key"], mk_enc, 64)
    next_ck = kdf.KDF(kdf.USAGE_IDS["usage_next_chain_key"], ck, 64)
    extra = kdf.KDF(kdf.USAGE_IDS["usage_extra_symm_key"], b"\xff" + ck, 64)
    auth = kdf.HCMAC(kdf.USAGE_IDS["usage_authenticator"], mk_mac + b(i["data_message_sections"]), 64)
    return {"MKenc": h(mk_enc), "MKmac": h(mk_mac), "next_chain_key": h(next_ck),
            "extra_symm_key": h(extra), "authenticator": h(auth)}


def prekey_server_macs(i, readings):
    """The MACs of the prekey-server messages from the DAKE's SK."""
    SK = b(i["SK"])
    k = prekey_server.prekey_mac_key(SK)
    out = {"prekey_mac_k": h(k),
           "storage_information_mac": h(prekey_server.storage_information_mac(k)),
           "status_mac": h(prekey_server.storage_status_mac(k, i["receiver_instance_tag"], i["stored_prekey_messages_number"])),
           "success_mac": h(prekey_server.success_mac(k, i["receiver_instance_tag"])),
           "failure_mac": h(prekey_server.failure_mac(k, i["receiver_instance_tag"]))}
    pub = i.get("publication")
    if pub is not None:
        out["prekey_mac"] = h(prekey_server.prekey_mac(
            k, 0x08, [b(m) for m in pub["prekey_messages"]],
            b(pub["client_profile"]) if pub.get("client_profile") else None,
            b(pub["prekey_profile"]) if pub.get("prekey_profile") else None,
            b(pub["proofs"])))
    return out


def prekey_proofs(i, readings):
    """The proofs of a Prekey Publication message (otr-v4-prekey-server.md
    "Proofs"): prekey messages from generateECDH/generateDH of the given r's,
    the shared prekey from sym_d."""
    m = prekey_server.proof_context(b(i["SK"]))
    out = {"m": h(m)}
    proofs = b""
    if i.get("ecdh_r"):
        ys, Ys = zip(*[keys.generate_ecdh(b(r)) for r in i["ecdh_r"]])
        dh = [keys.generate_dh(b(r), readings) for r in i["dh_r"]]
        bs, Bs = zip(*dh)
        pe = prekey_server.ecdh_proof(b(i["proof_r"]["message_ecdh"]), ys, Ys, m, "usage_proof_message_ecdh")
        pd = prekey_server.dh_proof(b(i["proof_r"]["message_dh"]), bs, Bs, m)
        assert prekey_server.verify_ecdh_proof(pe, Ys, m, "usage_proof_message_ecdh")
        assert prekey_server.verify_dh_proof(pd, Bs, m)
        out["Y"] = [h(wire.POINT(Y)) for Y in Ys]
        out["B"] = [h(wire.MPI(B)[4:]) for B in Bs]
        out["message_ecdh_proof"] = h(pe)
        out["message_dh_proof"] = h(pd)
        proofs += pe + pd
    if i.get("sym_d"):
        d, D = keys.long_term_key(b(i["sym_d"]))
        pp = prekey_server.ecdh_proof(b(i["proof_r"]["shared_ecdh"]), [d], [D], m, "usage_proof_shared_ecdh")
        assert prekey_server.verify_ecdh_proof(pp, [D], m, "usage_proof_shared_ecdh")
        out["D"] = h(wire.POINT(D))
        out["prekey_profile_proof"] = h(pp)
        proofs += pp
    out["proofs"] = h(proofs)
    return out


def prekey_server_dake(i, readings):
    """The DAKEZ with the prekey server (otr-v4-prekey-server.md "Key
    Exchange"): I and S from generateECDH of the given r's, the Prekey
    Server Composite Identity, phi, DAKE-2's and DAKE-3's t, SK (both sides
    compute the same), prekey_mac_k and the proofs' m."""
    i_secret, I = keys.generate_ecdh(b(i["i_r"]))
    s_secret, S = keys.generate_ecdh(b(i["s_r"]))
    _, H_s = keys.long_term_key(b(i["server_sym_h"]))
    comp = messages.composite_identity(b(i["server_identity"]), wire.POINT(H_s), readings)
    phi = prekey_server.dake_phi(b(i["publisher_identity"]), b(i["server_identity"]))
    cp = b(i["client_profile"])
    SK = prekey_server.dake_shared_secret(i_secret, S)
    assert SK == prekey_server.dake_shared_secret(s_secret, I)
    return {"I": h(wire.POINT(I)), "S": h(wire.POINT(S)), "H_s": h(wire.POINT(H_s)),
            "composite_identity": h(comp), "phi": h(phi),
            "t_dake2": h(prekey_server.dake_t(0, cp, comp, I, S, phi)),
            "t_dake3": h(prekey_server.dake_t(1, cp, comp, I, S, phi)),
            "SK": h(SK), "prekey_mac_k": h(prekey_server.prekey_mac_key(SK)),
            "m": h(prekey_server.proof_context(SK))}


# ---- xzdh.json ---------------------------------------------------------------

def _xzdh_profile(party, readings):
    spec = {"instance_tag": party["instance_tag"], "H": profiles.long_term_public(b(party["sym_h"])),
            "F": profiles.long_term_public(b(party["sym_f"])), "versions": party["versions"].encode("ascii"),
            "expiration": party["expiration"], "dsa_pubkey": None, "transitional_signature": None,
            "field_order": None}
    return profiles.make_client_profile(spec, b(party["sym_h"]), readings)[3]


def xzdh_vector(i, readings):
    """otrv4.md "Non-Interactive DAKE Overview": Bob's Client Profile, Prekey
    Profile and Prekey Message; Alice's Non-Interactive-Auth message from
    them, with tmp_k, the Auth MAC, K, the SSID and her first ratchet keys;
    Bob's side recomputed from his secrets must agree (asserted here)."""
    al, bo = i["alice"], i["bob"]
    sk_ha, H_a = keys.long_term_key(b(al["sym_h"]))
    sk_hb, H_b = keys.long_term_key(b(bo["sym_h"]))
    F_b = profiles.long_term_public(b(bo["sym_f"]))
    sk_d, D = keys.long_term_key(b(bo["sym_d"]))
    alice_cp = _xzdh_profile(al, readings)
    bob_cp = _xzdh_profile(bo, readings)
    _, _, bob_pp = profiles.make_prekey_profile(bo["instance_tag"], bo["prekey_profile_expiration"], D,
                                                b(bo["sym_h"]), readings)
    y, Y = keys.generate_ecdh(b(bo["y_r"]))
    b_secret, B = keys.generate_dh(b(bo["b_r"]), readings)
    prekey_message = messages.encode("prekey_message", {
        "prekey_message_identifier": bo["prekey_message_identifier"],
        "prekey_owner_instance_tag": bo["instance_tag"], "Y": h(wire.POINT(Y)), "B": h(wire.MPI(B)[4:])},
        readings)
    x, X = keys.generate_ecdh(b(al["x_r"]))
    a, A = keys.generate_dh(b(al["a_r"]), readings)
    _, ecdh_first = keys.generate_ecdh(b(al["ecdh_first_r"]))
    _, dh_first = keys.generate_dh(b(al["dh_first_r"]), readings)
    tmp_k, brace = xzdh.alice(x, X, a, A, Y, B, D, H_b)
    phi = xzdh.phi(al["instance_tag"], bo["instance_tag"], ecdh_first, dh_first, b(i["phi_prime"]))
    t = xzdh.t_value(bob_cp, alice_cp, Y, X, B, A, D, phi)
    nonces = {k: b(v) for k, v in al["nonces"].items() if k in ring_sig.nonce_names(2)}
    sigma = xzdh.sign(sk_ha, F_b, H_a, Y, t, nonces, readings)
    auth_mac_k, mac = xzdh.auth_mac(tmp_k, t)
    K, ssid = xzdh.shared_secret(tmp_k)
    root, chain = xzdh.first_ratchet(K)
    message = messages.encode("non_interactive_auth", {
        "sender_instance_tag": al["instance_tag"], "receiver_instance_tag": bo["instance_tag"],
        "client_profile": h(alice_cp), "X": h(wire.POINT(X)), "A": h(wire.MPI(A)[4:]), "sigma": h(sigma),
        "prekey_message_identifier": bo["prekey_message_identifier"], "auth_mac": h(mac),
        "our_ecdh_first_public": h(wire.POINT(ecdh_first)), "our_dh_first_public": h(wire.MPI(dh_first)[4:])},
        readings)
    # Bob, from his secrets and the message's values.
    bob_tmp_k, bob_brace = xzdh.bob(y, b_secret, sk_d, sk_hb, X, A)
    assert (bob_tmp_k, bob_brace) == (tmp_k, brace)
    assert xzdh.verify(F_b, H_a, Y, sigma, t, readings)
    assert xzdh.auth_mac(bob_tmp_k, t)[1] == mac
    return {"alice_client_profile": h(alice_cp), "bob_client_profile": h(bob_cp), "bob_prekey_profile": h(bob_pp),
            "prekey_message": h(prekey_message), "X": h(wire.POINT(X)), "A": h(wire.MPI(A)[4:]),
            "our_ecdh_first": h(wire.POINT(ecdh_first)), "our_dh_first": h(wire.MPI(dh_first)[4:]),
            "phi": h(phi), "t": h(t), "brace_key": h(brace), "tmp_k": h(tmp_k), "auth_mac_k": h(auth_mac_k),
            "auth_mac": h(mac), "sigma": h(sigma), "K": h(K), "ssid": h(ssid), "root_key": h(root),
            "chain_key": h(chain), "non_interactive_auth": h(message)}


COMPUTE = {
    "kdf": kdf_vector,
    "hash_to_scalar": hash_to_scalar_vector,
    "ecdh": keygen_ecdh,
    "dh": keygen_dh,
    "long_term": keygen_long_term,
    "ecdh_shared_secret": keygen_ecdh_shared,
    "fingerprint": fingerprint_vector,
    "prekey_server_fingerprint": server_fingerprint_vector,
    "dh_constants": dh_constants,
    "dh_membership": dh_membership,
    "point_decode": point_decode,
    "point_base_mul": point_base_mul,
    "point_add": point_add,
    "point_mul": point_mul,
    "eddsa_sign": eddsa_sign,
    "eddsa_verify": eddsa_verify,
    "rsig": rsig_vector,
    "rvrf": rvrf_vector,
    "client_profile": client_profile_vector,
    "prekey_profile": prekey_profile_vector,
    "profile_signature_verify": profile_signature_verify,
    "message": message_vector,
    "tlv": tlv_vector,
    "data_message_keys": data_message_keys,
    "prekey_server_macs": prekey_server_macs,
    "prekey_proofs": prekey_proofs,
    "prekey_server_dake": prekey_server_dake,
    "xzdh": xzdh_vector,
}


def compute(kind, inp, readings):
    return COMPUTE[kind](inp, readings)
