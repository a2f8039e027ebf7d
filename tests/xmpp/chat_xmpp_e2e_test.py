"""`otr chat --xmpp` end to end through a real prosody (prosody_harness.py,
127.0.0.1 only, STARTTLS with a self-signed certificate the clients trust
explicitly with --tls-ca):

- login: a client that is not told to trust the certificate is refused
  (exit 3, the reason shown), as is a wrong password;
- garbage: before bob's real client logs in, another client of bob's
  account sends broken OTR messages; alice reports them and carries on; a
  third account's messages are ignored (not the peer);
- two `otr chat`s on OTR v4: the interactive DAKE, both fingerprints as
  `otr fingerprint` lists them, messages both ways, long messages both ways
  (bob's configured maximum of 300 bytes makes his fragmented), SMP with the
  right secret and with a wrong answer to a question, the extra symmetric
  key, the end from alice;
- v3 when bob allows only v3 (--no-v4): the version negotiated is reported,
  messages both ways, the end.

Usage: chat_xmpp_e2e_test.py <otr binary> <prosody_harness.py> <line_process.py> [-v]
Run with /usr/bin/python3.
"""
import os
import sys
import tempfile
import time


OTR = sys.argv[1]
# prosody_harness.py and line_process.py, by the paths given.
sys.path[:0] = [os.path.dirname(os.path.abspath(path)) for path in sys.argv[2:4]]
import prosody_harness as harness  # noqa: E402
import line_process as lp  # noqa: E402
VERBOSE = '-v' in sys.argv[4:]
DEADLINE = time.monotonic() + 120  # the whole run; a hang is a failure
STEP_TIMEOUT = 20
PROCS = lp.Processes()
expect = lp.expect

PRIVATE_CLAIM = r'^<[^>]+:private>|^\[otr\] secure:'


def otr(*args):
    import subprocess
    r = subprocess.run([OTR] + list(args), capture_output=True, text=True, timeout=30)
    expect(r.returncode == 0, 'otr %s failed: %s' % (' '.join(args), r.stderr))
    return r.stdout


def our_fingerprint(home, kind):
    for line in otr('fingerprint', '--dir', home).splitlines():
        fields = line.split('\t')
        if fields[0] == kind:
            return fields[3].strip()
    raise lp.Failure('no %s fingerprint in %s' % (kind, home))


class Net:
    def __init__(self, prosody, work):
        self.prosody = prosody
        self.work = work
        self.password_file = os.path.join(work, 'password')
        with open(self.password_file, 'w') as f:
            f.write('secret-pw\n')
        os.chmod(self.password_file, 0o600)
        self.homes = {}
        for user in ('alice', 'bob', 'carol'):
            prosody.register(user, 'secret-pw')
            self.homes[user] = os.path.join(work, user)
            otr('keygen', '--dir', self.homes[user], '--account', user + '@localhost')

    def chat(self, user, peer, *extra, trust=True, password_file=None, name=None):
        args = [OTR, 'chat', '--xmpp', user + '@localhost',
                '--server', '127.0.0.1:%d' % self.prosody.c2s_port,
                '--password-file', password_file or self.password_file,
                '--peer', peer + '@localhost', '--dir', self.homes[user]]
        if trust:
            args += ['--tls-ca', self.prosody.cert_path]
        return lp.LineProcess(PROCS, name or user, args + list(extra), STEP_TIMEOUT, DEADLINE,
                              VERBOSE)


def logins(net):
    # The self-signed certificate is trusted only when the user says so.
    c = net.chat('alice', 'bob', trust=False, name='untrusting')
    c.expect(r'^\[error\] cannot log in to 127\.0\.0\.1:\d+ as alice@localhost: the server.s '
             r'TLS certificate did not verify \(.*self.signed')
    expect(c.wait() == 3, 'exit status %s' % c.proc.returncode)
    wrong = os.path.join(net.work, 'wrong')
    with open(wrong, 'w') as f:
        f.write('not-the-password\n')
    c = net.chat('alice', 'bob', password_file=wrong, name='wrong-password')
    c.expect(r'^\[error\] cannot log in to .*: auth')
    expect(c.wait() == 3, 'exit status %s' % c.proc.returncode)


def garbage(net, alice):
    # Another client of bob's account: its plaintext "OTR messages" are
    # broken; alice says so, shows nothing as private, and goes on.
    fake = net.chat('bob', 'alice', '--no-v4', name='garbage')
    fake.expect(r'^\[xmpp\] connected to ')
    for junk in ('?OTR:AAMD.', '?OTR:AAQ' + 'A' * 300 + '.', '?OTR|1234abcd|5678ef01,00001,00002,x,',
                 '?OTR,1,1,?OTR:,'):
        fake.send(junk)
    fake.send('after the junk')
    for _ in range(3):
        alice.expect(r'^\[otr\] (a damaged OTR message|an OTR message) from bob@localhost ',
                     forbid=PRIVATE_CLAIM)
    alice.expect(r'^<bob@localhost:PLAINTEXT> after the junk$', forbid=PRIVATE_CLAIM)
    expect(fake.quit() == 0, 'the garbage client did not quit cleanly')
    # Not the peer: carol is ignored.
    carol = net.chat('carol', 'alice', name='carol')
    carol.expect(r'^\[xmpp\] connected to ')
    carol.send('hi alice, it is carol')
    alice.expect(r'^\[xmpp\] a message from carol@localhost/\S+ was ignored \(not the peer\)$',
                 forbid=r'^<carol')
    expect(carol.quit() == 0, 'carol did not quit cleanly')


def v4_conversation(net, alice):
    fp = {u: our_fingerprint(net.homes[u], 'ours-v4') for u in ('alice', 'bob')}
    bob = net.chat('bob', 'alice', '--max-message-size', '300')
    bob.expect(r'^\[xmpp\] connected to 127\.0\.0\.1:\d+ as bob@localhost/\S+; talking to '
               r'alice@localhost$')
    bob.expect(r'; policy manual, 300-byte messages$')
    alice.send('hello in the clear')
    bob.expect(r'^<alice@localhost:PLAINTEXT> hello in the clear$', forbid=PRIVATE_CLAIM)

    alice.send('/otr start')
    m = alice.expect(r'^\[otr\] secure: private conversation with bob@localhost \(OTR v4\), '
                     r'fingerprint ([0-9A-F ]+) \(UNVERIFIED\)$')
    expect(m.group(1) == fp['bob'], 'alice sees %s, bob has %s' % (m.group(1), fp['bob']))
    m = bob.expect(r'^\[otr\] secure: private conversation with alice@localhost \(OTR v4\), '
                   r'fingerprint ([0-9A-F ]+) \(UNVERIFIED\)$')
    expect(m.group(1) == fp['alice'], 'bob sees %s' % m.group(1))
    ssid_a = alice.expect(r'^\[otr\] secure session id: (.*)$').group(1)
    ssid_b = bob.expect(r'^\[otr\] secure session id: (.*)$').group(1)
    expect(ssid_a == ssid_b, 'session ids differ: %s / %s' % (ssid_a, ssid_b))

    for i in range(2):
        alice.send('secret %d from alice' % i)
        alice.expect(r'^\[sent:private\] secret %d from alice$' % i)
        bob.expect(r'^<alice@localhost:private> secret %d from alice$' % i)
        bob.send('reply %d from bob' % i)
        alice.expect(r'^<bob@localhost:private> reply %d from bob$' % i)
    # Long messages: bob's in 300-byte fragments, alice's whole (64 KiB).
    for sender, receiver, who in ((bob, alice, 'bob'), (alice, bob, 'alice')):
        text = 'long from %s:' % who + ' '.join('%05d' % i for i in range(1000))  # ~6 KB
        sender.send(text)
        m = receiver.expect(r'^<%s@localhost:private> (long from .*)$' % who)
        expect(m.group(1) == text, 'the long message from %s arrived changed' % who)

    # The server restarts: both clients log in again and the private
    # conversation carries on over the new streams.
    net.prosody.stop()
    for c in (alice, bob):
        c.expect(r'^\[xmpp\] disconnected \(.*\); reconnecting to 127\.0\.0\.1:\d+$')
    net.prosody.start()
    for c in (alice, bob):
        c.expect(r'^\[xmpp\] reconnected as \S+@localhost/\S+$')
    alice.send('after the restart')
    bob.expect(r'^<alice@localhost:private> after the restart$')
    bob.send('still private')
    alice.expect(r'^<bob@localhost:private> still private$')

    # SMP: the right secret (bob asks, no question) verifies both.
    bob.send('/smp swordfish')
    alice.expect(r'^\[smp\] bob@localhost wants to check that you both know the same secret')
    alice.send('/smp swordfish')
    alice.expect(r'^\[smp\] success: .*%s is verified$' % fp['bob'])
    bob.expect(r'^\[smp\] success: .*%s is verified$' % fp['alice'])
    listed = otr('fingerprint', '--dir', net.homes['alice'], '--peer', 'bob@localhost')
    expect('\tsmp\n' in listed and fp['bob'].replace(' ', '') in listed.replace(' ', ''),
           'alice\'s store: %r' % listed)
    # A wrong answer to a question fails on both sides.
    alice.send('/smp-q What is the colour of the door? blue')
    bob.expect(r'^\[smp\] alice@localhost wants to verify you and asks: What is the colour')
    bob.send('/smp red')
    alice.expect(r'^\[smp\] failed: ', forbid=r'^\[smp\] success')
    bob.expect(r'^\[smp\] failed: ', forbid=r'^\[smp\] success')

    # The extra symmetric key: both sides derive it, neither shows it.
    alice.send('/otr key 7 transfer.txt')
    alice.expect(r'^\[otr\] derived the extra symmetric key \(use 7, data "transfer\.txt"\) '
                 r'and told bob@localhost$')
    bob.expect(r'^\[otr\] alice@localhost derived the extra symmetric key \(use 7, data '
               r'"transfer\.txt"\), as we did')

    alice.send('/otr end')
    alice.expect(r'^\[otr\] insecure: ')
    bob.expect(r'^\[otr\] insecure: alice@localhost ended the private conversation')
    bob.send('/otr end')
    bob.expect(r'^\[otr\] insecure: ')
    expect(bob.quit() == 0, 'bob did not quit cleanly')


def v3_fallback(net, alice):
    bob = net.chat('bob', 'alice', '--no-v4', name='bob-v3')
    bob.expect(r'^\[xmpp\] connected to ')
    bob.send('/otr start')
    alice.expect(r'^\[otr\] secure: private conversation with bob@localhost \(OTR v3\), ')
    bob.expect(r'^\[otr\] secure: private conversation with alice@localhost \(OTR v3\), ')
    alice.expect(r'^\[otr\] warning: OTR version 3 with bob@localhost, not version 4')
    alice.send('v3 from alice')
    bob.expect(r'^<alice@localhost:private> v3 from alice$')
    bob.send('v3 from bob')
    alice.expect(r'^<bob@localhost:private> v3 from bob$')
    bob.send('/status')
    bob.expect(r'^\[otr\] status: private \(OTR v3\)')
    expect(bob.quit() == 0, 'bob did not quit cleanly')
    alice.expect(r'^\[otr\] insecure: bob@localhost ended the private conversation')


def main():
    work = tempfile.mkdtemp(prefix='otr-chat-xmpp-')
    try:
        with harness.Prosody() as prosody:
            net = Net(prosody, work)
            logins(net)
            alice = net.chat('alice', 'bob')
            alice.expect(r'^\[xmpp\] connected to ')
            garbage(net, alice)
            print('garbage and other accounts: ok', flush=True)
            v4_conversation(net, alice)
            print('v4 between two otr chats: ok', flush=True)
            v3_fallback(net, alice)
            print('v3 fallback: ok', flush=True)
            expect(alice.quit() == 0, 'alice did not quit cleanly')
    except (lp.Failure, harness.HarnessError) as e:
        print('FAIL: %s' % e, flush=True)
        return 1
    finally:
        PROCS.stop_all()
    print('1 passed, 0 failed', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
