"""`otr chat --xmpp` (v4 allowed, the default) against the XMPP clients
people use, whose OTR is libotr 4.1.1 (v3): profanity and mcabber, each
driven headless under tmux (a private socket) with a home directory and
configuration made by the test, through a prosody the test starts on
127.0.0.1 (prosody_harness.py). The client trusts prosody's self-signed
certificate explicitly (profanity: /tls certpath with the certificate
alone; mcabber: ssl_fingerprint), as `otr chat` does with --tls-ca.

In each direction (the client starts OTR, then `otr chat` does): the
version negotiated (our status line: v3), messages both ways, a long message
both ways, SMP with a question both ways, trust (the client's view of our
fingerprint against `otr fingerprint`, and ours of the client's), and the
end reported on the other side. What the client shows is read off its tmux
screen (the whole history, wrapped lines joined).

Usage: xmpp_clients_e2e_test.py <otr binary> <prosody_harness.py> <line_process.py>
       profanity|mcabber [-v]
Run with /usr/bin/python3.
"""
import collections
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OTR = sys.argv[1]
harness = load('prosody_harness', sys.argv[2])
lp = load('line_process', sys.argv[3])
CLIENT = sys.argv[4]
VERBOSE = '-v' in sys.argv[5:]
DEADLINE = time.monotonic() + 150  # the whole run; a hang is a failure
STEP_TIMEOUT = 25
PROCS = lp.Processes()
expect = lp.expect
Failure = lp.Failure
PASSWORD = 'secret-pw'

# tmux's sockets go in a short directory of the test's (a socket path has
# at most 107 bytes), removed at the end.
TMUX_DIR = tempfile.mkdtemp(prefix='otr-tmux-')
SCREENS = []
SCREEN_COLUMNS = 4000  # the longest message on one line
SCREEN_ROWS = 400


def need_program(path, package):
    """A missing client fails the test with the reason (never a skip)."""
    expect(shutil.which(path) is not None,
           '%s not found: install the Debian package %s (tools/setup.sh)' % (path, package))


class ScreenClient:
    """A terminal client in a detached tmux session on a private socket:
    keys in with send-keys; its output read off the screen. A curses client
    redraws in place (nothing reaches tmux's history), so the terminal is
    made wide and tall enough for the whole test (a long message on one
    line, no line scrolled away), and a line counts as read once a pattern
    matched it (its text and its occurrence), or after skip()."""

    def __init__(self, name, command, env):
        need_program('tmux', 'tmux')
        self.name = name
        self.sock = 'otr-x-%s-%d' % (name, os.getpid())
        self.read = collections.Counter()  # line text -> occurrences read
        self.env = dict(env, TMUX_TMPDIR=TMUX_DIR)
        SCREENS.append(self)
        # -f /dev/null: no tmux configuration of the user's.
        r = self.tmux('-f', '/dev/null', 'new-session', '-d', '-x', str(SCREEN_COLUMNS), '-y',
                      str(SCREEN_ROWS), command)
        expect(r.returncode == 0, '%s: tmux failed to start it: %s' % (name, r.stderr))

    def tmux(self, *args):
        return subprocess.run(['tmux', '-L', self.sock] + list(args), env=self.env,
                              capture_output=True, text=True, timeout=10)

    def stop(self):
        self.tmux('kill-server')

    def keys(self, text):
        if VERBOSE:
            print('%s < %s' % (self.name, text[:200]), flush=True)
        for args in (['-l', text], ['Enter']):
            r = self.tmux('send-keys', '-t', '0', *args)
            expect(r.returncode == 0, '%s: send-keys failed (%s): is it still running?'
                   % (self.name, r.stderr.strip()))

    def lines(self):
        r = self.tmux('capture-pane', '-p', '-t', '0')
        return [l.rstrip() for l in r.stdout.splitlines() if l.strip()]

    def screen(self):
        return '\n'.join(l[:200] for l in self.lines()[-60:])

    def unread(self):
        seen = collections.Counter()
        for line in self.lines():
            seen[line] += 1
            if seen[line] > self.read[line]:
                yield line

    def skip(self):
        """Everything on the screen now counts as read."""
        for line in list(self.unread()):
            self.read[line] += 1

    def expect(self, pattern, forbid=None):
        """Waits for an unread line that matches `pattern` (a regex)."""
        end = min(time.monotonic() + STEP_TIMEOUT, DEADLINE)
        while True:
            for line in self.unread():
                if forbid and re.search(forbid, line):
                    raise Failure('%s shows %r while waiting for %r' % (self.name, line, pattern))
                m = re.search(pattern, line)
                if m:
                    if VERBOSE:
                        print('%s > %s' % (self.name, line[:300]), flush=True)
                    self.read[line] += 1
                    return m
            if time.monotonic() > end:
                raise Failure('%s: timed out waiting for %r; its screen:\n%s'
                              % (self.name, pattern, self.screen()))
            time.sleep(0.2)


def otr_cli(*args):
    r = subprocess.run([OTR] + list(args), capture_output=True, text=True, timeout=60)
    expect(r.returncode == 0, 'otr %s failed: %s' % (' '.join(args), r.stderr))
    return r.stdout


def our_fingerprint(home):
    for line in otr_cli('fingerprint', '--dir', home).splitlines():
        fields = line.split('\t')
        if fields[0] == 'ours':
            return fields[3].strip()
    raise Failure('no fingerprint in %s' % home)


def compact(fp):
    return re.sub(r'[^0-9A-F]', '', fp.upper())


def client_env(work):
    home = os.path.join(work, CLIENT + '-home')
    os.makedirs(home, mode=0o700)
    return home, dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'),
                      XDG_DATA_HOME=os.path.join(home, '.local', 'share'),
                      TERM='xterm-256color', LANG='C.UTF-8')


# -- profanity ---------------------------------------------------------------
class Profanity:
    """profanity 0.13.1 (libotr 4.1.1). Commands typed at its prompt.
    Version 2: profanity gives libotr the policy OTRL_POLICY_ALLOW_V1 |
    OTRL_POLICY_ALLOW_V2 (its src/otr/otrlibv4.c, otrlib_policy), so libotr
    4.1.1 there neither offers nor accepts v3."""

    VERSION = '2'

    def __init__(self, work, prosody):
        need_program('profanity', 'profanity')
        home, env = client_env(work)
        # Trust exactly prosody's certificate: a directory with it alone,
        # hashed (libstrophe's CA path).
        ca = os.path.join(work, 'profanity-ca')
        os.makedirs(ca)
        shutil.copy(prosody.cert_path, os.path.join(ca, 'localhost.crt'))
        subprocess.run(['openssl', 'rehash', ca], check=True, capture_output=True, timeout=30)
        self.ui = ScreenClient('profanity', 'profanity', env)
        self.ui.expect(r'Type .?/help.? to show complete help')
        self.ui.keys('/tls certpath set ' + ca)
        self.ui.expect(r'Certificate path set to')
        self.ui.keys('/connect alice@localhost server 127.0.0.1 port %d tls force'
                     % prosody.c2s_port)
        self.ui.expect(r'[Pp]assword')
        self.ui.keys(PASSWORD)
        self.ui.expect(r'alice@localhost/\S+ logged in successfully')
        self.ui.keys('/otr log on')
        self.ui.keys('/otr gen')
        self.ui.expect(r'Private key generation complete')

    def open_chat(self):
        self.ui.keys('/msg bob@localhost')

    def start_otr(self):
        self.ui.keys('/otr start')

    def end_otr(self):
        self.ui.keys('/otr end')

    def say(self, text):
        self.ui.keys(text)

    def expect_from_bob(self, text):
        return self.ui.expect(r' bob@localhost(/\S+)?: ' + re.escape(text) + r'$')

    def expect_secure(self, trusted=False):
        return self.ui.expect(r'OTR session started \((trusted|untrusted)\)' if not trusted
                              else r'OTR session started \(trusted\)')

    def expect_ended(self):
        return self.ui.expect(r'OTR session ended|ended the OTR session')

    def their_fingerprint(self):
        self.ui.keys('/otr theirfp')
        return self.ui.expect(r'bob@localhost.s OTR fingerprint: ([0-9A-Fa-f ]+)').group(1)

    def my_fingerprint(self):
        self.ui.keys('/otr myfp')
        return self.ui.expect(r'Your OTR fingerprint: ([0-9A-Fa-f ]+)').group(1)

    def ask(self, question, answer):
        self.ui.keys('/otr question %s %s' % (question, answer))

    def expect_question(self, question):
        self.ui.expect(r'bob@localhost wants to authenticate your identity with the following '
                       r'question:$')
        self.ui.expect(r'  ' + re.escape(question) + '$')

    def answer(self, secret):
        self.ui.keys('/otr answer ' + secret)

    def expect_authenticated(self):
        return self.ui.expect(r'[Aa]uthentication successful')

    def trust(self):
        self.ui.keys('/otr trust')
        return self.ui.expect(r'OTR session trusted')


CLIENTS = {'profanity': Profanity}


def scenario(work, prosody, home):
    fp_ours = our_fingerprint(home)
    client = CLIENTS[CLIENT](work, prosody)
    ours = lp.LineProcess(
        PROCS, 'otr', [OTR, 'chat', '--xmpp', 'bob@localhost', '--server',
                       '127.0.0.1:%d' % prosody.c2s_port, '--password-file',
                       os.path.join(work, 'password'), '--tls-ca', prosody.cert_path,
                       '--peer', 'alice@localhost', '--dir', home],
        STEP_TIMEOUT, DEADLINE, VERBOSE)
    ours.expect(r'^\[xmpp\] connected to ')
    client.open_chat()
    results = {}

    # 1. The client starts OTR.
    client.start_otr()
    m = ours.expect(r'^\[otr\] secure: private conversation with alice@localhost \(OTR v(\d)\), '
                    r'fingerprint ([0-9A-F ]+) \(UNVERIFIED\)$')
    results['version (%s starts)' % CLIENT] = m.group(1)
    expect(m.group(1) == client.VERSION, 'OTR v%s, not v%s' % (m.group(1), client.VERSION))
    fp_client = m.group(2)
    client.expect_secure()
    expect(compact(client.their_fingerprint()) == compact(fp_ours),
           'the client shows another fingerprint of ours')
    expect(compact(client.my_fingerprint()) == compact(fp_client),
           'we see another fingerprint of the client\'s')
    client.say('hello from %s' % CLIENT)
    ours.expect(r'^<alice@localhost:private> hello from %s$' % CLIENT)
    ours.send('hello from otr chat')
    client.expect_from_bob('hello from otr chat')
    long_ours = 'long:' + ' '.join('%04d' % i for i in range(600))  # 3 KB
    ours.send(long_ours)
    client.expect_from_bob(long_ours)
    long_theirs = 'LONG:' + ' '.join('%04d' % i for i in range(300))
    client.say(long_theirs)
    m = ours.expect(r'^<alice@localhost:private> (LONG:.*)$')
    expect(m.group(1) == long_theirs, 'the client\'s long message arrived changed')

    # SMP with a question, the client asks; then we ask.
    client.ask('colour?', 'blue')
    ours.expect(r'^\[smp\] alice@localhost wants to verify you and asks: colour\?')
    ours.send('/smp blue')
    ours.expect(r'^\[smp\] success: you answered alice@localhost.s question correctly')
    client.expect_authenticated()
    ours.send('/smp-q What is the password? swordfish')
    client.expect_question('What is the password?')
    client.answer('swordfish')
    ours.expect(r'^\[smp\] success: .*%s is verified$' % fp_client)
    listed = otr_cli('fingerprint', '--dir', home, '--peer', 'alice@localhost')
    expect('\tsmp\n' in listed and compact(fp_client) in compact(listed.replace('\t', ' ')),
           'our store: %r' % listed)
    client.trust()

    # The client ends.
    client.end_otr()
    ours.expect(r'^\[otr\] insecure: alice@localhost ended the private conversation')
    ours.send('/otr end')
    ours.expect(r'^\[otr\] insecure: ')

    # 2. We start OTR; the client now trusts our key.
    client.ui.skip()
    ours.send('/otr start')
    m = ours.expect(r'^\[otr\] secure: private conversation with alice@localhost \(OTR v(\d)\), '
                    r'fingerprint [0-9A-F ]+ \(verified\)$')
    results['version (otr chat starts, %s)' % CLIENT] = m.group(1)
    expect(m.group(1) == client.VERSION, 'OTR v%s, not v%s' % (m.group(1), client.VERSION))
    client.expect_secure(trusted=True)
    ours.send('second round from otr chat')
    client.expect_from_bob('second round from otr chat')
    client.say('second round from %s' % CLIENT)
    ours.expect(r'^<alice@localhost:private> second round from %s$' % CLIENT)
    ours.send('/otr end')
    ours.expect(r'^\[otr\] insecure: ')
    client.expect_ended()
    expect(ours.quit() == 0, 'otr chat did not quit cleanly')
    client.ui.stop()
    return results


def main():
    work = tempfile.mkdtemp(prefix='otr-xmpp-clients-')
    try:
        with harness.Prosody() as prosody:
            for user in ('alice', 'bob'):
                prosody.register(user, PASSWORD)
            with open(os.path.join(work, 'password'), 'w') as f:
                f.write(PASSWORD + '\n')
            home = os.path.join(work, 'otr-home')
            otr_cli('keygen', '--dir', home, '--account', 'bob@localhost')
            results = scenario(work, prosody, home)
            for what, version in sorted(results.items()):
                print('%s: %s' % (what, version), flush=True)
    except (Failure, harness.HarnessError) as e:
        print('FAIL (%s): %s' % (CLIENT, e), flush=True)
        return 1
    finally:
        PROCS.stop_all()
        for ui in SCREENS:
            ui.stop()
        shutil.rmtree(TMUX_DIR, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print('1 passed, 0 failed', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
