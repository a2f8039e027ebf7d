"""`otr chat` end to end through a real IRC server (ngircd on loopback):
two `otr chat` processes (AKE, messages both ways, a fragmented message,
SMP failure and success, trust recorded in the fingerprints file, the end
from either side, a nick collision, the server's PINGs, a restart that
keeps the instance tag: the peer's next message reported unreadable on one
side and as an OTR error on the other, then a new conversation from either
side), two started by
the whitespace tag (opportunistic policy), one `otr chat` against a
python-potr IRC peer (potr_irc_peer.py; OTR v2, REQUIRE_ENCRYPTION on our
side, SMP from either side), TLS (a certificate the client trusts and one
it does not), and the server going away.

Usage: chat_e2e_test.py <otr binary> <potr_irc_peer.py> <potr_compat.py> [-v] [--penalties]
Run with /usr/bin/python3 (python3-potr lives there).
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

import line_process as lp  # beside this file (also in the runfiles)

DEADLINE = time.monotonic() + (400 if '--penalties' in sys.argv else 100)  # the whole run; a hang is a failure
STEP_TIMEOUT = 60 if '--penalties' in sys.argv else 20

OTR, POTR_PEER, POTR_COMPAT = sys.argv[1:4]
VERBOSE = '-v' in sys.argv[4:]
# --penalties: ngircd's default flood penalties (slower: fragments then
# arrive a second or more apart); the default run switches them off.
PENALTIES = '--penalties' in sys.argv[4:]
PROCS = lp.Processes()
Failure = lp.Failure
expect = lp.expect


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start(args, **kw):
    return PROCS.start(args, **kw)


class Ngircd:
    def __init__(self, workdir):
        self.port = free_port()
        self.tls_port = free_port()
        # A self-signed certificate for 127.0.0.1, which the TLS clients are
        # told to trust (--tls-ca).
        self.cert = os.path.join(workdir, 'cert.pem')
        key = os.path.join(workdir, 'key.pem')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                        'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', self.cert,
                        '-days', '2', '-subj', '/CN=127.0.0.1',
                        '-addext', 'subjectAltName=IP:127.0.0.1'],
                       check=True, capture_output=True, timeout=30)
        conf = os.path.join(workdir, 'ngircd.conf')
        with open(conf, 'w') as f:
            f.write('\n'.join([
                '[Global]', 'Name = irc.test', 'Info = otr chat test',
                'Listen = 127.0.0.1', 'Ports = %d' % self.port, 'MotdPhrase = test',
                'AdminInfo1 = test', 'AdminInfo2 = test', 'AdminEMail = test@test',
                '[Limits]', 'MaxConnectionsIP = 0', 'MaxNickLength = 30',
                # Penalties only slow the test down (each line a second).
                'MaxPenaltyTime = %d' % (-1 if PENALTIES else 0),
                # The server PINGs after 2 s of silence and drops a client
                # that has not answered 2 s later.
                'PingTimeout = 2', 'PongTimeout = 2',
                '[Options]', 'DNS = no', 'Ident = no', 'PAM = no',
                '[SSL]', 'CertFile = ' + self.cert, 'KeyFile = ' + key,
                'Ports = %d' % self.tls_port, '']))
        self.proc = start(['ngircd', '--nodaemon', '--config', conf])
        for _ in range(100):
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise Failure('ngircd did not start: %r' % self.proc.stdout.read1(4096))

    @property
    def address(self):
        return '127.0.0.1:%d' % self.port

    @property
    def tls_address(self):
        return '127.0.0.1:%d' % self.tls_port


def Client(name, args):
    """A line-oriented child process: `otr chat` or the potr peer."""
    return lp.LineProcess(PROCS, name, args, STEP_TIMEOUT, DEADLINE, VERBOSE)


def otr(*args, check=True):
    r = subprocess.run([OTR] + list(args), capture_output=True, text=True, timeout=30)
    if check:
        expect(r.returncode == 0, 'otr %s failed: %s' % (' '.join(args), r.stderr))
    return r


def our_fingerprint(home, kind='ours'):
    """Our fingerprint as `otr fingerprint` lists it (kind 'ours' or 'ours-v4')."""
    for line in otr('fingerprint', '--dir', home).stdout.splitlines():
        fields = line.split('\t')
        if fields[0] == kind:
            return fields[3].strip()
    raise Failure('no %s fingerprint in %s' % (kind, home))


def chat(server, nick, peer, home, *extra):
    return Client(nick, [OTR, 'chat', '--irc', server.address, '--nick', nick, '--peer', peer,
                         '--dir', home] + list(extra))


# Status lines that would claim privacy.
PRIVATE_CLAIM = r'^<\w+:private>|^\[otr\] secure:'


def two_otr_chats(server, work):
    homes = {}
    for nick in ('alice', 'bob'):
        homes[nick] = os.path.join(work, nick)
        otr('keygen', '--dir', homes[nick], '--account', nick + '@127.0.0.1')
        st = os.stat(os.path.join(homes[nick], 'otr.private_key'))
        expect(st.st_mode & 0o777 == 0o600, 'key file mode %o' % (st.st_mode & 0o777))
    fp = {n: our_fingerprint(homes[n]) for n in homes}

    # Alice speaks v4 and v3 (her store has a v4 key); bob only v3
    # (--no-v4): the conversation falls back to v3, and alice is told.
    alice = chat(server, 'alice', 'bob', homes['alice'])
    bob = chat(server, 'bob', 'alice', homes['bob'], '--backend', 'gcrypt', '--no-v4')
    alice.expect(r'^\[irc\] connected to ')
    bob.expect(r'^\[irc\] connected to ')
    # The relayed line ":alice!~alice@127.0.0.1 PRIVMSG bob :<text>\r\n"
    # must fit 512 bytes (ngircd shows the user name with '~': no ident).
    # It leaves room for a host that grows after login (a cloak) to 63 bytes.
    max_size = int(alice.expect(r'(\d+)-byte messages').group(1))
    relayed = len(':alice!~alice@127.0.0.1 PRIVMSG bob :\r\n')
    expect(max_size == 512 - relayed - (63 - len('127.0.0.1')), 'fragment size %d' % max_size)

    # Plaintext is shown as such.
    alice.send('hello in the clear')
    alice.expect(r'^\[sent:PLAINTEXT\] hello in the clear$')
    bob.expect(r'^<alice:PLAINTEXT> hello in the clear$', forbid=PRIVATE_CLAIM)
    # Control characters from the peer (a window title, a bell) are shown
    # escaped, never written to the terminal.
    alice.send('title \x1b]0;owned\x07 here')
    bob.expect(r'^<alice:PLAINTEXT> title \\x1b\]0;owned\\x07 here$', forbid=r'\x1b|\x07')
    # An action in plaintext is a CTCP ACTION.
    alice.send('/me waves')
    alice.expect(r'^\[sent:PLAINTEXT\] \* alice waves$')
    bob.expect(r'^<alice:PLAINTEXT> \* alice waves$')

    # AKE (v3), both sides see the other's fingerprint, unverified.
    alice.send('/otr start')
    m = alice.expect(r'^\[otr\] secure: private conversation with bob \(OTR v3\), '
                     r'fingerprint ([0-9A-F ]+) \(UNVERIFIED\)$')
    expect(m.group(1) == fp['bob'], 'alice sees %s, bob has %s' % (m.group(1), fp['bob']))
    m = bob.expect(r'^\[otr\] secure: private conversation with alice \(OTR v3\), '
                   r'fingerprint ([0-9A-F ]+) \(UNVERIFIED\)$')
    expect(m.group(1) == fp['alice'], 'bob sees %s' % m.group(1))
    ssid_a = alice.expect(r'^\[otr\] secure session id: (.*)$').group(1)
    ssid_b = bob.expect(r'^\[otr\] secure session id: (.*)$').group(1)
    expect(ssid_a == ssid_b, 'session ids differ: %s / %s' % (ssid_a, ssid_b))
    # The fallback is reported (docs/decisions/0011), never silent.
    alice.expect(r'^\[otr\] warning: OTR version 3 with bob, not version 4: either bob.s '
                 r'client speaks only version 3')

    # Messages both ways, key rotation, and one long message in fragments.
    for i in range(3):
        alice.send('secret %d from alice' % i)
        alice.expect(r'^\[sent:private\] secret %d from alice$' % i)
        bob.expect(r'^<alice:private> secret %d from alice$' % i)
        bob.send('reply %d from bob' % i)
        alice.expect(r'^<bob:private> reply %d from bob$' % i)
    long_text = 'long:' + ' '.join('%04d' % i for i in range(400))  # 2004 bytes
    bob.send(long_text)
    m = alice.expect(r'^<bob:private> (long:.*)$')
    expect(m.group(1) == long_text, 'the long message arrived changed')
    # An action inside OTR is "/me waves" in the encrypted text (irssi, Pidgin).
    bob.send('/me nods privately')
    bob.expect(r'^\[sent:private\] \* bob nods privately$')
    alice.expect(r'^<bob:private> \* bob nods privately$')

    # SMP with the right secret (bob asks, no question) succeeds for both;
    # trust is recorded in libotr's fingerprints file.
    bob.send('/smp swordfish')
    alice.expect(r'^\[smp\] bob wants to check that you both know the same secret '
                 r'\(answer with /smp SECRET\)$', forbid='question')
    alice.send('/smp swordfish')
    alice.expect(r'^\[smp\] answering bob.s check with your secret$')
    alice.expect(r'^\[smp\] success: .*%s is verified$' % fp['bob'])
    bob.expect(r'^\[smp\] success: .*%s is verified$' % fp['alice'])
    alice.send('/status')
    alice.expect(r'^\[otr\] status: private \(OTR v3\), bob.s fingerprint %s \(verified\)$'
                 % fp['bob'])
    listed = otr('fingerprint', '--dir', homes['alice'], '--peer', 'bob').stdout
    expect('\t%s\tsmp\n' % fp['bob'] in listed, 'alice\'s store: %r' % listed)

    # SMP with the wrong answer fails on both sides, and (as libotr) takes
    # the trust away, in the session and in the fingerprints file.
    alice.send('/smp-q What is the colour of the door? blue')
    bob.expect(r'^\[smp\] alice wants to verify you and asks: What is the colour of the door\?')
    bob.send('/smp red')
    bob.expect(r'^\[smp\] answering alice.s question$')
    alice.expect(r'^\[smp\] failed: ', forbid=r'^\[smp\] success')
    bob.expect(r'^\[smp\] failed: ', forbid=r'^\[smp\] success')
    for who, peer in (('alice', 'bob'), ('bob', 'alice')):
        c = alice if who == 'alice' else bob
        c.send('/status')
        c.expect(r'^\[otr\] status: private \(OTR v3\), %s.s fingerprint %s \(UNVERIFIED\)$'
                 % (peer, fp[peer]))
        listed = otr('fingerprint', '--dir', homes[who], '--peer', peer).stdout
        expect('\t%s\tunverified\n' % fp[peer] in listed, '%s\'s store: %r' % (who, listed))

    # The right answer to alice's question verifies bob for alice (she
    # asked); bob only answered, which verifies nothing for him.
    alice.send('/smp-q What is the colour of the door? blue')
    bob.expect(r'^\[smp\] alice wants to verify you and asks: ')
    bob.send('/smp blue')
    alice.expect(r'^\[smp\] success: .*%s is verified$' % fp['bob'])
    bob.expect(r'^\[smp\] success: you answered alice.s question correctly.*'
               r'does not verify alice', forbid=r'is verified')
    bob.send('/status')
    bob.expect(r'^\[otr\] status: private .*\(UNVERIFIED\)$')

    # A nick that is taken: a clear message and exit status 4.
    intruder = chat(server, 'alice', 'bob', homes['alice'])
    intruder.expect(r'^\[error\] nickname alice is already in use')
    expect(intruder.wait() == 4, 'exit status %s' % intruder.proc.returncode)

    # Silence long enough for the server to PING both and drop whoever does
    # not answer; the private conversation carries on afterwards.
    time.sleep(8)
    alice.send('still here after the pings')
    bob.expect(r'^<alice:private> still here after the pings$')

    # Alice ends; bob cannot send until he ends too; then plaintext again.
    alice.send('/otr end')
    alice.expect(r'^\[otr\] insecure: ')
    bob.expect(r'^\[otr\] insecure: alice ended the private conversation')
    # What bob types in FINISHED is dropped (as libotr), never sent later.
    bob.send('are you still there?')
    bob.expect(r'^\[held\] not sent: ')
    bob.send('/otr end')
    bob.expect(r'^\[otr\] insecure: ')
    bob.send('plain again')
    bob.expect(r'^\[sent:PLAINTEXT\] plain again$')
    alice.expect(r'^<bob:PLAINTEXT> plain again$', forbid=PRIVATE_CLAIM)

    # Bob restarts the conversation: alice's store says bob is verified (her
    # question), bob's says alice is not (he only answered).
    bob.send('/otr start')
    bob.expect(r'^\[otr\] secure: .*\(UNVERIFIED\)$')
    alice.expect(r'^\[otr\] secure: .*\(verified\)$')
    # The message typed while alice had ended is not sent by the new session.
    bob.send('after the restart')
    alice.expect(r'^<bob:private> after the restart$', forbid=r'are you still there')

    # Bob's program dies mid-session and comes back with the instance tag it
    # keeps in otr.instance_tags (libotr's file, mode 0600): alice's next
    # private message reaches the new process, which cannot read it, says
    # so, and answers with an OTR error that alice is shown. Then a new
    # private conversation starts from either side.
    tags_file = os.path.join(homes['bob'], 'otr.instance_tags')
    expect(os.stat(tags_file).st_mode & 0o777 == 0o600,
           'instance tag file mode %o' % (os.stat(tags_file).st_mode & 0o777))
    with open(tags_file) as f:
        tags = f.read()
    expect(re.search(r'^bob@127\.0\.0\.1\tprpl-irc\t[0-9a-f]{8}$', tags, re.M),
           'bob\'s instance tags: %r' % tags)
    unreadable = (r'^\[otr\] an encrypted message from alice could not be read .*'
                  r'/otr start')
    wrong_report = r'^\[otr\] k[A-Z]|meant for another session'
    for starter in ('bob', 'alice'):
        os.killpg(bob.proc.pid, signal.SIGKILL)
        bob.wait()
        for _ in range(50):
            bob = chat(server, 'bob', 'alice', homes['bob'], '--no-v4')
            m = bob.expect(r'^\[irc\] connected to |^\[error\] nickname bob is already in use')
            if m.group(0).startswith('[irc]'):
                break
            bob.wait()
            time.sleep(0.2)
        with open(tags_file) as f:
            expect(f.read() == tags, 'bob\'s instance tag changed: %r' % tags)
        alice.send('did you restart? (%s starts again)' % starter)
        bob.expect(unreadable, forbid=wrong_report)
        alice.expect(r'^\[otr\] bob reports an OTR error: ', forbid=r'^<bob:')
        first, second = (bob, alice) if starter == 'bob' else (alice, bob)
        first.send('/otr start')
        first.expect(r'^\[otr\] secure: ')
        second.expect(r'^\[otr\] secure: ')
        first.send('new conversation begun by %s' % starter)
        second.expect(r'^<%s:private> new conversation begun by %s$' % (starter, starter))
    # Leaving ends the private conversation for alice.
    expect(bob.quit() == 0, 'bob exit status %s' % bob.proc.returncode)
    alice.expect(r'^\[otr\] insecure: bob ended the private conversation')
    expect(alice.quit() == 0, 'alice exit status %s' % alice.proc.returncode)


def two_v4_chats(server, work):
    # Two otr chats with v4 keys (issue 17): the DAKE, messages both ways
    # (a long one in v4 fragments), SMP recording trust in otr.v4_fingerprints,
    # `otr trust`/`untrust` on a v4 fingerprint, and the end.
    homes = {}
    for nick in ('kate', 'liam'):
        homes[nick] = os.path.join(work, nick)
        r = otr('keygen', '--dir', homes[nick], '--account', nick + '@127.0.0.1')
        expect(re.search(r'^v4 fingerprint: ([0-9A-F]{8} ){13}[0-9A-F]{8}$', r.stdout, re.M),
               'keygen: %r' % r.stdout)
        st = os.stat(os.path.join(homes[nick], 'otr.v4_keys'))
        expect(st.st_mode & 0o777 == 0o600, 'v4 key file mode %o' % (st.st_mode & 0o777))
    fp = {n: our_fingerprint(homes[n], 'ours-v4') for n in homes}
    kate = chat(server, 'kate', 'liam', homes['kate'])
    liam = chat(server, 'liam', 'kate', homes['liam'], '--backend', 'gcrypt')
    kate.expect(r'^\[otr\] our v4 fingerprint: %s' % fp['kate'])
    liam.expect(r'^\[otr\] our v4 fingerprint: %s' % fp['liam'])
    kate.send('/otr start')
    m = kate.expect(r'^\[otr\] secure: private conversation with liam \(OTR v4\), '
                    r'fingerprint ([0-9A-F ]+) \(UNVERIFIED\)$', forbid=r'warning: OTR version 3')
    expect(m.group(1) == fp['liam'], 'kate sees %s, liam has %s' % (m.group(1), fp['liam']))
    m = liam.expect(r'^\[otr\] secure: private conversation with kate \(OTR v4\), '
                    r'fingerprint ([0-9A-F ]+) \(UNVERIFIED\)$')
    expect(m.group(1) == fp['kate'], 'liam sees %s' % m.group(1))
    ssid_k = kate.expect(r'^\[otr\] secure session id: (.*)$').group(1)
    ssid_l = liam.expect(r'^\[otr\] secure session id: (.*)$').group(1)
    expect(ssid_k == ssid_l, 'session ids differ: %s / %s' % (ssid_k, ssid_l))
    for i in range(4):
        kate.send('v4 secret %d' % i)
        liam.expect(r'^<kate:private> v4 secret %d$' % i)
        liam.send('v4 reply %d' % i)
        kate.expect(r'^<liam:private> v4 reply %d$' % i)
    long_text = 'long4:' + ' '.join('%04d' % i for i in range(400))
    liam.send(long_text)
    m = kate.expect(r'^<liam:private> (long4:.*)$')
    expect(m.group(1) == long_text, 'the long v4 message arrived changed')
    # SMP over Ed448 with a question: kate asks, liam answers; kate's store
    # records liam's v4 fingerprint as verified ("smp").
    kate.send('/smp-q Favourite tree? oak')
    liam.expect(r'^\[smp\] kate wants to verify you and asks: Favourite tree\?')
    liam.send('/smp oak')
    kate.expect(r'^\[smp\] success: .*%s is verified$' % fp['liam'])
    liam.expect(r'^\[smp\] success: you answered kate.s question correctly')
    listed = otr('fingerprint', '--dir', homes['kate'], '--peer', 'liam').stdout
    expect('peer-v4\tliam\t' in listed and '\t%s\tsmp\n' % fp['liam'] in listed,
           'kate\'s store: %r' % listed)
    kate.send('/status')
    kate.expect(r'^\[otr\] status: private \(OTR v4\), liam.s fingerprint %s \(verified\)$'
                % fp['liam'])
    # The CLI changes v4 trust too.
    r = otr('untrust', '--dir', homes['kate'], '--peer', 'liam', fp['liam'])
    expect(r.stdout.startswith('untrusted v4 '), 'untrust: %r' % r.stdout)
    listed = otr('fingerprint', '--dir', homes['kate'], '--peer', 'liam').stdout
    expect('\t%s\tunverified\n' % fp['liam'] in listed, 'after untrust: %r' % listed)
    r = otr('trust', '--dir', homes['kate'], '--peer', 'liam', fp['liam'].replace(' ', ''))
    expect(r.stdout.startswith('trusted v4 '), 'trust: %r' % r.stdout)
    # The end: liam is told, and cannot send until he ends too.
    kate.send('/otr end')
    kate.expect(r'^\[otr\] insecure: ')
    liam.expect(r'^\[otr\] insecure: kate ended the private conversation')
    liam.send('too late')
    liam.expect(r'^\[held\] not sent: ')
    expect(kate.quit() == 0, 'kate exit status %s' % kate.proc.returncode)
    expect(liam.quit() == 0, 'liam exit status %s' % liam.proc.returncode)


def against_potr(server, work):
    home = os.path.join(work, 'carol')
    otr('keygen', '--dir', home, '--account', 'carol@127.0.0.1')
    peer = Client('potr', ['/usr/bin/python3', POTR_PEER, '--irc', server.address,
                           '--nick', 'pybot', '--peer', 'carol', '--secret', 'open sesame',
                           '--compat', POTR_COMPAT])
    peer.expect(r'^POTR connected$')
    carol = chat(server, 'carol', 'pybot', home, '--policy', 'always')
    carol.expect(r'^\[irc\] connected to ')

    # REQUIRE_ENCRYPTION: the first message is held, the AKE starts (v2,
    # the only version potr speaks); pybot's key is new, so the message waits
    # until carol, shown the fingerprint, sends it (issue 14).
    carol.send('first words')
    carol.expect(r'^\[held\] ')
    carol.expect(r'^\[otr\] secure: private conversation with pybot \(OTR v2\), .*UNVERIFIED',
                 forbid=r'^\[sent:PLAINTEXT\]')
    carol.expect(r'^\[otr\] warning: OTR version 2 with pybot, not version 4')
    peer.expect(r'^POTR secure')
    carol.expect(r'^\[held\] your message waits: ', forbid=r'^<pybot:private> echo: first')
    carol.send('/otr send-held')
    carol.expect(r'^\[sent:private\] first words$')
    carol.expect(r'^<pybot:private> echo: first words$')

    for i in range(3):
        carol.send('message %d' % i)
        carol.expect(r'^<pybot:private> echo: message %d$' % i)
    long_text = 'long:' + ' '.join('%04d' % i for i in range(300))
    carol.send(long_text)
    m = carol.expect(r'^<pybot:private> echo: (long:.*)$')
    expect(m.group(1) == long_text, 'the long echo arrived changed')

    # SMP started by us: a wrong secret (with a question), then the right
    # one (without); potr answers with its secret "open sesame".
    # potr answers a mismatch with an abort: that is a failed check.
    carol.send('/smp-q Magic words? wrong')
    peer.expect(r'^POTR smp asked: Magic words\?$')
    carol.expect(r'^\[smp\] failed: ', forbid=r'^\[smp\] (success|aborted)')
    peer.expect(r'^POTR smp failed')
    carol.send('/smp open sesame')
    peer.expect(r'^POTR smp asked: $')
    carol.expect(r'^\[smp\] success: ')
    peer.expect(r'^POTR smp succeeded')
    # SMP started by potr, with a question, answered at our prompt.
    carol.send('verify me')
    peer.expect(r'^POTR smp started')
    carol.expect(r'^\[smp\] pybot wants to verify you and asks: Bot question\? ')
    carol.send('/smp open sesame')
    carol.expect(r'^\[smp\] success: you answered pybot.s question correctly',
                 forbid=r'is verified')
    peer.expect(r'^POTR smp succeeded')
    # A wrong answer to potr's question: one failure line (potr's abort
    # that follows adds none), and the trust is gone.
    carol.send('verify me')
    carol.expect(r'^\[smp\] pybot wants to verify you and asks: ')
    carol.send('/smp not the answer')
    carol.expect(r'^\[smp\] failed: ')
    peer.expect(r'^POTR smp failed')
    carol.send('/status')
    carol.expect(r'^\[otr\] status: private \(OTR v2\), .*\(UNVERIFIED\)$',
                 forbid=r'^\[smp\]')
    # NOTICEs are shown (escaped), never taken for OTR.
    carol.send('notice me')
    carol.expect(r'^-pybot- a notice for carol \\x07$')

    carol.send('/otr end')
    carol.expect(r'^\[otr\] insecure: ')
    peer.expect(r'^POTR finished')
    expect(carol.quit() == 0, 'carol exit status %s' % carol.proc.returncode)
    peer.send('quit')
    expect(peer.wait() == 0, 'potr peer exit status %s' % peer.proc.returncode)


def opportunistic(server, work):
    # The whitespace tag on a plaintext message starts the AKE by itself.
    homes = {}
    for nick in ('erin', 'frank'):
        homes[nick] = os.path.join(work, nick)
        otr('keygen', '--dir', homes[nick], '--account', nick + '@127.0.0.1')
    erin = chat(server, 'erin', 'frank', homes['erin'], '--policy', 'opportunistic')
    frank = chat(server, 'frank', 'erin', homes['frank'], '--policy', 'opportunistic')
    erin.expect(r'^\[irc\] connected to ')
    frank.expect(r'^\[irc\] connected to ')
    erin.send('hello, do you speak OTR?')
    erin.expect(r'^\[sent:PLAINTEXT\] hello, do you speak OTR\?$')
    frank.expect(r'^<erin:PLAINTEXT> hello, do you speak OTR\?$', forbid=PRIVATE_CLAIM)
    # Both have v4 keys: the tag offers 4 (and 3), and v4 is chosen.
    frank.expect(r'^\[otr\] secure: private conversation with erin \(OTR v4\)')
    erin.expect(r'^\[otr\] secure: private conversation with frank \(OTR v4\)')
    frank.send('yes, privately now')
    erin.expect(r'^<frank:private> yes, privately now$')
    expect(erin.quit() == 0, 'erin exit status %s' % erin.proc.returncode)
    frank.expect(r'^\[otr\] insecure: erin ended')
    expect(frank.quit() == 0, 'frank exit status %s' % frank.proc.returncode)


def potr_whitespace(server, work):
    # Our whitespace tag (guarded against the server's trimming) makes potr
    # start the AKE, and potr shows the text without the tag.
    home = os.path.join(work, 'gina')
    otr('keygen', '--dir', home, '--account', 'gina@127.0.0.1')
    peer = Client('potr2', ['/usr/bin/python3', POTR_PEER, '--irc', server.address,
                            '--nick', 'pybot2', '--peer', 'gina', '--secret', 'x',
                            '--compat', POTR_COMPAT])
    peer.expect(r'^POTR connected$')
    gina = chat(server, 'gina', 'pybot2', home, '--policy', 'opportunistic')
    gina.expect(r'^\[irc\] connected to ')
    gina.send('hello bot')
    gina.expect(r'^\[sent:PLAINTEXT\] hello bot$')
    peer.expect(r'^POTR plaintext: hello bot$')
    gina.expect(r'^\[otr\] secure: private conversation with pybot2 \(OTR v2\)')
    peer.expect(r'^POTR secure')
    gina.send('and now privately')
    gina.expect(r'^<pybot2:private> echo: and now privately$')
    expect(gina.quit() == 0, 'gina exit status %s' % gina.proc.returncode)
    peer.send('quit')
    expect(peer.wait() == 0, 'potr peer exit status %s' % peer.proc.returncode)


def tls(server, work):
    homes = {}
    for nick in ('hank', 'iris'):
        homes[nick] = os.path.join(work, nick)
        otr('keygen', '--dir', homes[nick], '--account', nick + '@127.0.0.1')
    # Without the test's CA the server's certificate is refused.
    untrusted = Client('hank', [OTR, 'chat', '--irc', server.tls_address, '--tls', '--nick',
                                'hank', '--peer', 'iris', '--dir', homes['hank']])
    untrusted.expect(r"^\[error\] TLS: the server's certificate is not trusted: ")
    expect(untrusted.wait() == 3, 'exit status %s' % untrusted.proc.returncode)
    hank = Client('hank', [OTR, 'chat', '--irc', server.tls_address, '--tls-ca', server.cert,
                           '--nick', 'hank', '--peer', 'iris', '--dir', homes['hank']])
    # One side over TLS, the other in the clear: the server relays.
    iris = chat(server, 'iris', 'hank', homes['iris'])
    hank.expect(r'^\[irc\] connected to ')
    iris.expect(r'^\[irc\] connected to ')
    hank.send('/otr start')
    hank.expect(r'^\[otr\] secure: private conversation with iris \(OTR v4\)')
    iris.expect(r'^\[otr\] secure: private conversation with hank \(OTR v4\)')
    long_text = 'tls:' + ' '.join('%04d' % i for i in range(300))
    hank.send(long_text)
    m = iris.expect(r'^<hank:private> (tls:.*)$')
    expect(m.group(1) == long_text, 'the long message arrived changed')
    iris.send('over TLS and OTR')
    hank.expect(r'^<iris:private> over TLS and OTR$')
    expect(hank.quit() == 0, 'hank exit status %s' % hank.proc.returncode)
    expect(iris.quit() == 0, 'iris exit status %s' % iris.proc.returncode)


def usage_and_keys(server, work):
    # --help and `otr help chat` print the usage with the prompt's commands.
    for args in (['chat', '--help'], ['help', 'chat']):
        r = otr(*args)
        expect('--irc HOST:PORT' in r.stdout and '/smp-q QUESTION SECRET' in r.stdout
               and '/me ACTION' in r.stdout, 'otr %s: %r' % (' '.join(args), r.stdout))
    # A key imported from irssi (protocol "IRC") is used without --protocol.
    home = os.path.join(work, 'irssi-home')
    made = os.path.join(work, 'irssi-made')
    otr('keygen', '--dir', made, '--account', 'judy@127.0.0.1', '--protocol', 'IRC')
    os.makedirs(os.path.join(home, '.irssi', 'otr'))
    os.rename(os.path.join(made, 'otr.private_key'), os.path.join(home, '.irssi', 'otr', 'otr.key'))
    store = os.path.join(work, 'judy')
    r = subprocess.run([OTR, 'import', '--irssi', '--dir', store], capture_output=True,
                       text=True, timeout=30, env=dict(os.environ, HOME=home))
    expect(r.returncode == 0, 'import --irssi: %s' % r.stderr)
    judy = chat(server, 'judy', 'nobody', store)
    judy.expect(r'^\[otr\] our fingerprint \(judy@127\.0\.0\.1\): ')
    expect(judy.quit() == 0, 'judy exit status %s' % judy.proc.returncode)


def server_goes_away(server, work):
    home = os.path.join(work, 'dave')
    otr('keygen', '--dir', home, '--account', 'dave@127.0.0.1')
    dave = chat(server, 'dave', 'nobody', home)
    dave.expect(r'^\[irc\] connected to ')
    dave.send('anyone?')
    dave.expect(r'^\[irc\] nobody is not on the server')
    server.proc.terminate()
    dave.expect(r'^\[error\] disconnected')
    expect(dave.wait() == 3, 'exit status %s after the server left' % dave.proc.returncode)
    # No server at all: a clear message and the same status.
    gone = chat(server, 'dave', 'nobody', home)
    gone.expect(r'^\[error\] cannot connect to 127\.0\.0\.1:\d+: Connection refused$')
    expect(gone.wait() == 3, 'exit status %s without a server' % gone.proc.returncode)


def main():
    work = tempfile.mkdtemp(dir=os.environ.get('TEST_TMPDIR'))
    # Scenario names on the command line choose some; the default runs all.
    names = [a for a in sys.argv[4:] if not a.startswith('-')]
    failures = 0
    try:
        server = Ngircd(work)
        for scenario in (two_otr_chats, two_v4_chats, opportunistic, against_potr, potr_whitespace, tls,
                         usage_and_keys, server_goes_away):
            if names and scenario.__name__ not in names:
                continue
            t = time.monotonic()
            try:
                scenario(server, work)
                print('PASS %s (%.1f s)' % (scenario.__name__, time.monotonic() - t), flush=True)
            except Failure as e:
                failures += 1
                print('FAIL %s: %s' % (scenario.__name__, e), flush=True)
    finally:
        PROCS.stop_all()
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
