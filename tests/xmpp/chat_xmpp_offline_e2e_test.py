"""`otr chat --xmpp` offline conversations (OTRv4) end to end (issue 19):
a real prosody (prosody_harness.py, mod_offline on, 127.0.0.1 only) with the
`otr-prekey-server` component (SQLite in the test's directory).

- alice logs in: she finds the prekey server by service discovery and
  publishes her prekey messages (the default 100); bob logs in once (3 prekey
  messages), the two approve each other's presence subscription, and bob
  logs out: alice sees him go offline;
- alice sends three messages: her chat fetches one of bob's Prekey
  Ensembles, sends the Non-Interactive-Auth and the three messages
  encrypted; prosody stores them (mod_offline);
- bob logs in again (a new process: his prekey secrets come from his store
  directory): he reads all three, decrypted and in order, replies, and the
  conversation continues both ways;
- garbage stanzas from a second client of bob's account (no body, unknown
  types, presence junk, a huge body) do no harm: alice still talks to bob;
- exhausted: bob logs out, every prekey message of his left on the server
  is taken by another client; alice's next message is not sent and she is
  told that bob cannot be reached offline;
- under `--compat libotr-ng` (libotr-ng's variant of OTRv4, decision 0042;
  the server runs with accept_libotr_ng = true): dave publishes his prekey
  messages in libotr-ng's variant and logs out, carol starts offline from
  one of them (libotr-ng's retrieval answer) and sends two messages, dave
  comes back and reads them, and the conversation continues both ways.

Usage: chat_xmpp_offline_e2e_test.py <otr> <prosody_harness.py> <line_process.py>
       <otr-prekey-server> <prekey_xmpp_client> <xmpp_probe> [-v]
"""
import os
import re
import subprocess
import sys
import tempfile
import time

OTR, _, _, PREKEY_SERVER, PREKEY_CLIENT, PROBE = sys.argv[1:7]
sys.path[:0] = [os.path.dirname(os.path.abspath(path)) for path in sys.argv[2:4]]
import prosody_harness as harness  # noqa: E402
import line_process as lp  # noqa: E402
VERBOSE = '-v' in sys.argv[7:]
DEADLINE = time.monotonic() + 200  # the whole run; a hang is a failure
STEP_TIMEOUT = 20
PROCS = lp.Processes()
expect = lp.expect
COMPONENT = 'prekey.localhost'
SECRET = 'prekey-component-secret'
PASSWORD = 'secret-pw'


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def otr(*args):
    r = subprocess.run([OTR] + list(args), capture_output=True, text=True, timeout=30)
    expect(r.returncode == 0, 'otr %s failed: %s' % (' '.join(args), r.stderr))
    return r.stdout


class Net:
    def __init__(self, prosody, work):
        self.prosody = prosody
        self.work = work
        self.password_file = write(os.path.join(work, 'password'), PASSWORD + '\n')
        self.homes = {}
        for user in ('alice', 'bob', 'carol', 'dave'):
            prosody.register(user, PASSWORD)
            self.homes[user] = os.path.join(work, user)
            otr('keygen', '--dir', self.homes[user], '--account', user + '@localhost')

    def chat(self, user, peer, *extra, name=None):
        args = [OTR, 'chat', '--xmpp', user + '@localhost',
                '--server', '127.0.0.1:%d' % self.prosody.c2s_port,
                '--password-file', self.password_file, '--tls-ca', self.prosody.cert_path,
                '--peer', peer + '@localhost', '--dir', self.homes[user]]
        return lp.LineProcess(PROCS, name or user, args + list(extra), STEP_TIMEOUT, DEADLINE,
                              VERBOSE)

    def prekey_client(self, user, *action):
        r = subprocess.run([PREKEY_CLIENT, str(self.prosody.c2s_port), user + '@localhost',
                            self.password_file, self.prosody.cert_path] + list(action),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=60)
        return r.returncode, r.stdout.splitlines()


def start_prekey_server(p):
    secret_file = write(os.path.join(p.dir, 'component.secret'), SECRET + '\n')
    config = write(os.path.join(p.dir, 'prekey-server.conf'), '\n'.join([
        'component = ' + COMPONENT,
        'xmpp_server = 127.0.0.1:%d' % p.component_port,
        'secret_file = ' + secret_file,
        'storage = sqlite:' + os.path.join(p.dir, 'prekeys.db'),
        'key_file = ' + os.path.join(p.dir, 'prekey-server.key'),
        # libotr-ng's variant too (carol and dave); spec clients are unaffected.
        'accept_libotr_ng = true',
        '']))
    server = harness.PrekeyServerProcess(PREKEY_SERVER, ['--config', config])
    server.wait_event('started')
    return server


def logs_in(chat, published, compat=False):
    chat.expect(r'^\[xmpp\] connected to ')
    if compat:
        chat.expect(r'^\[otr\] compatibility: libotr-ng\'s OTR v4 variant')
    chat.expect(r'^\[xmpp\] prekey server %s found by service discovery$' % COMPONENT)
    chat.expect(r'^\[prekey\] published %d prekey messages$' % published)


def offline_conversation(net):
    alice = net.chat('alice', 'bob')
    logs_in(alice, 100)
    bob = net.chat('bob', 'alice', '--prekey-messages', '3')
    logs_in(bob, 3)
    alice.expect(r'^\[xmpp\] bob@localhost is online$')
    expect(bob.quit() == 0, 'bob did not quit cleanly')
    alice.expect(r'^\[xmpp\] bob@localhost is offline$')

    texts = ['offline %d from alice' % i for i in range(3)]
    for t in texts:
        alice.send(t)
    alice.expect(r'^\[otr\] bob@localhost is offline: fetching a Prekey Ensemble of theirs from '
                 r'%s' % COMPONENT)
    alice.expect(r'^\[otr\] secure: private conversation with bob@localhost \(OTR v4\)')
    for t in texts:
        alice.expect(r'^\[sent:private\] %s$' % t, forbid=r'^\[sent:PLAINTEXT\]')

    bob = net.chat('bob', 'alice', '--prekey-messages', '3', name='bob-again')
    bob.expect(r'^\[otr\] secure: private conversation with alice@localhost \(OTR v4\)')
    for t in texts:
        bob.expect(r'^<alice@localhost:private> %s$' % t, forbid=r':PLAINTEXT> ')
    alice.expect(r'^\[xmpp\] bob@localhost is online$')
    for i in range(2):
        bob.send('reply %d from bob' % i)
        alice.expect(r'^<bob@localhost:private> reply %d from bob$' % i)
        alice.send('answer %d from alice' % i)
        bob.expect(r'^<alice@localhost:private> answer %d from alice$' % i)
    return alice, bob


def garbage_stanzas(net, alice, bob):
    # Another client of bob's account sends stanzas no chat expects.
    r = subprocess.run([PROBE, 'garbage', str(net.prosody.c2s_port), 'bob@localhost',
                        net.password_file, net.prosody.cert_path, 'alice@localhost'],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    expect(r.returncode == 0, 'the garbage client failed: %s' % r.stdout)
    bob.send('after the garbage')
    alice.expect(r'^<bob@localhost:private> after the garbage$')
    alice.send('still here')
    bob.expect(r'^<alice@localhost:private> still here$')


def exhausted(net, alice, bob):
    expect(bob.quit() == 0, 'bob did not quit cleanly')
    # Bob's end of OTR and his unavailable presence arrive in either order.
    wanted = {r'^\[xmpp\] bob@localhost is offline$',
              r'^\[otr\] insecure: bob@localhost ended the private conversation'}
    while wanted:
        line = alice.expect('|'.join('(?:%s)' % w for w in wanted)).group(0)
        wanted = {w for w in wanted if not re.search(w, line)}
    alice.send('/otr end')
    alice.expect(r'^\[otr\] insecure: ')
    # Every prekey message of bob's left is taken by someone else.
    taken = 0
    for _ in range(8):
        rc, out = net.prekey_client('alice', 'retrieve', 'bob@localhost')
        expect(rc == 0, 'retrieval failed: %r' % out)
        if 'no-ensembles' in out:
            break
        taken += 1
    else:
        raise lp.Failure('bob\'s prekey messages never ran out')
    alice.send('are you there?')
    alice.expect(r'^\[otr\] the offline start with bob@localhost was refused \(prekey server: '
                 r'no Prekey Ensembles')
    alice.expect(r'^\[otr\] bob@localhost cannot be reached offline \(no usable Prekey '
                 r'Ensemble\); 1 message was not sent$', forbid=r'^\[sent:')
    return taken


def libotr_ng_offline(net):
    compat = ('--compat', 'libotr-ng')
    carol = net.chat('carol', 'dave', *compat)
    logs_in(carol, 100, compat=True)
    dave = net.chat('dave', 'carol', '--prekey-messages', '3', *compat)
    logs_in(dave, 3, compat=True)
    carol.expect(r'^\[xmpp\] dave@localhost is online$')
    expect(dave.quit() == 0, 'dave did not quit cleanly')
    carol.expect(r'^\[xmpp\] dave@localhost is offline$')

    texts = ['offline %d from carol (libotr-ng variant)' % i for i in range(2)]
    for t in texts:
        carol.send(t)
    carol.expect(r'^\[otr\] dave@localhost is offline: fetching a Prekey Ensemble of theirs from '
                 r'%s' % COMPONENT, forbid=r'^\[otr\] the offline start .* was refused')
    carol.expect(r'^\[otr\] secure: private conversation with dave@localhost \(OTR v4\)',
                 forbid=r'^\[otr\] the offline start .* was refused')
    for t in texts:
        carol.expect(r'^\[sent:private\] %s$' % re.escape(t), forbid=r'^\[sent:PLAINTEXT\]')

    dave = net.chat('dave', 'carol', '--prekey-messages', '3', *compat, name='dave-again')
    dave.expect(r'^\[otr\] secure: private conversation with carol@localhost \(OTR v4\)')
    for t in texts:
        dave.expect(r'^<carol@localhost:private> %s$' % re.escape(t), forbid=r':PLAINTEXT> ')
    for i in range(2):
        dave.send('reply %d from dave' % i)
        carol.expect(r'^<dave@localhost:private> reply %d from dave$' % i)
        carol.send('answer %d from carol' % i)
        dave.expect(r'^<carol@localhost:private> answer %d from carol$' % i)
    expect(dave.quit() == 0, 'dave did not quit cleanly')
    expect(carol.quit() == 0, 'carol did not quit cleanly')


def main():
    work = tempfile.mkdtemp(prefix='otr-chat-xmpp-offline-')
    server = None
    try:
        with harness.Prosody(components={COMPONENT: SECRET}) as prosody:
            server = start_prekey_server(prosody)
            net = Net(prosody, work)
            alice, bob = offline_conversation(net)
            print('offline: three messages read in order, the conversation continues: ok',
                  flush=True)
            garbage_stanzas(net, alice, bob)
            print('garbage stanzas: ok', flush=True)
            taken = exhausted(net, alice, bob)
            print('exhausted (%d taken first): alice told bob cannot be reached: ok' % taken,
                  flush=True)
            expect(alice.quit() == 0, 'alice did not quit cleanly')
            libotr_ng_offline(net)
            print('--compat libotr-ng: dave published, carol started offline, dave read both '
                  'messages, the conversation continues: ok', flush=True)
    except (lp.Failure, harness.HarnessError) as e:
        print('FAIL: %s' % e, flush=True)
        return 1
    finally:
        PROCS.stop_all()
        if server is not None:
            server.stop()
    print('1 passed, 0 failed', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
