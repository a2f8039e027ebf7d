"""python-potr 1.0.2 (Debian's python3-potr) made usable on Debian 12.

potr's crypto fails against Debian 12's pycryptodome 3.11 (pure-python-otr
issue #68): DSA key generation, DSA signing and verification and AES-CTR
raise. patch_potr_crypto() replaces them with the same arithmetic over Python
integers and pycryptodome's AES, which makes potr wire-compatible with libotr
again. Nothing else of potr is changed. Shared by the potr interop test and
the potr IRC peer of the `otr chat` end-to-end test; run with /usr/bin/python3.
"""
import secrets

from Cryptodome.Cipher import AES
from Cryptodome.PublicKey import DSA

from potr import crypt
from potr.compatcrypto import pycrypto as potr_pycrypto


def aes_ctr(key, counter=0):
    """AES-128-CTR with OTR's counter block: the 8-byte top half is potr's
    counter prefix, the bottom half counts from zero (otr v2 spec, "Data
    Message" and "AKE": the AKE uses a zero top half)."""
    prefix = counter if isinstance(counter, int) else counter.prefix
    return AES.new(key, AES.MODE_CTR, nonce=prefix.to_bytes(8, 'big'), initial_value=0)


def dsa_init(self, key=None, private=False):
    # potr's tuples are (y, g, p, q[, x]).
    if not isinstance(key, tuple):
        raise TypeError('4/5-tuple required for key')
    if private and len(key) == 5:
        self.y, self.g, self.p, self.q, self.x = key
    elif not private and len(key) == 4:
        self.y, self.g, self.p, self.q = key
        self.x = None
    else:
        raise TypeError('wrong number of key fields')


def dsa_public_payload(self):
    return (self.p, self.q, self.g, self.y)


def dsa_private_payload(self):
    return (self.p, self.q, self.g, self.y, self.x)


def dsa_sign(self, data):
    """DSA over `data` taken as an integer (libotr passes the 32-byte MAC to
    libgcrypt as an MPI: not truncated, not hashed again)."""
    m = int.from_bytes(data, 'big')
    while True:
        k = 2 + secrets.randbelow(self.q - 2)
        r = pow(self.g, k, self.p) % self.q
        s = pow(k, -1, self.q) * (m + self.x * r) % self.q
        if r and s:
            return r.to_bytes(20, 'big') + s.to_bytes(20, 'big')


def dsa_verify(self, data, sig):
    if len(sig) != 40:
        return False
    r, s = int.from_bytes(sig[:20], 'big'), int.from_bytes(sig[20:], 'big')
    if not (0 < r < self.q and 0 < s < self.q):
        return False
    w = pow(s, -1, self.q)
    u1 = int.from_bytes(data, 'big') * w % self.q
    u2 = r * w % self.q
    return pow(self.g, u1, self.p) * pow(self.y, u2, self.p) % self.p % self.q == r


@classmethod
def dsa_generate(cls):
    # pycryptodome's parameter and key generation works; only its use by
    # potr (the .key attribute of old PyCrypto) fails.
    key = DSA.generate(1024)
    return cls((key.y, key.g, key.p, key.q, key.x), private=True)


def patch_potr_crypto():
    key_class = potr_pycrypto.DSAKey
    key_class.__init__ = dsa_init
    key_class.getPublicPayload = dsa_public_payload
    key_class.getPrivatePayload = dsa_private_payload
    key_class.sign = dsa_sign
    key_class.verify = dsa_verify
    key_class.generate = dsa_generate
    # crypt.py imported AESCTR by name; patch both places.
    potr_pycrypto.AESCTR = aes_ctr
    crypt.AESCTR = aes_ctr
