"""Writes fuzz seed files made by python-potr 1.0.2 into fuzz/corpus/<fuzzer>/.

Usage: /usr/bin/python3 tests/wire/potr_seeds.py fuzz/corpus
"""
import os
import sys

from potr import context, proto

ROOT = sys.argv[1]


def write(fuzzer, name, data):
    os.makedirs(os.path.join(ROOT, fuzzer), exist_ok=True)
    with open(os.path.join(ROOT, fuzzer, name), 'wb') as f:
        f.write(data)


class Account(context.Account):
    def __init__(self, max_message_size):
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


for name, versions in (('v2', {2}), ('v12', {1, 2}), ('v1', {1}), ('none', set())):
    data = bytes(proto.Query(versions))
    write('query_fuzzer', 'potr_query_' + name, data)
    write('classify_fuzzer', 'potr_query_' + name, data)

for name, versions in (('v2', {2}), ('v12', {1, 2}), ('v23', {2, 3})):
    data = bytes(proto.TaggedPlaintext(b'Hello from potr', versions))
    write('whitespace_tag_fuzzer', 'potr_tagged_' + name, data)
    write('classify_fuzzer', 'potr_tagged_' + name, data)

data = bytes(proto.Error(b'potr says something went wrong'))
write('error_message_fuzzer', 'potr_error_no_space', data)
write('classify_fuzzer', 'potr_error_no_space', data)

MESSAGE = (b'?OTR:AAIDAAAAAAEAAAABAAAAwFX9xIu9mYBXiqlryzJ7lT1QsMZLbDmdUHY3i6eo5+tpglbZWPZ0urEZ'
           b'HnKY7i2B0cck3UbtohFbUrI2aiueaL2d+UnpDjx3hWGvQSLsVovXYxzFSkPCjlRgFS4m42ej/C63g0ir.')
for mms in (50, 120):
    sender = Context(Account(mms))
    sender.sendFragmented(MESSAGE)
    for i, fragment in enumerate(sender.injected[:3]):
        write('fragment_fuzzer', 'potr_v2_mms%d_%d_of_%d' % (mms, i + 1, len(sender.injected)),
              fragment)
    write('classify_fuzzer', 'potr_v2_mms%d_first_fragment' % mms, sender.injected[0])
    write('reassembler_fuzzer', 'potr_v2_mms%d_sequence' % mms,
          b'\0' + b'\n'.join(sender.injected) + b'\n')
