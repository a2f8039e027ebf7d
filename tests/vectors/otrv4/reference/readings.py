"""Readings of the spec where its text allows more than one.

Each entry: name -> (default, allowed values, the section and the reason).
The default is the reading the text supports best; README.md, "Readings of
the spec", explains each. Every vector file records the readings it was made
with (its "readings" object), and check_cpp_output.py recomputes with the
readings recorded in the file it checks.
"""

READINGS = {
    "pubkey_type_byte_order": (
        "little", ("little", "big"),
        "otrv4.md 'Public keys, Shared Prekeys, Forging keys and Fingerprints': "
        "'Pubkey type 2 byte unsigned value, little-endian' (0x0010 -> 10 00); "
        "'big' writes 00 10 like a SHORT."),
    "client_profile_signed_bytes": (
        "encoding", ("encoding", "field-values"),
        "otrv4.md 'Creating a Client Profile' signs 'the entire Client Profile "
        "excluding the signature itself' (Number of Fields || typed Fields); "
        "'Create a Client Profile Signature' lists the concatenated field "
        "values ('field-values': each field's encoding without its type)."),
    "fingerprint_input": (
        "points", ("points", "typed-keys"),
        "otrv4.md fingerprint HWC(usage_fingerprint || byte(H) || byte(F), 56): "
        "byte(H) read as the 57-byte POINT; 'typed-keys' uses ED448-PUBKEY and "
        "ED448-FORGING-KEY (with their 2-byte types)."),
    "ring_sig_nonce_derivation": (
        "shake-prune-modq", ("shake-prune-modq", "shake-prune", "modq"),
        "otrv4.md Appendix 'Ring Signature Authentication': random values 'in "
        "Z_q' that 'should be hashed and pruned' ('Considerations while working "
        "with elliptic curve parameters': h = SHAKE-256(value, 57), pruned); the "
        "pruned value is >= 2^447 > q, so it is reduced mod q to lie in Z_q. "
        "'shake-prune' keeps it unreduced, 'modq' skips hashing and pruning."),
    "ring_sig_q_encoding": (
        "scalar-unreduced", ("scalar-unreduced", "zero"),
        "RSig's c = HashToScalar(usage_auth || G || q || ...): q as a 57-byte "
        "little-endian integer (its value, not reduced mod q); 'zero' is q mod q."),
    "ring_sig_scalar_decoding": (
        "canonical", ("canonical", "mod-q"),
        "RVrf on a RING-SIG whose c_i or r_i is >= q. otrv4.md 'Scalar' decodes a "
        "SCALAR 'mod q'; the project's engine refuses such a proof (a second "
        "encoding of one proof, the malleability RFC 8032 section 5.2.7 closes "
        "with 'S < L'; docs/decisions/0009). 'mod-q' reduces and accepts."),
    "dh_secret_byte_order": (
        "big", ("big", "little"),
        "otrv4.md 'Generating ECDH and DH keys': generateDH picks r (80 bytes), "
        "public g3 ^ r; r read big-endian like every non-curve type ('Notation')."),
    "prekey_message_has_receiver_tag": (
        False, (False, True),
        "otrv4.md 'Prekey Message' encoding: version, type, Prekey Message "
        "Identifier, Prekey owner's instance tag, Y, B (no receiver instance tag)."),
}


def defaults():
    return {k: v[0] for k, v in READINGS.items()}


def check(readings):
    for k, v in readings.items():
        if k not in READINGS:
            raise ValueError("unknown reading %r" % k)
        if v not in READINGS[k][1]:
            raise ValueError("reading %s: %r not one of %r" % (k, v, READINGS[k][1]))
    out = defaults()
    out.update(readings)
    return out
