"""Encodings of every OTRv4 message, TLV and SMP body, and of every
prekey-server message, built from field values.

Each message is a table of (field name, type) in wire order, copied from the
encoding blocks of the specs; `encode(name, fields)` writes them. The version
and message type come from the table, every other value from `fields`.

Field types: SHORT, BYTE, INT (unsigned), POINT and SCALAR (57 bytes), MPI
(hex of the minimal big-endian value; "" is an empty MPI), DATA (the bytes
inside; the 4-byte length is written here), MAC (64 bytes), RING-SIG (342
bytes), CLIENT-PROF, PREKEY-PROF, PREKEY-MESSAGE, RAW (bytes written as given),
PREKEY-SERVER-COMP-ID (identity DATA + ED448-PUBKEY), ENSEMBLES (a list of
{client_profile, prekey_profile, prekey_message}), PREKEY-MESSAGES (a list of
encoded Prekey Messages; its count is the N field before it), OPTIONAL-*
(absent when the preceding K/J byte is zero).
"""
import wire

PROTOCOL_VERSION = 0x0004

# otrv4.md: message type codes.
OTRV4_MESSAGES = {
    # "Identity Message"
    "identity": (0x35, [
        ("sender_instance_tag", "INT"), ("receiver_instance_tag", "INT"),
        ("client_profile", "CLIENT-PROF"), ("Y", "POINT"), ("B", "MPI"),
        ("our_ecdh_first_public", "POINT"), ("our_dh_first_public", "MPI")]),
    # "Auth-R Message"
    "auth_r": (0x36, [
        ("sender_instance_tag", "INT"), ("receiver_instance_tag", "INT"),
        ("client_profile", "CLIENT-PROF"), ("X", "POINT"), ("A", "MPI"),
        ("sigma", "RING-SIG"),
        ("our_ecdh_first_public", "POINT"), ("our_dh_first_public", "MPI")]),
    # "Auth-I Message"
    "auth_i": (0x37, [
        ("sender_instance_tag", "INT"), ("receiver_instance_tag", "INT"),
        ("sigma", "RING-SIG")]),
    # "Prekey Message" (no receiver instance tag in the spec's encoding; the
    # reading prekey_message_has_receiver_tag adds one after the owner's tag)
    "prekey_message": (0x0F, [
        ("prekey_message_identifier", "INT"), ("prekey_owner_instance_tag", "INT"),
        ("Y", "POINT"), ("B", "MPI")]),
    # "Non-Interactive-Auth Message"
    "non_interactive_auth": (0x0D, [
        ("sender_instance_tag", "INT"), ("receiver_instance_tag", "INT"),
        ("client_profile", "CLIENT-PROF"), ("X", "POINT"), ("A", "MPI"),
        ("sigma", "RING-SIG"), ("prekey_message_identifier", "INT"),
        ("auth_mac", "MAC"),
        ("our_ecdh_first_public", "POINT"), ("our_dh_first_public", "MPI")]),
    # "Data Message Format"
    "data_message": (0x03, [
        ("sender_instance_tag", "INT"), ("receiver_instance_tag", "INT"),
        ("flags", "BYTE"), ("previous_chain_message_number", "INT"),
        ("ratchet_id", "INT"), ("message_id", "INT"),
        ("public_ecdh_key", "POINT"), ("public_dh_key", "MPI"),
        ("encrypted_message", "DATA"), ("authenticator", "MAC"),
        ("old_mac_keys", "DATA")]),
}

# otr-v4-prekey-server.md: message type codes and encodings.
PREKEY_SERVER_MESSAGES = {
    "dake_1": (0x35, [
        ("sender_instance_tag", "INT"), ("client_profile", "CLIENT-PROF"),
        ("I", "POINT")]),
    "dake_2": (0x36, [
        ("receiver_instance_tag", "INT"),
        ("prekey_server_composite_identity", "PREKEY-SERVER-COMP-ID"),
        ("S", "POINT"), ("sigma", "RING-SIG")]),
    "dake_3": (0x37, [
        ("sender_instance_tag", "INT"), ("sigma", "RING-SIG"), ("message", "DATA")]),
    "prekey_publication": (0x08, [
        ("N", "BYTE"), ("prekey_messages", "PREKEY-MESSAGES"),
        ("K", "BYTE"), ("client_profile", "OPTIONAL-CLIENT-PROF"),
        ("J", "BYTE"), ("prekey_profile", "OPTIONAL-PREKEY-PROF"),
        ("proofs", "RAW"), ("prekey_mac", "MAC")]),
    "storage_information_request": (0x09, [
        ("storage_information_mac", "MAC")]),
    "storage_status": (0x0B, [
        ("receiver_instance_tag", "INT"), ("stored_prekey_messages_number", "INT"),
        ("status_mac", "MAC")]),
    "success": (0x06, [
        ("receiver_instance_tag", "INT"), ("success_mac", "MAC")]),
    "failure": (0x05, [
        ("receiver_instance_tag", "INT"), ("failure_mac", "MAC")]),
    "prekey_ensemble_query_retrieval": (0x10, [
        ("sender_instance_tag", "INT"), ("participant_identity", "DATA"),
        ("versions", "DATA")]),
    "prekey_ensemble_retrieval": (0x13, [
        ("receiver_instance_tag", "INT"), ("participant_identity", "DATA"),
        ("L", "INT"), ("ensembles", "ENSEMBLES")]),
    "no_prekey_ensembles_in_storage": (0x0E, [
        ("receiver_instance_tag", "INT"), ("participant_identity", "DATA"),
        ("no_prekey_messages_message", "DATA")]),
}

# otrv4.md "TLV Record Types".
TLV_TYPES = {
    "padding": 0, "disconnected": 1, "smp_message_1": 2, "smp_message_2": 3,
    "smp_message_3": 4, "smp_message_4": 5, "smp_abort": 6, "extra_symmetric_key": 7,
}

# otrv4.md "SMP Message 1" .. "SMP Message 4": the TLV values.
SMP_BODIES = {
    "smp_message_1": [
        ("question", "DATA"), ("G2a", "POINT"), ("c2", "SCALAR"), ("d2", "SCALAR"),
        ("G3a", "POINT"), ("c3", "SCALAR"), ("d3", "SCALAR")],
    "smp_message_2": [
        ("G2b", "POINT"), ("c2", "SCALAR"), ("d2", "SCALAR"),
        ("G3b", "POINT"), ("c3", "SCALAR"), ("d3", "SCALAR"),
        ("Pb", "POINT"), ("Qb", "POINT"),
        ("cp", "SCALAR"), ("d5", "SCALAR"), ("d6", "SCALAR")],
    "smp_message_3": [
        ("Pa", "POINT"), ("Qa", "POINT"),
        ("cp", "SCALAR"), ("d5", "SCALAR"), ("d6", "SCALAR"),
        ("Ra", "POINT"), ("cr", "SCALAR"), ("d7", "SCALAR")],
    "smp_message_4": [
        ("Rb", "POINT"), ("cr", "SCALAR"), ("d7", "SCALAR")],
}


def _hex(v):
    return bytes.fromhex(v) if isinstance(v, str) else bytes(v)


def encode_field(kind, value, readings):
    if kind == "BYTE":
        return wire.BYTE(value)
    if kind == "SHORT":
        return wire.SHORT(value)
    if kind == "INT":
        return wire.INT(value)
    if kind == "POINT":
        return wire.POINT(_hex(value))
    if kind == "SCALAR":
        return wire.SCALAR(_hex(value))
    if kind == "MPI":
        return wire.mpi_from_bytes(_hex(value))
    if kind == "DATA":
        return wire.DATA(_hex(value))
    if kind == "MAC":
        return wire.MAC(_hex(value))
    if kind == "RING-SIG":
        return wire.RING_SIG(_hex(value))
    if kind in ("CLIENT-PROF", "PREKEY-PROF", "PREKEY-MESSAGE", "RAW"):
        return _hex(value)
    if kind.startswith("OPTIONAL-"):
        return b"" if value is None else _hex(value)
    if kind == "PREKEY-MESSAGES":
        return b"".join(_hex(v) for v in value)
    if kind == "PREKEY-SERVER-COMP-ID":
        return composite_identity(_hex(value["identity"]), _hex(value["H"]), readings)
    if kind == "ENSEMBLES":
        return b"".join(_hex(e["client_profile"]) + _hex(e["prekey_profile"])
                        + _hex(e["prekey_message"]) for e in value)
    raise ValueError("unknown field type " + kind)


def _check_counts(name, fields):
    if name == "prekey_publication":
        if fields["N"] != len(fields["prekey_messages"]):
            raise ValueError("N is not the number of prekey messages")
        for flag, key in (("K", "client_profile"), ("J", "prekey_profile")):
            if (fields[flag] == 1) != (fields.get(key) is not None) or fields[flag] not in (0, 1):
                raise ValueError("%s does not say whether %s is present" % (flag, key))
    if name == "prekey_ensemble_retrieval" and fields["L"] != len(fields["ensembles"]):
        raise ValueError("L is not the number of ensembles")


def table(name):
    if name in OTRV4_MESSAGES:
        return OTRV4_MESSAGES[name]
    return PREKEY_SERVER_MESSAGES[name]


def encode(name, fields, readings):
    """The bytes of message `name` (a key of OTRV4_MESSAGES or
    PREKEY_SERVER_MESSAGES) with the given field values."""
    msg_type, layout = table(name)
    _check_counts(name, fields)
    if name == "prekey_message" and readings["prekey_message_has_receiver_tag"]:
        layout = layout[:2] + [("receiver_instance_tag", "INT")] + layout[2:]
    out = wire.SHORT(PROTOCOL_VERSION) + wire.BYTE(msg_type)
    for field, kind in layout:
        out += encode_field(kind, fields.get(field), readings)
    return out


def composite_identity(identity, H, readings):
    """otr-v4-prekey-server.md "Prekey Server Composite Identity":
    Prekey Server Identity (DATA) || Ed448 public key (ED448-PUBKEY)."""
    return wire.DATA(identity) + wire.ED448_PUBKEY(H, readings)


def tlv(tlv_type, value):
    """Type (SHORT) || Length (SHORT) || Value."""
    if len(value) > 0xFFFF:
        raise ValueError("TLV value longer than 65535 bytes")
    return wire.SHORT(tlv_type) + wire.SHORT(len(value)) + bytes(value)


def smp_body(name, fields, readings):
    return b"".join(encode_field(kind, fields[f], readings) for f, kind in SMP_BODIES[name])


def extra_symmetric_key_value(context, data):
    """TLV 7: a 4-byte indication of the use, then use-specific data."""
    if len(context) != 4:
        raise ValueError("the use indication is 4 bytes")
    return bytes(context) + bytes(data)


def data_message_plaintext(text, tlvs):
    """otrv4.md "Data Message": the human-readable part, then (if there are
    TLVs) a single NUL and the TLV records."""
    if not tlvs:
        return bytes(text)
    return bytes(text) + b"\x00" + b"".join(tlvs)
