"""Ed448-Goldilocks in plain Python integers, written from the specs.

otrv4.md "Elliptic Curve Parameters", "Verifying that a point is on the curve",
"Encoding and Decoding" (Scalar, Point), "Elliptic Curve Operations" (Point
Addition), and RFC 8032 section 5.2 (Ed448) for EdDSA sign and verify.

A reference, not an implementation: clarity over speed, nothing here is
constant time. Standard library only.
"""
import hashlib

# otrv4.md, "Elliptic Curve Parameters".
P = 2**448 - 2**224 - 1
Q = 2**446 - 13818066809895115352007386748515426880336692474882178609894547503885
D = -39081 % P
COFACTOR = 4
GX = int("22458004029592430018760433409989603624678964163256413424612546168695"
         "0415467406032909029192869357953282578032075146446173674602635247710")
GY = int("29881921007848149267601793044393067343754404015408024209592824137233"
         "1506189835876003536878655418784733982303233503462500531545062832660")
SCALAR_BYTES = 57
POINT_BYTES = 57


class DecodeError(ValueError):
    """A POINT that does not decode; .reason is one of REASONS."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# Reasons a 57-byte string is not an acceptable point (points.json).
NON_CANONICAL = "non-canonical"  # y >= p, or x = 0 with the sign bit set
NOT_ON_CURVE = "not-on-curve"  # (y^2 - 1) / (d*y^2 - 1) is not a square
IDENTITY = "identity"  # decodes to (0, 1)
TORSION = "torsion"  # q * X != I: a small-order component
REASONS = (NON_CANONICAL, NOT_ON_CURVE, IDENTITY, TORSION)


class Point:
    """A point in projective coordinates (X : Y : Z), x = X/Z, y = Y/Z.

    otrv4.md, "Elliptic Curve Operations": the identity is (0 : Z : Z).
    """

    __slots__ = ("X", "Y", "Z")

    def __init__(self, X, Y, Z=1):
        self.X, self.Y, self.Z = X % P, Y % P, Z % P

    def affine(self):
        zi = pow(self.Z, P - 2, P)
        return self.X * zi % P, self.Y * zi % P

    def __add__(self, other):
        # otrv4.md, "Point Addition" (add-2007-bl, complete for a = 1, d
        # non-square).
        X1, Y1, Z1 = self.X, self.Y, self.Z
        X2, Y2, Z2 = other.X, other.Y, other.Z
        A = Z1 * Z2 % P
        B = A * A % P
        C = X1 * X2 % P
        Dd = Y1 * Y2 % P
        E = D * C % P * Dd % P
        F = (B - E) % P
        G = (B + E) % P
        H = (X1 + Y1) * (X2 + Y2) % P
        return Point(A * F % P * (H - C - Dd) % P, A * G % P * (Dd - C) % P, F * G % P)

    def __neg__(self):
        return Point(-self.X, self.Y, self.Z)

    def __sub__(self, other):
        return self + (-other)

    def __mul__(self, k):
        """Scalar multiplication `self * k` (otrv4.md writes `B * a`); the
        scalar is used as given, not reduced, so q * X shows a small-order
        component."""
        return _mul(self, k)

    __rmul__ = __mul__

    def __eq__(self, other):
        return (self.X * other.Z - other.X * self.Z) % P == 0 and \
            (self.Y * other.Z - other.Y * self.Z) % P == 0

    def __hash__(self):
        return hash(self.affine())

    def is_identity(self):
        return self == IDENTITY_POINT

    def encode(self):
        return encode_point(self)

    def __repr__(self):
        return "Point(%s)" % encode_point(self).hex()


def _mul(pt, k):
    if k < 0:
        return _mul(-pt, -k)
    acc = Point(0, 1)
    for bit in bin(k)[2:] if k else "":
        acc = acc + acc
        if bit == "1":
            acc = acc + pt
    return acc


IDENTITY_POINT = Point(0, 1)
G = Point(GX, GY)


def on_curve_affine(x, y):
    """x^2 + y^2 = 1 + d*x^2*y^2 (otrv4.md writes d = -39081)."""
    return (x * x + y * y - 1 - D * x * x % P * y * y) % P == 0


def base_mul(k):
    """G * k."""
    return G * k


# ---- otrv4.md, "Encoding and Decoding" --------------------------------------

def encode_scalar(s):
    """SCALAR: 57 bytes little-endian (the value must be below 2^456)."""
    return int(s).to_bytes(SCALAR_BYTES, "little")


def decode_scalar(b):
    """SCALAR decoding: little-endian integer, then mod q."""
    if len(b) != SCALAR_BYTES:
        raise ValueError("SCALAR is 57 bytes, got %d" % len(b))
    return int.from_bytes(b, "little") % Q


def encode_point(pt):
    x, y = pt.affine()
    out = bytearray(y.to_bytes(POINT_BYTES, "little"))
    out[56] |= (x & 1) << 7
    return bytes(out)


def decode_point(b):
    """The decoding steps of otrv4.md "Point" (RFC 8032 5.2.3).

    Raises DecodeError(NON_CANONICAL | NOT_ON_CURVE). Does not validate: see
    validate_point.
    """
    if len(b) != POINT_BYTES:
        raise ValueError("POINT is 57 bytes, got %d" % len(b))
    n = int.from_bytes(b, "little")
    x0 = (n >> 455) & 1
    y = n & ~(1 << 455)
    if y >= P:
        raise DecodeError(NON_CANONICAL)
    num = (y * y - 1) % P
    denom = (D * y * y - 1) % P
    x = pow(num, 3, P) * denom % P * pow(pow(num, 5, P) * pow(denom, 3, P) % P, (P - 3) // 4, P) % P
    if denom * x * x % P != num:
        raise DecodeError(NOT_ON_CURVE)
    if x == 0 and x0 == 1:
        raise DecodeError(NON_CANONICAL)
    if x0 != x & 1:
        x = P - x
    return Point(x, y)


def validate_point(pt):
    """otrv4.md, "Verifying that a point is on the curve" (after decoding).

    Raises DecodeError(IDENTITY | TORSION).
    """
    if pt.is_identity():
        raise DecodeError(IDENTITY)
    x, y = pt.affine()
    assert on_curve_affine(x, y)  # true of every decoded point
    if not _mul(pt, Q).is_identity():
        raise DecodeError(TORSION)
    return pt


def decode_valid_point(b):
    """decode_point, then validate_point: what a receiver of a POINT does."""
    return validate_point(decode_point(b))


def point_reject_reason(b):
    """None if `b` is a valid POINT, else the first reason it is rejected."""
    try:
        decode_valid_point(b)
        return None
    except DecodeError as e:
        return e.reason


# ---- RFC 8032 section 5.2 (Ed448) --------------------------------------------

def shake256(data, size):
    return hashlib.shake_256(data).digest(size)


def prune(buf):
    """otrv4.md / RFC 8032 5.2.5: clear the two low bits of the first byte,
    all bits of the last byte, set the high bit of the second to last byte."""
    h = bytearray(buf)
    assert len(h) == 57
    h[0] &= 0xFC
    h[56] = 0
    h[55] |= 0x80
    return bytes(h)


def secret_scalar(sym_key):
    """'sk' from the 57-byte symmetric key (otrv4.md "Public keys, Shared
    Prekeys, Forging keys and Fingerprints", RFC 8032 5.2.5)."""
    h = shake256(sym_key, 114)
    return int.from_bytes(prune(h[:57]), "little"), h[57:]


def public_key(sym_key):
    s, _ = secret_scalar(sym_key)
    return encode_point(G * s)


def dom4(flag, context):
    if len(context) > 255:
        raise ValueError("context longer than 255 bytes")
    return b"SigEd448" + bytes([flag, len(context)]) + context


def eddsa_sign(sym_key, message, context=b"", flag=0):
    """RFC 8032 5.2.6 (otrv4.md "Create a Client Profile Signature")."""
    s, prefix = secret_scalar(sym_key)
    A = encode_point(G * s)
    r = int.from_bytes(shake256(dom4(flag, context) + prefix + message, 114), "little") % Q
    R = encode_point(G * r)
    k = int.from_bytes(shake256(dom4(flag, context) + R + A + message, 114), "little") % Q
    S = (r + k * s) % Q
    return R + encode_scalar(S)


def eddsa_verify(public, message, signature, context=b"", flag=0):
    """RFC 8032 5.2.7, the cofactored group equation [4][S]B = [4]R + [4][k]A.

    Returns (ok, reason).
    """
    if len(signature) != 114:
        return False, "signature length %d" % len(signature)
    if len(public) != 57:
        return False, "public key length %d" % len(public)
    try:
        R = decode_point(signature[:57])
        A = decode_point(public)
    except DecodeError as e:
        return False, "decoding: " + e.reason
    S = int.from_bytes(signature[57:], "little")
    if S >= Q:
        return False, "S out of range"
    k = int.from_bytes(shake256(dom4(flag, context) + signature[:57] + public + message, 114), "little")
    lhs = _mul(G * S, 4)
    rhs = _mul(R + _mul(A, k), 4)
    if lhs != rhs:
        return False, "group equation"
    return True, None
