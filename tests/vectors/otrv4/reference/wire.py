"""OTRv4 data types (otrv4.md "Data Types", "Encoding and Decoding").

Encoders only: the reference builds bytes from field values. Big-endian for
BYTE/SHORT/INT/MPI/DATA, little-endian for the curve types.
"""
import ed448


def BYTE(v):
    return int(v).to_bytes(1, "big")


def SHORT(v):
    return int(v).to_bytes(2, "big")


def INT(v):
    return int(v).to_bytes(4, "big")


def INT64_SIGNED(v):
    """CLIENT-PROF-EXP / PREKEY-PROF-EXP: 8 bytes signed, big-endian."""
    return int(v).to_bytes(8, "big", signed=True)


def DATA(b):
    return INT(len(b)) + bytes(b)


def MPI(v):
    """Minimum-length big-endian (no leading zero bytes; 0 has length 0)."""
    v = int(v)
    if v < 0:
        raise ValueError("MPI is unsigned")
    return DATA(v.to_bytes((v.bit_length() + 7) // 8, "big"))


def mpi_from_bytes(b):
    """An MPI given as the bytes of its value: must already be minimal."""
    if b[:1] == b"\x00":
        raise ValueError("MPI value with a leading zero byte")
    return DATA(b)


def POINT(p):
    if isinstance(p, (bytes, bytearray)):
        if len(p) != 57:
            raise ValueError("POINT is 57 bytes")
        return bytes(p)
    return ed448.encode_point(p)


def SCALAR(s):
    if isinstance(s, (bytes, bytearray)):
        if len(s) != 57:
            raise ValueError("SCALAR is 57 bytes")
        return bytes(s)
    return ed448.encode_scalar(s)


def NONCE():
    return bytes(12)


def MAC(b):
    if len(b) != 64:
        raise ValueError("MAC is 64 bytes")
    return bytes(b)


# otrv4.md, "Public keys, Shared Prekeys, Forging keys and Fingerprints".
PUBKEY_TYPE_ED448 = 0x0010
PUBKEY_TYPE_SHARED_PREKEY = 0x0011
PUBKEY_TYPE_FORGING = 0x0012


def key_type(code, readings):
    return code.to_bytes(2, readings["pubkey_type_byte_order"])


def ED448_PUBKEY(point, readings):
    return key_type(PUBKEY_TYPE_ED448, readings) + POINT(point)


def ED448_FORGING_KEY(point, readings):
    return key_type(PUBKEY_TYPE_FORGING, readings) + POINT(point)


def ED448_SHARED_PREKEY(point, readings):
    return key_type(PUBKEY_TYPE_SHARED_PREKEY, readings) + POINT(point)


def RING_SIG(sigma):
    """otrv4.md "Serializing the Ring Signature Proof of Authentication":
    c1, r1, c2, r2, c3, r3 as SCALARs (342 bytes)."""
    if isinstance(sigma, (bytes, bytearray)):
        if len(sigma) != 6 * 57:
            raise ValueError("RING-SIG is 342 bytes")
        return bytes(sigma)
    return b"".join(SCALAR(s) for s in sigma)
