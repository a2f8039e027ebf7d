"""Our text layer against python-potr 1.0.2 (v2 only): queries, whitespace
tags, error messages and v2 fragments, both directions. Only potr's
formatting code runs (its crypto fails on Debian 12's pycryptodome).

Usage: potr_conformance_test.py <path to wire_cli>
"""
import logging
import subprocess
import sys

from potr import context, proto

# potr logs (and survives) its failure to parse the body of our test message.
logging.disable(logging.CRITICAL)
CLI = sys.argv[1]
failures = []


def run(*args, data=b''):
    result = subprocess.run([CLI, *args], input=data, capture_output=True, check=True)
    return result.stdout


def check(condition, what):
    if not condition:
        failures.append(what)
        print('FAIL:', what)


def bits(versions):
    return sum(1 << v for v in versions if 1 <= v <= 3)


class Account(context.Account):
    def __init__(self, max_message_size=0):
        super().__init__('alice@example.org', 'xmpp', max_message_size)

    def loadPrivkey(self):
        return None

    def savePrivkey(self):
        pass

    def loadTrusts(self):
        pass

    def saveTrusts(self):
        pass


class Context(context.Context):
    def __init__(self, account):
        super().__init__(account, 'bob@example.org')
        self.injected = []

    def inject(self, msg, appdata=None):
        self.injected.append(msg)

    def getPolicy(self, key):
        return key in ('ALLOW_V2', 'SEND_TAG', 'WHITESPACE_START_AKE')


VERSION_SETS = [set(), {1}, {2}, {3}, {2, 3}, {1, 2}, {1, 2, 3}]

# Queries: potr's bytes read by us; ours read by potr.
for versions in VERSION_SETS:
    theirs = bytes(proto.Query(versions))
    line = run('classify', data=theirs).decode()
    check(line == 'query versions=%d text=\n' % bits(versions), 'potr query %r -> %s' % (theirs, line))
    for text in (b'', b' Alice wants to talk.'):
        ours = run('query', str(bits(versions)), data=text)
        parsed = Context(Account()).parse(ours)
        check(isinstance(parsed, proto.Query) and not isinstance(parsed, proto.TaggedPlaintext),
              'potr reads our query %r as %r' % (ours, parsed))
        if isinstance(parsed, proto.Query):
            check(parsed.versions == versions, 'potr versions of %r: %r' % (ours, parsed.versions))

# Whitespace tags: potr appends its tag after the message.
for versions in VERSION_SETS:
    if not versions:
        continue
    for text in (b'Hello', b''):
        theirs = bytes(proto.TaggedPlaintext(text, versions))
        line = run('classify', data=theirs).decode()
        check(line == 'tagged versions=%d text=%s\n' % (bits(versions), text.hex()),
              'potr tag %r -> %s' % (theirs, line))
        ours = run('tag', str(bits(versions)), data=text)
        parsed = Context(Account()).parse(ours)
        check(isinstance(parsed, proto.TaggedPlaintext), 'potr reads our tag %r: %r' % (ours, parsed))
        if isinstance(parsed, proto.TaggedPlaintext):
            check(parsed.versions == versions and parsed.msg == text,
                  'potr tag fields of %r: %r %r' % (ours, parsed.versions, parsed.msg))

# Error messages: potr writes no space after the colon, libotr (and we) one.
theirs = bytes(proto.Error(b'Something broke'))
line = run('classify', data=theirs).decode()
check(line == 'error detail=%s display=%s\n' % (b'Something broke'.hex(), b'Something broke'.hex()),
      'potr error -> %s' % line)
ours = run('error', data=b'Something broke')
parsed = Context(Account()).parse(ours)
check(isinstance(parsed, proto.Error) and parsed.error == b' Something broke',
      'potr reads our error %r: %r' % (ours, parsed))

# v2 fragments: potr's sendFragmented reassembled by us, ours by potr.
MESSAGE = (b'?OTR:AAIDAAAAAAEAAAABAAAAwFX9xIu9mYBXiqlryzJ7lT1QsMZLbDmdUHY3i6eo5+tpglbZWPZ0urEZ'
           b'HnKY7i2B0cck3UbtohFbUrI2aiueaL2d+UnpDjx3hWGvQSLsVovXYxzFSkPCjlRgFS4m42ej/C63g0ir'
           b'Vg7/WEIyBJ5MBVRgj36Qatkl+FU0HyQEF4IIEfIsysT75bl1HRvayD4eHGnPfPvlS3SLhTIhF41CKE19'
           b'qxM7p2gizMtFSH6MJUbILChq8IQgr+4QVsoJW88M/gAAAAAAAAAEAAAAXZI6ybz1HqwfZrX+G6kAxbYX.')
for mms in (40, 60, 100, 300):
    account = Account(mms)
    sender = Context(account)
    sender.sendFragmented(MESSAGE)
    fragments = sender.injected
    check(len(fragments) >= 1, 'potr made fragments at %d' % mms)
    out = run('reassemble', data=b'\n'.join(fragments) + b'\n')
    check(out == MESSAGE + b'\n', 'we reassemble potr fragments at mms %d: %r' % (mms, out[:40]))

    ours = run('fragment', str(mms), '2', '0', '0', data=MESSAGE).splitlines()
    check(all(len(f) <= mms for f in ours), 'our fragments fit %d' % mms)
    receiver = Context(Account())
    results = [receiver.parse(f) for f in ours]
    check(all(r is None for r in results[:-1]), 'potr waits for our last fragment at %d' % mms)
    # potr hands the reassembled "?OTR:AAID..." to its message parser, which
    # parses our (random) data message body; what matters is that it got the
    # exact text: re-run its accumulation on raw bytes.
    receiver = Context(Account())
    assembled = None
    for f in ours:
        assembled = receiver.fragmentAccumulate(f[len(b'?OTR'):])
    check(assembled == MESSAGE, 'potr reassembles ours at %d: %r' % (mms, assembled and assembled[:40]))

if failures:
    print('%d failures' % len(failures))
    sys.exit(1)
print('all potr conformance checks passed')
