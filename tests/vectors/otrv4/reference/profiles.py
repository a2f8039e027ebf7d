"""Client and prekey profiles: encoding and EdDSA signatures.

otrv4.md "Client Profile Data Type", "Creating a Client Profile", "Create a
Client Profile Signature", "Verify a Client Profile Signature", "Prekey
Profile Data Type", "Create a Prekey Profile Signature".
"""
import ed448
import keys
import wire

# otrv4.md "Client Profile Data Type": field type codes.
FIELD_INSTANCE_TAG = 0x0001
FIELD_ED448_PUBKEY = 0x0002
FIELD_ED448_FORGING_KEY = 0x0003
FIELD_VERSIONS = 0x0004
FIELD_EXPIRATION = 0x0005
FIELD_DSA_PUBKEY = 0x0006
FIELD_TRANSITIONAL_SIGNATURE = 0x0007
DSA_PUBKEY_TYPE = 0x0000
EDDSA_SIG_BYTES = 114
DSA_SIG_BYTES = 40  # CLIENT-SIG: r and s of 20 bytes each (q of 160 bits)


def dsa_pubkey(p, q, g, y):
    """OTRv3 PUBKEY: SHORT type 0x0000, then p, q, g, y as MPIs."""
    return wire.SHORT(DSA_PUBKEY_TYPE) + wire.MPI(p) + wire.MPI(q) + wire.MPI(g) + wire.MPI(y)


def client_profile_fields(spec, readings):
    """The (type, encoded value) pairs of a client profile, in spec["field_order"].

    spec: instance_tag (int), H and F (points), versions (bytes), expiration
    (int), optional dsa_pubkey (dict of ints p q g y), optional
    transitional_signature (40 bytes), optional field_order (type codes).
    """
    values = {
        FIELD_INSTANCE_TAG: wire.INT(spec["instance_tag"]),
        FIELD_ED448_PUBKEY: wire.ED448_PUBKEY(spec["H"], readings),
        FIELD_ED448_FORGING_KEY: wire.ED448_FORGING_KEY(spec["F"], readings),
        FIELD_VERSIONS: wire.DATA(spec["versions"]),
        FIELD_EXPIRATION: wire.INT64_SIGNED(spec["expiration"]),
    }
    if spec.get("dsa_pubkey") is not None:
        k = spec["dsa_pubkey"]
        values[FIELD_DSA_PUBKEY] = dsa_pubkey(k["p"], k["q"], k["g"], k["y"])
    if spec.get("transitional_signature") is not None:
        sig = spec["transitional_signature"]
        if len(sig) != DSA_SIG_BYTES:
            raise ValueError("CLIENT-SIG is 40 bytes")
        values[FIELD_TRANSITIONAL_SIGNATURE] = bytes(sig)
    order = spec.get("field_order") or sorted(values)
    if sorted(order) != sorted(values):
        raise ValueError("field_order %r does not list the fields %r" % (order, sorted(values)))
    return [(t, values[t]) for t in order]


def encode_fields(fields):
    """Number of Fields (INT) || Fields (each: 2-byte type, big-endian, then the field)."""
    return wire.INT(len(fields)) + b"".join(wire.SHORT(t) + v for t, v in fields)


def client_profile_signed_bytes(fields, readings):
    """The bytes the Client Profile Signature signs (reading
    client_profile_signed_bytes)."""
    if readings["client_profile_signed_bytes"] == "encoding":
        return encode_fields(fields)
    # "field-values": m = instance tag || H || F || versions || expiration
    # [|| DSA key], then || Transitional Signature when there is one.
    by_type = dict(fields)
    m = b"".join(by_type[t] for t in (FIELD_INSTANCE_TAG, FIELD_ED448_PUBKEY,
                                       FIELD_ED448_FORGING_KEY, FIELD_VERSIONS,
                                       FIELD_EXPIRATION, FIELD_DSA_PUBKEY) if t in by_type)
    return m + by_type.get(FIELD_TRANSITIONAL_SIGNATURE, b"")


def sign(sym_h, m):
    """RFC 8032 Ed448 with f = 0 and the empty context c."""
    return ed448.eddsa_sign(sym_h, m, b"", 0)


def make_client_profile(spec, sym_h, readings):
    """Returns (fields, signed bytes, signature, full CLIENT-PROF encoding)."""
    fields = client_profile_fields(spec, readings)
    m = client_profile_signed_bytes(fields, readings)
    sig = sign(sym_h, m)
    return fields, m, sig, encode_fields(fields) + sig


def prekey_profile_signed_bytes(instance_tag, expiration, D, readings):
    """otrv4.md "Create a Prekey Profile Signature": instance tag ||
    expiration || Public Shared Prekey (ED448-SHARED-PREKEY)."""
    return (wire.INT(instance_tag) + wire.INT64_SIGNED(expiration)
            + wire.ED448_SHARED_PREKEY(D, readings))


def make_prekey_profile(instance_tag, expiration, D, sym_h, readings):
    """Returns (signed bytes, signature, full PREKEY-PROF encoding)."""
    m = prekey_profile_signed_bytes(instance_tag, expiration, D, readings)
    sig = sign(sym_h, m)
    return m, sig, m + sig


def verify(H_bytes, m, sig):
    """otrv4.md "Verify a Client/Prekey Profile Signature" (RFC 8032 5.2.7)."""
    return ed448.eddsa_verify(H_bytes, m, sig, b"", 0)[0]


def long_term_public(sym_key):
    return keys.long_term_key(sym_key)[1]
