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
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


OTR = sys.argv[1]
# prosody_harness.py and line_process.py, by the paths given.
sys.path[:0] = [os.path.dirname(os.path.abspath(path)) for path in sys.argv[2:4]]
import prosody_harness as harness  # noqa: E402
import line_process as lp  # noqa: E402
CLIENT = sys.argv[4]
VERBOSE = '-v' in sys.argv[5:]
DEADLINE = time.monotonic() + 150  # the whole run; a hang is a failure
STEP_TIMEOUT = 25
PROCS = lp.Processes()
expect = lp.expect
Failure = lp.Failure
PASSWORD = 'secret-pw'
LOG = None

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
                              % (self.name, pattern, self.screen() or self.tmux(
                                  'capture-pane', '-p', '-t', '0').stdout[-4000:]))
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
    END_REACHES_PEER = True

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


# -- mcabber ----------------------------------------------------------------
class LogFile:
    """A file a client appends to, read line by line as it grows."""

    def __init__(self, name, path):
        self.name, self.path, self.offset, self.pending = name, path, 0, ''
        self.unread = []

    def expect(self, pattern):
        end = min(time.monotonic() + STEP_TIMEOUT, DEADLINE)
        while True:
            try:
                with open(self.path, 'rb') as f:
                    f.seek(self.offset)
                    data = f.read()
            except FileNotFoundError:
                data = b''
            self.offset += len(data)
            self.pending += data.decode('utf-8', 'replace')
            *lines, self.pending = self.pending.split('\n')
            self.unread.extend(lines)
            while self.unread:
                line = self.unread.pop(0)
                m = re.search(pattern, line)
                if m:
                    if VERBOSE:
                        print('%s > %s' % (self.name, line[:300]), flush=True)
                    return m
            expect(time.monotonic() < end, '%s: timed out waiting for %r' % (self.name, pattern))
            time.sleep(0.2)


class Mcabber:
    """mcabber 1.1.2 (libotr 4.1.1, OTR built in). Its status lines are read
    from its trace log, the messages from its history log. It starts OTR
    only with a contact in its roster (/add), and its SMP has no question:
    /otr smpq asks with a secret alone, /otr smpr answers (also a question
    of ours, which it does not show)."""

    VERSION = '3'
    # After its /otr stop mcabber is in plaintext, but otr chat shows
    # nothing: mcabber sends no message then (a diagnostic run with a second
    # client of bob's account, which prosody gives every chat message to the
    # bare JID too, received nothing after the stop). Recorded, not hidden:
    # the run prints "mcabber /otr stop reaches otr chat: no".
    END_REACHES_PEER = False

    def __init__(self, work, prosody):
        need_program('mcabber', 'mcabber')
        home, env = client_env(work)
        self.home = home
        conf = os.path.join(home, '.mcabber')
        otr_dir = os.path.join(conf, 'otr')
        os.makedirs(otr_dir, mode=0o700)
        trace = os.path.join(home, 'trace.log')
        histo = os.path.join(home, 'histo')
        rc = os.path.join(conf, 'mcabberrc')
        with open(rc, 'w') as f:
            f.write('\n'.join([
                'set jid = alice@localhost', 'set password = ' + PASSWORD,
                'set server = 127.0.0.1', 'set port = %d' % prosody.c2s_port,
                # TLS required, prosody's certificate trusted explicitly.
                'set tls = 1', 'set ssl_ca = ' + prosody.cert_path,
                'set otr = 1', 'set otr_dir = ' + otr_dir + '/',
                'set logging = 1', 'set logging_dir = ' + histo + '/',
                'set tracelog_level = 1', 'set tracelog_file = ' + trace,
                'set beep_on_message = 0', '']))
        os.chmod(rc, 0o600)  # mcabber refuses a configuration others can read
        self.ui = ScreenClient('mcabber', 'mcabber', env)
        self.trace = LogFile('mcabber-trace', trace)
        self.history = LogFile('mcabber-history', os.path.join(histo, 'bob@localhost'))
        self.trace.expect(r'Connection established')
        self.trace.expect(r'Server does not support roster notes storage')
        self.ui.keys('/otrpolicy default manual')
        self.ui.keys('/add bob@localhost bob')
        self.trace.expect(r'Sent presence notification request to <bob@localhost>')

    def open_chat(self):
        pass

    def start_otr(self):
        self.ui.keys('/otr start bob@localhost')

    def end_otr(self):
        self.ui.keys('/otr stop bob@localhost')

    def say(self, text):
        if len(text) < 500:
            self.ui.keys('/say_to bob@localhost ' + text)
            return
        # mcabber's input line holds about 1000 characters: a long message
        # is sent from a file (/say_to -f).
        path = os.path.join(self.home, 'long-%d.txt' % len(text))
        with open(path, 'w') as f:
            f.write(text)
        self.ui.keys('/say_to -f %s bob@localhost' % path)

    def expect_from_bob(self, text):
        return self.history.expect(r'^MR \S+ \d+ ' + re.escape(text) + '$')

    def info(self):
        self.ui.keys('/otr info bob@localhost')
        return self.trace.expect(r'bob@localhost: (\w+) ').group(1)

    @staticmethod
    def until(ask, wanted, what):
        """Asks mcabber again until the answer is one of `wanted` (its
        notes go to the contact's window; its state can be asked)."""
        end = min(time.monotonic() + STEP_TIMEOUT, DEADLINE)
        while True:
            answer = ask()
            if answer in wanted:
                return answer
            expect(time.monotonic() < end, 'mcabber: %s (still %s)' % (what, answer))
            time.sleep(0.5)

    def expect_secure(self, trusted=False):
        self.until(self.info, ('encrypted',), 'not encrypted')
        if trusted:
            expect(self.fingerprint_trust() == 'trusted', 'mcabber does not trust us')

    def expect_ended(self):
        self.until(self.info, ('finished', 'plaintext'), 'not ended')

    def fingerprint_trust(self):
        self.ui.keys('/otr fingerprint bob@localhost')
        return self.trace.expect(r'bob@localhost \[([0-9A-F ]+)\]: (\w+)').group(2)

    def their_fingerprint(self):
        self.ui.keys('/otr fingerprint bob@localhost')
        return self.trace.expect(r'bob@localhost \[([0-9A-F ]+)\]: ').group(1)

    def my_fingerprint(self):
        # mcabber prints no fingerprint of its own; libotr's key file
        # (otr_dir/alice@localhost.fpr) lists the peers' only.
        return None

    def ask(self, question, answer):
        del question  # mcabber's SMP has no question
        self.ui.keys('/otr smpq bob@localhost ' + answer)

    def expect_question(self, question):
        del question  # not shown by mcabber (the barrier message shows it arrived)

    def answer(self, secret):
        self.ui.keys('/otr smpr bob@localhost ' + secret)

    def expect_authenticated(self):
        # mcabber shows SMP's result only in the contact's window: its trust
        # in our fingerprint (set by libotr on success) is asked until the
        # last SMP message has arrived.
        self.until(self.fingerprint_trust, ('trusted',), 'does not trust us after SMP')

    def trust(self):
        expect(self.fingerprint_trust() == 'trusted', 'mcabber does not trust us')


CLIENTS = {'profanity': Profanity, 'mcabber': Mcabber}


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
    theirs = client.my_fingerprint()
    expect(theirs is None or compact(theirs) == compact(fp_client),
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
    expect(m.group(1) == long_theirs, 'the client\'s long message arrived changed: %d bytes '
           'of %d, ending %r' % (len(m.group(1)), len(long_theirs), m.group(1)[-20:]))

    # SMP with a question, the client asks; then we ask.
    client.ask('colour?', 'blue')
    if CLIENT == 'mcabber':  # a check without a question: it verifies both
        ours.expect(r'^\[smp\] alice@localhost wants to check that you both know')
        ours.send('/smp blue')
        ours.expect(r'^\[smp\] success: .*%s is verified$' % fp_client)
    else:
        ours.expect(r'^\[smp\] alice@localhost wants to verify you and asks: colour\?')
        ours.send('/smp blue')
        ours.expect(r'^\[smp\] success: you answered alice@localhost.s question correctly')
    client.expect_authenticated()
    ours.send('/smp-q What is the password? swordfish')
    # A message after the question: once the client shows it, it has the
    # question too (one stream, in order), so the answer cannot come first.
    ours.send('after the question')
    client.expect_from_bob('after the question')
    client.expect_question('What is the password?')
    client.answer('swordfish')
    ours.expect(r'^\[smp\] success: .*%s is verified$' % fp_client)
    listed = otr_cli('fingerprint', '--dir', home, '--peer', 'alice@localhost')
    expect('\tsmp\n' in listed and compact(fp_client) in compact(listed.replace('\t', ' ')),
           'our store: %r' % listed)
    client.trust()

    # The client ends.
    client.end_otr()
    if client.END_REACHES_PEER:
        ours.expect(r'^\[otr\] insecure: alice@localhost ended the private conversation')
    else:
        client.expect_ended()
        results['%s /otr stop reaches otr chat' % CLIENT] = 'no'
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
        with harness.Prosody(verbose=VERBOSE) as prosody:
            global LOG
            LOG = prosody.log_path
            for user in ('alice', 'bob'):
                prosody.register(user, PASSWORD)
            with open(os.path.join(work, 'password'), 'w') as f:
                f.write(PASSWORD + '\n')
            home = os.path.join(work, 'otr-home')
            otr_cli('keygen', '--dir', home, '--account', 'bob@localhost')
            try:
                results = scenario(work, prosody, home)
            except Failure:
                if VERBOSE:  # the last messages prosody received
                    with open(LOG, errors='replace') as f:
                        for line in [l for l in f if 'Received[c2s]: <message' in l][-6:]:
                            print(line[:400], flush=True)
                raise
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
